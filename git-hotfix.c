/*
 * git hotfix: start a fix from any stable release, finish it with the
 * next free patch tag and a merge back into the release branch.
 */
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "lib/opts.h"
#include "lib/repo.h"

static const char *const hotfix_usage[] = {
	"git hotfix start <name> [<base>] [--dry-run]",
	"git hotfix finish [<name>] [--version <v>] [-m <msg>] [-s | -u <key>] [--keep] [--no-merge] [--push] [-y] [--dry-run]",
	"git hotfix finish --continue | --abort",
	"git hotfix list [--json]",
	NULL
};

int
main(int argc, const char **argv)
{
	const struct option opts[] = { OPT_END() };

	parse_options(argc, argv, opts, hotfix_usage,
	    PARSE_OPT_STOP_AT_NON_OPTION);
	return exit_code(error_fatal("'git hotfix' is not implemented yet"));
}
