/*
 * The work behind git release deploy and yank, in DESIGN.md's order:
 * every check first, then the hook, then the record, then the push; a
 * dry run stops before the first change and prints the plan instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "deploy-int.h"
#include "deploy.h"
#include "deploylog.h"
#include "env.h"
#include "hook.h"
#include "hold.h"
#include "journal.h"
#include "json.h"
#include "push.h"
#include "rollback.h"
#include "semver.h"
#include "verify.h"
#include "banned.h"

struct previous {
	const struct ctx *ctx;
	const char	*tag;
	char		*found;
	size_t		 walked;
};

/* the selected component's entries only (component_owns_entry) */
static int
previous_one(const struct deploy_entry *e, void *payload)
{
	struct previous *p = payload;

	if (!component_owns_entry(p->ctx, e->tag, e->component) ||
	    !deploy_entry_in_effect(e))
		return 0;
	p->walked++;
	if (strcmp(e->tag, p->tag) == 0)
		return 0;
	p->found = xstrdup(e->tag);
	return 1;
}

/*
 * What deploying tag replaces, for the undo line: the newest logged
 * version that is not tag (the walk stops there), else what the
 * production branch runs.
 */
static int
deploy_previous(char **out, struct ctx *ctx, const struct release_list *l,
    const char *env, const char *tag)
{
	struct previous p = { ctx, tag, NULL, 0 };
	int rc;

	*out = NULL;
	if ((rc = deploylog_walk(ctx, env, previous_one, &p)) < 0)
		return rc;
	/*
	 * no other version in the log: this is the first; what a branch
	 * holds never ran here for the record, so the undo is no deploy
	 */
	(void)l;
	*out = p.found;
	return 0;
}

/*
 * What runs on env before this deploy, by name: the newest entry in
 * effect, else what the production branch runs (NULL: nothing known)
 */
static int
deploy_ran_before(char **out, int *logged, struct ctx *ctx,
    const struct release_list *l, const char *env)
{
	struct deploy_entry e;
	const struct release *r = NULL;
	int found, rc;

	*out = NULL;
	if ((rc = deploylog_last_in_effect(&e, &found, ctx, env)) < 0)
		return rc;
	*logged = found;
	if (found) {
		*out = e.tag;
		e.tag = NULL;
		deploy_entry_release(&e);
		return 0;
	}
	if ((rc = deploy_running(&r, ctx, l, env, NULL)) < 0)
		return rc;
	if (r != NULL)
		*out = xstrdup(r->tag);
	return 0;
}

static int
ref_exists_quiet(struct ctx *ctx, const char *refname)
{
	git_oid id;
	int rc = git_reference_name_to_id(&id, ctx->repo, refname);

	git_error_clear();
	return rc == 0;
}

/*
 * deploy --latest: the newest stable release not marked bad and newer
 * than what runs; refused while env is held, unless that release is a
 * hotfix of the held version (deploying it lifts the hold).  1 with
 * *out set, 0 when there is nothing newer (said), < 0 refused.
 */
static int
pick_latest(const struct release **out, struct ctx *ctx,
    const struct release_list *l, const struct marks *marks,
    const char *env, const char *running, int json)
{
	const struct release *run = running ? release_find(l, ctx, running) :
	    NULL;
	struct hold h;
	int fix = 0, rc;

	*out = NULL;
	if ((rc = hold_state(&h, ctx, env)) < 0)
		return rc;
	/* the fix forward of the hold is the one release it lets through */
	if (h.held && (*out = hold_latest(l, marks, run)) != NULL &&
	    (rc = hold_is_fix(&fix, ctx, l, &h, *out)) == 0 && fix) {
		hold_release(&h);
		return 1;
	}
	*out = NULL;
	if (h.held) {
		rc = error("'%s' is held at %s%s%s: --latest deploys nothing",
		    env, h.tag, h.reason ? ": " : "", h.reason ? h.reason : "");
		/* the hold is the component's: so is its lift */
		hold_hint_fix_forward(ctx, env, h.tag, 0);
		hold_release(&h);
		return rc;
	}
	hold_release(&h);
	if ((*out = hold_latest(l, marks, run)) != NULL)
		return 1;
	/* --json: said on stderr, the object says it on stdout */
	if (json)
		info("nothing newer to deploy to %s: %s is the newest good "
		    "release", env, running ? running : "(none)");
	else
		printf("nothing newer to deploy to %s: %s is the newest good "
		    "release\n", env, running ? running : "(none)");
	return 0;
}


/* --- the steps, run from the plan alone (git release --continue) --- */

/* the entry the plan records, borrowing the plan's strings */
static int
plan_entry(struct deploy_entry *e, const struct plan *p)
{
	const char *t = plan_get(&p->attrs, "time");

	memset(e, 0, sizeof(*e));
	e->env = (char *)plan_get(&p->attrs, "env");
	e->tag = (char *)plan_get(&p->attrs, "tag");
	e->kind = DEPLOY_KIND_DEPLOY;
	e->reason = (char *)plan_get(&p->attrs, "reason");
	e->component = (char *)plan_get(&p->attrs, "component");
	if (e->env == NULL || e->tag == NULL || t == NULL ||
	    !plan_get_oid(&e->commit, &p->attrs, "commit") ||
	    deploy_time_parse(&e->time, t) < 0)
		return error_fatal("the deploy journal lacks its entry");
	return 0;
}

