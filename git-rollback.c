/*
 * git rollback: get production back to the last good release: the pre-rollback
 * checklist, four rollback strategies, reverts that can be resumed.
 */
#include <stdio.h>

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

int
main(int argc, const char **argv)
{
	const struct option opts[] = { OPT_END() };

	parse_options(argc, argv, opts, rollback_usage,
	    PARSE_OPT_STOP_AT_NON_OPTION);
	return exit_code(error_fatal("'git rollback' is not implemented yet"));
}
