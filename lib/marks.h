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
 * Every mark, loaded once (one tree walk): the tags in tree order,
 * each with its marks and a one-line summary of them.
 */
struct marks {
	struct strlist	 tags;
	struct strlist	 reasons;	/* per tag: marks_reason() */
	struct mark_list *lists;	/* per tag: every mark */
};
#define MARKS_INIT { STRLIST_INIT, STRLIST_INIT, NULL }

int	 marks_load(struct marks *out, struct ctx *ctx);
void	 marks_release(struct marks *m);
/*
 * Why tag is marked bad, or NULL when it is not: each mark's first
 * line, with "(<env>)" when recorded, "; "-separated, oldest first.
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
