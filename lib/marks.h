/*
 * Releases marked bad: every reason, and the environment each came
 * from.  refs/deploy/marks is a commit whose tree holds one file per
 * marked tag (the path is the tag name), its content the tag's marks;
 * every change is a new commit on top.  The file format, documented in
 * git-release(1) DEPLOYMENT LOG:
 *
 *	Environment: staging		(absent: not recorded)
 *	Reason: first line
 *	 continuation lines, one space in front
 *	<blank line between marks>
 *
 * A file that starts with neither "Environment: " nor "Reason: " was
 * written before marks had environments: all of it is one reason.
 */
#ifndef LIB_MARKS_H
#define LIB_MARKS_H

#include <stddef.h>

#include <git2.h>

#include "repo.h"
#include "strbuf.h"

struct mark {
	char		*env;		/* NULL: not recorded */
	char		*reason;
};

struct mark_list {
	struct mark	*items;		/* oldest first */
	size_t		 nr;
	size_t		 alloc;
};
#define MARK_LIST_INIT { NULL, 0, 0 }

/* the pure part, unit-tested: one file's content and back */
void	 mark_list_parse(struct mark_list *out, const char *buf, size_t len);
void	 mark_list_format(struct strbuf *out, const struct mark_list *l);
void	 mark_list_add(struct mark_list *l, const char *env, const char *reason);
/* the index of the mark (env, reason), or -1 */
long	 mark_list_find(const struct mark_list *l, const char *env,
	    const char *reason);
void	 mark_list_release(struct mark_list *l);

/*
 * Every mark, loaded once: one walk of the marks tree gives the tags
 * and their blob ids; a tag's blob is read (and its marks parsed) only
 * when marks_reason() or marks_of() asks about that tag, so that a
 * listing with thousands of marks reads only the ones it shows.
 */
struct marks {
	size_t		 nr;		/* files in the marks tree */
	char		**tags;		/* their paths, the tag names */
	char		**reasons;	/* per tag, once known: marks_reason() */
	struct mark_list *lists;	/* per tag, once read: every mark */
	git_oid		*ids;		/* per tag: its blob */
	char		**hex;		/* per tag, from the cache: the id's hex */
	unsigned char	*read;		/* per tag: what is known, MARKS_* */
	size_t		*slots;		/* hash of the tags: index + 1, 0 empty */
	size_t		 nslots;	/* a power of two */
	char		*text;		/* the cache read, which tags point into */
	git_repository	*repo;
};
#define MARKS_INIT { 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }

int	 marks_load(struct marks *out, struct ctx *ctx);
void	 marks_release(struct marks *m);
/*
 * Why tag is marked bad, or NULL when it is not: each mark's first
 * line, with "(<env>)" when recorded, "; "-separated, oldest first.
 * A blob that cannot be read is said (an error) and counts as a mark:
 * a release whose marks are unknown is never taken for a good one.
 */
const char *marks_reason(const struct marks *m, const char *tag);
/* every mark of tag, or NULL */
const struct mark_list *marks_of(const struct marks *m, const char *tag);

/*
 * Add the mark (env may be NULL) to tag, with a reflog entry (NULL: a
 * default one); a mark already there with the same environment and
 * reason changes nothing.
 */
int	 marks_add(struct ctx *ctx, const char *tag, const char *env,
	    const char *reason, const char *reflog);
/*
 * Lift tag's marks from env and with reason (NULL: any); E_REFUSED,
 * said, when none is there.
 */
int	 marks_lift(struct ctx *ctx, const char *tag, const char *env,
	    const char *reason, const char *reflog);

/*
 * The older interface: reason NULL lifts every mark of tag, else the
 * mark is added without an environment.
 */
int	 marks_set(struct ctx *ctx, const char *tag, const char *reason);
int	 marks_set_reflog(struct ctx *ctx, const char *tag, const char *reason,
	    const char *reflog);

/*
 * Replaying one marks commit on a colleague's (logsync.c): the file of
 * a tag as it ends up when base's version meets our change old -> new
 * (each NULL when absent): base's marks, less what we lifted, plus what
 * we added.  *out NULL: the file goes.
 */
int	 marks_merge_file(git_oid **out, git_oid *buf, git_repository *repo,
	    const git_oid *base, const git_oid *old, const git_oid *new);

/* put blob at path tag (blob NULL: remove it; GIT_ENOTFOUND if absent) */
int	 marks_index_apply(git_index *idx, git_repository *repo,
	    const char *tag, const git_oid *blob);

#endif
