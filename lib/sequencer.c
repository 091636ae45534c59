/*
 * git rollback --continue | --skip | --abort: finishing or undoing a
 * revert sequence that stopped on a conflict or was killed, from a new
 * process, with nothing but the state file, REVERT_HEAD and the
 * repository to go on.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "revert.h"
#include "journal.h"
#include "sequencer.h"
#include "treediff.h"
#include "banned.h"

int
sequencer_in_progress(struct ctx *ctx)
{
	char *path = journal_file_path(ctx, SEQ_STATE_FILE);
	int rc = access(path, F_OK) == 0;

	free(path);
	return rc;
}

static void short_branch(struct strbuf *out, const char *ref);

static int
load(struct seq_state *st, struct ctx *ctx, const char *what)
{
	char *head;
	int rc;

	if ((rc = repo_require_worktree(ctx, what)) < 0)
		return rc;
	if ((rc = seq_state_read(st, ctx)) == 1) {
		error("no rollback revert in progress");
		return E_REFUSED;
	}
	if (rc < 0)
		return rc;
	head = repo_head_branch(ctx);
	if (head == NULL || strcmp(head, st->branch) != 0) {
		struct strbuf b = STRBUF_INIT;

		short_branch(&b, st->branch);
		rc = error("the stopped revert is on '%s', which is not "
		    "checked out", b.buf);
		hint("run \"git switch %s\" first", b.buf);
		strbuf_release(&b);
	}
	free(head);
	return rc < 0 ? rc : repo_lock(ctx);
}

static int
branch_tip(git_oid *out, struct ctx *ctx, const char *branch)
{
	git_reference *ref = NULL;

	if (git_reference_lookup(&ref, ctx->repo, branch) < 0 ||
	    git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
		git_reference_free(ref);
		return error_git(E_FATAL, "cannot read '%s'", branch);
	}
	*out = *git_reference_target(ref);
	git_reference_free(ref);
	return 0;
}

static int
commit_tree_id(git_oid *out, git_repository *repo, const git_oid *commit)
{
	git_commit *c = NULL;

	if (git_commit_lookup(&c, repo, commit) < 0)
		return error_git(E_FATAL, "cannot read a commit");
	*out = *git_commit_tree_id(c);
	git_commit_free(c);
	return 0;
}

static int
revert_head(git_oid *out, struct ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = xstrfmt("%sREVERT_HEAD", git_repository_path(ctx->repo));
	int rc = 0;

	if (strbuf_read_file(&sb, path) == 0 && sb.len >= GIT_OID_HEXSZ &&
	    git_oid_fromstrn(out, sb.buf, GIT_OID_HEXSZ) == 0)
		rc = 1;
	free(path);
	strbuf_release(&sb);
	return rc;
}

static void
short_branch(struct strbuf *out, const char *ref)
{
	strbuf_addstr(out, strncmp(ref, "refs/heads/", 11) == 0 ?
	    ref + 11 : ref);
}

static int
moved_error(struct seq_state *st, const git_oid *cur)
{
	struct strbuf b = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], orig[GIT_OID_HEXSZ + 1];

	short_branch(&b, st->branch);
	git_oid_tostr(hex, sizeof(hex), cur);
	git_oid_tostr(orig, sizeof(orig), &st->orig);
	error("'%s' has moved since the revert stopped (it is at %.7s)",
	    b.buf, hex);
	hint("commits made since then would be lost; to drop them anyway,");
	hint("run \"git reset --keep %s\", then \"git rollback --abort\"",
	    orig);
	strbuf_release(&b);
	return E_REFUSED;
}

/* refuse unresolved conflicts and changes not added to the index */
static int
require_resolved(struct ctx *ctx, git_index *idx)
{
	git_status_options so = GIT_STATUS_OPTIONS_INIT;
	git_status_list *list = NULL;
	size_t i, n;
	int rc = 0;

	if (git_index_has_conflicts(idx)) {
		git_index_conflict_iterator *it = NULL;
		const git_index_entry *a, *o, *t;

		error("cannot continue: you have unmerged paths");
		if (git_index_conflict_iterator_new(&it, idx) == 0)
			while (git_index_conflict_next(&a, &o, &t, it) == 0)
				fprintf(stderr, "\t%s\n",
				    (o ? o : t ? t : a)->path);
		git_index_conflict_iterator_free(it);
		hint("fix them, mark them with \"git add/rm <pathspec>\", "
		    "then run \"git rollback --continue\"");
		return E_REFUSED;
	}
	so.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, ctx->repo, &so) < 0)
		return error_git(E_FATAL, "cannot read the status");
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++)
		if (git_status_byindex(list, i)->status &
		    (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_DELETED |
		    GIT_STATUS_WT_TYPECHANGE))
			rc = E_REFUSED;
	git_status_list_free(list);
	if (rc < 0) {
		error("cannot continue: you have changes not added to the "
		    "index");
		hint("\"git add\" what belongs to the resolution, stash the "
		    "rest, then run \"git rollback --continue\"");
	}
	return rc;
}

