/*
 * Merging a hotfix back: in memory first, so a clean merge is one commit
 * and one checkout; a conflicted one is written out as git would leave
 * it (markers, MERGE_HEAD, MERGE_MSG, MERGE_MODE) with our plan beside
 * it.  We only ever remove the MERGE_* files we wrote, never through
 * git_repository_state_cleanup(), which would also delete a rebase,
 * a sequencer or a bisect that is not ours.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "hotfix-merge.h"
#include "treemerge.h"
#include "banned.h"

char *
hotfix_merge_message(const char *branch, const char *into)
{
	const char *b = strncmp(into, "refs/heads/", 11) == 0 ?
	    into + 11 : into;

	if (strcmp(b, "main") == 0 || strcmp(b, "master") == 0)
		return xstrfmt("Merge branch '%s'", branch);
	return xstrfmt("Merge branch '%s' into %s", branch, b);
}

static const char *
short_ref(const char *ref)
{
	return strncmp(ref, "refs/heads/", 11) == 0 ? ref + 11 : ref;
}

/* HEAD onto the release branch; SAFE: the tree is clean, nothing is lost */
static int
switch_to(struct ctx *ctx, const char *ref, git_commit *at)
{
	char *head = repo_head_branch(ctx);
	int same = head != NULL && strcmp(head, ref) == 0, rc;
	git_oid cur;

	free(head);
	if (same)
		return 0;
	if (git_reference_name_to_id(&cur, ctx->repo, "HEAD") < 0)
		return error_git(E_FATAL, "cannot read HEAD");
	if ((rc = hotfix_checkout(ctx, &cur, git_commit_id(at))) < 0)
		return rc;
	if (git_repository_set_head(ctx->repo, ref) < 0)
		return error_git(E_REFUSED, "cannot check out '%s'",
		    short_ref(ref));
	return 0;
}

/* the MERGE_HEAD in the git dir names our tip: the stop is ours */
static int
merge_head_is(struct ctx *ctx, const git_oid *tip, int *exists)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = hotfix_git_file(ctx, "MERGE_HEAD");
	git_oid id;
	int ours = 0;

	*exists = strbuf_read_file(&sb, path) == 0;
	strbuf_rtrim(&sb);
	if (*exists && hotfix_parse_oid(&id, sb.buf) == 0 && git_oid_equal(&id, tip))
		ours = 1;
	free(path);
	strbuf_release(&sb);
	return ours;
}

static void
unlink_merge_files(struct ctx *ctx)
{
	static const char *const files[] = {
		"MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", NULL
	};
	size_t i;

	for (i = 0; files[i] != NULL; i++) {
		char *p = hotfix_git_file(ctx, files[i]);

		if (unlink(p) < 0 && errno != ENOENT)
			warning("cannot remove '%s': %s", p, strerror(errno));
		free(p);
	}
}

static void
conflict_paths(struct strlist *out, git_index *idx)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *a, *o, *t;

	if (git_index_conflict_iterator_new(&it, idx) < 0) {
		git_error_clear();
		return;
	}
	while (git_index_conflict_next(&a, &o, &t, it) == 0) {
		const char *p = o ? o->path : t ? t->path : a->path;

		if (!strlist_has(out, p))
			strlist_add(out, p);
	}
	git_index_conflict_iterator_free(it);
	git_error_clear();
}

/* write the conflicted merge out as git would, and our plan beside it */
static int
stop(struct ctx *ctx, const struct hotfix_state *st, git_index *idx,
    const char *msg, const git_oid *base)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	struct strlist paths = STRLIST_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *mh = hotfix_git_file(ctx, "MERGE_HEAD");
	char *mm = hotfix_git_file(ctx, "MERGE_MSG");
	char *mo = hotfix_git_file(ctx, "MERGE_MODE");
	char ancestor[16];
	size_t i;
	int ret = -1;

	conflict_paths(&paths, idx);
	if ((ret = hotfix_state_write(ctx, st)) < 0)
		goto out;
	strbuf_addf(&sb, "%s\n", git_oid_tostr_s(&st->tip));
	if ((ret = write_file_atomic(mh, sb.buf, sb.len)) < 0)
		goto fail;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s\n\n# Conflicts:\n", msg);
	for (i = 0; i < paths.nr; i++)
		strbuf_addf(&sb, "#\t%s\n", paths.items[i]);
	if ((ret = write_file_atomic(mm, sb.buf, sb.len)) < 0 ||
	    (ret = write_file_atomic(mo, "no-ff", strlen("no-ff"))) < 0)
		goto fail;

	/* explicit labels: libgit2's default is the text after the last / */
	git_oid_tostr(ancestor, 8, base);
	co.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_ALLOW_CONFLICTS;
	co.our_label = "HEAD";
	co.their_label = st->branch;
	co.ancestor_label = ancestor;
	if (git_checkout_index(ctx->repo, idx, &co) < 0) {
		ret = error_git(E_REFUSED, "cannot write the conflicted merge");
		goto fail;
	}
	error("merging %s into %s stopped: %zu conflict%s", st->branch,
	    short_ref(st->into), paths.nr, paths.nr == 1 ? "" : "s");
	for (i = 0; i < paths.nr; i++)
		fprintf(stderr, "\t%s\n", paths.items[i]);
	hint("tag %s is made and kept, on %.7s", st->tag,
	    git_oid_tostr_s(&st->tip));
	hint("resolve the conflicts, \"git add\" them, then run "
	    "\"git hotfix finish --continue\"");
	hint("or give up the merge with \"git hotfix finish --abort\" "
	    "(add --drop-tag to delete %s too)", st->tag);
	ret = E_REFUSED;
	goto out;
