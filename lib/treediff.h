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

#endif
