/*
 * The worktree side of a hotfix: checking out only what differs between
 * two commits, so that start and finish cost what a hotfix changes and
 * not the size of the tree.
 */
#include <git2.h>

#include "hotfix-merge.h"
#include "banned.h"

/*
 * The paths whose entries differ between trees a and b (either may be
 * NULL: the empty tree), descending only into subtrees whose ids differ,
 * so the cost is what changed, not the size of the tree.
 */
static int
tree_changes(struct strlist *out, git_repository *repo, const git_tree *a,
    const git_tree *b, struct strbuf *prefix)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0;
	size_t nb = b ? git_tree_entrycount(b) : 0, len = prefix->len;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i)
		    : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j)
		    : NULL;
		int c = ea == NULL ? 1 : eb == NULL ? -1 :
		    git_tree_entry_cmp(ea, eb);
		git_tree *ta = NULL, *tb = NULL;

		if (c == 0 && git_oid_equal(git_tree_entry_id(ea),
		    git_tree_entry_id(eb)) &&
		    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb)) {
			i++, j++;
			continue;
		}
		if (c > 0)
			ea = NULL;
		if (c < 0)
			eb = NULL;
		strbuf_setlen(prefix, len);
		strbuf_addstr(prefix, git_tree_entry_name(ea ? ea : eb));
		if ((ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&ta, repo, git_tree_entry_id(ea)) < 0) ||
		    (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&tb, repo, git_tree_entry_id(eb)) < 0))
			rc = -1;
		else if (ta != NULL || tb != NULL) {
			/* a file on one side, a directory on the other: both */
			if ((ea && ta == NULL) || (eb && tb == NULL))
				strlist_add(out, prefix->buf);
			strbuf_addch(prefix, '/');
			rc = tree_changes(out, repo, ta, tb, prefix);
		} else
			strlist_add(out, prefix->buf);
		git_tree_free(ta);
		git_tree_free(tb);
		i += ea != NULL;
		j += eb != NULL;
	}
	strbuf_setlen(prefix, len);
	return rc;
}

int
hotfix_checkout(struct ctx *ctx, const git_oid *from, const git_oid *to)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_commit *fc = NULL, *tc = NULL;
	git_tree *ft = NULL, *tt = NULL;
	struct strlist paths = STRLIST_INIT;
	struct strbuf prefix = STRBUF_INIT;
	int ret = -1;

	if (git_commit_lookup(&fc, ctx->repo, from) < 0 ||
	    git_commit_lookup(&tc, ctx->repo, to) < 0 ||
	    git_commit_tree(&ft, fc) < 0 || git_commit_tree(&tt, tc) < 0 ||
	    tree_changes(&paths, ctx->repo, ft, tt, &prefix) < 0) {
		ret = error_git(E_FATAL, "cannot compare the trees to check out");
		goto out;
	}
	ret = 0;
	if (paths.nr == 0)
		goto out;
	co.checkout_strategy = GIT_CHECKOUT_SAFE |
	    GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.paths.strings = paths.items;
	co.paths.count = paths.nr;
	if (git_checkout_tree(ctx->repo, (git_object *)tt, &co) < 0)
		ret = error_git(E_REFUSED, "cannot check out %.7s",
		    git_oid_tostr_s(to));
out:
	strlist_release(&paths);
	strbuf_release(&prefix);
	git_tree_free(ft);
	git_tree_free(tt);
	git_commit_free(fc);
	git_commit_free(tc);
	return ret;
}
