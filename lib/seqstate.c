/*
 * The state file of a stopped revert sequence (see sequencer.h): one
 * "key value" line each, values escaped as the journal's
 * (journal_add_line), written whole
 * to a temporary file and renamed into place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "sequencer.h"
#include "journal.h"
#include "banned.h"

void
seq_state_init(struct seq_state *st)
{
	memset(st, 0, sizeof(*st));
	st->opts = (struct revert_opts)REVERT_OPTS_INIT;
}

void
seq_state_release(struct seq_state *st)
{
	free(st->branch);
	free(st->command);
	free((char *)st->opts.reason);
	free((char *)st->opts.rollback_from);
	free((char *)st->opts.rollback_to);
	free((char *)st->opts.reflog);
	free((char *)st->opts.branch);
	revert_plan_release(&st->todo);
	free(st->done);
	seq_state_init(st);
}

static void
add_oid(struct strbuf *sb, const char *key, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	strbuf_addf(sb, "%s %s\n", key, hex);
}

static void
add_item(struct strbuf *sb, const char *key, const struct revert_item *it)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), &it->id);
	strbuf_addf(sb, "%s %s %u\n", key, hex, it->mainline);
}

int
seq_state_write(const struct seq_state *st, struct ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int rc;

	strbuf_addf(&sb, "phase %s\n",
	    st->phase == SEQ_STOPPED ? "stopped" : "write");
	journal_add_line(&sb, "branch", st->branch);
	journal_add_line(&sb, "command", st->command);
	add_oid(&sb, "orig", &st->orig);
	add_oid(&sb, "before", &st->before);
	add_oid(&sb, "tip", &st->tip);
	add_oid(&sb, "safety", &st->safety);
	add_oid(&sb, "start", &st->start_tree);
	add_oid(&sb, "ours", &st->ours_tree);
	if (st->has_current)
		add_item(&sb, "current", &st->current);
	for (i = 0; i < st->todo.nr; i++)
		add_item(&sb, "todo", &st->todo.items[i]);
	for (i = 0; i < st->done_nr; i++)
		add_oid(&sb, "done", &st->done[i]);
	strbuf_addf(&sb, "committed %zu\nskipped %zu\n", st->committed,
	    st->skipped);
	strbuf_addf(&sb, "squash %d\nquiet %d\nmainline %u\nrestore %d\n",
	    st->opts.squash, st->opts.quiet, st->opts.mainline,
	    st->opts.restore);
	journal_add_line(&sb, "reason", st->opts.reason);
	journal_add_line(&sb, "from", st->opts.rollback_from);
	journal_add_line(&sb, "to", st->opts.rollback_to);
	journal_add_line(&sb, "reflog", st->opts.reflog);
	rc = repo_state_write(ctx, STATE_DIR, SEQ_STATE_FILE, &sb);
	strbuf_release(&sb);
	return rc;
}

static int
parse_item(struct revert_item *it, const char *v)
{
	char *end;
	unsigned long m;

	if (strlen(v) < GIT_OID_HEXSZ || git_oid_fromstrn(&it->id, v,
	    GIT_OID_HEXSZ) < 0)
		return -1;
	m = strtoul(v + GIT_OID_HEXSZ, &end, 10);
	it->mainline = (unsigned int)m;
	return 0;
}

/* a key given twice: the last one counts, the first is not leaked */
static int
set_str(const char **field, const char *v)
{
	return journal_set_value((char **)field, v);
}

