/*
 * The revert engine: every revert computed in memory (treemerge, with
 * libgit2's full merge only where it cannot decide), then one write
 * phase: the state file, one checkout of the changed paths, one
 * compare-and-swap of the branch, and on a conflict the markers,
 * REVERT_HEAD and MERGE_MSG.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "component.h"
#include "journal.h"
#include "plan.h"
#include "progress.h"
#include "revert.h"
#include "sequencer.h"
#include "treemerge.h"
#include "banned.h"

void
revert_test_kill(const char *step)
{
	const char *want = getenv("GIT_ROLLBACK_TEST_KILL");

	if (want != NULL && strcmp(want, step) == 0)
		kill(getpid(), SIGKILL);
}

static void
abbrev(char *buf, size_t len, const git_oid *id)
{
	git_oid_tostr(buf, len < 8 ? len : 8, id);
}

int
engine_revert_one(git_oid *tree_out, git_index **conflict,
    git_repository *repo, const struct revert_item *item, const git_oid *ours)
{
	git_merge_options mo = GIT_MERGE_OPTIONS_INIT;
	git_commit *c = NULL, *parent = NULL;
	git_tree *tb = NULL, *to = NULL, *tt = NULL;
	git_treebuilder *empty = NULL;
	git_index *idx = NULL;
	const git_oid *theirs = NULL;
	git_oid empty_id;
	int rc;

	*conflict = NULL;
	if ((rc = git_commit_lookup(&c, repo, &item->id)) < 0)
		goto out;
	if (git_commit_parentcount(c) > 0) {
		rc = git_commit_parent(&parent, c,
		    item->mainline ? item->mainline - 1 : 0);
		if (rc < 0)
			goto out;
		theirs = git_commit_tree_id(parent);
	}
	rc = treemerge(tree_out, repo, git_commit_tree_id(c), ours, theirs);
	if (rc != TREEMERGE_UNSURE)
		goto out;
	/* what treemerge cannot decide exactly: libgit2's full merge */
	if (theirs == NULL) {
		if ((rc = git_treebuilder_new(&empty, repo, NULL)) < 0 ||
		    (rc = git_treebuilder_write(&empty_id, empty)) < 0)
			goto out;
		theirs = &empty_id;
	}
	if ((rc = git_tree_lookup(&tb, repo, git_commit_tree_id(c))) < 0 ||
	    (rc = git_tree_lookup(&to, repo, ours)) < 0 ||
	    (rc = git_tree_lookup(&tt, repo, theirs)) < 0 ||
	    (rc = git_merge_trees(&idx, repo, tb, to, tt, &mo)) < 0)
		goto out;
	if (git_index_has_conflicts(idx)) {
		*conflict = idx;
		idx = NULL;
		rc = 1;
		goto out;
	}
	rc = git_index_write_tree_to(tree_out, idx, repo);
out:
	git_index_free(idx);
	git_treebuilder_free(empty);
	git_tree_free(tb);
	git_tree_free(to);
	git_tree_free(tt);
	git_commit_free(parent);
	git_commit_free(c);
	return rc;
}

static int
make_commit(git_oid *out, struct ctx *ctx, const git_oid *parent_id,
    const git_oid *tree_id, const char *message)
{
	const git_signature *author, *committer;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	int rc;

	if ((rc = ctx_author(&author, ctx)) < 0 ||
	    (rc = ctx_committer(&committer, ctx)) < 0)
		return rc;
	if (git_commit_lookup(&parent, ctx->repo, parent_id) < 0 ||
	    git_tree_lookup(&tree, ctx->repo, tree_id) < 0 ||
	    git_commit_create(out, ctx->repo, NULL, author, committer, NULL,
	    message, tree, 1, (const git_commit **)&parent) < 0)
		rc = error_git(E_FATAL, "cannot create the revert commit");
	git_tree_free(tree);
	git_commit_free(parent);
	return rc;
}

/* the message of one revert commit */
int
engine_item_message(struct strbuf *out, git_repository *repo,
    const struct revert_item *item, const struct revert_opts *opts)
{
	git_commit *c = NULL;

	git_commit *orig = NULL;
	git_oid orig_id, parent_id;
	int has_parent;

	if (git_commit_lookup(&c, repo, &item->id) < 0)
		return error_git(E_FATAL, "cannot read a commit");
	if (opts->restore && revert_parse_reverted(&orig_id, &parent_id,
	    &has_parent, git_commit_message(c)) == 0 &&
	    git_commit_lookup(&orig, repo, &orig_id) == 0)
		revert_reapply_message(out, git_commit_message(orig),
		    &item->id, opts);
	else
		revert_message(out, git_commit_message(c), &item->id,
		    item->mainline ?
		    git_commit_parent_id(c, item->mainline - 1) : NULL, opts);
	git_commit_free(orig);
	git_commit_free(c);
	return 0;
}