static int
plan_flag(const struct plan *p, const char *key)
{
	const char *v = plan_get(&p->attrs, key);

	return v != NULL && strcmp(v, "1") == 0;
}

/* the index of the first step of kind (and entry kind) after from */
static struct plan_step *
find_step(struct plan *p, enum plan_kind kind, const char *entry)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (p->steps[i].kind == kind && (entry == NULL ||
		    (plan_get(&p->steps[i].attrs, "entry") &&
		    strcmp(plan_get(&p->steps[i].attrs, "entry"), entry) == 0)))
			return &p->steps[i];
	return NULL;
}

static int
step_unhold(struct plan_exec *x, struct plan_step *s)
{
	const char *env = plan_get(&s->attrs, "env");
	const char *why = plan_get(&s->attrs, "why");
	struct hold h;
	git_oid id;
	int rc;

	if ((rc = deploy_step_begin(x, s)) < 0 ||
	    (rc = hold_state(&h, x->ctx, env)) < 0)
		return rc;
	/* lifted already (by this step before a crash, or by someone) */
	if (h.held) {
		if ((rc = hold_lift(&id, x->ctx, env, &h, why)) < 0)
			;
		else if (plan_flag(x->plan, "json"))	/* stdout is the outcome's */
			info("lifted the hold on %s at %s", env, h.tag);
		else
			printf("lifted the hold on %s at %s\n", env, h.tag);
	}
	hold_release(&h);
	if (rc < 0)
		return rc;
	return deploy_step_record_ref(x->ctx, s, "new");
}

static void
set_int(struct plan_attrs *a, const char *key, long long v)
{
	plan_setf(a, key, "%lld", v);
}

/*
 * The hook, and with verification the whole attempt: verify_deploy
 * writes the entry (and its tag) itself, recorded in the log and
 * deployed-tag steps so that they are done when the executor reaches
 * them.
 */
static int
step_hook(struct plan_exec *x, struct plan_step *s)
{
	struct plan *p = x->plan;
	struct plan_step *log = find_step(p, PLAN_LOG, "deploy");
	struct plan_step *dt = find_step(p, PLAN_DEPLOYED_TAG, NULL);
	struct verify_deploy_opts vd;
	struct verify_outcome vo;
	struct verify_config vc;
	struct deploy_entry e;
	struct hook_vars hv;
	struct release_list l = RELEASE_LIST_INIT;
	const struct release *r;
	const char *skip = plan_get(&s->attrs, "skip");
	/* without a command, hook_run says so: only --no-hook skips it */
	int no_hook = skip != NULL && strcmp(skip, "no-hook") == 0;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int rc;

	memset(&vo, 0, sizeof(vo));
	if ((rc = plan_entry(&e, p)) < 0)
		return rc;
	if ((rc = release_list_load(&l, x->ctx)) < 0 ||
	    (rc = release_lookup(&r, &l, x->ctx, e.tag)) < 0)
		goto out;
	git_oid_tostr(hex, sizeof(hex), &e.commit);
	memset(&hv, 0, sizeof(hv));
	hv.env = e.env;
	hv.tag = e.tag;
	hv.v = &r->v;
	hv.commit = hex;
	hv.kind = "deploy";
	hv.reason = e.reason;
	if (plan_get(&s->attrs, "verify") == NULL) {
		struct verify_attempt a = VERIFY_ATTEMPT_INIT;

		/* an attempt a killed process left is first put on record */
		if ((rc = verify_attempt_start(&a, x->ctx, &e, 0)) == 0)
			rc = no_hook ? 0 : hook_run(x->ctx, &hv);
		goto out;
	}
	if ((rc = verify_config_load(&vc, x->ctx, e.env)) < 0 ||
	    (log != NULL && (rc = deploy_step_begin(x, log)) < 0))
		goto out;
	memset(&vd, 0, sizeof(vd));
	vd.vc = &vc;
	vd.no_hook = no_hook;
	vd.no_verify = plan_flag(p, "no-verify");
	vd.rollback = plan_flag(p, "rollback");
	vd.previous = plan_get(&p->attrs, "before");
	vd.json = plan_flag(p, "json");
	rc = verify_deploy(&vo, x->ctx, &vd, &e, &hv);
	if (rc < 0) {
		plan_set(&s->attrs, "hook-ran", vo.vr.hook_ran ? "1" : "0");
		if (e.status == DEPLOY_STATUS_FAILED)
			plan_set(&s->attrs, "recorded", "failed");
		goto out;
	}
	plan_set(&s->attrs, "outcome", verify_outcome_name(vo.kind));
	plan_set_oid(&s->attrs, "entry", &vo.entry);
	if (vo.failed)
		plan_set(&s->attrs, "failed", "1");
	set_int(&s->attrs, "verify-attempts", vo.vr.attempts);
	set_int(&s->attrs, "verify-ms", vo.vr.elapsed_ms);
	if (vo.vr.first_line != NULL)
		plan_set(&s->attrs, "verify-output", vo.vr.first_line);
	if (vo.rolled) {
		plan_set(&s->attrs, "rollback-to", vo.rollback_to);
		plan_set_oid(&s->attrs, "rollback-entry", &vo.rollback_entry);
		plan_set(&s->attrs, "rolled", vo.kind ==
		    VERIFY_OUTCOME_ROLLED_BACK ? "verified" : "unverified");
	}
	if (vo.held)
		plan_set_oid(&s->attrs, "hold-entry", &vo.hold_entry);
	for (i = 0; i < vo.extra_refs.nr; i++)
		plan_add_attr(&s->attrs, "push-extra", vo.extra_refs.items[i]);
	if (log != NULL) {
		plan_set(&log->attrs, "recorded", "hook");
		if ((rc = deploy_step_record_ref(x->ctx, log, "new")) < 0)
			goto out;
	}
	if (dt != NULL) {
		plan_set(&dt->attrs, "recorded", "hook");
		if (vo.created_tag && (rc = deploy_step_record_ref(x->ctx, dt,
		    "new")) < 0)
			goto out;
	}
	if (vo.rolled && vo.rollback_to != NULL) {
		char *rb = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s",
		    vo.rollback_to);

		plan_add_attr(&s->attrs, "push-extra", rb);
		free(rb);
	}
	rc = 0;
