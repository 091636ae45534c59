/*
 * The merge of a finished hotfix into the release branch, as the merge
 * step of the finish's journalled plan (plan.h, hotfix-finish.c).  A
 * conflict stops the step with markers, git's MERGE_HEAD, MERGE_MSG and
 * MERGE_MODE (so "git status" and a plain "git commit" do the right
 * thing); what the step needs to go on is in its attributes, in the
 * journal, which --continue and --abort read from a new process.
 *
 * The merge step's attributes: "ref" the release branch, "old" its tip
 * before, "from" the hotfix branch, "tip" the hotfix tip, "tag" the
 * tag made on it, "reflog"; while it runs "conflict" (the merge stopped
 * on conflicts, or is writing them) and "new" (the merge commit, made
 * before the branch moves to it).
 */
#ifndef LIB_HOTFIX_MERGE_H
#define LIB_HOTFIX_MERGE_H

#include <git2.h>

#include "repo.h"

/*
 * Check out commit to over a worktree that is clean at commit from:
 * only the paths whose content differs between the two trees, so that
 * a hotfix in a large tree costs what it changes, not the tree's size.
 * strategy: GIT_CHECKOUT_SAFE (a file in the way refuses, nothing
 * written).  The caller has checked the tree is clean.
 */
int	 hotfix_checkout(struct ctx *ctx, const git_oid *from,
	    const git_oid *to);
/* the same without writing anything: E_REFUSED, said, when it would be */
int	 hotfix_checkout_check(struct ctx *ctx, const git_oid *from,
	    const git_oid *to);
/*
 * The same forced, files to does not have removed: after a kill, over
 * the half-written checkout of a tree that was clean.
 */
int	 hotfix_checkout_forced(struct ctx *ctx, const git_oid *from,
	    const git_oid *to);
/*
 * Put back the paths from..to changes, as they are in from, forced:
 * E_REFUSED, said as git merge --abort says it, when one of them has
 * local changes the operation did not make (check nonzero).  again is
 * the command to run once they are sorted out.
 */
int	 hotfix_checkout_back(struct ctx *ctx, const git_oid *to,
	    const git_oid *from, int check, const char *again);
/* its check alone */
int	 hotfix_checkout_back_check(struct ctx *ctx, const git_oid *to,
	    const git_oid *from, const char *again);

/* "Merge branch 'hotfix/x'" (and " into <b>" as git does off main/master) */
char	*hotfix_merge_message(const char *branch, const char *into);

struct plan_exec;
struct plan_step;
/* the merge step of a finish, run (PLAN_STOP on conflicts) and undone */
int	 hotfix_merge_run(struct plan_exec *x, struct plan_step *s);
int	 hotfix_merge_undo(struct plan_exec *x, struct plan_step *s);

#endif
