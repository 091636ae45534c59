/*
 * The revert engine: reverting commits and whole release ranges as new
 * commits, in memory, with one worktree write and one compare-and-swap
 * ref update at the end; stopping on the first conflict with the rest
 * of the plan saved so that "git rollback --continue | --skip | --abort"
 * can finish it from a new process.
 *
 * Typical use (git rollback <target> --revert):
 *
 *	struct revert_opts o = REVERT_OPTS_INIT;
 *	struct revert_result res = REVERT_RESULT_INIT;
 *
 *	o.branch = "refs/heads/production";
 *	o.rollback_from = "v1.2.3"; o.rollback_to = "v1.2.2";
 *	o.reason = reason; o.squash = squash; o.dry_run = dry_run;
 *	o.reflog = "rollback: v1.2.3 -> v1.2.2";
 *	rc = revert_rollback(&res, ctx, &target_commit_id,
 *	    &running_commit_id, &o);
 *
 * With rollback_from set (a rollback) no summary and no undo line is
 * printed: the caller prints its own; skipped reverts and conflicts are
 * still reported.
 *
 * rc: 0 done (res.new_tip is the branch's new tip, res.old_tip what it
 * was; equal when every revert was empty), E_REFUSED refused or stopped
 * on a conflict (res.stopped says which; the conflict workflow is
 * printed), E_FATAL bad input.  With dry_run nothing at all is written,
 * not even objects: the plan is printed on stdout and res.new_tip is
 * left zero.
 *
 * The branch need not be checked out.  When it is not (or it is
 * checked out in no worktree at all), it is updated in memory and no
 * worktree is touched; a conflict then changes nothing and says to
 * check the branch out.  A branch checked out in another worktree is
 * refused.  When it is this worktree's HEAD, the worktree must be
 * clean and no operation in progress; the worktree is written once at
 * the end (a SAFE checkout of the changed paths).
 *
 * The caller holds the repository lock (repo_lock) when it wants one;
 * revert_run takes it when it is not held.
 */
#ifndef LIB_REVERT_H
#define LIB_REVERT_H

#include <stdio.h>

#include <git2.h>

#include "repo.h"
#include "strbuf.h"

struct revert_opts {
	const char	*branch;	/* full ref name; NULL: HEAD's branch */
	const char	*reason;	/* "Reason:" trailer, or NULL */
	const char	*rollback_from;	/* "Rollback: from -> to" trailer */
	const char	*rollback_to;	/* (both or neither) */
	const char	*reflog;	/* reflog message; NULL: a default */
	int		 squash;	/* one commit for the whole plan */
	unsigned int	 mainline;	/* parent for merges; 0: refuse */
	int		 first_parent;	/* walk ranges along first parents */
	int		 dry_run;	/* print the plan, change nothing */
	int		 quiet;		/* no progress, no summary lines */
	int		 restore;	/* internal: Reapply message */
	int		 json;		/* with dry_run: the plan as JSON */
};
#define REVERT_OPTS_INIT { NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 }

/* one commit to revert, and the parent it is reverted against (1-based) */
struct revert_item {
	git_oid		 id;
	unsigned int	 mainline;	/* 0 for an ordinary commit */
};

/* the commits to revert, in the order they are reverted (newest first) */
struct revert_plan {
	struct revert_item *items;
	size_t		 nr, alloc;
	git_oid		*seen;		/* every id pushed, hashed (revertplan.c) */
	size_t		 seen_nr, seen_cap;
};
#define REVERT_PLAN_INIT { NULL, 0, 0 }

struct revert_result {
	git_oid		 old_tip;	/* the branch before */
	git_oid		 new_tip;	/* the branch after (zero on dry run) */
	size_t		 committed;	/* revert commits made */
	size_t		 skipped;	/* reverts that changed nothing */
	int		 stopped;	/* 1: stopped on a conflict */
	/* not a rollback's: the branch, and the undo line printed (NULL
	   when it did not move or stopped); revert_result_release() */
	char		*branch;
	char		*undo;
};
#define REVERT_RESULT_INIT { { { 0 } }, { { 0 } }, 0, 0, 0, NULL, NULL }

void	 revert_result_release(struct revert_result *r);

void	 revert_plan_release(struct revert_plan *plan);

/*
 * Add the commits one argument names: "A..B" (every commit reachable
 * from B and not from A, newest first; along first parents only with
 * opts->first_parent) or a single commit.  A commit already planned is
 * not added twice.  Merges take opts->mainline, or parent 1 with
 * first_parent; a merge without either is refused like git does
 * (E_FATAL), and so is --mainline for a single non-merge commit.
 */
int	 revert_plan_add(struct revert_plan *plan, struct ctx *ctx,
	    const char *arg, const struct revert_opts *opts);

/* target..running along the first-parent chain, merges against parent 1 */
int	 revert_plan_rollback(struct revert_plan *plan, git_repository *repo,
	    const git_oid *target, const git_oid *running);

/* print "revert <abbrev> <subject>" lines, one per planned commit */
int	 revert_plan_print(FILE *fp, git_repository *repo,
	    const struct revert_plan *plan);

/*
 * Messages, exactly as git writes them (subject = first non-blank line
 * of the message; a revert of a revert says Reapply as git >= 2.43):
 *
 *	Revert "<subject>"
 *
 *	This reverts commit <full id>.		(", reversing\nchanges made
 *						 to <parent>." for merges)
 *
 *	Rollback: <from> -> <to>		(when given)
 *	Reason: <text>				(when given)
 */
