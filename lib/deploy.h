/*
 * git release deploy and git release yank, the commands' work: the
 * commands parse options and open the repository, these do the rest
 * and print what they did (or, dry, would do) and the undo line.
 */
#ifndef LIB_DEPLOY_H
#define LIB_DEPLOY_H

#include "deploylog.h"
#include "repo.h"

struct deploy_opts {
	const char	*env;
	const char	*message;	/* the reason, may be NULL */
	int		 force;		/* deploy a release marked bad */
	int		 no_hook;
	int		 push;
	int		 dry_run;
	int		 new_env;	/* o->env may be unknown: declare it */
	int		 no_verify;	/* skip deploy.<env>.verifyCommand */
	int		 rollback;	/* 1 --rollback-on-failure, -1 --no-, 0 config */
	int		 json;		/* the outcome as one JSON object */
	int		 latest;	/* the newest good release (no name) */
	int		 lift_hold;	/* deploy past a hold, lifting it */
	int		 allow_downgrade; /* an older release: as a rollback */
	int		 migrate;	/* with it: run the down commands */
	int		 ignore_migrations;
};
#define DEPLOY_OPTS_INIT { DEFAULT_ENV, NULL, 0, 0, 0, 0, 0, 0, 0, 0 }

/* deploy the release name (prefix optional) to o->env */
int	 deploy_release(struct ctx *ctx, const struct deploy_opts *o,
	    const char *name);

struct yank_opts {
	int		 undo;		/* lift marks */
	const char	*reason;	/* required to mark; --undo: only those */
	int		 push;
	int		 dry_run;
	const char	*env;		/* the mark's; --undo: only its marks */
	int		 json;		/* the plan (and what was done) as JSON */
};
#define YANK_OPTS_INIT { 0, NULL, 0, 0, NULL, 0 }

/*
 * Add a mark (o->env, o->reason) to the release name, or lift its marks
 * (all, or those of o->env, or with o->reason)
 */
int	 yank_release(struct ctx *ctx, const struct yank_opts *o,
	    const char *name);

#endif