/* the user's resolution, from MERGE_MSG when there is one */
static int
resolution_message(struct strbuf *out, struct ctx *ctx, struct seq_state *st)
{
	struct strbuf raw = STRBUF_INIT;
	git_buf clean = { 0 };
	char *path = xstrfmt("%sMERGE_MSG", git_repository_path(ctx->repo));
	int rc = 0;

	if (strbuf_read_file(&raw, path) == 0 &&
	    git_message_prettify(&clean, raw.buf, 1, '#') == 0 &&
	    clean.size > 0)
		strbuf_add(out, clean.ptr, clean.size);
	else
		rc = engine_item_message(out, ctx->repo, &st->current,
		    &st->opts);
	git_buf_dispose(&clean);
	strbuf_release(&raw);
	free(path);
	return rc;
}

static int
commit_resolution(git_oid *tip, struct ctx *ctx, struct seq_state *st,
    const git_oid *tree)
{
	const git_signature *author, *committer;
	struct strbuf msg = STRBUF_INIT;
	git_commit *parent = NULL;
	git_tree *t = NULL;
	int rc;

	if ((rc = ctx_author(&author, ctx)) < 0 ||
	    (rc = ctx_committer(&committer, ctx)) < 0 ||
	    (rc = resolution_message(&msg, ctx, st)) < 0)
		goto out;
	if (git_commit_lookup(&parent, ctx->repo, tip) < 0 ||
	    git_tree_lookup(&t, ctx->repo, tree) < 0 ||
	    git_commit_create(tip, ctx->repo, NULL, author, committer, NULL,
	    msg.buf, t, 1, (const git_commit **)&parent) < 0)
		rc = error_git(E_FATAL, "cannot commit the resolution");
out:
	git_tree_free(t);
	git_commit_free(parent);
	strbuf_release(&msg);
	return rc;
}

/* go on with the rest of the plan from tip, the worktree holding tree */
static int
resume(struct revert_result *out, struct ctx *ctx, struct seq_state *st,
    const git_oid *cur, const git_oid *tip, const git_oid *tree)
{
	struct revert_plan plan = st->todo;
	int rc;

	st->todo = (struct revert_plan)REVERT_PLAN_INIT;
	st->has_current = 0;
	st->before = *cur;
	rc = engine_run(out, ctx, st, tip, tree, &plan, 0);
	revert_plan_release(&plan);
	return rc;
}