static int
parse_line(struct seq_state *st, const char *key, const char *v)
{
	struct revert_item it;
	git_oid id;

	if (!strcmp(key, "phase"))
		st->phase = !strcmp(v, "stopped") ? SEQ_STOPPED : SEQ_WRITE;
	else if (!strcmp(key, "branch"))
		return set_str((const char **)&st->branch, v);
	else if (!strcmp(key, "command"))
		return set_str((const char **)&st->command, v);
	else if (!strcmp(key, "orig"))
		return git_oid_fromstr(&st->orig, v);
	else if (!strcmp(key, "before"))
		return git_oid_fromstr(&st->before, v);
	else if (!strcmp(key, "tip"))
		return git_oid_fromstr(&st->tip, v);
	else if (!strcmp(key, "safety"))
		return git_oid_fromstr(&st->safety, v);
	else if (!strcmp(key, "start"))
		return git_oid_fromstr(&st->start_tree, v);
	else if (!strcmp(key, "ours"))
		return git_oid_fromstr(&st->ours_tree, v);
	else if (!strcmp(key, "current")) {
		st->has_current = 1;
		return parse_item(&st->current, v);
	} else if (!strcmp(key, "todo")) {
		if (parse_item(&it, v) < 0)
			return -1;
		ALLOC_GROW(st->todo.items, st->todo.nr, st->todo.alloc);
		st->todo.items[st->todo.nr++] = it;
	} else if (!strcmp(key, "done")) {
		if (git_oid_fromstr(&id, v) < 0)
			return -1;
		ALLOC_GROW(st->done, st->done_nr, st->done_alloc);
		st->done[st->done_nr++] = id;
	} else if (!strcmp(key, "committed"))
		st->committed = strtoul(v, NULL, 10);
	else if (!strcmp(key, "skipped"))
		st->skipped = strtoul(v, NULL, 10);
	else if (!strcmp(key, "squash"))
		st->opts.squash = atoi(v);
	else if (!strcmp(key, "quiet"))
		st->opts.quiet = atoi(v);
	else if (!strcmp(key, "restore"))
		st->opts.restore = atoi(v);
	else if (!strcmp(key, "mainline"))
		st->opts.mainline = (unsigned int)strtoul(v, NULL, 10);
	else if (!strcmp(key, "reason"))
		return set_str(&st->opts.reason, v);
	else if (!strcmp(key, "from"))
		return set_str(&st->opts.rollback_from, v);
	else if (!strcmp(key, "to"))
		return set_str(&st->opts.rollback_to, v);
	else if (!strcmp(key, "reflog"))
		return set_str(&st->opts.reflog, v);
	return 0;
}

int
seq_state_parse(struct seq_state *st, char *text, const char *path)
{
	char *cur, *key, *val;

	seq_state_init(st);
	for (cur = text; kv_next(&cur, &key, &val);)
		if (parse_line(st, key, val) < 0)
			return error_fatal("'%s' is corrupt (%s)", path, key);
	if (st->branch == NULL || st->phase == 0)
		return error_fatal("'%s' is corrupt", path);
	return 0;
}

int
seq_state_read(struct seq_state *st, struct ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = journal_file_path(ctx, SEQ_STATE_FILE);
	int rc = 0;

	seq_state_init(st);
	if (strbuf_read_file(&sb, path) < 0) {
		rc = errno == ENOENT ? 1 :
		    error_fatal("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	rc = seq_state_parse(st, sb.buf, path);
out:
	free(path);
	strbuf_release(&sb);
	return rc;
}

/* the state file last, so that a crash leaves a state to recover from */
void
seq_state_remove(struct ctx *ctx)
{
	repo_state_remove(ctx, STATE_DIR, SEQ_STATE_FILE);
}

void
seq_git_state_remove(struct ctx *ctx, const git_oid *id)
{
	struct strbuf sb = STRBUF_INIT;
	char *rh = xstrfmt("%sREVERT_HEAD", git_repository_path(ctx->repo));
	char *mm = xstrfmt("%sMERGE_MSG", git_repository_path(ctx->repo));
	git_oid cur;

	if (strbuf_read_file(&sb, rh) == 0 && sb.len >= GIT_OID_HEXSZ &&
	    git_oid_fromstrn(&cur, sb.buf, GIT_OID_HEXSZ) == 0 &&
	    (id == NULL || git_oid_equal(&cur, id))) {
		unlink(mm);
		unlink(rh);
	}
	free(rh);
	free(mm);
	strbuf_release(&sb);
}
