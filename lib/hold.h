/*
 * Holds: an environment (and component) kept at a version after a
 * rollback, so that automation does not deploy the failure again.  A
 * hold is an entry of kind hold in the deployment log, lifted by one of
 * kind unhold; they travel with the log like every entry.
 */
#ifndef LIB_HOLD_H
#define LIB_HOLD_H

#include <stdint.h>

#include "deploylog.h"
#include "release.h"
#include "repo.h"

struct hold {
	int		 held;
	char		*tag;		/* the version held at */
	char		*reason;
	char		*operator;
	int64_t		 time;
	git_oid		 id;		/* the hold entry */
};
void	 hold_release(struct hold *h);

/* env's hold for the selected component: its newest hold or unhold entry */
int	 hold_state(struct hold *out, struct ctx *ctx, const char *env);

/*
 * Put a hold on env at r (reason may be NULL), or lift the hold h; the
 * entry is appended to env's log (*out its id).
 */
int	 hold_put(git_oid *out, struct ctx *ctx, const char *env,
	    const struct release *r, const char *reason);
int	 hold_lift(git_oid *out, struct ctx *ctx, const char *env,
	    const struct hold *h, const char *reason);

/*
 * After a rollback of env from `from` to r: hold env at r (the reason
 * names the rollback), unless it is held there already.  *put 1 when
 * a hold entry was written (*out its id).
 */
int	 hold_after_rollback(git_oid *out, int *put, struct ctx *ctx,
	    const char *env, const struct release *r, const char *from);

/*
 * Is r the fix-forward of the hold h: a release git hotfix finish cut
 * from the held version (its annotation's "Hotfix:" names it)?  *out 1
 * when it is.
 */
int	 hold_is_fix(int *out, struct ctx *ctx, const struct release_list *l,
	    const struct hold *h, const struct release *r);

/*
 * The check of a deploy of r to env that the hold makes: a release
 * newer than the running one while held is refused (E_REFUSED) unless
 * lift_hold or r is the hold's fix; *lift_out gets whether the hold is
 * to be lifted (hold_lift before the deploy), *h the hold.
 */
struct hold_check {
	int		 lift_hold;	/* --lift-hold */
};
int	 hold_check_deploy(int *lift_out, struct hold *h, struct ctx *ctx,
	    const struct release_list *l, const char *env,
	    const struct release *r, const char *running,
	    const struct hold_check *o);

/*
 * deploy --latest: the newest stable release of the selected component
 * not marked bad and newer than running (NULL: any); *out NULL when
 * there is none.
 */
const struct release *hold_latest(const struct release_list *l,
	    const struct marks *m, const struct release *running);


/* git release hold, --lift and --list */
struct hold_opts {
	const char	*env;
	const char	*reason;
	int		 lift;
	int		 list;
	int		 json;
	int		 push;
};
int	 hold_command(struct ctx *ctx, const struct hold_opts *o);

/*
 * The hint of a refusal by the hold of env at tag: the command that
 * lifts it and the hotfix that fixes forward from tag, shell-quoted
 * (lift_hold: and --lift-hold first).
 */
void	 hold_hint_fix_forward(struct ctx *ctx, const char *env,
	    const char *tag, int lift_hold);

#endif
