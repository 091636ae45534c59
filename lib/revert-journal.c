/*
 * A revert or a restore of its own (not a rollback's) is the journal,
 * op "revert" or "restore": one revert step written before the first
 * write, its progress (the todo list) in the sequencer's state file
 * beside the journal.  The step is marked stopped on a conflict and
 * done when the sequence ends; then the journal and the state go.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "journal.h"
#include "revert.h"
#include "sequencer.h"
#include "banned.h"

static void
add_oid(struct plan_attrs *a, const char *key, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	plan_add_attr(a, key, hex);
}

void
revert_journal_plan(struct plan *p, struct ctx *ctx, const char *branch,
    const git_oid *tip, const struct revert_plan *plan,
    const struct revert_opts *opts)
{
	const char *op = opts->restore ? "restore" : "revert";
	const char *b = strncmp(branch, "refs/heads/", 11) == 0 ?
	    branch + 11 : branch;
	struct plan_step *s;
	size_t i;

	plan_begin(p, op, ctx->cmdline);
	plan_set(&p->attrs, "branch", branch);
	s = plan_add(p, PLAN_REVERT);
	plan_setf(&s->attrs, "what", "%s %zu commit%s on %s%s", op, plan->nr,
	    plan->nr == 1 ? "" : "s", b, opts->squash ? " as one commit" : "");
	plan_set(&s->attrs, "ref", branch);
	add_oid(&s->attrs, "old", tip);
	/* what --continue needs to run it again when it never wrote */
	for (i = 0; i < plan->nr; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &plan->items[i].id);
		if (plan->items[i].mainline) {
			char *v = xstrfmt("%s %u", hex,
			    plan->items[i].mainline);

			plan_add_attr(&s->attrs, "commit", v);
			free(v);
		} else
			plan_add_attr(&s->attrs, "commit", hex);
	}
	if (opts->reason != NULL)
		plan_set(&s->attrs, "reason", opts->reason);
	plan_set(&s->attrs, "squash", opts->squash ? "1" : "0");
	plan_setf(&s->attrs, "mainline", "%u", opts->mainline);
}

/* the revert again from the journal's step, as it was asked */
static int
rerun(struct revert_result *out, struct ctx *ctx, struct journal *j)
{
	const struct plan_attrs *a = &j->plan->steps[0].attrs;
	struct revert_opts ro = REVERT_OPTS_INIT;
	struct revert_plan plan = REVERT_PLAN_INIT;
	struct strlist l = STRLIST_INIT;
	const char *v;
	size_t i;
	int rc = 0;

	ro.branch = plan_get(a, "ref");
	ro.reason = plan_get(a, "reason");
	ro.squash = (v = plan_get(a, "squash")) != NULL && !strcmp(v, "1");
	ro.mainline = (v = plan_get(a, "mainline")) != NULL ?
	    (unsigned int)strtoul(v, NULL, 10) : 0;
	ro.restore = strcmp(j->plan->op, "restore") == 0;
	plan_get_all(&l, a, "commit");
	for (i = 0; i < l.nr && rc == 0; i++) {
		struct revert_item it;

		memset(&it, 0, sizeof(it));
		if (strlen(l.items[i]) < GIT_OID_HEXSZ || git_oid_fromstrn(&it.id,
		    l.items[i], GIT_OID_HEXSZ) < 0) {
			rc = error_fatal("the journal's revert step is "
			    "malformed");
			break;
		}
		it.mainline = (unsigned int)strtoul(l.items[i] +
		    GIT_OID_HEXSZ, NULL, 10);
		ALLOC_GROW(plan.items, plan.nr, plan.alloc);
		plan.items[plan.nr++] = it;
	}
	strlist_release(&l);
	if (rc == 0 && plan.nr == 0)
		rc = error_fatal("the journal's revert step names no commit");
	if (rc == 0) {
		info("the %s had not begun: running it", j->plan->op);
		rc = revert_journal_end(j, ctx, out, revert_run(out, ctx,
		    &plan, &ro));
	}
	revert_plan_release(&plan);
	return rc;
}

int
revert_journal_end(struct journal *j, struct ctx *ctx,
    const struct revert_result *res, int rc)
{
	int wrc;

	if (res->stopped)
		return (wrc = journal_mark(j, 0, PLAN_STOPPED)) < 0 ? wrc : rc;
	if (rc < 0) {
		/* cut short while writing: the state says how to go on */
		if (!sequencer_in_progress(ctx))
			journal_remove(j);
		return rc;
	}
	if (!git_oid_is_zero(&res->new_tip))
		plan_set_oid(&j->plan->steps[0].attrs, "new", &res->new_tip);
	if ((wrc = journal_mark(j, 0, PLAN_DONE)) < 0)
		return wrc;
	journal_remove(j);
	return 0;
}