int
sequencer_continue(struct revert_result *out, struct ctx *ctx)
{
	struct seq_state st;
	git_index *idx = NULL;
	git_oid cur, rh, tree, tip, cur_tree;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = load(&st, ctx, "continue")) < 0)
		goto out;
	if (st.phase == SEQ_WRITE) {
		info("finishing the interrupted %s", st.command ?
		    st.command : "revert");
		rc = engine_apply(out, ctx, &st, APPLY_RECOVER);
		goto out;
	}
	if ((rc = branch_tip(&cur, ctx, st.branch)) < 0 ||
	    (rc = commit_tree_id(&cur_tree, ctx->repo, &cur)) < 0)
		goto out;
	tip = cur;
	if (revert_head(&rh, ctx)) {
		if (!git_oid_equal(&cur, &st.safety)) {
			rc = moved_error(&st, &cur);
			goto out;
		}
		if (git_repository_index(&idx, ctx->repo) < 0 ||
		    git_index_read(idx, 1) < 0) {
			rc = error_git(E_FATAL, "cannot read the index");
			goto out;
		}
		if ((rc = require_resolved(ctx, idx)) < 0)
			goto out;
		if (git_index_write_tree(&tree, idx) < 0) {
			rc = error_git(E_FATAL, "cannot write the index tree");
			goto out;
		}
		if (st.opts.squash) {
			ALLOC_GROW(st.done, st.done_nr, st.done_alloc);
			st.done[st.done_nr++] = st.current.id;
		} else if (git_oid_equal(&tree, &cur_tree)) {
			st.skipped++;
			info("the resolution changes nothing: skipped");
		} else {
			if ((rc = commit_resolution(&tip, ctx, &st,
			    &tree)) < 0)
				goto out;
			st.committed++;
		}
	} else if (!git_oid_equal(&cur, &st.safety)) {
		/* committed with plain git commit: adopt it */
		tree = cur_tree;
		if (st.opts.squash) {
			ALLOC_GROW(st.done, st.done_nr, st.done_alloc);
			st.done[st.done_nr++] = st.current.id;
		}
		st.committed++;
	} else {
		error("REVERT_HEAD is gone and '%s' has not moved: the "
		    "revert was given up outside", st.branch);
		hint("\"git rollback --skip\" skips this commit, \"git "
		    "rollback --abort\" undoes the whole revert");
		rc = E_REFUSED;
		goto out;
	}
	rc = resume(out, ctx, &st, &cur, &tip, &tree);
out:
	if (rc < 0)
		repo_hint_index_lock(ctx);
	git_index_free(idx);
	seq_state_release(&st);
	return rc;
}

/* every path of d, old and new names */
static void
add_delta_paths(struct strlist *paths, git_diff *d)
{
	size_t i, n = git_diff_num_deltas(d);

	for (i = 0; i < n; i++) {
		const git_diff_delta *dd = git_diff_get_delta(d, i);

		if (!strlist_has(paths, dd->old_file.path))
			strlist_add(paths, dd->old_file.path);
		if (!strlist_has(paths, dd->new_file.path))
			strlist_add(paths, dd->new_file.path);
	}
}

/*
 * The paths a checkout back to tree must visit: those the sequence
 * changed (its commits, the tree it stopped on, the revert it stopped
 * in) and those conflicted now.  Not the others: what the user edited
 * elsewhere while it was stopped is theirs to keep.
 */
static int
touched_paths(struct strlist *paths, struct ctx *ctx, struct seq_state *st,
    const git_oid *tree, const git_oid *cur_tree)
{
	git_index *idx = NULL, *cidx = NULL;
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *anc, *ours, *theirs;
	git_tree *t = NULL;
	git_diff *d = NULL;
	git_oid scratch;
	int rc;

	if ((rc = tree_changed_paths(paths, ctx->repo, tree,
	    cur_tree)) < 0 ||
	    (rc = tree_changed_paths(paths, ctx->repo, tree,
	    &st->ours_tree)) < 0 ||
	    (rc = tree_changed_paths(paths, ctx->repo, tree,
	    &st->start_tree)) < 0)
		goto out;
	/* the revert it stopped in, as it was written even if cut short */
	if (st->has_current && engine_revert_one(&scratch, &cidx, ctx->repo,
	    &st->current, &st->ours_tree) == 1) {
		if ((rc = git_tree_lookup(&t, ctx->repo,
		    &st->ours_tree)) < 0 ||
		    (rc = git_diff_tree_to_index(&d, ctx->repo, t, cidx,
		    NULL)) < 0)
			goto out;
		add_delta_paths(paths, d);
	}
	if ((rc = git_repository_index(&idx, ctx->repo)) < 0 ||
	    (rc = git_index_read(idx, 1)) < 0)
		goto out;
	if (git_index_has_conflicts(idx)) {
		if ((rc = git_index_conflict_iterator_new(&it, idx)) < 0)
			goto out;
		while (git_index_conflict_next(&anc, &ours, &theirs, it) == 0) {
			const git_index_entry *e = ours ? ours : theirs ?
			    theirs : anc;

			if (!strlist_has(paths, e->path))
				strlist_add(paths, e->path);
		}
		git_error_clear();
	}
out:
	git_index_conflict_iterator_free(it);
	git_diff_free(d);
	git_tree_free(t);
	git_index_free(cidx);
	git_index_free(idx);
	return rc;
}

