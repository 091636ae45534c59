/*
 * Deploy hooks: deploy.<env>.command, run through "sh -c" in the
 * worktree's top directory on every deploy and rollback, its inputs in
 * the environment only, its output streamed to the user (stderr).
 */
#ifndef LIB_HOOK_H
#define LIB_HOOK_H

#include "repo.h"
#include "semver.h"

struct hook_vars {
	const char	*env;		/* DEPLOY_ENV */
	const char	*tag;		/* RELEASE_TAG */
	const struct semver *v;		/* RELEASE_VERSION: the tag's version */
	const char	*commit;	/* RELEASE_COMMIT, full hex */
	const char	*kind;		/* DEPLOY_KIND: deploy | rollback */
	const char	*reason;	/* DEPLOY_REASON, may be NULL */
	const char	*from;		/* ROLLBACK_FROM, rollbacks only */
};

/* the variables above as "NAME=value" strings, appended to out */
void	 hook_env(struct strlist *out, struct ctx *ctx,
	    const struct hook_vars *vars);

/* the configured command for env, or NULL */
const char *hook_command(struct ctx *ctx, const char *env);

/*
 * Run env's hook.  0 when it succeeded or none is configured; E_REFUSED
 * with "error: deploy hook for 'env' failed (exit N)" otherwise.
 */
int	 hook_run(struct ctx *ctx, const struct hook_vars *vars);

#endif