/*
 * --continue, --skip, --abort with a revert's journal whose sequence
 * left no state: it never wrote (killed before), or it ended (killed
 * before its journal went).  Which one the branch says.
 */
static int
no_sequence(struct revert_result *out, struct journal *j, struct ctx *ctx,
    int abort)
{
	struct plan_step *s = &j->plan->steps[0];
	const char *ref = plan_get(&s->attrs, "ref");
	git_oid old, cur;
	int rc;

	if (ref == NULL || !plan_get_oid(&old, &s->attrs, "old"))
		return error_fatal("the journal's revert step names no branch");
	if (git_reference_name_to_id(&cur, ctx->repo, ref) < 0)
		return error_git(E_FATAL, "cannot read '%s'", ref);
	if (abort && !git_oid_equal(&cur, &old) &&
	    (rc = sequencer_abort_ended(ctx, ref, &old, &cur)) < 0)
		return rc;
	/* never begun: --continue runs it, --abort has nothing to undo */
	if (!abort && git_oid_equal(&cur, &old))
		return rerun(out, ctx, j);
	journal_remove(j);
	if (!abort)
		info("the %s had ended", j->plan->op);
	else if (git_oid_equal(&cur, &old))
		info("nothing of the %s was done", j->plan->op);
	return 0;
}

int
revert_journal_finish(struct revert_result *out, struct ctx *ctx,
    struct journal *j, int mode)
{
	int rc;

	if (j->plan->nr != 1 || j->plan->steps[0].kind != PLAN_REVERT)
		return error_fatal("the journal of the %s has no revert step",
		    j->plan->op);
	if (!sequencer_in_progress(ctx)) {
		if (mode == REVERT_SKIP) {
			error("there is no conflict to skip");
			return E_REFUSED;
		}
		return no_sequence(out, j, ctx, mode == REVERT_ABORT);
	}
	if (mode == REVERT_ABORT) {
		if ((rc = sequencer_abort(ctx)) < 0)
			return rc;
		journal_remove(j);
		return 0;
	}
	rc = mode == REVERT_CONTINUE ? sequencer_continue(out, ctx) :
	    sequencer_skip(out, ctx);
	return revert_journal_end(j, ctx, out, rc);
}

int
revert_dry_run(struct ctx *ctx, const char *branch, const git_oid *tip,
    const struct revert_plan *plan, const struct revert_opts *opts,
    int checked_out)
{
	struct plan p = PLAN_INIT;
	struct strbuf sb = STRBUF_INIT, subject = STRBUF_INIT;
	struct plan_step *s;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int rc = 0;

	revert_journal_plan(&p, ctx, branch, tip, plan, opts);
	s = &p.steps[0];
	if (!checked_out)
		plan_add_attr(&s->attrs, "note", "in memory (not checked out "
		    "here)");
	for (i = 0; i < plan->nr; i++) {
		git_commit *c = NULL;

		if (git_commit_lookup(&c, ctx->repo, &plan->items[i].id) < 0) {
			rc = error_git(E_FATAL, "cannot read a commit");
			goto out;
		}
		git_oid_tostr(hex, 8, git_commit_id(c));
		strbuf_reset(&subject);
		revert_subject_line(&subject, git_commit_message(c));
		strbuf_reset(&sb);
		strbuf_addf(&sb, "revert %s %s", hex, subject.buf);
		if (plan->items[i].mainline)
			strbuf_addf(&sb, " (merge, against parent %u)",
			    plan->items[i].mainline);
		plan_add_attr(&s->attrs, "note", sb.buf);
		git_commit_free(c);
	}
	/* what the run's own undo line would be */
	git_oid_tostr(hex, sizeof(hex), tip);
	strbuf_reset(&sb);
	if (checked_out)
		strbuf_addf(&sb, "git reset --keep %s", hex);
	else {
		strbuf_addstr(&sb, "git update-ref ");
		strbuf_add_shquoted(&sb, branch);
		strbuf_addf(&sb, " %s", hex);
	}
	plan_set(&p.attrs, "undo", sb.buf);
	/* a rollback's revert: the rollback printed its plan, the list */
	if (opts->rollback_from != NULL)
		for (i = 0; i < s->attrs.nr; i++) {
			if (strcmp(s->attrs.items[i].key, "note") == 0)
				printf("%s\n", s->attrs.items[i].value);
		}
	else
		plan_print_dry_run(stdout, &p, opts->json);
out:
	strbuf_release(&sb);
	strbuf_release(&subject);
	plan_release(&p);
	return rc;
}
