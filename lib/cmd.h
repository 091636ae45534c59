/*
 * The glue every executable shares: find the subcommand, set up
 * libgit2, run it with a fresh context, turn its code into an exit
 * status.  A command file keeps its table and its main() is one call.
 */
#ifndef LIB_CMD_H
#define LIB_CMD_H

#include "repo.h"

struct subcommand {
	const char	*name;
	int		(*fn)(int argc, const char **argv, struct ctx *ctx);
};

/*
 * argv[1] names an entry of subs (NULL-terminated): run it with argv
 * from the name on.  Otherwise run dflt with the whole command line, or
 * without one, print the usage (-h, --version and no subcommand handled
 * as git does; an unknown one is exit 129).  Returns the exit status.
 */
int	 cmd_main(int argc, const char **argv, const struct subcommand *subs,
	    const char *const *usage,
	    int (*dflt)(int argc, const char **argv, struct ctx *ctx));

#endif
