/*
 * git release: cut SemVer release tags, list them in true SemVer order,
 * record deployments, answer what is running, mark bad releases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "lib/opts.h"
#include "lib/repo.h"

static const char *const release_usage[] = {
	"git release cut [--major | --minor | --patch | <version>] [--pre <id>] [-m <msg>] [-s | -u <key>] [--push] [--dry-run]",
	"git release list [-n <count>] [--pre] [--json]",
	"git release current [--env <env>] [--json]",
	"git release deploy <tag> [--env <env>] [-m <msg>] [--force] [--no-hook] [--push] [--dry-run]",
	"git release history [--env <env>] [-n <count>] [--json]",
	"git release notes [<from>..<to>]",
	"git release yank [--undo] <tag> -m <reason> [--push]",
	NULL
};

static int
not_yet(const char *what)
{
	return error_fatal("'git release %s' is not implemented yet", what);
}

/* --- cut, list, notes --- */

static int
cmd_cut(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("cut");
}

static int
cmd_list(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("list");
}

static int
cmd_notes(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("notes");
}

/* --- deploy, current, history, yank --- */

static int
cmd_deploy(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("deploy");
}

static int
cmd_current(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("current");
}

static int
cmd_history(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("history");
}

static int
cmd_yank(int argc, const char **argv, struct ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return not_yet("yank");
}

/* --- dispatch --- */

static const struct subcommand {
	const char	*name;
	int		(*fn)(int, const char **, struct ctx *);
} subcommands[] = {
	{ "cut", cmd_cut },
	{ "list", cmd_list },
	{ "current", cmd_current },
	{ "deploy", cmd_deploy },
	{ "history", cmd_history },
	{ "notes", cmd_notes },
	{ "yank", cmd_yank },
	{ NULL, NULL }
};

int
main(int argc, const char **argv)
{
	const struct option opts[] = { OPT_END() };
	struct ctx ctx = CTX_INIT;
	const struct subcommand *s;
	int rc;

	argc = parse_options(argc, argv, opts, release_usage,
	    PARSE_OPT_STOP_AT_NON_OPTION);
	if (argc == 0)
		usage_with_options(release_usage, opts, 0);
	for (s = subcommands; s->name != NULL; s++)
		if (strcmp(s->name, argv[0]) == 0)
			break;
	if (s->name == NULL)
		usage_error(release_usage, opts, "unknown subcommand: `%s'",
		    argv[0]);
	git_libgit2_init();
	rc = s->fn(argc, argv, &ctx);
	ctx_release(&ctx);
	git_libgit2_shutdown();
	return exit_code(rc);
}
