/*
 * git release cut: tag HEAD as the next release, with the annotation,
 * the checks that refuse, --dry-run's plan, and the push of exactly the
 * new tag (all or nothing: a tag whose push is refused is deleted again).
 */
#ifndef LIB_CUT_H
#define LIB_CUT_H

#include "plan.h"
#include "repo.h"
#include "tag.h"

struct cut_opts {
	int			 bump;		/* enum semver_bump; 0: infer */
	const char		*version;	/* explicit, as a full tag name */
	const char		*pre;
	const char		*message;
	struct tag_sign		 sign;
	int			 push;
	int			 dry_run;
	int			 json;		/* the plan, done or not, as JSON */
};

/* the steps of a cut, for git release --continue and --abort */
extern const struct plan_ops cut_ops;

/* 0, E_REFUSED (exists, not newer, dirty, push refused...), E_FATAL */
int	 release_cut(struct ctx *ctx, const struct cut_opts *o);

/*
 * git release next: the tag a cut with these options would create at
 * HEAD (and HEAD's id), refused as cut would refuse it for its version
 * (E_REFUSED: exists, not above the newest reachable, HEAD already a
 * release).  Changes nothing; the tree may be dirty.
 */
int	 release_next(struct strbuf *tag, git_oid *head_id, struct ctx *ctx,
	    const struct cut_opts *o);

#endif
