/*
 * The worktree side of a hotfix: checking out only what differs between
 * two commits, so that start and finish cost what a hotfix changes and
 * not the size of the tree.
 */
#include <git2.h>

#include "hotfix-merge.h"
#include "treediff.h"
#include "banned.h"

static int
checkout_changed(struct ctx *ctx, const git_oid *from, const git_oid *to,
    unsigned strategy)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_commit *fc = NULL, *tc = NULL;
	git_tree *tt = NULL;
	struct strlist paths = STRLIST_INIT;
	int ret = -1;

	if (git_commit_lookup(&fc, ctx->repo, from) < 0 ||
	    git_commit_lookup(&tc, ctx->repo, to) < 0 ||
	    git_commit_tree(&tt, tc) < 0 ||
	    tree_changed_paths(&paths, ctx->repo, git_commit_tree_id(fc),
	    git_commit_tree_id(tc)) < 0) {
		ret = error_git(E_FATAL, "cannot compare the trees to check out");
		goto out;
	}
	ret = 0;
	if (paths.nr == 0)
		goto out;
	co.checkout_strategy = strategy | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.paths.strings = paths.items;
	co.paths.count = paths.nr;
	if (git_checkout_tree(ctx->repo, (git_object *)tt, &co) < 0)
		ret = error_git(E_REFUSED, "cannot check out %.7s",
		    git_oid_tostr_s(to));
out:
	strlist_release(&paths);
	git_tree_free(tt);
	git_commit_free(fc);
	git_commit_free(tc);
	return ret;
}

int
hotfix_checkout(struct ctx *ctx, const git_oid *from, const git_oid *to)
{
	return checkout_changed(ctx, from, to, GIT_CHECKOUT_SAFE);
}

int
hotfix_checkout_check(struct ctx *ctx, const git_oid *from, const git_oid *to)
{
	/* libgit2 1.5 writes the index even for a dry run: not here */
	return checkout_changed(ctx, from, to, GIT_CHECKOUT_SAFE |
	    GIT_CHECKOUT_DRY_RUN | GIT_CHECKOUT_DONT_WRITE_INDEX);
}

int
hotfix_checkout_forced(struct ctx *ctx, const git_oid *from,
    const git_oid *to)
{
	return checkout_changed(ctx, from, to, GIT_CHECKOUT_FORCE |
	    GIT_CHECKOUT_REMOVE_UNTRACKED);
}

int
hotfix_checkout_back_check(struct ctx *ctx, const git_oid *to,
    const git_oid *from, const char *again)
{
	struct strlist paths = STRLIST_INIT;
	git_commit *fc = NULL, *tc = NULL;
	int rc;

	if (git_oid_equal(to, from))
		return 0;
	if (git_commit_lookup(&fc, ctx->repo, from) < 0 ||
	    git_commit_lookup(&tc, ctx->repo, to) < 0 ||
	    tree_changed_paths(&paths, ctx->repo, git_commit_tree_id(tc),
	    git_commit_tree_id(fc)) < 0)
		rc = error_git(E_FATAL, "cannot compare the trees to put back");
	else
		rc = repo_require_paths_unchanged(ctx, &paths,
		    "put the files back", again);
	strlist_release(&paths);
	git_commit_free(fc);
	git_commit_free(tc);
	return rc;
}

int
hotfix_checkout_back(struct ctx *ctx, const git_oid *to, const git_oid *from,
    int check, const char *again)
{
	int rc;

	if (check && (rc = hotfix_checkout_back_check(ctx, to, from,
	    again)) < 0)
		return rc;
	return hotfix_checkout_forced(ctx, to, from);
}
