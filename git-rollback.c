/*
 * git rollback: get production back to the last good release: the
 * pre-rollback checklist, four rollback strategies, reverts of commits
 * and ranges that stop on conflicts and can be resumed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "lib/opts.h"
#include "lib/repo.h"

static const char *const rollback_usage[] = {
	"git rollback check [<target>] [--env <env>] [--json]",
	"git rollback [<target>] -m <reason> [--branch | --reset | --revert [--squash] | --deploy-only] [--env <env>] [--migrate | --ignore-migrations] [--no-hook] [--push] [-y] [--dry-run]",
	"git rollback revert <commit | A..B>... [-m <reason>] [--squash] [--mainline <n>] [--first-parent]",
	"git rollback restore <revert-commit> [-m <reason>]",
	"git rollback --continue | --skip | --abort",
	NULL
};

static int
not_yet(const char *what)
{
	return error_fatal("'git rollback %s' is not implemented yet", what);
}

/* --- check and the rollback itself --- */

static int
cmd_check(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("check");
}

static int
cmd_rollback(int argc, const char **argv, struct ctx *ctx)
{
	const struct option opts[] = { OPT_END() };

	(void)ctx;
	argc = parse_options(argc, argv, opts, rollback_usage, 0);
	return not_yet("");
}

/* --- revert, restore, --continue, --skip, --abort --- */

static int
cmd_revert(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("revert");
}

static int
cmd_restore(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("restore");
}

/* --continue, --skip, --abort: argv[0] is the option */
static int
cmd_sequencer(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet(argv[0]);
}

/* --- dispatch --- */

static const struct subcommand {
	const char	*name;
	int		(*fn)(int, const char **, struct ctx *);
} subcommands[] = {
	{ "check", cmd_check },
	{ "revert", cmd_revert },
	{ "restore", cmd_restore },
	{ "--continue", cmd_sequencer },
	{ "--skip", cmd_sequencer },
	{ "--abort", cmd_sequencer },
	{ NULL, NULL }
};

int
main(int argc, const char **argv)
{
	const struct subcommand *s = subcommands;
	struct ctx ctx = CTX_INIT;
	int rc;

	if (argc > 1)
		for (; s->name != NULL; s++)
			if (strcmp(s->name, argv[1]) == 0)
				break;
	git_libgit2_init();
	/* the rollback itself takes the whole command line */
	if (argc > 1 && s->name != NULL)
		rc = s->fn(argc - 1, argv + 1, &ctx);
	else
		rc = cmd_rollback(argc, argv, &ctx);
	ctx_release(&ctx);
	git_libgit2_shutdown();
	return exit_code(rc);
}
