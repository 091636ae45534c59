/*
 * git release verify: the verify command run again, later, against what
 * the log says runs on an environment, and its result recorded as an
 * entry of kind verify.  Such an entry deploys nothing: the running
 * version, metrics and the undo lines pass over it
 * (deploy_entry_is_deployment), history shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "component.h"
#include "json.h"
#include "push.h"
#include "verify.h"
#include "verify-int.h"
#include "banned.h"

static void
print_json(struct ctx *ctx, const struct deploy_entry *e,
    const struct verify_result *vr)
{
	struct json j = JSON_INIT;

	json_begin(&j);
	json_str(&j, "env", e->env);
	json_str(&j, "component", component_tag_component(ctx, e->tag,
	    e->component));
	json_str(&j, "tag", e->tag);
	json_version(&j, "version", component_tag_version(ctx, e->tag));
	json_str(&j, "commit", git_oid_tostr_s(&e->commit));
	json_str(&j, "outcome", vr->passed ? "verified" : "failed");
	json_int(&j, "verify_attempts", (long long)vr->attempts);
	json_int(&j, "verify_ms", (long long)vr->elapsed_ms);
	json_str(&j, "verify_output", vr->first_line);
	json_str(&j, "entry", git_oid_tostr_s(&e->id));
	json_end(&j);
	json_print(&j, stdout);
	json_release(&j);
}

int
verify_command(struct ctx *ctx, const struct verify_cmd_opts *o)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct verify_result vr = VERIFY_RESULT_INIT;
	struct strbuf took = STRBUF_INIT;
	struct verify_config vc;
	struct deploy_entry e;
	struct hook_vars hv;
	const struct release *r = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int ret;

	memset(&e, 0, sizeof(e));
	/* a malformed duration, or nothing to run: before anything */
	if ((ret = verify_config_load(&vc, ctx, o->env)) < 0)
		goto out;
	if (vc.command == NULL) {
		ret = error("no verify command for '%s': set deploy.%s."
		    "verifyCommand", o->env, o->env);
		goto out;
	}
	if (o->push && !remote_exists(ctx, ctx->set.remote)) {
		ret = error("cannot push: remote '%s' does not exist",
		    ctx->set.remote);
		goto out;
	}
	if ((ret = repo_require_no_operation(ctx, "verify")) < 0 ||
	    (ret = repo_lock(ctx)) < 0)
		goto out;
	if (!o->no_fetch && (ret = deploylog_fetch(ctx)) < 0)
		goto out;
	if ((ret = release_list_load(&l, ctx)) < 0 ||
	    (ret = deploy_running(&r, ctx, &l, o->env, NULL)) < 0)
		goto out;
	if (r == NULL) {
		ret = error("nothing is known to run on '%s': nothing to "
		    "verify", o->env);
		goto out;
	}
	/* an attempt a dead process left at the tip is told first */
	if ((ret = verify_record_interrupted(ctx, o->env)) < 0)
		goto out;
	git_oid_tostr(hex, sizeof(hex), &r->commit);
	memset(&hv, 0, sizeof(hv));
	hv.env = o->env;
	hv.tag = r->tag;
	hv.v = &r->v;
	hv.commit = hex;
	hv.kind = "verify";
	if ((ret = verify_run(&vr, ctx, &vc, &hv, vc.timeout_ms)) < 0)
		goto out;

	e.env = (char *)o->env;
	e.tag = r->tag;
	e.commit = r->commit;
	e.kind = DEPLOY_KIND_VERIFY;
	if (ctx->set.component != NULL)
		e.component = ctx->set.component->name;
	verify_result_to_entry(&e, &vr);
	e.status = vr.passed ? DEPLOY_STATUS_SUCCEEDED : DEPLOY_STATUS_FAILED;
	if ((ret = deploylog_append(&e.id, ctx, &e, NULL)) < 0)
		goto out;
	if (o->json)
		print_json(ctx, &e, &vr);
	else {
		verify_duration_format(&took, vr.elapsed_ms);
		if (vr.passed)
			printf("%s on %s verified (%lld attempt%s, %s; log "
			    "entry %.7s)\n", r->tag, o->env,
			    (long long)vr.attempts, vr.attempts == 1 ? "" :
			    "s", took.buf, git_oid_tostr_s(&e.id));
		else
			printf("%s on %s did not verify: %s (%lld attempt%s, "
			    "%s; log entry %.7s)\n", r->tag, o->env,
			    vr.first_line ? vr.first_line : "?",
			    (long long)vr.attempts, vr.attempts == 1 ? "" :
			    "s", took.buf, git_oid_tostr_s(&e.id));
	}
	if (o->push && (ret = deploylog_push(ctx, NULL)) < 0)
		goto out;
	if (!vr.passed && !o->json)
		hint("roll back with: git rollback --env %s -m <reason>",
		    o->env);
	ret = vr.passed ? 0 : E_REFUSED;
out:
	free(e.verify);
	free(e.verify_output);
	strbuf_release(&took);
	verify_result_release(&vr);
	release_list_release(&l);
	return ret;
}
