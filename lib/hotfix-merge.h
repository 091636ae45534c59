/*
 * The merge of a finished hotfix into the release branch, resumable: a
 * conflict stops with markers, git's MERGE_HEAD, MERGE_MSG and
 * MERGE_MODE (so "git status" and a plain "git commit" do the right
 * thing) and the rest of the plan in the hotfix state directory, which
 * --continue and --abort read from a new process.
 */
#ifndef LIB_HOTFIX_MERGE_H
#define LIB_HOTFIX_MERGE_H

#include <git2.h>

#include "repo.h"

/* what a stopped finish must remember */
struct hotfix_state {
	char	*branch;	/* "hotfix/x" */
	char	*base;		/* as recorded in the branch config */
	char	*tag;		/* "v1.2.4" */
	char	*into;		/* "refs/heads/main" */
	char	*head;		/* HEAD before finish: ref name or commit id */
	char	*remote;
	git_oid	 tip;		/* the hotfix tip, tagged and merged */
	git_oid	 orig;		/* the release branch before the merge */
	git_oid	 tag_id;	/* the tag object made */
	int	 keep;
	int	 push;
	int	 made_tag;	/* 0: the tag was already on the tip */
};
#define HOTFIX_STATE_INIT { NULL, NULL, NULL, NULL, NULL, NULL, { { 0 } }, \
	{ { 0 } }, { { 0 } }, 0, 0, 0 }

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

void	 hotfix_state_release(struct hotfix_state *st);
/* helpers shared by the state and the merge: files in the git dir */
char	*hotfix_git_file(struct ctx *ctx, const char *name);
int	 hotfix_parse_oid(git_oid *out, const char *hex);
int	 hotfix_state_write(struct ctx *ctx, const struct hotfix_state *st);
/* E_REFUSED "no hotfix finish in progress" when there is none */
int	 hotfix_state_read(struct hotfix_state *out, struct ctx *ctx);
/* the same from text (changed in place); plan names it in messages */
int	 hotfix_state_parse(struct hotfix_state *out, char *text,
	    const char *plan);
void	 hotfix_state_remove(struct ctx *ctx);

/* "Merge branch 'hotfix/x'" (and " into <b>" as git does off main/master) */
char	*hotfix_merge_message(const char *branch, const char *into);

/*
 * Check out st->into and merge st->tip into it with a merge commit.
 * 0: merged, *merged is the new tip; 1: st->into already contains the
 * tip, nothing done; E_REFUSED: stopped on conflicts, state written.
 */
int	 hotfix_merge(git_oid *merged, struct ctx *ctx,
	    const struct hotfix_state *st);

/*
 * After a stop: commit the resolved index, or adopt the merge the user
 * committed with "git commit".  0 and *merged, or E_REFUSED.
 */
int	 hotfix_merge_continue(git_oid *merged, struct ctx *ctx,
	    const struct hotfix_state *st);

/*
 * After a stop: the release branch, index and worktree as before the
 * merge, our MERGE_* files removed, HEAD back where finish found it.
 */
int	 hotfix_merge_abort(struct ctx *ctx, const struct hotfix_state *st);

#endif