fail:
	unlink_merge_files(ctx);
	hotfix_state_remove(ctx);
	hint("tag %s is made and kept", st->tag);
out:
	free(mh);
	free(mm);
	free(mo);
	strlist_release(&paths);
	strbuf_release(&sb);
	return ret;
}

static char *
reflog_message(const struct hotfix_state *st, const char *how)
{
	return xstrfmt("hotfix finish%s: merge %s (%s) into %s", how,
	    st->branch, st->tag, short_ref(st->into));
}

static int
head_is(struct ctx *ctx, const char *ref)
{
	char *head = repo_head_branch(ctx);
	int rc = head != NULL && strcmp(head, ref) == 0;

	free(head);
	return rc;
}

/* commit tree with the two parents and move the release branch to it */
static int
commit_merge(git_oid *out, struct ctx *ctx, const struct hotfix_state *st,
    const git_oid *tree_id, const char *msg, const char *how,
    const git_oid *checkout_from)
{
	const git_signature *author, *committer;
	git_commit *ours = NULL, *theirs = NULL, *merged = NULL;
	git_reference *ref = NULL;
	git_tree *tree = NULL;
	char *log = NULL;
	int ret = -1;

	if ((ret = ctx_author(&author, ctx)) < 0 ||
	    (ret = ctx_committer(&committer, ctx)) < 0)
		goto out;
	ret = -1;
	if (git_commit_lookup(&ours, ctx->repo, &st->orig) < 0 ||
	    git_commit_lookup(&theirs, ctx->repo, &st->tip) < 0 ||
	    git_tree_lookup(&tree, ctx->repo, tree_id) < 0) {
		ret = error_git(E_FATAL, "cannot read the merge's parts");
		goto out;
	}
	{
		const git_commit *parents[] = { ours, theirs };

		if (git_commit_create(out, ctx->repo, NULL, author, committer,
		    NULL, msg, tree, 2, parents) < 0 ||
		    git_commit_lookup(&merged, ctx->repo, out) < 0) {
			ret = error_git(E_FATAL, "cannot create the merge");
			goto out;
		}
	}
	/* the worktree first: HEAD has not moved, so SAFE sees real edits */
	if (checkout_from != NULL &&
	    (ret = hotfix_checkout(ctx, checkout_from, out)) < 0)
		goto out;
	ret = -1;
	log = reflog_message(st, how);
	if (git_reference_create_matching(&ref, ctx->repo, st->into, out, 1,
	    &st->orig, log) < 0) {
		ret = error_git(E_REFUSED, "cannot update '%s'",
		    short_ref(st->into));
		goto out;
	}
	if (!head_is(ctx, st->into) &&
	    git_repository_set_head(ctx->repo, st->into) < 0) {
		ret = error_git(E_FATAL, "cannot check out '%s'",
		    short_ref(st->into));
		goto out;
	}
	ret = 0;
out:
	free(log);
	git_reference_free(ref);
	git_tree_free(tree);
	git_commit_free(ours);
	git_commit_free(theirs);
	git_commit_free(merged);
	return ret;
}

/*
 * treemerge() answers exactly or says it is unsure (renames, conflicts,
 * binaries); then libgit2's full merge decides and writes conflicts.
 */
static int
merge_trees_fast(git_oid *out, struct ctx *ctx, const git_oid *base,
    git_commit *ours, git_commit *theirs)
{
	git_commit *b = NULL;
	int rc;

	if (git_commit_lookup(&b, ctx->repo, base) < 0)
		return error_git(E_FATAL, "cannot read the merge base");
	rc = treemerge(out, ctx->repo, git_commit_tree_id(b),
	    git_commit_tree_id(ours), git_commit_tree_id(theirs));
	git_commit_free(b);
	if (rc < 0)
		return error_git(E_FATAL, "cannot merge the trees");
	return rc;
}