out:
	release_list_release(&l);
	verify_outcome_release(&vo);
	free(e.verify);
	free(e.verify_output);
	free(e.trigger);
	return rc;
}

/* "deployed v1.2.3 to production (log entry abc1234)[, verified]" */
static void
print_deployed(const struct plan *p, const struct plan_step *log)
{
	const struct plan_step *hook = find_step((struct plan *)p, PLAN_HOOK,
	    NULL);
	const char *entry = plan_get(&log->attrs, "new");
	const char *outcome = hook ? plan_get(&hook->attrs, "outcome") : NULL;
	const char *rolled = hook ? plan_get(&hook->attrs, "rolled") : NULL;

	if (plan_flag(p, "json") || entry == NULL)
		return;
	if (hook != NULL && plan_get(&hook->attrs, "failed"))
		printf("deploy of %s to %s failed verification (log entry "
		    "%.7s)\n", plan_get(&p->attrs, "tag"),
		    plan_get(&p->attrs, "env"), plan_get(&hook->attrs,
		    "entry"));
	else
		printf("deployed %s to %s (log entry %.7s)%s\n",
		    plan_get(&p->attrs, "tag"), plan_get(&p->attrs, "env"),
		    hook && plan_get(&hook->attrs, "entry") ?
		    plan_get(&hook->attrs, "entry") : entry,
		    outcome && strcmp(outcome, "verified") == 0 ?
		    ", verified" : "");
	if (rolled != NULL)
		printf("rolled %s back to %s automatically, %s (log entry "
		    "%.7s)\n", plan_get(&p->attrs, "env"),
		    plan_get(&hook->attrs, "rollback-to"),
		    strcmp(rolled, "verified") == 0 ? "verified" :
		    "not verified", plan_get(&hook->attrs, "rollback-entry"));
	if (hook != NULL && plan_get(&hook->attrs, "hold-entry") != NULL)
		printf("held %s at %s (log entry %.7s)\n",
		    plan_get(&p->attrs, "env"), plan_get(&hook->attrs,
		    "rollback-to"), plan_get(&hook->attrs, "hold-entry"));
}

static int
step_log(struct plan_exec *x, struct plan_step *s)
{
	struct deploy_entry e;
	git_oid id;
	int rc;

	if (plan_get(&s->attrs, "recorded") != NULL) {
		print_deployed(x->plan, s);
		return 0;
	}
	if ((rc = plan_entry(&e, x->plan)) < 0 ||
	    (rc = deploy_step_begin(x, s)) < 0)
		return rc;
	/* the entry's id is known before it is written: a resumed step */
	if (!deploy_step_is_done(x->ctx, s)) {
		if ((rc = deploylog_entry_id(&id, x->ctx, &e)) < 0)
			return rc;
		plan_set_oid(&s->attrs, "new", &id);
		if ((rc = journal_save(x->journal)) < 0 ||
		    (rc = deploylog_append_untagged(&id, x->ctx, &e)) < 0)
			return rc;
		plan_set_oid(&s->attrs, "new", &id);
	}
	print_deployed(x->plan, s);
	return 0;
}

/* is there a "<ref>.lock" beside the loose ref? */
static int
ref_lock_left(struct ctx *ctx, const char *ref)
{
	char *path;
	int left;

	if (ref == NULL)
		return 0;
	path = xstrfmt("%s%s.lock", git_repository_commondir(ctx->repo), ref);
	left = access(path, F_OK) == 0;
	free(path);
	return left;
}

