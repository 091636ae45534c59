/*
 * Reading git config the way git would, including "git -c key=value",
 * which reaches us in GIT_CONFIG_PARAMETERS and which libgit2 1.5 does
 * not read.  Values given with -c win over every file.
 */
#ifndef LIB_CONFIG_H
#define LIB_CONFIG_H

#include <git2.h>

#include "component.h"
#include "strbuf.h"

struct config {
	git_config	*snap;		/* snapshot of the repository's config */
	struct strlist	 keys;		/* from git -c, normalised */
	struct strlist	 values;
};
#define CONFIG_INIT { NULL, STRLIST_INIT, STRLIST_INIT }

int	 config_load(struct config *cfg, git_repository *repo);
void	 config_release(struct config *cfg);

/* the last value of key, or NULL; valid while cfg lives */
const char *config_get(const struct config *cfg, const char *key);
/* def when unset; E_FATAL with a message when the value is no boolean */
int	 config_get_bool(int *out, const struct config *cfg, const char *key,
	    int def);
/* every value of a multi-valued key, files first, then git -c */
void	 config_get_all(struct strlist *out, const struct config *cfg,
	    const char *key);

/*
 * The subsections of section that hold any key, files and git -c, each
 * once: "deploy" gives "staging" for deploy.staging.command.
 */
void	 config_subsections(struct strlist *out, const struct config *cfg,
	    const char *section);

/* parse GIT_CONFIG_PARAMETERS; exposed for the unit tests */
int	 config_parse_parameters(struct strlist *keys, struct strlist *values,
	    const char *text);
char	*config_normalize_key(const char *key);

/* The suite's settings, with DESIGN.md's defaults applied. */
struct settings {
	const char	*tag_prefix;		/* the selected component's */
	const char	*default_tag_prefix;	/* release.tagPrefix (v) */
	const char	*release_branch;	/* release.branch (main) */
	const char	*remote;		/* release.remote (origin) */
	const char	*rollback_branch;	/* rollback.branch (production) */
	const char	*rollback_prefix;	/* rollback.branchPrefix (rollback/) */
	const char	*hotfix_prefix;		/* hotfix.branchPrefix (hotfix/) */
	const char	*migrate_down;		/* rollback.migrateDownCommand */
	struct strlist	 migration_paths;	/* release.migrationsPath */
	struct strlist	 config_paths;		/* release.configPath */
	struct component_set components;	/* release.component.* */
	const struct component *component;	/* selected; NULL: default */
	int		 migration_paths_default; /* not configured */
	long long	 push_timeout;		/* release.pushTimeout (60 s) */
};

int	 settings_load(struct settings *s, const struct config *cfg);
void	 settings_release(struct settings *s);

#endif