void	 revert_subject_line(struct strbuf *out, const char *message);
void	 revert_message(struct strbuf *out, const char *orig_message,
	    const git_oid *id, const git_oid *parent,
	    const struct revert_opts *opts);
/*
 * The squash message: "Rollback <from> to <to>" (or "Revert <n>
 * commits"), then "This reverts the following commits:" and one
 * "<full id> <subject>" line each, then the trailers.  ids and
 * messages are parallel arrays of n.
 */
void	 revert_squash_message(struct strbuf *out, size_t n,
	    const git_oid *ids, const char *const *messages,
	    const struct revert_opts *opts);
/*
 * restore: find "This reverts commit <id>" (and ", reversing\nchanges
 * made to <parent>") in a revert's message: 0 found, 1 not.
 */
int	 revert_parse_reverted(git_oid *orig, git_oid *parent,
	    int *has_parent, const char *message);
/* Reapply "<original subject>", "This reverts commit <revert>.", trailers */
void	 revert_reapply_message(struct strbuf *out, const char *orig_message,
	    const git_oid *revert_id, const struct revert_opts *opts);
/* the trailers block alone ("" when there is none) */
void	 revert_trailers(struct strbuf *out, const struct revert_opts *opts);

/* Run a plan on opts->branch (see the top of this file). */
int	 revert_run(struct revert_result *out, struct ctx *ctx,
	    const struct revert_plan *plan, const struct revert_opts *opts);

/* revert_plan_rollback + revert_run: git rollback <target> --revert */
int	 revert_rollback(struct revert_result *out, struct ctx *ctx,
	    const git_oid *target, const git_oid *running,
	    const struct revert_opts *opts);

/*
 * What revert_run would do with plan on the commit onto, computed by the
 * same engine in memory and writing nothing, not even objects
 * (lib/revert-predict.c): the reverts that change something and those
 * that would be skipped, the first conflict it would stop on (the
 * commit and the paths) or the tree it would end on.
 */
struct revert_prediction {
	size_t		 reverted;	/* reverts that change something */
	size_t		 skipped;	/* reverts that change nothing */
	int		 conflict;	/* 1: would stop on conflict_commit */
	git_oid		 conflict_commit;
	struct strlist	 conflict_paths;
	git_oid		 tree;		/* the end tree when no conflict */
};

int	 revert_predict(struct revert_prediction *out, struct ctx *ctx,
	    const struct revert_plan *plan, const git_oid *onto);
void	 revert_prediction_release(struct revert_prediction *p);

/*
 * git rollback restore: revert a revert commit after checking that it
 * is one (its "This reverts commit <id>" line, and its change is
 * exactly the inverse of <id>'s).  Message: Reapply "<subject>".
 */
int	 revert_restore(struct revert_result *out, struct ctx *ctx,
	    const char *spec, const struct revert_opts *opts);

/*
 * The stopped-operation commands (lib/sequencer.c).  Each refuses
 * (E_REFUSED) when no revert sequence of ours is in progress.
 */
int	 sequencer_in_progress(struct ctx *ctx);
int	 sequencer_continue(struct revert_result *out, struct ctx *ctx);
int	 sequencer_skip(struct revert_result *out, struct ctx *ctx);
int	 sequencer_abort(struct ctx *ctx);
/*
 * The abort of a sequence that ended (its state gone) but whose journal
 * is still there: ref from cur back to old, the paths they differ in
 * put back in the worktree when ref is checked out.
 */
int	 sequencer_abort_ended(struct ctx *ctx, const char *ref,
	    const git_oid *old, const git_oid *cur);

/*
 * A revert or restore of its own is journalled (lib/revert-journal.c),
 * op "revert" or "restore", one revert step; its sequence's state is a
 * file beside the journal.  revert_journal_plan builds that plan;
 * revert_journal_end marks the step as the run left it (stopped, done:
 * the journal removed) and returns rc; revert_journal_finish is
 * --continue, --skip or --abort of such a journal (j loaded).
 */
struct journal;
struct plan;
enum { REVERT_CONTINUE = 1, REVERT_SKIP, REVERT_ABORT };
void	 revert_journal_plan(struct plan *p, struct ctx *ctx,
	    const char *branch, const git_oid *tip,
	    const struct revert_plan *plan, const struct revert_opts *opts);
int	 revert_journal_end(struct journal *j, struct ctx *ctx,
	    const struct revert_result *res, int rc);
int	 revert_journal_finish(struct revert_result *out, struct ctx *ctx,
	    struct journal *j, int mode);
/* --dry-run: the plan revert_journal_plan makes, its commits as notes */
int	 revert_dry_run(struct ctx *ctx, const char *branch, const git_oid *tip,
	    const struct revert_plan *plan, const struct revert_opts *opts,
	    int checked_out);

/*
 * Test hook: when the environment variable GIT_ROLLBACK_TEST_KILL names
 * a step of the write phase ("state", "checkout", "ref", "conflict",
 * "stopped"), the engine sends itself SIGKILL right after that step, so
 * tests can prove that --abort and --continue recover from a crash.
 */
void	 revert_test_kill(const char *step);

#endif