static int
step_deployed_tag(struct plan_exec *x, struct plan_step *s)
{
	struct deploy_entry e;
	git_oid id;
	int rc;

	if (plan_get(&s->attrs, "recorded") != NULL) {
		if (plan_get(&s->attrs, "new") == NULL)
			plan_set(&s->attrs, "skipped", "1");
		goto said;
	}
	if ((rc = deploy_step_record_ref(x->ctx, s, "new")) < 0)
		return rc;
	if (plan_get(&s->attrs, "new") != NULL)
		return 0;
	/* killed from here on, the abort looks for the tag (adopt_tag) */
	if ((rc = deploy_step_begin(x, s)) < 0)
		return rc;
	if ((rc = plan_entry(&e, x->plan)) < 0 ||
	    (rc = deploylog_tag_deployed(&id, x->ctx, &e)) < 0) {
		/*
		 * A .lock a killed git (or we) left on the tag: said with
		 * the file to remove; the step stays to be run again,
		 * rather than the tag be given up for good
		 */
		if (ref_lock_left(x->ctx, plan_get(&s->attrs, "ref")))
			return rc;
		warning("the deployment is recorded, but tag '%s' was not "
		    "made", plan_get(&s->attrs, "ref") + strlen("refs/tags/"));
		plan_set(&s->attrs, "skipped", "1");
		return 0;
	}
	plan_set_oid(&s->attrs, "new", &id);
said:
	if (plan_get(&s->attrs, "new") != NULL && !plan_flag(x->plan, "json"))
		printf("created tag %s\n", plan_get(&s->attrs, "ref") +
		    strlen("refs/tags/"));
	return 0;
}

/* the log's push, with what the attempt made besides (a rollback's tag) */
static int
step_push(struct plan_exec *x, struct plan_step *s)
{
	struct plan_step *hook = find_step(x->plan, PLAN_HOOK, NULL);
	struct strlist specs = STRLIST_INIT, extra = STRLIST_INIT;
	size_t i;
	int rc;

	plan_get_all(&specs, &s->attrs, "refspec");
	if (hook != NULL)
		plan_get_all(&extra, &hook->attrs, "push-extra");
	plan_set(&s->attrs, "refspec", NULL);
	for (i = 0; i < specs.nr + extra.nr; i++) {
		const char *spec = i < specs.nr ? specs.items[i] :
		    extra.items[i - specs.nr];
		char *src = xstrndup(spec, strcspn(spec, ":"));
		git_oid id;

		/* a tag verification did not make is not pushed */
		if (git_reference_name_to_id(&id, x->ctx->repo, src) == 0 ||
		    strncmp(src, DEPLOY_REF_PREFIX,
		    strlen(DEPLOY_REF_PREFIX)) == 0) {
			char *full = strchr(spec, ':') ? xstrdup(spec) :
			    xstrfmt("%s:%s", spec, spec);

			if (!plan_get(&s->attrs, "refspec") ||
			    !strlist_has(&specs, full) || i < specs.nr)
				plan_add_attr(&s->attrs, "refspec", full);
			free(full);
		}
		git_error_clear();
		free(src);
	}
	strlist_release(&specs);
	strlist_release(&extra);
	rc = deploy_step_push(x, s);
	return rc;
}

static int
deploy_step_run(struct plan_exec *x, struct plan_step *s)
{
	const char *entry = plan_get(&s->attrs, "entry");

	switch (s->kind) {
	case PLAN_LOG:
		if (entry != NULL && strcmp(entry, "unhold") == 0)
			return step_unhold(x, s);
		return step_log(x, s);
	case PLAN_HOOK:
		return step_hook(x, s);
	case PLAN_DEPLOYED_TAG:
		return step_deployed_tag(x, s);
	case PLAN_PUSH:
		return step_push(x, s);
	default:
		return PLAN_DEFAULT;
	}
}

/*
 * With verification the hook step wrote the entry and its tag: undone
 * with it when the executor had not reached their own steps yet.
 */
/*
 * A deployed-tag step killed after it made the tag and before it said
 * so: the tag there now, absent when the step started, on the commit
 * deployed, is its "new", for the abort to delete.
 */
static int
adopt_tag(struct plan_exec *x, struct plan_step *s)
{
	const char *ref = plan_get(&s->attrs, "ref");
	git_object *obj = NULL, *peeled = NULL;
	git_oid commit, id;
	int found;

	if (s->status != PLAN_PENDING || ref == NULL ||
	    plan_get(&s->attrs, "started") == NULL ||
	    plan_get(&s->attrs, "new") != NULL ||
	    plan_get(&s->attrs, "old") != NULL ||
	    !plan_get_oid(&commit, &x->plan->attrs, "commit"))
		return 0;
	if (repo_ref_id(&id, &found, x->ctx, ref) < 0)
		return E_FATAL;
	if (!found)
		return 0;
	if (git_object_lookup(&obj, x->ctx->repo, &id, GIT_OBJECT_TAG) == 0 &&
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0 &&
	    git_oid_equal(git_object_id(peeled), &commit))
		plan_set_oid(&s->attrs, "new", &id);
	git_error_clear();
	git_object_free(peeled);
	git_object_free(obj);
	return 0;
}

static int
deploy_step_undo(struct plan_exec *x, struct plan_step *s)
{
	size_t i;
	int rc;

	if (s->kind == PLAN_LOG && (rc = deploy_step_adopt(x, s)) < 0)
		return rc;
	if (s->kind == PLAN_DEPLOYED_TAG && (rc = adopt_tag(x, s)) < 0)
		return rc;
	/* started, killed before it moved the log (or it kept a started
	   attempt): nothing of its own to take back */
	if (s->kind == PLAN_LOG && s->status == PLAN_PENDING &&
	    plan_get(&s->attrs, "new") == NULL)
		return 0;
	/* the environment's first entry: the ref goes, its reflog stays */
	if (s->kind == PLAN_LOG && plan_get(&s->attrs, "old") == NULL)
		return deploy_step_delete_first(x, s, "release --abort: the "
		    "first entry of the log taken back");
	if (s->kind != PLAN_HOOK)
		return PLAN_DEFAULT;
	for (i = x->plan->nr; i-- > 0;) {
		struct plan_step *t = &x->plan->steps[i];

		if (t->status != PLAN_PENDING ||
		    plan_get(&t->attrs, "recorded") == NULL ||
		    (t->kind != PLAN_LOG && t->kind != PLAN_DEPLOYED_TAG))
			continue;
		rc = t->kind == PLAN_LOG && plan_get(&t->attrs, "old") ==
		    NULL ? deploy_step_delete_first(x, t, "release --abort: "
		    "the first entry of the log taken back") : PLAN_DEFAULT;
		if (rc == PLAN_DEFAULT)
			rc = plan_step_default_undo(x, t);
		if (rc < 0)
			return rc;
	}
	return plan_step_default_undo(x, s);
}

