/*
 * The database migrations a rollback must undo: the migration files added
 * between two releases merged with the Migration: trailers of the release
 * tags in between, each exactly once, newest first, and the loop that
 * runs rollback.migrateDownCommand for each of them.
 */
#ifndef LIB_MIGRATE_H
#define LIB_MIGRATE_H

#include <stddef.h>

#include <git2.h>

#include "repo.h"
#include "strbuf.h"

struct migration {
	char		*id;		/* MIGRATION_ID */
	char		*version;	/* MIGRATION_VERSION, "" when none */
	char		*path;		/* the file added, NULL: trailer only */
	char		*release;	/* the tag whose trailer names it, or NULL */
	size_t		 order;		/* release order: 0 is the newest */
};

struct migration_list {
	struct migration *items;	/* newest first after migrations_sort() */
	size_t		 nr;
	size_t		 alloc;
};
#define MIGRATION_LIST_INIT { NULL, 0, 0 }

void	 migration_list_release(struct migration_list *l);

/*
 * Parse the value of a "Migration:" trailer, in the suite's form
 * ("20240115120000_add_users") or the free form
 * ("add_users (timestamp: 20240115120000)").  *id and *version are
 * allocated; *version is "" when there is none.  E_FATAL without a
 * message when the value is empty.
 */
int	 migration_parse_trailer(char **id, char **version, const char *value);

/* the leading run of digits of name ("" when none), allocated */
char	*migration_leading_version(const char *name);

/*
 * Add a migration file (path, its id = file name without extension) or
 * a trailer value of release tag (order: 0 for the newest release);
 * a trailer and a file are the same migration when the file's path
 * contains the trailer's id or its version.  Files first, then trailers.
 */
void	 migrations_add_file(struct migration_list *l, const char *path,
	    const char *id, size_t order);
void	 migrations_add_trailer(struct migration_list *l, const char *value,
	    const char *release, size_t order);

/*
 * Newest first: by MIGRATION_VERSION compared as a number (none is
 * oldest), then by release order (newest release first), then by id.
 */
void	 migrations_sort(struct migration_list *l);

/*
 * Run cmd (sh -c, in dir) once per migration, in list order, with
 * MIGRATION_ID, MIGRATION_VERSION and MIGRATION_TREE (= dir) in the
 * environment.  *ran is the number that succeeded.  The first failure
 * stops: E_REFUSED with a message naming the migration, what ran and
 * what did not.
 */
int	 migrations_run_down(size_t *ran, const struct migration_list *l,
	    const char *cmd, const char *dir);

/*
 * Where the down commands of a rollback run: a directory holding the
 * running release's tree, whose migration files they may need.  That is
 * the worktree when its HEAD holds that tree; otherwise (the rollback
 * has moved the worktree to the target, HEAD is elsewhere, or the
 * repository is bare) a temporary detached worktree of the release,
 * made with "git worktree add" and removed by migration_tree_remove().
 */
struct migration_tree {
	char	*dir;		/* MIGRATION_TREE, without a trailing slash */
	char	*tmp;		/* the temporary directory, or NULL */
};
#define MIGRATION_TREE_INIT { NULL, NULL }

int	 migration_tree_prepare(struct migration_tree *out, struct ctx *ctx,
	    const git_oid *commit);
void	 migration_tree_remove(struct migration_tree *t);

#endif
