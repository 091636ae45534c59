/* The pager: see pager.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "pager.h"
#include "spawn.h"
#include "banned.h"

int
pager_in_use(void)
{
	const char *v = getenv("GIT_PAGER_IN_USE");
	int b;

	return v != NULL && git_config_parse_bool(&b, v) == 0 && b;
}

/* pager.<command>: -1 unset, 0 false, 1 true; *cmd a pager to use */
static int
pager_config(struct ctx *ctx, const char *command, const char **cmd)
{
	char *key = xstrfmt("pager.%s", command);
	const char *v = config_get(&ctx->cfg, key);
	int b, ret = -1;

	*cmd = NULL;
	if (v != NULL && git_config_parse_bool(&b, v) == 0)
		ret = b;
	else if (v != NULL) {
		*cmd = v;
		ret = 1;
	}
	git_error_clear();
	free(key);
	return ret;
}

void
pager_start(struct ctx *ctx, const char *command)
{
	const char *args[] = { "var", "GIT_PAGER", NULL };
	struct strbuf pager = STRBUF_INIT;
	const char *cmd;
	int fd[2];
	pid_t pid;

	if (!isatty(1) || pager_in_use() ||
	    pager_config(ctx, command, &cmd) == 0)
		return;
	/* as git's: GIT_PAGER first, then pager.<command>, then the rest */
	if (cmd != NULL && getenv("GIT_PAGER") == NULL)
		strbuf_addstr(&pager, cmd);
	else if (run_git_quiet(&pager, args) != 0)
		goto out;
	strbuf_rtrim(&pager);
	if (pager.len == 0 || strcmp(pager.buf, "cat") == 0)
		goto out;
	fflush(stdout);
	if (pipe(fd) < 0)
		goto out;
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		goto out;
	}
	if (pid == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		setenv("LESS", "FRX", 0);
		setenv("LV", "-c", 0);
		execl("/bin/sh", "sh", "-c", pager.buf, (char *)NULL);
		_exit(127);
	}
	dup2(fd[1], 1);
	close(fd[0]);
	close(fd[1]);
	setenv("GIT_PAGER_IN_USE", "true", 1);
	ctx->pager_pid = pid;
out:
	strbuf_release(&pager);
}

void
pager_finish(struct ctx *ctx)
{
	int status;

	if (ctx->pager_pid <= 0)
		return;
	fflush(stdout);
	close(1);
	while (waitpid(ctx->pager_pid, &status, 0) < 0)
		;
	ctx->pager_pid = 0;
}
