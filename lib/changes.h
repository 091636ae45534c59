/*
 * What changed between two commits that a release engineer must know:
 * migration files added (and modified) under the migration paths, and
 * files changed under the config paths.  Feeds the Migration: and
 * Config: trailers of cut and hotfix finish, and rollback check.
 */
#ifndef LIB_CHANGES_H
#define LIB_CHANGES_H

#include <git2.h>

#include "repo.h"

struct changes {
	struct strlist	 migrations_added;	/* paths, in path order */
	struct strlist	 migrations_modified;	/* paths */
	struct strlist	 config_changed;	/* paths */
	struct strlist	 config_stat;		/* " M config/app.yml | 3 +-" style lines */
};
#define CHANGES_INIT { STRLIST_INIT, STRLIST_INIT, STRLIST_INIT, STRLIST_INIT }

/* from may be NULL (the empty tree): the first release */
int	 changes_between(struct changes *out, struct ctx *ctx,
	    const git_oid *from, const git_oid *to);
void	 changes_release(struct changes *c);

/* does path lie under one of the patterns ("db/migrate/", "* /migrations/")? */
int	 path_under(const char *path, const struct strlist *patterns);

/* a migration id: the file name without its extension */
char	*migration_id(const char *path);

#endif