int
hotfix_merge(git_oid *merged, struct ctx *ctx, const struct hotfix_state *st)
{
	git_merge_options mo = GIT_MERGE_OPTIONS_INIT;
	git_commit *ours = NULL, *theirs = NULL;
	git_index *idx = NULL;
	git_oid tree_id, base, from;
	char *msg = NULL, *full = NULL;
	int ret = -1;

	if (git_commit_lookup(&ours, ctx->repo, &st->orig) < 0 ||
	    git_commit_lookup(&theirs, ctx->repo, &st->tip) < 0) {
		ret = error_git(E_FATAL, "cannot read the commits to merge");
		goto out;
	}
	if (git_oid_equal(&st->orig, &st->tip) ||
	    git_graph_descendant_of(ctx->repo, &st->orig, &st->tip) == 1) {
		if ((ret = switch_to(ctx, st->into, ours)) < 0)
			goto out;
		git_oid_cpy(merged, &st->orig);
		ret = 1;
		goto out;
	}
	if (git_reference_name_to_id(&from, ctx->repo, "HEAD") < 0) {
		ret = error_git(E_FATAL, "cannot read HEAD");
		goto out;
	}
	if (git_merge_base(&base, ctx->repo, &st->orig, &st->tip) < 0) {
		ret = error_git(E_REFUSED, "'%s' and '%s' have no common "
		    "history", st->branch, short_ref(st->into));
		goto out;
	}
	msg = hotfix_merge_message(st->branch, st->into);
	/* the fast merge first: it costs what changed, not the tree's size */
	if ((ret = merge_trees_fast(&tree_id, ctx, &base, ours, theirs)) < 0)
		goto out;
	if (ret == TREEMERGE_UNSURE) {
		/* conflicts are written over the release branch's tree */
		if ((ret = switch_to(ctx, st->into, ours)) < 0)
			goto out;
		git_oid_cpy(&from, &st->orig);
		if (git_merge_commits(&idx, ctx->repo, ours, theirs, &mo) < 0) {
			ret = error_git(E_FATAL, "cannot merge '%s'",
			    st->branch);
			goto out;
		}
		if (git_index_has_conflicts(idx)) {
			ret = stop(ctx, st, idx, msg, &base);
			goto out;
		}
		if (git_index_write_tree_to(&tree_id, idx, ctx->repo) < 0) {
			ret = error_git(E_FATAL, "cannot write the merged tree");
			goto out;
		}
	}
	full = xstrfmt("%s\n", msg);
	/* one checkout, from whatever is checked out straight to the merge */
	ret = commit_merge(merged, ctx, st, &tree_id, full, "", &from);
out:
	free(msg);
	free(full);
	git_index_free(idx);
	git_commit_free(ours);
	git_commit_free(theirs);
	return ret;
}

static int
branch_tip(git_oid *out, struct ctx *ctx, const char *ref)
{
	if (git_reference_name_to_id(out, ctx->repo, ref) < 0)
		return error_git(E_REFUSED, "cannot read '%s'", short_ref(ref));
	return 0;
}

/* the message the user may have edited in MERGE_MSG, comments removed */
static char *
merge_message(struct ctx *ctx, const struct hotfix_state *st)
{
	struct strbuf sb = STRBUF_INIT;
	git_buf clean = GIT_BUF_INIT;
	char *path = hotfix_git_file(ctx, "MERGE_MSG"), *msg = NULL;

	if (strbuf_read_file(&sb, path) == 0 &&
	    git_message_prettify(&clean, sb.buf, 1, '#') == 0 &&
	    clean.size > 0)
		msg = xstrdup(clean.ptr);
	if (msg == NULL) {
		char *m = hotfix_merge_message(st->branch, st->into);

		msg = xstrfmt("%s\n", m);
		free(m);
	}
	git_error_clear();
	git_buf_dispose(&clean);
	strbuf_release(&sb);
	free(path);
	return msg;
}