static int
squash_commit(git_oid *out, struct ctx *ctx, struct seq_state *st,
    const git_oid *tip, const git_oid *tree)
{
	struct strbuf msg = STRBUF_INIT;
	const char **messages = NULL;
	git_commit **commits = NULL;
	size_t i;
	int rc = 0;

	if (st->done_nr == 1) {
		struct revert_item item = { st->done[0], 0 };
		git_commit *c = NULL;

		/* a merge reverted alone keeps git's merge wording */
		if (git_commit_lookup(&c, ctx->repo, &item.id) == 0 &&
		    git_commit_parentcount(c) > 1)
			item.mainline = st->opts.mainline ?
			    st->opts.mainline : 1;
		git_commit_free(c);
		rc = engine_item_message(&msg, ctx->repo, &item, &st->opts);
	} else {
		commits = xcalloc(st->done_nr, sizeof(*commits));
		messages = xcalloc(st->done_nr, sizeof(*messages));
		for (i = 0; i < st->done_nr && rc == 0; i++) {
			if (git_commit_lookup(&commits[i], ctx->repo,
			    &st->done[i]) < 0)
				rc = error_git(E_FATAL, "cannot read a commit");
			else
				messages[i] = git_commit_message(commits[i]);
		}
		if (rc == 0)
			revert_squash_message(&msg, st->done_nr, st->done,
			    messages, &st->opts);
	}
	if (rc == 0)
		rc = make_commit(out, ctx, tip, tree, msg.buf);
	for (i = 0; commits != NULL && i < st->done_nr; i++)
		git_commit_free(commits[i]);
	free(commits);
	free(messages);
	strbuf_release(&msg);
	return rc;
}

static int
report_skip(git_repository *repo, const struct revert_item *item,
    const struct revert_opts *opts)
{
	struct strbuf subject = STRBUF_INIT;
	git_commit *c = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	if (git_commit_lookup(&c, repo, &item->id) < 0)
		return error_git(E_FATAL, "cannot read a commit");
	revert_subject_line(&subject, git_commit_message(c));
	abbrev(hex, sizeof(hex), &item->id);
	if (!opts->quiet)
		printf("%s %s %s: reverting it changes nothing\n",
		    opts->dry_run ? "would skip" : "skipped", hex, subject.buf);
	strbuf_release(&subject);
	git_commit_free(c);
	return 0;
}

/* what a dry run found, computed in memory and about to be dropped */
static int
dry_run_outcome(struct ctx *ctx, struct seq_state *st)
{
	char old[GIT_OID_HEXSZ + 1];

	(void)ctx;
	git_oid_tostr(old, sizeof(old), &st->before);
	if (st->has_current) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, 8, &st->current.id);
		printf("would stop at %s: its revert conflicts\n", hex);
	}
	if (git_oid_equal(&st->tip, &st->before))
		printf("would leave %s at %.7s\n", st->branch, old);
	else
		printf("would update %s %.7s -> a new tip (%zu revert "
		    "commit%s)\n", st->branch, old, st->committed,
		    st->committed == 1 ? "" : "s");
	return 0;
}

/*
 * Revert plan's items onto tip (whose tree, or the squash so far, is
 * tree), in memory; then write (engine_apply), or with in_memory only
 * move the branch.
 */
