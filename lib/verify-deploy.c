/*
 * A deploy's attempt, once every check has passed: a started entry when
 * there is something to wait for, the hook, verification, the outcome.
 * A failed verification is recorded, then handed to the automatic
 * rollback when asked (lib/verify-rollback.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "verify.h"
#include "verify-int.h"
#include "banned.h"

static const char *const outcome_names[] = {
	[VERIFY_OUTCOME_NONE] = "deployed",
	[VERIFY_OUTCOME_VERIFIED] = "verified",
	[VERIFY_OUTCOME_ROLLED_BACK] = "failed-rolled-back",
	[VERIFY_OUTCOME_ROLLBACK_FAILED] = "failed-rollback-failed",
	[VERIFY_OUTCOME_MIGRATIONS_BLOCK] = "failed-migrations-block",
	[VERIFY_OUTCOME_NOT_ROLLED_BACK] = "failed-not-rolled-back",
};

const char *
verify_outcome_name(enum verify_outcome_kind k)
{
	return outcome_names[k];
}

void
verify_outcome_release(struct verify_outcome *out)
{
	verify_result_release(&out->vr);
	verify_result_release(&out->rvr);
	free(out->rollback_to);
	strlist_release(&out->extra_refs);
	memset(out, 0, sizeof(*out));
}

int
verify_step(struct verify_result *vr, int *failed, struct ctx *ctx,
    const struct verify_config *vc, struct deploy_entry *e,
    const struct hook_vars *hv, int no_hook, int64_t timeout_ms,
    int *created_tag)
{
	struct verify_attempt a = VERIFY_ATTEMPT_INIT;
	int waits = vc->command != NULL && e->verify == NULL, rc;

	*failed = 0;
	if ((rc = verify_attempt_start(&a, ctx, e, waits)) < 0)
		return rc;
	if (!no_hook && (rc = hook_run(ctx, hv)) < 0) {
		if (!a.has_started)
			return rc;
		/* the attempt is on record: say how it ended */
		e->status = DEPLOY_STATUS_FAILED;
		e->verify = xstrdup("failed");
		e->verify_output = xstrdup("the deploy hook failed");
		if (verify_attempt_finish(&e->id, ctx, &a, e, NULL) == 0)
			hint("recorded as a failed attempt (%.7s)",
			    git_oid_tostr_s(&e->id));
		return rc;
	}
	if (waits) {
		if ((rc = verify_run(vr, ctx, vc, hv, timeout_ms)) < 0)
			return rc;
		verify_result_to_entry(e, vr);
		if (!vr->passed) {
			e->status = DEPLOY_STATUS_FAILED;
			*failed = 1;
		}
	}
	/* what failed from here on is the record, not the deployment */
	vr->hook_ran = !no_hook;
	return verify_attempt_finish(&e->id, ctx, &a, e, created_tag);
}

int
verify_deploy(struct verify_outcome *out, struct ctx *ctx,
    const struct verify_deploy_opts *o, struct deploy_entry *e,
    const struct hook_vars *hv)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (o->no_verify && o->vc->command != NULL)
		e->verify = xstrdup("skipped");
	rc = verify_step(&out->vr, &out->failed, ctx, o->vc, e, hv,
	    o->no_hook, o->vc->timeout_ms, &out->created_tag);
	if (rc < 0)
		return rc;
	out->entry = e->id;
	if (o->vc->command == NULL || o->no_verify)
		out->kind = VERIFY_OUTCOME_NONE;
	else if (!out->failed)
		out->kind = VERIFY_OUTCOME_VERIFIED;
	else
		out->kind = VERIFY_OUTCOME_NOT_ROLLED_BACK;
	if (out->failed)
		error("%s did not verify on '%s': %s", e->tag, e->env,
		    out->vr.first_line ? out->vr.first_line : "?");
	if (out->failed && o->rollback)
		return verify_auto_rollback(out, ctx, o, e);
	return 0;
}