const struct plan_ops deploy_ops = {
	"deploy", deploy_step_run, deploy_step_undo, "git release",
};

/* --- the plan --- */

/* the verification a deploy would run, as the hook step's notes */
static void
note_verify(struct plan_step *s, const struct deploy_opts *o,
    const struct verify_config *vc, int rollback)
{
	struct strbuf iv = STRBUF_INIT, to = STRBUF_INIT;

	if (vc->command == NULL)
		return;
	/* the attempt goes through verify_deploy: the entry says skipped */
	plan_set(&s->attrs, "verify", vc->command);
	if (o->no_verify) {
		plan_add_attr(&s->attrs, "note",
		    "would skip verification (--no-verify)");
		return;
	}
	verify_duration_format(&iv, vc->interval_ms);
	verify_duration_format(&to, vc->timeout_ms);
	plan_setf(&s->attrs, "note", "would verify with: %s (every %s until "
	    "it passes %d time%s in a row, up to %s)", vc->command, iv.buf,
	    vc->passes, vc->passes == 1 ? "" : "s", to.buf);
	if (rollback)
		plan_add_attr(&s->attrs, "note", "would roll back "
		    "automatically if it does not verify");
	strbuf_release(&iv);
	strbuf_release(&to);
}

struct deploy_plan_in {
	const struct deploy_opts *o;
	const struct release	*r;
	const struct verify_config *vc;
	int			 rollback;
	const struct hold	*hold;		/* to lift, or NULL */
	const char		*prev;		/* the undo deploys it */
	int			 prev_older;	/* ...as a downgrade */
	const char		*before;	/* what ran before */
	int64_t			 time;
};

static void
set_flag(struct plan_attrs *a, const char *key, int on)
{
	if (on)
		plan_set(a, key, "1");
}

static int
deploy_build_plan(struct plan *p, struct ctx *ctx,
    const struct deploy_plan_in *in)
{
	const struct deploy_opts *o = in->o;
	const struct release *r = in->r;
	struct strbuf sb = STRBUF_INIT;
	struct strlist refs = STRLIST_INIT;
	struct plan_step *s;
	const char *cmd = hook_command(ctx, o->env);
	char *logref = xstrfmt(DEPLOY_LOG_PREFIX "%s", o->env);
	char *tagref = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s", r->tag);
	int production = strcmp(o->env, DEFAULT_ENV) == 0, rc = 0;

	plan_begin(p, "deploy", ctx->cmdline);
	plan_set(&p->attrs, "env", o->env);
	plan_set(&p->attrs, "tag", r->tag);
	plan_set_oid(&p->attrs, "commit", &r->commit);
	if (o->message != NULL)
		plan_set(&p->attrs, "reason", o->message);
	if (ctx->set.component != NULL)
		plan_set(&p->attrs, "component", ctx->set.component->name);
	deploy_time_format(&sb, in->time);
	plan_set(&p->attrs, "time", sb.buf);
	if (in->before != NULL)
		plan_set(&p->attrs, "before", in->before);
	set_flag(&p->attrs, "no-verify", o->no_verify);
	set_flag(&p->attrs, "rollback", in->rollback);
	set_flag(&p->attrs, "json", o->json);

	s = plan_add(p, PLAN_CHECK);
	plan_setf(&s->attrs, "what", "%s may be deployed to %s%s", r->tag,
	    o->env, o->force ? " (--force: it is marked bad)" : "");
	if (in->hold != NULL) {
		s = plan_add(p, PLAN_LOG);
		plan_set(&s->attrs, "ref", logref);
		plan_set(&s->attrs, "entry", "unhold");
		plan_set(&s->attrs, "env", o->env);
		plan_set(&s->attrs, "tag", in->hold->tag);
		plan_setf(&s->attrs, "what", "lift the hold on %s at %s",
		    o->env, in->hold->tag);
		if (o->lift_hold)
			plan_setf(&s->attrs, "why", "--lift-hold: deploy %s%s%s",
			    r->tag, o->message ? ": " : "",
			    o->message ? o->message : "");
		else
			plan_setf(&s->attrs, "why", "fix forward: %s is a "
			    "hotfix of %s", r->tag, in->hold->tag);
	}
	s = plan_add(p, PLAN_HOOK);
	plan_set(&s->attrs, "env", o->env);
	plan_set(&s->attrs, "tag", r->tag);
	plan_set_oid(&s->attrs, "commit", &r->commit);
	plan_set(&s->attrs, "kind", "deploy");
	plan_setf(&s->attrs, "what", "deploy %s (%.7s) to %s", r->tag,
	    git_oid_tostr_s(&r->commit), o->env);
	if (cmd != NULL)
		plan_set(&s->attrs, "command", cmd);
	if (o->no_hook)
		plan_set(&s->attrs, "skip", "no-hook");
	else if (cmd == NULL)
		plan_set(&s->attrs, "skip", "none");
	if (in->prev != NULL)
		plan_set(&s->attrs, "previous", in->prev);
	/* going back is a rollback: the downgrade guard wants it so */
	set_flag(&s->attrs, "previous-older", in->prev_older);
	note_verify(s, o, in->vc, in->rollback);

	s = plan_add(p, PLAN_LOG);
	plan_set(&s->attrs, "ref", logref);
	plan_set(&s->attrs, "entry", "deploy");
	plan_set(&s->attrs, "env", o->env);
	plan_set(&s->attrs, "tag", r->tag);
	if (production && !ref_exists_quiet(ctx, tagref)) {
		strbuf_reset(&sb);
		deploy_tag_message(&sb, o->env, in->time);
		strbuf_rtrim(&sb);
		s = plan_add(p, PLAN_DEPLOYED_TAG);
		plan_set(&s->attrs, "ref", tagref);
		plan_set(&s->attrs, "message", sb.buf);
	}
	if (o->push) {
		strlist_add(&refs, logref);
		if (production)
			strlist_add(&refs, tagref);
		/* the release itself, when the remote lacks it: same push */
		deploylog_add_missing_tag(&refs, ctx, r->tag);
		deploy_plan_push(p, ctx, &refs);
	}
	strlist_release(&refs);
	strbuf_release(&sb);
	free(logref);
	free(tagref);
	return rc;
}

