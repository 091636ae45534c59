/*
 * Deployment environments: which ones exist, and what each one moves.
 *
 * An environment is known when it has any deploy.<env>.* config key or
 * a deployment log (refs/deploy/log/<env>, here or fetched from the
 * remote); production always is.  Every command that takes --env asks
 * env_require() first, so a typo is an error rather than a new record.
 */
#ifndef LIB_ENV_H
#define LIB_ENV_H

#include <stddef.h>

#include "deploylog.h"
#include "release.h"
#include "repo.h"
#include "strbuf.h"

/* every known environment, in name order, each once */
int	 env_known(struct strlist *out, struct ctx *ctx);

/* env_require(): a valid name that is not known yet is allowed */
#define ENV_ALLOW_NEW	0x01

/*
 * 0 when env is a valid, known environment.  E_FATAL, said, otherwise:
 * "unknown environment 'prodution'", a did-you-mean hint when a known
 * name is close, and the list of known ones.
 */
int	 env_require(struct ctx *ctx, const char *env, unsigned flags);

/*
 * The branch --reset and --revert move for env, short name: production's
 * is deploy.production.branch, else rollback.branch (production); any
 * other environment's is deploy.<env>.branch, else NULL (it has none).
 */
const char *env_branch(struct ctx *ctx, const char *env);

/* the config key that gives env its branch, for messages */
char	*env_branch_key(const char *env);

/*
 * What git release envs shows: one row per (environment, component)
 * the log names; with components declared, each component without an
 * entry there a row too (what the environment's branch runs by that
 * component's tags), else an environment without any entry one row of
 * its own.
 */
struct env_row {
	char			*env;
	struct deploy_entry	 entry;	/* its newest succeeded entry;
					   tag NULL: none */
	const struct release	*running; /* entry's release, or from the
					     branch; NULL: nothing known */
	const char		*hook;	/* deploy.<env>.command, or NULL */
	const char		*branch; /* env_branch() */
};

struct env_rows {
	struct env_row	*items;		/* environment, then component order */
	size_t		 nr;
	size_t		 alloc;
	/* per declared component, its releases: what running points into */
	struct release_list *lists;
	char		*loaded;
	size_t		 lists_nr;
};
#define ENV_ROWS_INIT { NULL, 0, 0, NULL, NULL, 0 }

int	 env_rows_load(struct env_rows *out, struct ctx *ctx,
	    const struct release_list *l);
void	 env_rows_release(struct env_rows *rows);

/* the Damerau-Levenshtein distance (adjacent swaps cost 1), for hints */
size_t	 env_distance(const char *a, const char *b);

#endif
