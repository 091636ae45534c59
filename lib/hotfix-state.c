/*
 * The plan of a stopped hotfix finish, in the worktree's git dir, so
 * that --continue and --abort work from a new process: one "key value"
 * line each, values escaped as the journal's (journal_add_line).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "hotfix-merge.h"
#include "journal.h"
#include "banned.h"

void
hotfix_state_release(struct hotfix_state *st)
{
	free(st->branch);
	free(st->base);
	free(st->tag);
	free(st->into);
	free(st->head);
	free(st->remote);
	memset(st, 0, sizeof(*st));
}

char *
hotfix_git_file(struct ctx *ctx, const char *name)
{
	return xstrfmt("%s%s", git_repository_path(ctx->repo), name);
}

int
hotfix_state_write(struct ctx *ctx, const struct hotfix_state *st)
{
	struct strbuf sb = STRBUF_INIT;
	char tip[GIT_OID_HEXSZ + 1], orig[GIT_OID_HEXSZ + 1];
	char tag[GIT_OID_HEXSZ + 1];
	int rc;

	git_oid_tostr(tip, sizeof(tip), &st->tip);
	git_oid_tostr(orig, sizeof(orig), &st->orig);
	git_oid_tostr(tag, sizeof(tag), &st->tag_id);
	journal_add_line(&sb, "branch", st->branch);
	journal_add_line(&sb, "base", st->base);
	journal_add_line(&sb, "tag", st->tag);
	journal_add_line(&sb, "into", st->into);
	journal_add_line(&sb, "head", st->head);
	journal_add_line(&sb, "remote", st->remote);
	strbuf_addf(&sb, "tag-id %s\ntip %s\norig %s\nkeep %d\npush %d\n"
	    "made-tag %d\n", tag, tip, orig, st->keep, st->push,
	    st->made_tag);
	rc = repo_state_write(ctx, STATE_HOTFIX, "plan", &sb);
	strbuf_release(&sb);
	return rc;
}

int
hotfix_parse_oid(git_oid *out, const char *hex)
{
	return git_oid_fromstrn(out, hex, strlen(hex)) < 0 ||
	    strlen(hex) != GIT_OID_HEXSZ ? -1 : 0;
}

int
hotfix_state_parse(struct hotfix_state *out, char *text, const char *plan)
{
	char *cur, *line, *val;
	int bad = 0;

	for (cur = text; kv_next(&cur, &line, &val);) {
		if (strcmp(line, "branch") == 0)
			bad |= journal_set_value(&out->branch, val);
		else if (strcmp(line, "base") == 0)
			bad |= journal_set_value(&out->base, val);
		else if (strcmp(line, "tag") == 0)
			bad |= journal_set_value(&out->tag, val);
		else if (strcmp(line, "into") == 0)
			bad |= journal_set_value(&out->into, val);
		else if (strcmp(line, "head") == 0)
			bad |= journal_set_value(&out->head, val);
		else if (strcmp(line, "remote") == 0)
			bad |= journal_set_value(&out->remote, val);
		else if (strcmp(line, "tip") == 0)
			bad |= hotfix_parse_oid(&out->tip, val);
		else if (strcmp(line, "orig") == 0)
			bad |= hotfix_parse_oid(&out->orig, val);
		else if (strcmp(line, "tag-id") == 0)
			bad |= hotfix_parse_oid(&out->tag_id, val);
		else if (strcmp(line, "keep") == 0)
			out->keep = atoi(val);
		else if (strcmp(line, "push") == 0)
			out->push = atoi(val);
		else if (strcmp(line, "made-tag") == 0)
			out->made_tag = atoi(val);
	}
	if (bad || out->branch == NULL || out->tag == NULL ||
	    out->into == NULL || out->head == NULL || out->base == NULL ||
	    out->remote == NULL)
		return error_fatal("the hotfix state '%s' is damaged", plan);
	return 0;
}

int
hotfix_state_read(struct hotfix_state *out, struct ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	char *plan = repo_state_path(ctx, STATE_HOTFIX, "plan");
	int ret = -1;

	if (strbuf_read_file(&sb, plan) < 0) {
		ret = errno == ENOENT ? error("no hotfix finish is in progress")
		    : error_fatal("cannot read '%s': %s", plan,
		    strerror(errno));
		goto out;
	}
	ret = hotfix_state_parse(out, sb.buf, plan);
out:
	free(plan);
	strbuf_release(&sb);
	return ret;
}

void
hotfix_state_remove(struct ctx *ctx)
{
	repo_state_remove(ctx, STATE_HOTFIX, "plan");
}
