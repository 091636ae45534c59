/*
 * Components: the services of one repository, each with its own release
 * tags and its own paths.
 *
 *	release.component.<name>.tagPrefix	its tags' prefix (required)
 *	release.component.<name>.path		its directories or files
 *						(multi-valued; none: all)
 *
 * Without any, the repository is one component, the default one, whose
 * prefix is release.tagPrefix.  A command works on one component at a
 * time: the selected one's prefix replaces release.tagPrefix in the
 * settings, so that every release list, lookup and bump is that
 * component's, and its paths decide which commits and files count.
 */
#ifndef LIB_COMPONENT_H
#define LIB_COMPONENT_H

#include <git2.h>

#include "strbuf.h"

struct config;
struct ctx;

struct component {
	char		*name;
	char		*tag_prefix;
	struct strlist	 paths;		/* no "./", no trailing slash */
};

struct component_set {
	struct component *items;	/* in name order */
	size_t		 nr;
	size_t		 alloc;
};
#define COMPONENT_SET_INIT { NULL, 0, 0 }

/*
 * The components cfg declares.  E_FATAL with a message for a component
 * without a tagPrefix, a name that is no single word ([A-Za-z0-9._-]),
 * two components sharing a prefix.
 */
int	 component_set_load(struct component_set *out, const struct config *cfg);
void	 component_set_release(struct component_set *set);

/* the component of that name, or NULL */
const struct component *component_find(const struct component_set *set,
	    const char *name);
/* the component whose prefix tag carries, a SemVer after it; or NULL */
const struct component *component_for_tag(const struct component_set *set,
	    const char *tag);

/*
 * The length of tag's prefix: what comes before its SemVer ("api/v" of
 * "api/v1.2.3"); strlen(tag) when no SemVer ends it.
 */
size_t	 component_tag_prefix_len(const char *tag);

/*
 * For JSON's "version": the bare SemVer of a release tag, after its
 * component's prefix or the default one (the tag itself when it carries
 * neither); NULL for NULL.
 */
const char *component_tag_version(const struct ctx *ctx, const char *tag);
/* the component of a tag: recorded (a log entry's), else by prefix */
const char *component_tag_component(const struct ctx *ctx, const char *tag,
	    const char *recorded);

/* component_select() flags */
#define COMPONENT_NEEDED	0x01	/* refuse (E_USAGE) when none is chosen */

/*
 * Choose the component the command works on: name (--component, may be
 * NULL), else the one whose prefix tag (an argument, may be NULL)
 * carries.  Without components declared, name is refused (E_FATAL) and
 * nothing changes.  With them: an unknown name is E_FATAL; a tag of
 * another component than name is E_USAGE; nothing chosen is E_USAGE
 * when COMPONENT_NEEDED (the message lists them), else no component is
 * selected (the command then covers all of them).  Every refusal has
 * printed its message.
 */
int	 component_select(struct ctx *ctx, const char *name, const char *tag,
	    int flags);
/* work on c from now on (NULL: the default component) */
void	 component_use(struct ctx *ctx, const struct component *c);

/*
 * Does a deployment log entry of tag, recorded with component (NULL: no
 * Component field), belong to the selected component?  Its tag must be
 * one of the selected prefix's releases, and a recorded component must
 * be the selected one.
 */
int	 component_owns_entry(const struct ctx *ctx, const char *tag,
	    const char *component);

/*
 * Does commit change anything under the selected component's paths,
 * against its first parent (a root commit: has anything there)?
 * Always 1 without a component or without paths.
 */
int	 component_touches(int *out, struct ctx *ctx, git_commit *commit);

/* is any commit of from..to (from NULL: all history) the component's? */
int	 component_any_commit(int *out, struct ctx *ctx, const git_oid *from,
	    const git_oid *to);

/*
 * Is path (a file in the repository) the selected component's?  *rel
 * gets the path relative to the component's directory that holds it
 * (path itself when the component has no paths).  Always 1 without
 * a component.
 */
int	 component_has_path(const struct ctx *ctx, const char *path,
	    const char **rel);

#endif