int
hotfix_merge_continue(git_oid *merged, struct ctx *ctx,
    const struct hotfix_state *st)
{
	struct strlist paths = STRLIST_INIT;
	git_index *ix = NULL;
	git_oid cur, tree_id;
	char *msg = NULL;
	size_t i;
	int exists, ret = -1;

	if ((ret = branch_tip(&cur, ctx, st->into)) < 0)
		goto out;
	ret = -1;
	if (!merge_head_is(ctx, &st->tip, &exists)) {
		if (exists) {
			ret = error("MERGE_HEAD is not the merge of '%s'",
			    st->branch);
			hint("finish that merge first, or \"git merge "
			    "--abort\" it");
			goto out;
		}
		/* the user finished the merge with a plain "git commit" */
		if (!git_oid_equal(&cur, &st->orig) &&
		    git_graph_descendant_of(ctx->repo, &cur, &st->tip) == 1) {
			info("%s was merged by \"git commit\" as %.7s",
			    st->branch, git_oid_tostr_s(&cur));
			git_oid_cpy(merged, &cur);
			ret = 0;
			goto out;
		}
		ret = error("the merge of '%s' is no longer in progress and "
		    "'%s' does not contain it", st->branch,
		    short_ref(st->into));
		hint("clean up with \"git hotfix finish --abort\"");
		goto out;
	}
	if (!head_is(ctx, st->into) || !git_oid_equal(&cur, &st->orig)) {
		ret = error("'%s' moved or is no longer checked out since "
		    "the merge stopped", short_ref(st->into));
		hint("check out '%s' at %.7s, or abort", short_ref(st->into),
		    git_oid_tostr_s(&st->orig));
		goto out;
	}
	if (git_repository_index(&ix, ctx->repo) < 0 ||
	    git_index_read(ix, 1) < 0) {
		ret = error_git(E_FATAL, "cannot read the index");
		goto out;
	}
	if (git_index_has_conflicts(ix)) {
		conflict_paths(&paths, ix);
		ret = error("you still have unmerged paths:");
		for (i = 0; i < paths.nr; i++)
			fprintf(stderr, "\t%s\n", paths.items[i]);
		hint("fix them, \"git add\" them, then run \"git hotfix "
		    "finish --continue\" again");
		goto out;
	}
	if (git_index_write_tree(&tree_id, ix) < 0) {
		ret = error_git(E_FATAL, "cannot write the resolved tree");
		goto out;
	}
	msg = merge_message(ctx, st);
	if ((ret = commit_merge(merged, ctx, st, &tree_id, msg, " --continue",
	    NULL)) < 0)
		goto out;
	unlink_merge_files(ctx);
	ret = 0;
out:
	free(msg);
	strlist_release(&paths);
	git_index_free(ix);
	return ret;
}

/* HEAD back to where finish found it (a branch or a detached commit) */
static int
switch_back(struct ctx *ctx, const struct hotfix_state *st)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_object *target = NULL;
	git_oid id;
	int ret = 0, detached = strncmp(st->head, "refs/", 5) != 0;

	if (strcmp(st->head, st->into) == 0)
		return 0;
	if (detached ? hotfix_parse_oid(&id, st->head) < 0 :
	    git_reference_name_to_id(&id, ctx->repo, st->head) < 0) {
		git_error_clear();
		info("staying on '%s': '%s' is gone", short_ref(st->into),
		    short_ref(st->head));
		return 0;
	}
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	if (git_object_lookup(&target, ctx->repo, &id, GIT_OBJECT_COMMIT) < 0 ||
	    git_checkout_tree(ctx->repo, target, &co) < 0 ||
	    (detached ? git_repository_set_head_detached(ctx->repo, &id) :
	    git_repository_set_head(ctx->repo, st->head)) < 0)
		ret = error_git(E_REFUSED, "cannot check out '%s' again",
		    short_ref(st->head));
	git_object_free(target);
	return ret;
}

/*
 * The paths the stopped merge changed (the same merge again, in memory,
 * against orig) and those conflicted in the index now.
 */
static int
merge_paths(struct strlist *out, struct ctx *ctx, const struct hotfix_state *st,
    git_commit *orig)
{
	git_merge_options mo = GIT_MERGE_OPTIONS_INIT;
	git_commit *theirs = NULL;
	git_index *midx = NULL, *ix = NULL;
	git_tree *otree = NULL;
	git_diff *d = NULL;
	size_t i, n;
	int ret = E_FATAL;

	if (git_commit_lookup(&theirs, ctx->repo, &st->tip) < 0 ||
	    git_merge_commits(&midx, ctx->repo, orig, theirs, &mo) < 0 ||
	    git_commit_tree(&otree, orig) < 0 ||
	    git_diff_tree_to_index(&d, ctx->repo, otree, midx, NULL) < 0 ||
	    git_repository_index(&ix, ctx->repo) < 0 ||
	    git_index_read(ix, 1) < 0) {
		error_git(E_FATAL, "cannot work out what the merge changed");
		goto out;
	}
	n = git_diff_num_deltas(d);
	for (i = 0; i < n; i++) {
		const git_diff_delta *dd = git_diff_get_delta(d, i);

		if (!strlist_has(out, dd->old_file.path))
			strlist_add(out, dd->old_file.path);
		if (!strlist_has(out, dd->new_file.path))
			strlist_add(out, dd->new_file.path);
	}
	conflict_paths(out, ix);
	ret = 0;
out:
	git_diff_free(d);
	git_tree_free(otree);
	git_index_free(ix);
	git_index_free(midx);
	git_commit_free(theirs);
	return ret;
}

