/*
 * main() for the three commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "cmd.h"
#include "opts.h"
#include "pager.h"
#include "startup.h"
#include "banned.h"

static const struct subcommand *
find(const struct subcommand *subs, const char *name)
{
	for (; subs->name != NULL; subs++)
		if (strcmp(subs->name, name) == 0)
			return subs;
	return NULL;
}

/*
 * --git-completion-helper before any subcommand: the subcommands, then
 * the options of the default command when there is one (its own parser
 * prints them and exits), else --version.
 */
static int
is_helper(const char *arg)
{
	return strncmp(arg, "--git-completion-helper",
	    strlen("--git-completion-helper")) == 0;
}

static int
print_subcommands(const struct subcommand *subs, const char *arg,
    int has_default)
{
	if (strcmp(arg, "--git-completion-helper-args") != 0) {
		for (; subs->name != NULL; subs++)
			printf("%s ", subs->name);
		if (!has_default)
			printf("--version\n");
	}
	return 0;
}

/* "git release deploy v1.2.3 --push", each word as sh reads it */
static char *
command_line(int argc, const char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	const char *name = strrchr(argv[0], '/');
	int i;

	name = name != NULL ? name + 1 : argv[0];
	if (strncmp(name, "git-", 4) == 0)
		strbuf_addf(&sb, "git %s", name + 4);
	else
		strbuf_add_shquoted(&sb, name);
	for (i = 1; i < argc; i++) {
		strbuf_addch(&sb, ' ');
		strbuf_add_shquoted(&sb, argv[i]);
	}
	return strbuf_detach(&sb, NULL);
}

int
cmd_main(int argc, const char **argv, const struct subcommand *subs,
    const char *const *usage,
    int (*dflt)(int argc, const char **argv, struct ctx *ctx))
{
	const struct option opts[] = { OPT_END() };
	const struct subcommand *s = argc > 1 ? find(subs, argv[1]) : NULL;
	struct ctx ctx = CTX_INIT;
	int rc;

	if (argc > 1 && is_helper(argv[1])) {
		print_subcommands(subs, argv[1], dflt != NULL);
		if (dflt == NULL)
			return 0;
	}
	if (s == NULL && dflt == NULL) {
		/* -h, --version; then it must be a subcommand */
		argc = parse_options(argc, argv, opts, usage,
		    PARSE_OPT_STOP_AT_NON_OPTION);
		if (argc == 0)
			usage_with_options(usage, opts, 0);
		usage_error(usage, opts, "unknown subcommand: `%s'", argv[0]);
	}
	libgit2_start();
	ctx.cmdline = command_line(argc, argv);
	rc = s != NULL ? s->fn(argc - 1, argv + 1, &ctx) :
	    dflt(argc, argv, &ctx);
	pager_finish(&ctx);
	ctx_release(&ctx);
	git_libgit2_shutdown();
	return exit_code(rc);
}
