/*
 * git rollback <target>: the plan and the rollback itself, in DESIGN.md's
 * order of effects: every check without side effects first (including
 * ls-remote for a lease), then the git change and its atomic push, then
 * migrations down, then the deploy hook, then the record and the bad
 * mark, so that a failure never leaves production and the record
 * disagreeing.
 */
#ifndef LIB_ROLLBACK_H
#define LIB_ROLLBACK_H

#include <git2.h>

#include "checklist.h"
#include "repo.h"

enum rollback_strategy {
	ROLLBACK_BRANCH = 1,	/* rollback/<running> at the target */
	ROLLBACK_RESET,		/* the production branch to the target */
	ROLLBACK_REVERT,	/* revert commits on the production branch */
	ROLLBACK_DEPLOY_ONLY,	/* no git change */
};

struct rollback_opts {
	const char	*target;	/* NULL: the last good release */
	const char	*env;
	const char	*reason;	/* NULL: ask the editor (terminal only) */
	enum rollback_strategy strategy;
	int		 squash;	/* --revert --squash */
	int		 migrate;	/* run the down commands */
	int		 ignore_migrations;
	int		 force;		/* a target marked bad */
	int		 no_hook;
	int		 push;
	int		 yes;		/* do not ask */
	int		 dry_run;
	int		 no_fetch;
	int		 no_verify;	/* skip deploy.<env>.verifyCommand */
	/* the automatic rollback of a deploy that did not verify */
	const char	*from;		/* the failed release, not the running */
	const char	*trigger;	/* the failed entry's id */
	int64_t		 verify_timeout_ms; /* 0: deploy.<env>.verifyTimeout */
	int		 automatic;	/* its caller tells what happened */
	int		 no_hold;	/* --no-hold: env is not held at target */
	int		 json;		/* --json: the run as a plan, on stdout */
};
#define ROLLBACK_OPTS_INIT { NULL, NULL, NULL, ROLLBACK_BRANCH, 0, 0, 0, \
	0, 0, 0, 0, 0, 0 }

const char *rollback_strategy_name(enum rollback_strategy s);

/*
 * The branch --branch would create: rollback/<from_tag> for production,
 * rollback/<env>/<from_tag> for any other environment, or -2, -3...
 * when taken here (or, with remote, on the remote).
 */
int	 rollback_branch_name(char **out, struct ctx *ctx, const char *env,
	    const char *from_tag, int remote);

/* the whole rollback; 0, E_REFUSED, E_FATAL or E_USAGE (no reason) */
int	 rollback_run(struct ctx *ctx, const struct rollback_opts *o);

/*
 * A rollback killed or stopped (a --revert on a conflict) leaves its
 * journal (op rollback); "git rollback --continue"
 * finishes it from the first step not made (sequence_ended: a revert
 * sequence of it has just been finished by this process), "--abort"
 * undoes the steps made, newest first.  E_REFUSED, said, when there is
 * none.
 */
struct plan;
/* out (may be NULL): the plan as it ended, for --json (free it) */
int	 rollback_continue(struct ctx *ctx, int sequence_ended,
	    struct plan **out);
int	 rollback_abort(struct ctx *ctx, struct plan **out);
/*
 * git rollback --continue | --skip | --abort (mode REVERT_CONTINUE,
 * REVERT_SKIP, REVERT_ABORT of revert.h): whatever the journal holds,
 * a revert or restore of its own, or a rollback (its revert sequence
 * first).  A rollback-state/ of an older version is refused, named.
 */
int	 rollback_finish(struct ctx *ctx, int mode, int json);

/*
 * The reason from the editor git would use (git var GIT_EDITOR), with
 * lines starting with '#' dropped; E_USAGE when it comes back empty.
 * about: the template's question.
 */
int	 rollback_reason_edit(char **out, struct ctx *ctx, const char *about);

#endif