int
engine_run(struct revert_result *out, struct ctx *ctx, struct seq_state *st,
    const git_oid *tip, const git_oid *tree, const struct revert_plan *plan,
    int in_memory)
{
	struct strbuf msg = STRBUF_INIT;
	struct progress pr = PROGRESS_INIT;
	git_index *conflict = NULL;
	git_oid cur_tip = *tip, cur_tree = *tree, new_tree;
	size_t i;
	int rc = 0;

	st->start_tree = *tree;
	st->has_current = 0;
	if ((rc = engine_objects_hold(st, ctx)) < 0)
		goto out;
	progress_start(&pr, "Reverting commits", plan->nr,
	    !st->opts.quiet && !err_quiet());
	for (i = 0; i < plan->nr; i++) {
		const struct revert_item *item = &plan->items[i];

		progress_update(&pr, i);
		rc = engine_revert_one(&new_tree, &conflict, ctx->repo, item,
		    &cur_tree);
		if (rc < 0) {
			rc = error_git(E_FATAL, "cannot revert a commit");
			goto out;
		}
		if (rc == 1) {
			st->has_current = 1;
			st->current = *item;
			for (i++; i < plan->nr; i++) {
				ALLOC_GROW(st->todo.items, st->todo.nr,
				    st->todo.alloc);
				st->todo.items[st->todo.nr++] = plan->items[i];
			}
			break;
		}
		if (git_oid_equal(&new_tree, &cur_tree)) {
			st->skipped++;
			if ((rc = report_skip(ctx->repo, item, &st->opts)) < 0)
				goto out;
			continue;
		}
		cur_tree = new_tree;
		if (st->opts.squash) {
			ALLOC_GROW(st->done, st->done_nr, st->done_alloc);
			st->done[st->done_nr++] = item->id;
			continue;
		}
		strbuf_reset(&msg);
		if ((rc = engine_item_message(&msg, ctx->repo, item,
		    &st->opts)) < 0 ||
		    (rc = make_commit(&cur_tip, ctx, &cur_tip, &cur_tree,
		    msg.buf)) < 0)
			goto out;
		st->committed++;
	}
	progress_update(&pr, i);
	progress_stop(&pr);
	rc = 0;
	if (st->opts.squash && !st->has_current && st->done_nr > 0) {
		git_commit *c = NULL;

		if (git_commit_lookup(&c, ctx->repo, &cur_tip) < 0) {
			rc = error_git(E_FATAL, "cannot read a commit");
			goto out;
		}
		/* the squash changes something only if its tree differs */
		if (!git_oid_equal(git_commit_tree_id(c), &cur_tree)) {
			rc = squash_commit(&cur_tip, ctx, st, &cur_tip,
			    &cur_tree);
			st->committed = 1;
		}
		git_commit_free(c);
		if (rc < 0)
			goto out;
	}
	st->tip = cur_tip;
	st->ours_tree = cur_tree;
	if (st->opts.dry_run) {
		rc = dry_run_outcome(ctx, st);
		engine_objects_drop(st);
		goto out;
	}
	if (in_memory) {
		if (st->has_current) {
			char hex[GIT_OID_HEXSZ + 1];
			const char *b = st->branch;

			abbrev(hex, sizeof(hex), &st->current.id);
			if (strncmp(b, "refs/heads/", 11) == 0)
				b += 11;
			rc = error("reverting %s on '%s' conflicts; nothing "
			    "was changed", hex, b);
			hint("check '%s' out and run the command again to "
			    "resolve the conflict in its worktree", b);
			goto out;
		}
	}
	rc = engine_apply(out, ctx, st, in_memory ? APPLY_MEMORY :
	    APPLY_WORKTREE);
out:
	progress_stop(&pr);
	if (engine_objects_release(st, ctx->repo) < 0 && rc == 0)
		rc = E_FATAL;
	git_index_free(conflict);
	strbuf_release(&msg);
	return rc;
}

static char *
xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* the branch to work on and whether this worktree has it checked out */
static int
resolve_branch(char **out, int *checked_out, struct ctx *ctx,
    const char *branch)
{
	git_reference *ref = NULL;
	char *head = repo_head_branch(ctx);
	int rc = 0;

	*out = NULL;
	if (branch == NULL && head == NULL)
		return error("HEAD is detached; check out the branch to "
		    "revert on");
	*out = xstrdup(branch ? branch : head);
	if (git_reference_lookup(&ref, ctx->repo, *out) < 0 ||
	    git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
		git_error_clear();
		rc = error_fatal("branch '%s' not found", *out);
		goto out;
	}
	*checked_out = head != NULL && strcmp(head, *out) == 0 &&
	    !git_repository_is_bare(ctx->repo);
	if (!*checked_out && git_branch_is_checked_out(ref) == 1) {
		rc = error("'%s' is checked out in another worktree; run "
		    "the command there", *out);
		goto out;
	}
out:
	git_reference_free(ref);
	free(head);
	return rc;
}

/* a crash between removing the last state file and its directory */
static void
drop_empty_state_dir(struct ctx *ctx)
{
	char *dir = journal_file_path(ctx, NULL);

	rmdir(dir);	/* only when empty */
	free(dir);
}

