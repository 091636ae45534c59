/*
 * Shared by the verify family's files (verify-deploy.c,
 * verify-rollback.c); not for use outside them.
 */
#ifndef LIB_VERIFY_INT_H
#define LIB_VERIFY_INT_H

#include "verify.h"

/*
 * started entry, hook, verification within timeout_ms, outcome entry
 * (e->id); *failed when verification did not pass.  e->verify already
 * set (skipped) means nothing is waited for.
 */
int	 verify_step(struct verify_result *vr, int *failed, struct ctx *ctx,
	    const struct verify_config *vc, struct deploy_entry *e,
	    const struct hook_vars *hv, int no_hook, int64_t timeout_ms,
	    int *created_tag);

/*
 * A started entry at the tip of env's log, left by a process that died,
 * is recorded as failed ("interrupted"), said; 0 when there is none.
 */
int	 verify_record_interrupted(struct ctx *ctx, const char *env);

/* the deploy e failed verification: mark, roll back once, verify that */
int	 verify_auto_rollback(struct verify_outcome *out, struct ctx *ctx,
	    const struct verify_deploy_opts *o, const struct deploy_entry *e);

#endif
