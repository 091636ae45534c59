/*
 * The release model: every tag <prefix><semver>, annotated or
 * lightweight, peeled to its commit, in SemVer precedence order.
 */
#ifndef LIB_RELEASE_H
#define LIB_RELEASE_H

#include <stdint.h>

#include <stdio.h>

#include <git2.h>

#include "repo.h"
#include "semver.h"

struct release {
	char		*tag;		/* "v1.2.3", "api/v1.2.3" (no refs/tags/) */
	struct semver	 v;		/* points into tag, after the prefix */
	git_oid		 commit;	/* peeled to the commit */
	git_oid		 target;	/* what the ref names: tag object or commit */
	int		 annotated;
};

struct release_list {
	struct release	*items;		/* newest first: precedence, then tag name */
	size_t		 nr;
	size_t		 alloc;
	void		*names;		/* where the tag names live (owned) */
};
#define RELEASE_LIST_INIT { NULL, 0, 0, NULL }

/*
 * Every tag under ctx->set.tag_prefix whose rest parses as SemVer; tags
 * that do not parse are not releases and are skipped.  Tags of equal
 * precedence are ordered by tag name (byte order).  Fast: packed-refs
 * read as a stream with its peeled ids, the one loose directory the
 * prefix names, no object read but for loose or unpeeled refs.
 */
int	 release_list_load(struct release_list *out, struct ctx *ctx);
void	 release_list_release(struct release_list *l);

/*
 * A version the user typed, with or without the prefix ("1.2.3",
 * "v1.2.3", "api/v1.2.3"), as the full tag name.  E_FATAL with
 * "'x' is not a valid version" when it does not parse.
 */
int	 release_tag_name(struct strbuf *out, struct ctx *ctx, const char *name);

/* the release with that name (prefix optional), or NULL */
const struct release *release_find(const struct release_list *l,
	    struct ctx *ctx, const char *name);
/* the same, E_FATAL "release 'x' not found" / "not a valid version" */
int	 release_lookup(const struct release **out,
	    const struct release_list *l, struct ctx *ctx, const char *name);

/* newest release (stable only if asked), or NULL */
const struct release *release_latest(const struct release_list *l,
	    int stable_only);

/*
 * The newest release whose commit is from or an ancestor of it (stable
 * only if asked); *out NULL when none is.  One history walk, whatever
 * the number of tags.
 */
int	 release_latest_reachable(const struct release **out, struct ctx *ctx,
	    const struct release_list *l, const git_oid *from,
	    int stable_only);

/* the same for both kinds at once, with one walk */
int	 release_reachable(const struct release **newest,
	    const struct release **stable, struct ctx *ctx,
	    const struct release_list *l, const git_oid *from);

/*
 * When r was released: its tagger's date (annotated), else its commit's
 * committer date, in seconds since the epoch.  Reads an object: the
 * list itself does not carry dates, which would cost one read a tag.
 */
int	 release_date(int64_t *out, struct ctx *ctx, const struct release *r);

/* the releases whose commit is exactly id (a commit may carry several) */
const struct release *release_at_commit(const struct release_list *l,
	    const git_oid *id);

/* the newest stable release of lower precedence than r, or NULL */
const struct release *release_previous_stable(const struct release_list *l,
	    const struct release *r);

/*
 * The bump a conventional commit message asks for: BUMP_MAJOR for
 * "type!:" or a "BREAKING CHANGE:" footer, BUMP_MINOR for "feat",
 * BUMP_PATCH for anything else.
 */
enum semver_bump release_bump_for_message(const char *msg);
/* the largest bump over the commits in from..to (from NULL: all history) */
int	 release_infer_bump(enum semver_bump *out, struct ctx *ctx,
	    const git_oid *from, const git_oid *to);

/*
 * The names of the refs directly under dir ("refs/deploy/log/", with its
 * slash), loose and packed, sorted, each once: without building
 * libgit2's whole packed-refs cache, which costs as much as a listing.
 */
int	 release_refs_under(struct strlist *out, struct ctx *ctx,
	    const char *dir);

/* the release named exactly tag (the full name), or NULL */
const struct release *release_by_tag(const struct release_list *l,
	    const char *tag);

/*
 * What git release cut makes on head: the tag name, and the commit its
 * annotation counts from (*prev; NULL: all history).
 *
 * version is a full tag name, or NULL to bump the newest stable release
 * reachable from head by kind (BUMP_NONE: as the commits since it ask;
 * none at all: 0.1.0), never below the newest reachable pre-release's
 * own version; pre (NULL: none) then numbers the next pre-release
 * <pre>.N, never reusing a tag.  Refuses (E_REFUSED, message printed) a
 * head that already carries a stable release (or any, for a
 * pre-release), a tag that exists, a version not above the newest
 * release reachable from head.  The annotation counts from the newest
 * reachable stable release for a stable version, from the newest
 * reachable release for a pre-release.
 */
int	 release_plan_cut(struct strbuf *tag, const git_oid **prev,
	    struct ctx *ctx, const struct release_list *l,
	    const git_oid *head, enum semver_bump kind, const char *version,
	    const char *pre);

/* a pre-release identifier: one SemVer identifier, not a number */
int	 release_valid_pre_id(const char *id);

/* sort helper, exposed for the unit tests: newest first */
int	 release_cmp_newest_first(const void *a, const void *b);

/*
 * The packed-refs part of release_list_load(), from f (path names it in
 * messages): its release tags under prefix, those in loose (sorted)
 * skipped, appended to l unprobed and unsorted.  E_FATAL, said, on a
 * line git would not write.  For the fuzzer, which feeds it memory.
 */
int	 release_packed_read(struct release_list *l, const struct strlist *loose,
	    FILE *f, const char *prefix, const char *path);

#endif