/* the dry run knows the entry's id: nothing is written in between */
static int
dry_run_ids(struct plan *p, struct ctx *ctx)
{
	struct plan_step *log = find_step(p, PLAN_LOG, "deploy");
	struct deploy_entry e;
	git_oid id;
	int rc;

	if (log == NULL || (rc = plan_entry(&e, p)) < 0)
		return 0;
	if ((rc = deploy_step_record_ref(ctx, log, "old")) < 0 ||
	    (rc = deploylog_entry_id(&id, ctx, &e)) < 0)
		return rc;
	plan_set_oid(&log->attrs, "new", &id);
	return 0;
}

/*
 * deploy --json: the outcome and the plan, one object; the outcome is
 * the hook step's, else the plan's own ("nothing-newer"), else deployed
 */
static void
print_outcome_json(FILE *fp, const struct plan *p)
{
	const struct plan_step *hook = find_step((struct plan *)p, PLAN_HOOK,
	    NULL);
	const struct plan_step *log = find_step((struct plan *)p, PLAN_LOG,
	    "deploy");
	const struct plan_attrs *h = hook ? &hook->attrs : NULL;
	struct json j = JSON_INIT;
	const char *n;

	json_begin(&j);
	json_str(&j, "env", plan_get(&p->attrs, "env"));
	json_str(&j, "version", plan_get(&p->attrs, "tag"));
	json_str(&j, "commit", plan_get(&p->attrs, "commit"));
	json_str(&j, "outcome", h && plan_get(h, "outcome") ?
	    plan_get(h, "outcome") : plan_get(&p->attrs, "outcome") ?
	    plan_get(&p->attrs, "outcome") :
	    verify_outcome_name(VERIFY_OUTCOME_NONE));
	json_str(&j, "entry", h && plan_get(h, "entry") ? plan_get(h, "entry") :
	    log ? plan_get(&log->attrs, "new") : NULL);
	n = h ? plan_get(h, "verify-attempts") : NULL;
	json_int(&j, "verify_attempts", n ? strtoll(n, NULL, 10) : 0);
	n = h ? plan_get(h, "verify-ms") : NULL;
	json_int(&j, "verify_ms", n ? strtoll(n, NULL, 10) : 0);
	json_str(&j, "verify_output", h ? plan_get(h, "verify-output") : NULL);
	json_str(&j, "rollback_to", h ? plan_get(h, "rollback-to") : NULL);
	json_str(&j, "rollback_entry", h ? plan_get(h, "rollback-entry") :
	    NULL);
	json_str(&j, "hold_entry", h ? plan_get(h, "hold-entry") : NULL);
	plan_json_fields(&j, p, 0);
	json_end(&j);
	json_print(&j, fp);
	json_release(&j);
}

/*
 * deploy --latest --json with nothing newer: the object of a run that
 * checked and did nothing, outcome "nothing-newer", version null
 */
static void
print_nothing_newer(struct ctx *ctx, const char *env, const char *running)
{
	struct plan p = PLAN_INIT;

	plan_begin(&p, "deploy", ctx->cmdline);
	plan_set(&p.attrs, "env", env);
	plan_set(&p.attrs, "outcome", "nothing-newer");
	plan_set(&p.attrs, "undo", "");
	plan_done_step(&p, PLAN_CHECK, PLAN_DONE, "nothing newer to deploy: "
	    "the running release is the newest good one");
	if (running != NULL)
		plan_set(&p.steps[0].attrs, "running", running);
	print_outcome_json(stdout, &p);
	plan_release(&p);
}

