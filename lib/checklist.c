/*
 * Gathering and printing the pre-rollback checklist.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "changes.h"
#include "checklist.h"
#include "component.h"
#include "env.h"
#include "banned.h"

char *
message_subject(const char *msg)
{
	const char *end;

	if (msg == NULL)
		return xstrdup("");
	while (*msg == '\n')
		msg++;
	end = strchr(msg, '\n');
	return end ? xstrndup(msg, (size_t)(end - msg)) : xstrdup(msg);
}

void
sh_quote(struct strbuf *out, const char *s)
{
	strbuf_add_shquoted(out, s);
}

void
checklist_down_command(struct strbuf *out, const struct migration *m,
    const char *cmd)
{
	strbuf_addstr(out, "MIGRATION_ID=");
	sh_quote(out, m->id);
	strbuf_addstr(out, " MIGRATION_VERSION=");
	sh_quote(out, m->version);
	strbuf_addstr(out, " sh -c ");
	sh_quote(out, cmd);
}

static int
load_commits(struct checklist *c, struct ctx *ctx)
{
	size_t i;

	for (i = 0; i < c->range.commits_nr; i++) {
		git_commit *commit = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		if (git_commit_lookup(&commit, ctx->repo,
		    &c->range.commits[i]) < 0)
			return error_git(E_FATAL, "cannot read commit");
		git_oid_tostr(hex, sizeof(hex), &c->range.commits[i]);
		strlist_add(&c->commit_ids, hex);
		strlist_add_nodup(&c->subjects,
		    message_subject(git_commit_message(commit)));
		git_commit_free(commit);
	}
	return 0;
}

static const char *
trailer_value(const char *line, size_t len, const char *key)
{
	size_t n = strlen(key);

	if (len <= n || strncmp(line, key, n) != 0)
		return NULL;
	return line + n;
}

/* the Migration: and Config: lines of each release tag between */
static int
load_trailers(struct checklist *c, struct ctx *ctx)
{
	size_t i;

	for (i = 0; i < c->range.between_nr; i++) {
		const struct release *r = c->range.between[i];
		const char *msg, *line, *nl, *v;
		git_tag *tag = NULL;

		if (!r->annotated)
			continue;
		if (git_tag_lookup(&tag, ctx->repo, &r->target) < 0)
			return error_git(E_FATAL, "cannot read tag '%s'",
			    r->tag);
		msg = git_tag_message(tag);
		for (line = msg; line != NULL && *line != '\0'; line = nl) {
			size_t len;
			char *val;

			nl = strchr(line, '\n');
			len = nl ? (size_t)(nl - line) : strlen(line);
			if (nl != NULL)
				nl++;
			if ((v = trailer_value(line, len, "Migration:"))) {
				val = xstrndup(v, len - (size_t)(v - line));
				migrations_add_trailer(&c->migrations, val,
				    r->tag, i);
				free(val);
			} else if ((v = trailer_value(line, len,
			    "Config:"))) {
				while (*v == ' ')
					v++;
				val = xstrndup(v, len - (size_t)(v - line));
				strlist_add_nodup(&c->config_notes,
				    xstrfmt("%s %s", r->tag, val));
				free(val);
			}
		}
		git_tag_free(tag);
	}
	return 0;
}

static int
load_changes(struct checklist *c, struct ctx *ctx)
{
	struct changes ch = CHANGES_INIT;
	size_t i;
	int rc;

	rc = changes_between(&ch, ctx, &c->range.target->commit,
	    &c->range.running->commit);
	if (rc < 0)
		goto out;
	/* files first: the trailers then find their file */
	for (i = 0; i < ch.migrations_added.nr; i++) {
		char *id = migration_id(ch.migrations_added.items[i]);

		migrations_add_file(&c->migrations,
		    ch.migrations_added.items[i], id, c->range.between_nr);
		free(id);
	}
	for (i = 0; i < ch.migrations_modified.nr; i++)
		strlist_add(&c->migrations_modified,
		    ch.migrations_modified.items[i]);
	for (i = 0; i < ch.config_changed.nr; i++)
		strlist_add(&c->config_changed, ch.config_changed.items[i]);
	for (i = 0; i < ch.config_stat.nr; i++)
		strlist_add(&c->config_stat, ch.config_stat.items[i]);
out:
	changes_release(&ch);
	return rc;
}