int
revert_run(struct revert_result *out, struct ctx *ctx,
    const struct revert_plan *plan, const struct revert_opts *opts)
{
	struct seq_state st;
	struct plan p = PLAN_INIT;
	struct journal j = JOURNAL_INIT;
	git_reference *ref = NULL;
	git_commit *tip = NULL;
	char *branch = NULL;
	int checked_out = 0, own = 0, rc;

	seq_state_init(&st);
	memset(out, 0, sizeof(*out));
	if ((rc = resolve_branch(&branch, &checked_out, ctx,
	    opts->branch)) < 0)
		goto out;
	if (git_reference_lookup(&ref, ctx->repo, branch) < 0 ||
	    git_commit_lookup(&tip, ctx->repo, git_reference_target(ref)) < 0) {
		rc = error_git(E_FATAL, "cannot read '%s'", branch);
		goto out;
	}
	if (!opts->dry_run)
		drop_empty_state_dir(ctx);
	if ((rc = repo_require_no_operation(ctx, "revert")) < 0 ||
	    (checked_out && (rc = repo_require_clean(ctx, "revert")) < 0))
		goto out;
	st.clean = checked_out;
	if (opts->dry_run && (rc = revert_dry_run(ctx, branch,
	    git_commit_id(tip), plan, opts, checked_out)) < 0)
		goto out;
	/* the JSON is the plan: the outcome foreseen is the text's */
	if (opts->dry_run && opts->json)
		goto out;
	if (!opts->dry_run && (rc = repo_lock(ctx)) < 0)
		goto out;
	st.branch = branch;
	branch = NULL;
	st.command = xstrdup(opts->restore ? "git rollback restore" :
	    opts->rollback_from ? "git rollback" : "git rollback revert");
	st.orig = st.before = *git_commit_id(tip);
	st.opts = *opts;
	st.opts.branch = NULL;
	st.opts.reason = xstrdup_or_null(opts->reason);
	st.opts.rollback_from = xstrdup_or_null(opts->rollback_from);
	st.opts.rollback_to = xstrdup_or_null(opts->rollback_to);
	st.opts.reflog = xstrdup_or_null(opts->reflog);
	/* a revert of its own: its journal first (a rollback's has one) */
	if (!opts->dry_run && !ctx->journal_active) {
		revert_journal_plan(&p, ctx, st.branch, &st.orig, plan, opts);
		if ((rc = journal_begin(&j, ctx, &p)) < 0)
			goto out;
		own = 1;
	}
	rc = engine_run(out, ctx, &st, git_commit_id(tip),
	    git_commit_tree_id(tip), plan, !checked_out);
	if (own)
		rc = revert_journal_end(&j, ctx, out, rc);
out:
	journal_release(&j);
	plan_release(&p);
	seq_state_release(&st);
	git_commit_free(tip);
	git_reference_free(ref);
	free(branch);
	return rc;
}

/* a component's rollback reverts its own commits only */
static int
keep_component(struct revert_plan *plan, struct ctx *ctx)
{
	git_commit *c = NULL;
	size_t i, kept = 0;
	int mine, rc = 0;

	if (ctx->set.component == NULL)
		return 0;
	for (i = 0; i < plan->nr; i++) {
		if (git_commit_lookup(&c, ctx->repo, &plan->items[i].id) < 0)
			return error_git(E_FATAL, "cannot read commit %s",
			    git_oid_tostr_s(&plan->items[i].id));
		rc = component_touches(&mine, ctx, c);
		git_commit_free(c);
		if (rc < 0)
			return rc;
		if (mine)
			plan->items[kept++] = plan->items[i];
	}
	plan->nr = kept;
	return 0;
}

int
revert_rollback(struct revert_result *out, struct ctx *ctx,
    const git_oid *target, const git_oid *running,
    const struct revert_opts *opts)
{
	struct revert_plan plan = REVERT_PLAN_INIT;
	struct revert_opts o = *opts;
	int rc;

	o.first_parent = 1;
	o.mainline = 1;
	memset(out, 0, sizeof(*out));
	if ((rc = revert_plan_rollback(&plan, ctx->repo, target,
	    running)) == 0 && (rc = keep_component(&plan, ctx)) == 0)
		rc = revert_run(out, ctx, &plan, &o);
	revert_plan_release(&plan);
	return rc;
}

void
revert_result_release(struct revert_result *r)
{
	free(r->branch);
	free(r->undo);
	r->branch = r->undo = NULL;
}