/* --json of a run stopped with its journal kept: the undo is the abort */
static void
print_kept_json(FILE *fp, struct plan *p)
{
	if (fp == NULL)
		return;
	plan_set(&p->attrs, "undo", "git release --abort");
	print_outcome_json(fp, p);
	plan_set(&p->attrs, "undo", NULL);
}

/* the hook ran, the record failed: say so, and how to record it */
static void
hint_unrecorded(const char *env, const char *tag)
{
	hint("the deploy hook succeeded: %s is deployed to %s, but not "
	    "recorded", tag, env);
	hint("once the cause is fixed, record it with: git release "
	    "--continue");
}

/* after the run: what happened, what is left, the undo */
static int
deploy_finish(struct ctx *ctx, struct journal *j, struct plan *p,
    const struct deploy_opts *o, FILE *fp, int rc)
{
	const struct plan_step *hook = find_step((struct plan *)p, PLAN_HOOK,
	    NULL);
	struct strbuf undo = STRBUF_INIT;

	if (rc < 0 && hook != NULL && hook->status != PLAN_DONE) {
		/*
		 * The hook failed: nothing was deployed; an attempt that
		 * verification put on record stays as the record of it.
		 */
		if (plan_get(&hook->attrs, "hook-ran") &&
		    strcmp(plan_get(&hook->attrs, "hook-ran"), "1") == 0) {
			hint_unrecorded(o->env, plan_get(&p->attrs, "tag"));
			hint("or undo what was done with \"git release "
			    "--abort\"");
			print_kept_json(fp, p);
			return rc;
		}
		journal_remove(j);
		if (plan_get(&hook->attrs, "recorded") == NULL)
			hint("nothing was recorded; fix the hook and deploy "
			    "again, or record it with --no-hook");
		return rc;
	}
	if (rc < 0 && deploy_push_failed(p)) {
		/*
		 * Recorded here, not there: the entry is complete, and any
		 * later --push sends every entry the remote lacks.
		 */
		journal_remove(j);
		hint("the deployment is recorded here; push the log with the "
		    "next --push (git release deploy ... --push)");
		if (fp != NULL)
			print_outcome_json(fp, p);
		return rc;
	}
	if (rc < 0) {
		if (hook != NULL && plan_get(&hook->attrs, "skip") == NULL)
			hint_unrecorded(o->env, plan_get(&p->attrs, "tag"));
		hint("the rest of the plan is kept: \"git release --continue\" "
		    "finishes it, \"git release --abort\" undoes what was "
		    "done");
		print_kept_json(fp, p);
		(void)ctx;
		return rc;
	}
	if (fp != NULL) {
		print_outcome_json(fp, p);
	} else if (hook == NULL || plan_get(&hook->attrs, "rolled") == NULL) {
		if (plan_get(&hook->attrs, "previous") == NULL)
			printf("the first deployment to %s: the undo removes "
			    "its entry\n", o->env);
		plan_undo_line(&undo, p);
		printf("undo: %s\n", undo.buf);
	}
	strbuf_release(&undo);
	/* 0 only when the deployment verified (or had nothing to verify) */
	return plan_get(&hook->attrs, "failed") ? E_REFUSED : 0;
}

/*
 * The downgrade guard: r older than what the log says runs (running) is
 * a rollback.  Refused (E_REFUSED, nothing run) without
 * --allow-downgrade; with it, the rollback itself, deploy-only, through
 * its checks and migration gate (1 when it ran, its result in *rc).
 */
static int
deploy_downgrade(int *rc, struct ctx *ctx, const struct deploy_opts *o,
    const struct release_list *l, const struct release *r,
    const char *running)
{
	struct rollback_opts ro = ROLLBACK_OPTS_INIT;
	const struct release *run = running ? release_find(l, ctx, running) :
	    NULL;

	*rc = 0;
	if (run == NULL || semver_cmp(&r->v, &run->v) >= 0)
		return 0;
	if (!o->allow_downgrade) {
		*rc = error("%s is older than the running %s: that is a "
		    "rollback; use git rollback", r->tag, run->tag);
		hint("git rollback %s --env %s -m <reason>, or deploy it as "
		    "one with --allow-downgrade -m <reason>", r->tag, o->env);
		return 1;
	}
	if (o->json && o->dry_run) {
		/* the rollback's dry run is text: no second shape of it */
		error("%s is older than the running %s: the dry run of a "
		    "downgrade is a rollback's, text only; drop --json",
		    r->tag, run->tag);
		*rc = E_USAGE;
		return 1;
	}
	info("%s is older than the running %s: deploying it as a rollback",
	    r->tag, run->tag);
	ro.json = o->json;	/* the rollback's plan, op "rollback" */
	ro.target = r->tag;
	ro.env = o->env;
	ro.reason = o->message;
	ro.strategy = ROLLBACK_DEPLOY_ONLY;
	ro.migrate = o->migrate;
	ro.ignore_migrations = o->ignore_migrations;
	ro.force = o->force;	/* its mark was judged already */
	ro.no_hook = o->no_hook;
	ro.no_verify = o->no_verify;
	ro.push = o->push;
	ro.dry_run = o->dry_run;
	ro.no_fetch = 1;	/* fetched already when pushing */
	ro.yes = 1;
	*rc = rollback_run(ctx, &ro);
	return 1;
}

