/*
 * Hotfixes: a branch hotfix/<name> started at a release (or any commit),
 * finished with the next free patch tag on the base's line and a merge
 * back into the release branch.  The base is remembered in the branch's
 * config, branch.<branch>.hotfixBase, as the tag name or a commit id.
 */
#ifndef LIB_HOTFIX_H
#define LIB_HOTFIX_H

#include <stddef.h>

#include <git2.h>

#include "release.h"
#include "repo.h"
#include "semver.h"
#include "tag.h"

#define HOTFIX_BASE_KEY	"hotfixBase"
/* branch.<hotfix>.hotfixComponent: the component it was started for */
#define HOTFIX_COMPONENT_KEY	"hotfixComponent"

/*
 * The version a hotfix of base takes, given every version that exists
 * (in any order; pre-releases and build metadata included).  The line
 * is base's MAJOR.MINOR; the result is one patch above the highest
 * stable version on the line and above base itself, so it is never an
 * existing version, never below the base, and always the newest of its
 * line.  Pre-releases do not reserve a number: with v1.2.4-rc.1 the
 * hotfix may still be v1.2.4 (which SemVer ranks above the rc).
 * Pure arithmetic: no repository.  E_REFUSED when the patch number
 * would overflow.
 */
int	 hotfix_next_patch(struct semver *out, const struct semver *base,
	    const struct semver *versions, size_t n);

/* one hotfix branch, as start left it */
struct hotfix {
	char			*name;		/* "x" */
	char			*branch;	/* "hotfix/x" */
	char			*ref;		/* "refs/heads/hotfix/x" */
	char			*base;		/* as recorded: tag or commit id */
	const struct release	*base_release;	/* the release the line comes
						   from (the base's own tag, or
						   the newest one it contains);
						   NULL when none */
	git_oid			 base_commit;
	git_oid			 tip;
	size_t			 ahead;		/* commits in base..tip */
	int			 resolved;	/* base and ahead are known */
};
#define HOTFIX_INIT { NULL, NULL, NULL, NULL, NULL, { { 0 } }, { { 0 } }, 0, \
	0 }

void	 hotfix_release(struct hotfix *h);

/* "x" or "hotfix/x" to the branch name; E_FATAL when not a valid name */
int	 hotfix_branch_name(struct strbuf *out, struct ctx *ctx,
	    const char *name);

/*
 * The hotfix named name (NULL: the branch checked out), with its
 * recorded base resolved against the releases in l.  partial: a base
 * missing or gone is no error, out->resolved stays 0 (for list).
 */
int	 hotfix_load(struct hotfix *out, struct ctx *ctx,
	    const struct release_list *l, const char *name, int partial);

/*
 * The version finish would give h (with the releases in l).  A release
 * tag already on the hotfix tip, on the base's line and above the base
 * (left by a finish that was aborted, or made by hand), is that
 * version: *tagged is then its release, else NULL.
 */
int	 hotfix_version(struct strbuf *tag, const struct release **tagged,
	    struct ctx *ctx, const struct release_list *l,
	    const struct hotfix *h);

/*
 * Select the component of the hotfix named name (NULL: the branch
 * checked out): option (--component, may be NULL), else the one start
 * recorded, else the one whose prefix its base tag carries.  Refusals
 * as component_select() with flags (an option that disagrees with the
 * recorded component is E_USAGE too).
 */
int	 hotfix_select_component(struct ctx *ctx, const char *name,
	    const char *option, int flags);

struct hotfix_start_opts {
	const char	*name;
	const char	*base;		/* NULL: running version, else latest stable */
	int		 dry_run;
	int		 no_fetch;
	int		 json;		/* --json: the plan, run or planned */
};
#define HOTFIX_START_OPTS_INIT { NULL, NULL, 0, 0 }

int	 hotfix_start(struct ctx *ctx, const struct hotfix_start_opts *o);

/*
 * The journalled start (hotfix-start.c): the plan of making refname at
 * base (recorded: the base as the config records it) and checking it
 * out over head, HEAD's commit; running it; and, after a kill, the rest
 * of it (--continue) or its undo (--abort, abort nonzero).
 */
struct plan;
void	 hotfix_start_plan(struct plan *p, struct ctx *ctx,
	    const char *refname, const git_oid *base, const char *recorded,
	    const git_oid *head);
int	 hotfix_start_execute(struct ctx *ctx, struct plan *p);
int	 hotfix_start_resume(struct ctx *ctx, int abort);
/*
 * The checkout step of start and finish: "ref" the branch, "old" HEAD
 * before (a ref name or a commit id), "from" HEAD's commit, "to" the
 * branch's; run (only the paths that differ) and undone.
 */
struct plan_exec;
struct plan_step;
int	 hotfix_checkout_step_run(struct plan_exec *x, struct plan_step *s);
int	 hotfix_checkout_step_undo(struct plan_exec *x, struct plan_step *s);
/* the journal is there and is an operation op's ("hotfix-start") */
int	 hotfix_journal_is(struct ctx *ctx, const char *op);
/* branch.<branch>.* removed, as git branch -D does */
int	 hotfix_branch_config_remove(struct ctx *ctx, const char *branch);

struct hotfix_finish_opts {
	const char	*name;		/* NULL: the current branch */
	const char	*version;	/* NULL: the next free patch */
	const char	*message;
	struct tag_sign	 sign;
	int		 keep;
	int		 no_merge;
	int		 push;
	int		 yes;
	int		 dry_run;
	int		 drop_tag;	/* --abort only */
	int		 json;		/* --json: the run as a plan */
};
#define HOTFIX_FINISH_OPTS_INIT { NULL, NULL, NULL, TAG_SIGN_INIT, 0, 0, 0, \
	0, 0, 0 }

int	 hotfix_finish(struct ctx *ctx, const struct hotfix_finish_opts *o);
/* json: the plan as it ran, as finish --json prints it */
int	 hotfix_finish_continue(struct ctx *ctx, int json);
int	 hotfix_finish_abort(struct ctx *ctx, int drop_tag, int json);

/* every open hotfix branch; json: one object a line */
int	 hotfix_list(struct ctx *ctx, int json);

#endif