/* the index entry of path exactly as in tree, or none */
static int
reset_entry(git_index *idx, struct ctx *ctx, git_tree *tree,
    const char *path)
{
	git_tree_entry *te = NULL;
	git_index_entry e;
	int rc = 0;

	(void)ctx;
	git_index_conflict_remove(idx, path);
	if (git_tree_entry_bypath(&te, tree, path) < 0 ||
	    git_tree_entry_type(te) != GIT_OBJECT_BLOB) {
		git_error_clear();
		git_index_remove_bypath(idx, path);
		git_error_clear();
		git_tree_entry_free(te);
		return 0;
	}
	/* no stat data: the second checkout writes the file and them */
	memset(&e, 0, sizeof(e));
	e.path = path;
	e.id = *git_tree_entry_id(te);
	e.mode = git_tree_entry_filemode(te);
	if (git_index_add(idx, &e) < 0)
		rc = error_git(E_FATAL, "cannot reset '%s' in the index", path);
	git_tree_entry_free(te);
	return rc;
}

/*
 * Put the worktree and index back to tree (a tree of ours), touching
 * only the paths the sequence touched, and removing files it created.
 */
static int
restore_worktree(struct ctx *ctx, struct seq_state *st, const git_oid *tree,
    const git_oid *cur_tree, const char *what, const char *again)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	struct strlist paths = STRLIST_INIT;
	git_index *idx = NULL;
	git_tree *t = NULL;
	size_t i;
	int rc;

	if ((rc = touched_paths(&paths, ctx, st, tree, cur_tree)) < 0 ||
	    (rc = git_tree_lookup(&t, ctx->repo, tree)) < 0) {
		rc = error_git(E_FATAL, "cannot read the trees");
		goto out;
	}
	/*
	 * Stopped, the worktree is the user's: refuse to throw away an
	 * edit to a path we would put back.  Killed while writing, the
	 * differences are our own half-done writes.
	 */
	if (st->phase == SEQ_STOPPED && (rc = repo_require_paths_unchanged(ctx,
	    &paths, what, again)) < 0)
		goto out;
	if (paths.nr > 0) {
		co.checkout_strategy = GIT_CHECKOUT_FORCE |
		    GIT_CHECKOUT_REMOVE_UNTRACKED |
		    GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
		co.paths.strings = paths.items;
		co.paths.count = paths.nr;
		if (git_checkout_tree(ctx->repo, (git_object *)t, &co) < 0) {
			rc = error_git(E_FATAL, "cannot restore the worktree");
			goto out;
		}
	}
	/*
	 * Checkout leaves some conflicts half done (a modify/delete loses
	 * its entry): set every touched path's entry from the tree, then
	 * check those paths out again from a plain index.
	 */
	if (git_repository_index(&idx, ctx->repo) < 0 ||
	    git_index_read(idx, 1) < 0) {
		rc = error_git(E_FATAL, "cannot read the index");
		goto out;
	}
	for (i = 0; i < paths.nr && rc == 0; i++)
		rc = reset_entry(idx, ctx, t, paths.items[i]);
	if (rc == 0 && git_index_write(idx) < 0)
		rc = error_git(E_FATAL, "cannot write the index");
	if (rc == 0 && paths.nr > 0 &&
	    git_checkout_tree(ctx->repo, (git_object *)t, &co) < 0)
		rc = error_git(E_FATAL, "cannot restore the worktree");
out:
	git_index_free(idx);
	git_tree_free(t);
	strlist_release(&paths);
	return rc;
}

