/*
 * Inside git release deploy and yank: the steps they share (the push
 * of the deployment log through deploylog_push), and their operations
 * for the executor, used by git release --continue and --abort.
 */
#ifndef LIB_DEPLOY_INT_H
#define LIB_DEPLOY_INT_H

#include "deploy.h"
#include "plan.h"

extern const struct plan_ops deploy_ops;
extern const struct plan_ops yank_ops;

/*
 * The push step: refs (full names, "src:dst" or one name for both) go
 * in "refspec"; deploylog_push sends them with every refs/deploy/ ref
 * the remote lacks, fetching and replaying when it is rejected.
 */
void	 deploy_plan_push(struct plan *p, struct ctx *ctx,
	    const struct strlist *refs);
/*
 * Run it; afterwards each done step's ref the remote now holds at the
 * step's "new" is recorded as "pushed", for the abort (a replay on top
 * of a colleague's entry moved our ids: those are not recorded, and the
 * abort refuses to touch them).
 */
int	 deploy_step_push(struct plan_exec *x, struct plan_step *s);

/* the ref's id now into the step's key ("old"), removed when absent */
int	 deploy_step_record_ref(struct ctx *ctx, struct plan_step *s,
	    const char *key);
/*
 * Before a step changes its ref, the first time it runs: what the ref
 * holds goes into "old", "started" is set, and the journal is saved,
 * so that a step resumed after a crash knows what it found.
 */
int	 deploy_step_begin(struct plan_exec *x, struct plan_step *s);
int	 deploy_step_adopt(struct plan_exec *x, struct plan_step *s);
/*
 * The undo of a step that created its ref (no "old": the first entry
 * of an environment's log, the first mark): the ref goes, as it was
 * absent before, but not its history.  Deleting a ref deletes its
 * reflog, so the reflog is kept in the step ("reflog", with an entry
 * for the abort, new -> 0) and the journal saved first, then written
 * again after the ref is gone: the entry taken back stays reachable
 * from a reflog (git fsck, git gc) and a later first entry continues
 * that reflog.  An abort killed between the two writes it on its next
 * run.  PLAN_DEFAULT for a step this is not for, or a ref not at "new"
 * (the default undo refuses that).
 */
int	 deploy_step_delete_first(struct plan_exec *x, struct plan_step *s,
	    const char *why);
/* 1 when the step's ref is at its recorded "new" (a resumed step) */
int	 deploy_step_is_done(struct ctx *ctx, const struct plan_step *s);

/*
 * Only the push failed, every other step is done: the record is whole
 * here, and any later --push sends what the remote lacks, so the
 * journal goes (no --continue is needed).
 */
int	 deploy_push_failed(const struct plan *p);

#endif
