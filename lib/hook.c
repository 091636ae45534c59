/*
 * Deploy hooks.  The command is the user's, so it runs through "sh -c"
 * as git runs aliases; what it deploys reaches it only through the
 * environment, so a tag or a reason can never be read as shell syntax.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "hook.h"
#include "spawn.h"
#include "banned.h"

const char *
hook_command(struct ctx *ctx, const char *env)
{
	char *key = xstrfmt("deploy.%s.command", env);
	const char *cmd = config_get(&ctx->cfg, key);

	free(key);
	if (cmd != NULL && *cmd == '\0')
		return NULL;
	return cmd;
}

void
hook_env(struct strlist *env, struct ctx *ctx,
    const struct hook_vars *vars)
{
	struct strbuf version = STRBUF_INIT;

	strlist_add_nodup(env, xstrfmt("RELEASE_TAG=%s", vars->tag));
	semver_format(&version, vars->v);
	strlist_add_nodup(env, xstrfmt("RELEASE_VERSION=%s", version.buf));
	strbuf_release(&version);
	strlist_add_nodup(env, xstrfmt("RELEASE_COMMIT=%s", vars->commit));
	strlist_add_nodup(env, xstrfmt("DEPLOY_ENV=%s", vars->env));
	strlist_add_nodup(env, xstrfmt("DEPLOY_KIND=%s", vars->kind));
	strlist_add_nodup(env, xstrfmt("DEPLOY_REASON=%s",
	    vars->reason ? vars->reason : ""));
	if (vars->from != NULL)
		strlist_add_nodup(env, xstrfmt("ROLLBACK_FROM=%s",
		    vars->from));
	if (ctx->set.component != NULL)
		strlist_add_nodup(env, xstrfmt("DEPLOY_COMPONENT=%s",
		    ctx->set.component->name));
}

int
hook_run(struct ctx *ctx, const struct hook_vars *vars)
{
	const char *cmd = hook_command(ctx, vars->env);
	struct strlist env = STRLIST_INIT;
	int rc;

	if (cmd == NULL) {
		/* a record of a deployment nobody made must not look like one */
		warning("no deploy hook for '%s' (deploy.%s.command): recorded "
		    "only, nothing deployed", vars->env, vars->env);
		return 0;
	}
	hook_env(&env, ctx, vars);
	info("running the deploy hook for '%s'", vars->env);
	rc = run_shell(cmd, git_repository_workdir(ctx->repo),
	    (const char *const *)env.items);
	strlist_release(&env);
	if (rc == 0)
		return 0;
	if (rc < 0)
		return E_REFUSED;
	return error("deploy hook for '%s' failed (exit %d)", vars->env, rc);
}
