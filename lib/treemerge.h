/*
 * A three-way merge of trees that costs what changed, not what exists:
 * it descends only into subtrees whose ids differ on all three sides,
 * takes a side whole when the other side did not touch it, merges file
 * contents only where both sides changed a file, and writes only the
 * trees that changed.  A revert of commit C onto tree T is
 * treemerge(C's tree, T, C's parent's tree).
 *
 * It knows what it cannot decide exactly: a path added, deleted or
 * changed in type on one side and changed on the other, a path deleted
 * on both sides (one may have renamed it), where git's rename detection
 * or a conflict decides; a content or mode conflict; binary files,
 * symlinks or submodules changed on both sides.  It then answers
 * TREEMERGE_UNSURE and the caller runs libgit2's full merge (with rename
 * detection) for that step.
 */
#ifndef LIB_TREEMERGE_H
#define LIB_TREEMERGE_H

#include <git2.h>

#define TREEMERGE_UNSURE	1

/*
 * Merge base, ours and theirs (tree ids; NULL is the empty tree) into
 * *out.  Returns 0 (merged, *out written), TREEMERGE_UNSURE, or a
 * negative libgit2 error.
 */
int	 treemerge(git_oid *out, git_repository *repo, const git_oid *base,
	    const git_oid *ours, const git_oid *theirs);

#endif
