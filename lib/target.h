/*
 * What a rollback goes from and to: the running version of an
 * environment, the target (given, or the last good release), and what
 * lies between them: the commits and the release tags.
 */
#ifndef LIB_TARGET_H
#define LIB_TARGET_H

#include <stdint.h>

#include <git2.h>

#include "deploylog.h"
#include "release.h"
#include "repo.h"

struct rollback_range {
	struct release_list	 releases;
	struct marks		 marks;
	const char		*env;
	const struct release	*running;
	const struct release	*target;
	int			 running_logged;  /* from the log, not a branch */
	int64_t			 running_time;    /* when logged */
	int			 target_deployed; /* ever deployed to env */
	const char		*target_bad;      /* its bad mark's reason */
	git_oid			*commits;         /* target..running, newest first,
						     the component's only */
	size_t			 commits_nr;
	size_t			 others_nr;       /* other components' commits
						     in target..running */
	const struct release	**between;        /* (target, running], newest first */
	size_t			 between_nr;
	const char		*from;            /* set before loading: roll back
						     from this release, not the
						     running one (a failed
						     attempt) */
};
#define ROLLBACK_RANGE_INIT { RELEASE_LIST_INIT, MARKS_INIT, NULL, NULL, \
	NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0 }

/* a target marked bad is not refused (check reports it instead) */
#define RANGE_ALLOW_BAD	0x01

/*
 * Find the running version of env and the target (name, or NULL for the
 * last good release) and what lies between.  Refusals (E_REFUSED): no
 * running version, a target not older than it, a target marked bad
 * (unless RANGE_ALLOW_BAD), no good release left.  E_FATAL: unknown
 * target, bad environment name.
 */
int	 rollback_range_load(struct rollback_range *out, struct ctx *ctx,
	    const char *env, const char *target, int flags);
void	 rollback_range_release(struct rollback_range *r);

/* the default target: newest stable below running not marked bad */
const struct release *rollback_default_target(const struct release_list *l,
	    const struct marks *marks, const struct release *running);

/*
 * The branch that --reset and --revert move for env (its short name),
 * or NULL when env has none: deploy.<env>.branch, for production
 * rollback.branch by default (env_branch()).  Every rollback path asks
 * here.
 */
const char *rollback_env_branch(struct ctx *ctx, const char *env);

/* that branch, seen from the running release */
struct target_branch {
	const char	*name;		/* NULL: env has no branch */
	char		*refname;	/* refs/heads/<name> */
	int		 exists;
	git_oid		 tip;
	int		 contains_running;	/* running is tip or behind it */
	git_oid		*drops;		/* on it, not in running, newest first */
	size_t		 drops_nr;
};
#define TARGET_BRANCH_INIT { NULL, NULL, 0, { { 0 } }, 0, NULL, 0 }

/*
 * Look at env's branch: does it exist, does it contain the running
 * release, and which of its commits the running release lacks (what a
 * reset would drop).  A branch that is missing is no error.
 */
int	 target_branch_load(struct target_branch *out, struct ctx *ctx,
	    const char *env, const struct release *running);
void	 target_branch_release(struct target_branch *b);

#endif