int
sequencer_skip(struct revert_result *out, struct ctx *ctx)
{
	struct seq_state st;
	git_oid cur, cur_tree;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = load(&st, ctx, "skip")) < 0)
		goto out;
	if (st.phase != SEQ_STOPPED) {
		rc = error("the revert was interrupted while writing; run "
		    "\"git rollback --continue\" or \"--abort\" first");
		goto out;
	}
	if ((rc = branch_tip(&cur, ctx, st.branch)) < 0 ||
	    (rc = commit_tree_id(&cur_tree, ctx->repo, &cur)) < 0)
		goto out;
	if (!git_oid_equal(&cur, &st.safety)) {
		rc = moved_error(&st, &cur);
		goto out;
	}
	if ((rc = restore_worktree(ctx, &st, &st.ours_tree, &cur_tree,
	    "skip the commit", "git rollback --skip")) < 0)
		goto out;
	seq_git_state_remove(ctx, &st.current.id);
	st.skipped++;
	rc = resume(out, ctx, &st, &cur, &cur, &st.ours_tree);
out:
	if (rc < 0)
		repo_hint_index_lock(ctx);
	seq_state_release(&st);
	return rc;
}

/* the abort itself, of the sequence st says */
static int
abort_state(struct ctx *ctx, struct seq_state *st)
{
	struct strbuf b = STRBUF_INIT;
	git_reference *ref = NULL;
	git_oid cur, cur_tree, orig_tree;
	char hex[GIT_OID_HEXSZ + 1];
	int rc, ok;

	if ((rc = branch_tip(&cur, ctx, st->branch)) < 0 ||
	    (rc = commit_tree_id(&cur_tree, ctx->repo, &cur)) < 0 ||
	    (rc = commit_tree_id(&orig_tree, ctx->repo, &st->orig)) < 0)
		goto out;
	/* abort safety: only values this sequence itself gave the branch */
	ok = git_oid_equal(&cur, &st->orig) ||
	    (st->phase == SEQ_STOPPED && git_oid_equal(&cur, &st->safety)) ||
	    (st->phase == SEQ_WRITE && (git_oid_equal(&cur, &st->before) ||
	    git_oid_equal(&cur, &st->tip)));
	if (!ok) {
		rc = moved_error(st, &cur);
		goto out;
	}
	if ((rc = restore_worktree(ctx, st, &orig_tree, &cur_tree,
	    "abort the revert", "git rollback --abort")) < 0)
		goto out;
	if (!git_oid_equal(&cur, &st->orig) &&
	    git_reference_create_matching(&ref, ctx->repo, st->branch,
	    &st->orig, 1, &cur, "rollback --abort: back to the state before "
	    "the revert") < 0) {
		rc = error_git(E_REFUSED, "cannot reset '%s'", st->branch);
		goto out;
	}
	seq_git_state_remove(ctx, st->has_current ? &st->current.id : NULL);
	seq_state_remove(ctx);
	short_branch(&b, st->branch);
	git_oid_tostr(hex, sizeof(hex), &st->orig);
	info("aborted: '%s' is back at %.7s", b.buf, hex);
	rc = 0;
out:
	if (rc < 0)
		repo_hint_index_lock(ctx);
	git_reference_free(ref);
	strbuf_release(&b);
	return rc;
}

int
sequencer_abort(struct ctx *ctx)
{
	struct seq_state st;
	int rc;

	if ((rc = load(&st, ctx, "abort")) == 0)
		rc = abort_state(ctx, &st);
	else
		repo_hint_index_lock(ctx);
	seq_state_release(&st);
	return rc;
}

int
sequencer_abort_ended(struct ctx *ctx, const char *ref, const git_oid *old,
    const git_oid *cur)
{
	struct seq_state st;
	char *head = repo_head_branch(ctx);
	int rc;

	seq_state_init(&st);
	st.phase = SEQ_WRITE;
	st.branch = xstrdup(ref);
	st.orig = st.before = *old;
	st.tip = *cur;
	if ((rc = commit_tree_id(&st.start_tree, ctx->repo, cur)) == 0) {
		st.ours_tree = st.start_tree;
		if (head != NULL && strcmp(head, ref) == 0)
			rc = abort_state(ctx, &st);
		else if (git_reference_create_matching(NULL, ctx->repo, ref,
		    old, 1, cur, "rollback --abort: back to the state before "
		    "the revert") < 0)
			rc = error_git(E_REFUSED, "cannot reset '%s'", ref);
	}
	free(head);
	seq_state_release(&st);
	return rc;
}
