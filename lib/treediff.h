/*
 * Which paths differ between two trees: what a checkout limited to the
 * changed paths must visit, so that moving between two commits of a
 * large tree costs what changed and not the size of the tree.
 */
#ifndef LIB_TREEDIFF_H
#define LIB_TREEDIFF_H

#include <git2.h>

#include "strbuf.h"

/*
 * Add to paths every path whose entry differs between the trees from
 * and to (either may be NULL: the empty tree), files inside a directory
 * that appeared or went, and both a name and the files below it when a
 * file and a directory swap.  Paths already in the list are not added
 * again.  Descends only into subtrees whose ids differ.  <0 (libgit2's
 * error) when a tree cannot be read.
 */
int	 tree_changed_paths(struct strlist *paths, git_repository *repo,
	    const git_oid *from, const git_oid *to);

/*
 * Two trees (either may be NULL) walked together in git's order, one
 * entry pair at a time: *ea and *eb the entries of a name on each side
 * (NULL where that side has none, which is also how a name that is a
 * file on one side and a directory on the other comes: twice, once a
 * side), entries that are the same on both sides skipped.  0 at the end.
 */
struct tree_pair {
	const git_tree	*a, *b;
	size_t		 i, j;
};
#define TREE_PAIR_INIT(a, b) { (a), (b), 0, 0 }
int	 tree_pair_next(struct tree_pair *w, const git_tree_entry **ea,
	    const git_tree_entry **eb);

#endif
