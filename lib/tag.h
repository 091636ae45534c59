/*
 * Creating release tags: always annotated, signed with the user's own
 * git when asked (-s, -u <key>, tag.gpgSign), the annotation in one
 * format for git release cut and git hotfix finish.
 */
#ifndef LIB_TAG_H
#define LIB_TAG_H

#include <git2.h>

#include "repo.h"

struct tag_sign {
	int		 sign;		/* -s, or tag.gpgSign */
	const char	*key;		/* -u <key>; implies sign */
};
#define TAG_SIGN_INIT { 0, NULL }

/*
 * Will tag_create sign?  -s, -u, or the user's tag.gpgSign or
 * tag.forceSignAnnotated (git -c included).  E_FATAL on a bad boolean.
 */
int	 tag_wants_signing(int *out, struct ctx *ctx,
	    const struct tag_sign *sign);

/*
 * Create the annotated tag name (no refs/tags/) on commit with message,
 * tagger = the committer identity; refuses (E_REFUSED) when it exists.
 * Signed tags are made by spawning "git tag" so the user's gpg setup
 * applies.  *out gets the tag object id.
 */
int	 tag_create(git_oid *out, struct ctx *ctx, const char *name,
	    const git_oid *commit, const char *message,
	    const struct tag_sign *sign);

/*
 * The release annotation: "Release <tag>", blank line, the user's
 * message (may be NULL), the commits since prev (NULL: all history),
 * one "- <subject> (<abbrev>)" line each, then the trailers
 * "Migration: <id>" per migration file added and "Config: <path>" per
 * changed config file between prev and commit.
 */
int	 tag_annotation(struct strbuf *out, struct ctx *ctx, const char *tag,
	    const char *message, const git_oid *prev, const git_oid *commit);

/*
 * Append "key: value" to the annotation's trailers: to its last
 * paragraph when that is trailers already, else as a new paragraph.
 */
void	 tag_add_trailer(struct strbuf *msg, const char *key,
	    const char *value);

/*
 * The commits in prev..commit (prev NULL: all history), newest first,
 * merges left out, one "- <subject> (<abbrev>)" line each; past max
 * lines (0: no limit) one "- ... and N more" line.  The annotation's and
 * git release notes' format.
 */
int	 tag_commit_lines(struct strbuf *out, struct ctx *ctx,
	    const git_oid *prev, const git_oid *commit, size_t max);

#endif