/* message is taken over; code is one of the list in git-rollback(1) */
static void
add_blocker(struct checklist *c, const char *code, char *message)
{
	strlist_add(&c->blocker_codes, code);
	strlist_add_nodup(&c->blockers, message);
}

int
checklist_load(struct checklist *out, struct ctx *ctx, const char *env,
    const char *target, int flags)
{
	int rc;

	if ((rc = rollback_range_load(&out->range, ctx, env, target,
	    flags)) < 0 ||
	    (rc = load_commits(out, ctx)) < 0 ||
	    (rc = load_changes(out, ctx)) < 0 ||
	    (rc = load_trailers(out, ctx)) < 0)
		return rc;
	migrations_sort(&out->migrations);
	if (out->migrations.nr > 0)
		add_blocker(out, "migrations-between", xstrfmt("%zu "
		    "migration%s to undo: use --migrate or "
		    "--ignore-migrations", out->migrations.nr,
		    out->migrations.nr == 1 ? "" : "s"));
	if (out->range.target_bad != NULL)
		add_blocker(out, "target-bad", xstrfmt("'%s' is marked "
		    "bad: %s", out->range.target->tag,
		    out->range.target_bad));
	return 0;
}

void
checklist_release(struct checklist *c)
{
	rollback_range_release(&c->range);
	strlist_release(&c->commit_ids);
	strlist_release(&c->subjects);
	migration_list_release(&c->migrations);
	strlist_release(&c->migrations_modified);
	strlist_release(&c->config_changed);
	strlist_release(&c->config_stat);
	strlist_release(&c->config_notes);
	strlist_release(&c->blockers);
	strlist_release(&c->blocker_codes);
}

static void
print_running(struct strbuf *sb, const struct checklist *c,
    struct ctx *ctx)
{
	const struct rollback_range *r = &c->range;

	strbuf_addf(sb, "running: %s (", r->running->tag);
	if (r->running_logged) {
		strbuf_addstr(sb, "deployed ");
		deploy_time_human(sb, r->running_time);
	} else
		strbuf_addf(sb, "newest release on %s, nothing deployed",
		    env_branch(ctx, r->env));
	strbuf_addstr(sb, ")\n");
	strbuf_addf(sb, "target: %s (%s %s)\n", r->target->tag,
	    r->target_deployed ? "deployed to" : "never deployed to",
	    r->env);
	if (r->target_bad != NULL)
		strbuf_addf(sb, "  marked bad: %s\n", r->target_bad);
}

static void
print_migrations(struct strbuf *sb, const struct checklist *c,
    struct ctx *ctx)
{
	size_t i;

	if (c->migrations.nr == 0)
		strbuf_addstr(sb, "migrations: none\n");
	else
		strbuf_addf(sb, "migrations: %zu to undo, newest first\n",
		    c->migrations.nr);
	for (i = 0; i < c->migrations.nr; i++) {
		const struct migration *m = &c->migrations.items[i];

		strbuf_addf(sb, "  %s", m->id);
		if (*m->version != '\0')
			strbuf_addf(sb, " version %s", m->version);
		if (m->path != NULL)
			strbuf_addf(sb, " file %s", m->path);
		if (m->release != NULL)
			strbuf_addf(sb, " release %s", m->release);
		strbuf_addch(sb, '\n');
	}
	for (i = 0; i < c->migrations_modified.nr; i++)
		strbuf_addf(sb, "  warning: modified, not undone: %s\n",
		    c->migrations_modified.items[i]);
	if (c->config_stat.nr == 0 && c->config_notes.nr == 0)
		strbuf_addstr(sb, "config: no change\n");
	else
		strbuf_addf(sb, "config: %zu file%s changed\n",
		    c->config_changed.nr, c->config_changed.nr == 1 ? "" : "s");
	for (i = 0; i < c->config_stat.nr; i++)
		strbuf_addf(sb, "  %s\n", c->config_stat.items[i]);
	for (i = 0; i < c->config_notes.nr; i++)
		strbuf_addf(sb, "  note: %s\n", c->config_notes.items[i]);
	if (c->migrations.nr == 0)
		strbuf_addstr(sb, "down commands: none\n");
	else if (ctx->set.migrate_down == NULL)
		strbuf_addstr(sb, "down commands: none configured "
		    "(rollback.migrateDownCommand)\n");
	else
		strbuf_addstr(sb, "down commands:\n");
	for (i = 0; ctx->set.migrate_down != NULL &&
	    i < c->migrations.nr; i++) {
		strbuf_addstr(sb, "  ");
		checklist_down_command(sb, &c->migrations.items[i],
		    ctx->set.migrate_down);
		strbuf_addch(sb, '\n');
	}
}