/* paths of the index and worktree exactly as in tree, the rest kept */
static int
reset_paths(struct ctx *ctx, git_tree *tree, const struct strlist *paths)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_tree_entry *te = NULL;
	git_index *ix = NULL;
	git_index_entry e;
	size_t i;
	int ret = E_FATAL;

	if (paths->nr == 0)
		return 0;
	/* checkout first, while the index still knows the merge's files */
	co.checkout_strategy = GIT_CHECKOUT_FORCE |
	    GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.paths.strings = paths->items;
	co.paths.count = paths->nr;
	if (git_checkout_tree(ctx->repo, (git_object *)tree, &co) < 0 ||
	    git_repository_index(&ix, ctx->repo) < 0 ||
	    git_index_read(ix, 1) < 0)
		goto fail;
	for (i = 0; i < paths->nr; i++) {
		const char *p = paths->items[i];

		git_index_conflict_remove(ix, p);
		git_error_clear();
		if (git_tree_entry_bypath(&te, tree, p) < 0) {
			git_error_clear();
			git_index_remove_bypath(ix, p);
			git_error_clear();
			continue;
		}
		memset(&e, 0, sizeof(e));
		e.path = p;
		e.id = *git_tree_entry_id(te);
		e.mode = git_tree_entry_filemode(te);
		git_tree_entry_free(te);
		te = NULL;
		if (git_index_add(ix, &e) < 0)
			goto fail;
	}
	if (git_index_write(ix) < 0)
		goto fail;
	/* once more from a plain index: the files and their stat data */
	if (git_checkout_index(ctx->repo, ix, &co) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	error_git(E_FATAL, "cannot restore the merged paths");
out:
	git_index_free(ix);
	return ret;
}

int
hotfix_merge_abort(struct ctx *ctx, const struct hotfix_state *st)
{
	struct strlist paths = STRLIST_INIT;
	git_commit *orig = NULL;
	git_tree *tree = NULL;
	git_oid cur;
	int exists, ret = -1;

	if ((ret = branch_tip(&cur, ctx, st->into)) < 0)
		goto out;
	ret = -1;
	if (!git_oid_equal(&cur, &st->orig)) {
		if (git_graph_descendant_of(ctx->repo, &cur, &st->tip) == 1) {
			ret = error("the merge of '%s' is already committed "
			    "(%.7s)", st->branch, git_oid_tostr_s(&cur));
			hint("finish with \"git hotfix finish --continue\"");
		} else
			ret = error("'%s' moved since the merge stopped "
			    "(now %.7s)", short_ref(st->into),
			    git_oid_tostr_s(&cur));
		goto out;
	}
	if (merge_head_is(ctx, &st->tip, &exists)) {
		if (!head_is(ctx, st->into)) {
			ret = error("'%s' is no longer checked out",
			    short_ref(st->into));
			hint("check it out again, then abort");
			goto out;
		}
		if (git_commit_lookup(&orig, ctx->repo, &st->orig) < 0 ||
		    git_commit_tree(&tree, orig) < 0) {
			ret = error_git(E_FATAL, "cannot read '%s'",
			    short_ref(st->into));
			goto out;
		}
		/*
		 * Put back what the merge wrote and what is conflicted, as
		 * git merge --abort does; an edit the user made elsewhere
		 * while it was stopped stays, one to a path we would put
		 * back refuses the abort.
		 */
		if ((ret = merge_paths(&paths, ctx, st, orig)) < 0 ||
		    (ret = repo_require_paths_unchanged(ctx, &paths,
		    "abort the merge", "git hotfix finish --abort")) < 0 ||
		    (ret = reset_paths(ctx, tree, &paths)) < 0)
			goto out;
		ret = -1;
		unlink_merge_files(ctx);
	} else if (exists) {
		ret = error("MERGE_HEAD is not the merge of '%s'", st->branch);
		hint("that merge is not ours: \"git merge --abort\" it first");
		goto out;
	}
	ret = switch_back(ctx, st);
out:
	strlist_release(&paths);
	git_tree_free(tree);
	git_commit_free(orig);
	return ret;
}
