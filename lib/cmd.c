/*
 * main() for the three commands.
 */
#include <string.h>

#include <git2.h>

#include "cmd.h"
#include "opts.h"
#include "banned.h"

static const struct subcommand *
find(const struct subcommand *subs, const char *name)
{
	for (; subs->name != NULL; subs++)
		if (strcmp(subs->name, name) == 0)
			return subs;
	return NULL;
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

	if (s == NULL && dflt == NULL) {
		/* -h, --version; then it must be a subcommand */
		argc = parse_options(argc, argv, opts, usage,
		    PARSE_OPT_STOP_AT_NON_OPTION);
		if (argc == 0)
			usage_with_options(usage, opts, 0);
		usage_error(usage, opts, "unknown subcommand: `%s'", argv[0]);
	}
	git_libgit2_init();
	rc = s != NULL ? s->fn(argc - 1, argv + 1, &ctx) :
	    dflt(argc, argv, &ctx);
	ctx_release(&ctx);
	git_libgit2_shutdown();
	return exit_code(rc);
}