void
checklist_print(FILE *fp, const struct checklist *c, struct ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addf(&sb, "environment: %s\n", c->range.env);
	print_running(&sb, c, ctx);
	strbuf_addf(&sb, "commits: %zu\n", c->commit_ids.nr);
	for (i = 0; i < c->commit_ids.nr; i++)
		strbuf_addf(&sb, "  %.7s %s\n", c->commit_ids.items[i],
		    c->subjects.items[i]);
	print_migrations(&sb, c, ctx);
	if (c->blockers.nr == 0)
		strbuf_addstr(&sb, "blockers: none\n");
	else
		strbuf_addf(&sb, "blockers: %zu\n", c->blockers.nr);
	for (i = 0; i < c->blockers.nr; i++)
		strbuf_addf(&sb, "  %s\n", c->blockers.items[i]);
	fputs(sb.buf, fp);
	strbuf_release(&sb);
}

/* "running" or "target": {"schema":1,"tag":...,"version":...,"commit":...} */
static void
json_release_begin(struct json *j, struct ctx *ctx, const char *key,
    const struct release *r)
{
	json_object_begin(j, key);
	json_str(j, "tag", r->tag);
	json_version(j, "version", component_tag_version(ctx, r->tag));
	json_str(j, "commit", git_oid_tostr_s(&r->commit));
}

static void
json_migrations(struct json *j, const struct checklist *c, struct ctx *ctx)
{
	struct strbuf cmd = STRBUF_INIT;
	size_t i;

	json_array_begin(j, "migrations");
	for (i = 0; i < c->migrations.nr; i++) {
		const struct migration *m = &c->migrations.items[i];

		json_object_begin(j, NULL);
		json_str(j, "id", m->id);
		json_str(j, "migration_version", m->version && *m->version ?
		    m->version : NULL);
		json_str(j, "path", m->path);
		json_str(j, "tag", m->release);
		if (ctx->set.migrate_down != NULL) {
			strbuf_reset(&cmd);
			checklist_down_command(&cmd, m, ctx->set.migrate_down);
			json_str(j, "down_command", cmd.buf);
		} else
			json_null(j, "down_command");
		json_object_end(j);
	}
	json_array_end(j);
	json_strlist(j, "migrations_modified", &c->migrations_modified);
	strbuf_release(&cmd);
}

void
checklist_json(struct json *j, const struct checklist *c, struct ctx *ctx)
{
	const struct rollback_range *r = &c->range;
	size_t i;

	json_str(j, "env", r->env);
	json_str(j, "component", ctx->set.component ?
	    ctx->set.component->name : NULL);
	json_release_begin(j, ctx, "running", r->running);
	json_time(j, "deployed_at", r->running_logged ? r->running_time : -1);
	json_object_end(j);
	json_release_begin(j, ctx, "target", r->target);
	json_bool(j, "deployed", r->target_deployed);
	json_str(j, "bad", r->target_bad);
	json_object_end(j);
	json_array_begin(j, "commits");
	for (i = 0; i < c->commit_ids.nr; i++) {
		json_object_begin(j, NULL);
		json_str(j, "commit", c->commit_ids.items[i]);
		json_str(j, "subject", c->subjects.items[i]);
		json_object_end(j);
	}
	json_array_end(j);
	json_migrations(j, c, ctx);
	json_strlist(j, "config_changed", &c->config_changed);
	json_strlist(j, "config_stat", &c->config_stat);
	json_strlist(j, "config_notes", &c->config_notes);
	json_array_begin(j, "blockers");
	for (i = 0; i < c->blockers.nr; i++)
		json_reason(j, NULL, c->blocker_codes.items[i],
		    c->blockers.items[i]);
	json_array_end(j);
}