int
deploy_release(struct ctx *ctx, const struct deploy_opts *o, const char *name)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct marks marks = MARKS_INIT;
	struct verify_config vc;
	struct deploy_plan_in in;
	struct plan p = PLAN_INIT;
	struct journal j = JOURNAL_INIT;
	const struct release *r = NULL, *pr;
	const git_signature *me;
	struct hold_check hc;
	struct hold hold;
	const char *bad;
	char *prev = NULL, *before = NULL;
	FILE *fp = NULL;
	int rollback, lift = 0, logged = 0, ret;

	memset(&hold, 0, sizeof(hold));
	ctx->read_only = o->dry_run;
	/* a malformed duration stops us before anything happens */
	if ((ret = verify_config_load(&vc, ctx, o->env)) < 0)
		goto out;
	rollback = o->rollback ? o->rollback > 0 : vc.rollback_on_failure;
	if (vc.command == NULL || o->no_verify)
		rollback = 0;
	if ((ret = env_require(ctx, o->env, o->new_env ? ENV_ALLOW_NEW :
	    0)) < 0 ||
	    (ret = release_list_load(&l, ctx)) < 0 ||
	    (name != NULL && (ret = release_lookup(&r, &l, ctx, name)) < 0))
		goto out;
	if (o->push && !remote_exists(ctx, ctx->set.remote)) {
		ret = error("cannot push: remote '%s' does not exist",
		    ctx->set.remote);
		hint("add it, set release.remote, or deploy without --push");
		goto out;
	}
	if ((ret = repo_require_no_operation(ctx, "deploy")) < 0 ||
	    (!o->dry_run && (ret = repo_lock(ctx)) < 0))
		goto out;
	/* a colleague's yank must be seen before we deploy past it */
	if (o->push && !o->dry_run && (ret = deploylog_fetch(ctx)) < 0)
		goto out;
	if ((ret = marks_load(&marks, ctx)) < 0 ||
	    (ret = deploy_ran_before(&before, &logged, ctx, &l,
	    o->env)) < 0)
		goto out;
	/*
	 * --latest against what the log says runs: with nothing recorded,
	 * the branch's release is a guess, and the first deploy of a CI job
	 * must not be "nothing newer" because it was just cut
	 */
	if (o->latest && (ret = pick_latest(&r, ctx, &l, &marks, o->env,
	    logged ? before : NULL, o->json)) <= 0) {
		if (ret == 0 && o->json)
			print_nothing_newer(ctx, o->env, logged ? before :
			    NULL);
		goto out;
	}
	if ((bad = marks_reason(&marks, r->tag)) != NULL) {
		if (!o->force) {
			ret = error("release '%s' is marked bad: %s", r->tag,
			    bad);
			hint("deploy it anyway with --force, or lift the mark "
			    "with \"git release yank --undo %s\"", r->tag);
			goto out;
		}
		warning("deploying '%s' although it is marked bad: %s",
		    r->tag, bad);
	}
	/* the downgrade guard, then holds */
	if (deploy_downgrade(&ret, ctx, o, &l, r, logged ? before : NULL))
		goto out;
	if (o->allow_downgrade) {
		ret = error("%s is not older than %s: --allow-downgrade "
		    "deploys older releases only", r->tag, logged && before ?
		    before : "what runs");
		goto out;
	}
	memset(&hc, 0, sizeof(hc));
	hc.lift_hold = o->lift_hold;
	if ((ret = hold_check_deploy(&lift, &hold, ctx, &l, o->env, r,
	    logged ? before : NULL, &hc)) < 0)
		goto out;
	if ((ret = deploy_previous(&prev, ctx, &l, o->env, r->tag)) < 0)
		goto out;
	/* a record that cannot be written must stop us before the hook */
	if (!o->dry_run && (ret = deploylog_can_record(ctx, o->env)) < 0) {
		hint("nothing was deployed or recorded");
		goto out;
	}
	/* one time for the entry and its tag, however often resumed */
	if ((ret = ctx_committer(&me, ctx)) < 0)
		goto out;
	memset(&in, 0, sizeof(in));
	in.o = o;
	in.r = r;
	in.vc = &vc;
	in.rollback = rollback;
	in.hold = lift ? &hold : NULL;
	in.prev = prev;
	if (prev != NULL && (pr = release_find(&l, ctx, prev)) != NULL)
		in.prev_older = semver_cmp(&pr->v, &r->v) < 0;
	in.before = before;
	in.time = me->when.time;
	if ((ret = deploy_build_plan(&p, ctx, &in)) < 0)
		goto out;
	if (o->dry_run) {
		if ((ret = dry_run_ids(&p, ctx)) < 0)
			goto out;
		plan_print_dry_run(stdout, &p, o->json);
		goto out;
	}
	/* from here on stdout is the one JSON object's, the text stderr's */
	if (o->json)
		fp = plan_json_stdout();
	if ((ret = journal_begin(&j, ctx, &p)) < 0)
		goto out;
	ret = plan_execute(ctx, &j, &deploy_ops, NULL, PLAN_EXEC_NO_HINT);
	ret = deploy_finish(ctx, &j, &p, o, fp, ret);
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	journal_release(&j);
	plan_release(&p);
	hold_release(&hold);
	free(before);
	free(prev);
	marks_release(&marks);
	release_list_release(&l);
	return ret;
}
