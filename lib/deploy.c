/*
 * The work behind git release deploy and yank, in DESIGN.md's order:
 * every check first, then the hook, then the record, then the push; a
 * dry run stops before the first change and prints the plan instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "deploy.h"
#include "deploylog.h"
#include "env.h"
#include "hook.h"
#include "hold.h"
#include "push.h"
#include "verify.h"
#include "banned.h"

/* a word the user can paste into a shell: quoted unless plainly safe */
static void
add_shell_word(struct strbuf *sb, const char *s)
{
	const char *p;

	if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+=:@,") == strlen(s)) {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_addch(sb, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			strbuf_addstr(sb, "'\\''");
		else
			strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '\'');
}

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
 * The line that undoes a deployment: deploying what ran before, or,
 * for the first entry of the environment (the log says nothing ran
 * there before: a branch's release never ran there for the record),
 * removing that entry: the log ref put back where it was, compared
 * with the entry (new), the
 * deployed-<tag> tag it made deleted, and, when it was pushed, the
 * same on the remote with a lease, so that a colleague's later entry
 * is never lost.
 */
static void
print_deploy_undo(struct ctx *ctx, const char *prev, const char *env,
    const char *tag, const git_oid *old, const git_oid *new, int tagged,
    int push)
{
	struct strbuf sb = STRBUF_INIT;
	const char *remote = ctx->set.remote;

	if (prev != NULL) {
		strbuf_addstr(&sb, "git release deploy ");
		add_shell_word(&sb, prev);
		strbuf_addf(&sb, " --env %s%s", env, push ? " --push" : "");
		printf("undo: %s\n", sb.buf);
		strbuf_release(&sb);
		return;
	}
	if (old == NULL)
		printf("the first deployment to %s: the undo removes its "
		    "entry\n", env);
	else
		printf("nothing else ran on %s before: the undo removes this "
		    "entry\n", env);
	if (old != NULL)
		strbuf_addf(&sb, "git update-ref " DEPLOY_LOG_PREFIX "%s %s",
		    env, git_oid_tostr_s(old));
	else
		strbuf_addf(&sb, "git update-ref -d " DEPLOY_LOG_PREFIX "%s",
		    env);
	if (new != NULL)
		strbuf_addf(&sb, " %s", git_oid_tostr_s(new));
	if (tagged) {
		strbuf_addstr(&sb, " && git tag -d ");
		add_shell_word(&sb, DEPLOYED_TAG_PREFIX);
		strbuf_addstr(&sb, tag);
	}
	if (push) {
		strbuf_addstr(&sb, " && git push --atomic");
		if (new != NULL)
			strbuf_addf(&sb, " --force-with-lease=" DEPLOY_LOG_PREFIX
			    "%s:%s", env, git_oid_tostr_s(new));
		strbuf_addf(&sb, " %s %s:" DEPLOY_LOG_PREFIX "%s", remote,
		    old ? git_oid_tostr_s(old) : "", env);
		if (tagged)
			strbuf_addf(&sb, " :refs/tags/" DEPLOYED_TAG_PREFIX "%s",
			    tag);
	}
	printf("undo: %s\n", sb.buf);
	strbuf_release(&sb);
}

/* the verification a deploy would run, for the dry run */
static void
print_verify_plan(const struct deploy_opts *o, const struct verify_config *vc,
    int rollback)
{
	struct strbuf iv = STRBUF_INIT, to = STRBUF_INIT;

	if (vc->command == NULL)
		return;
	if (o->no_verify) {
		printf("would skip verification (--no-verify)\n");
		return;
	}
	verify_duration_format(&iv, vc->interval_ms);
	verify_duration_format(&to, vc->timeout_ms);
	printf("would verify with: %s (every %s until it passes %d time%s "
	    "in a row, up to %s)\n", vc->command, iv.buf, vc->passes,
	    vc->passes == 1 ? "" : "s", to.buf);
	if (rollback)
		printf("would roll back automatically if it does not "
		    "verify\n");
	strbuf_release(&iv);
	strbuf_release(&to);
}

/*
 * deploy --latest: the newest stable release not marked bad and newer
 * than what runs; refused while env is held.  1 with *out set, 0 when
 * there is nothing newer (said), < 0 refused.
 */
static int
pick_latest(const struct release **out, struct ctx *ctx,
    const struct release_list *l, const struct marks *marks,
    const char *env, const char *running)
{
	const struct release *run = running ? release_find(l, ctx, running) :
	    NULL;
	struct hold h;
	int rc;

	*out = NULL;
	if ((rc = hold_state(&h, ctx, env)) < 0)
		return rc;
	if (h.held) {
		rc = error("'%s' is held at %s%s%s: --latest deploys nothing",
		    env, h.tag, h.reason ? ": " : "", h.reason ? h.reason : "");
		hint("lift it with \"git release hold --lift --env %s -m "
		    "<reason>\", or fix forward: git hotfix start %s", env,
		    h.tag);
		hold_release(&h);
		return rc;
	}
	hold_release(&h);
	if ((*out = hold_latest(l, marks, run)) != NULL)
		return 1;
	printf("nothing newer to deploy to %s: %s is the newest good "
	    "release\n", env, running ? running : "(none)");
	return 0;
}

/* deploy --json: the outcome, one object */
static void
print_outcome_json(const struct deploy_opts *o, const struct release *r,
    const struct verify_outcome *vo)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "{\"env\":");
	strbuf_add_json(&sb, o->env);
	strbuf_addstr(&sb, ",\"version\":");
	strbuf_add_json(&sb, r->tag);
	strbuf_addstr(&sb, ",\"commit\":");
	strbuf_add_json(&sb, git_oid_tostr_s(&r->commit));
	strbuf_addstr(&sb, ",\"outcome\":");
	strbuf_add_json(&sb, verify_outcome_name(vo->kind));
	strbuf_addstr(&sb, ",\"entry\":");
	strbuf_add_json(&sb, git_oid_tostr_s(&vo->entry));
	strbuf_addf(&sb, ",\"verify_attempts\":%lld,\"verify_ms\":%lld",
	    (long long)vo->vr.attempts, (long long)vo->vr.elapsed_ms);
	strbuf_addstr(&sb, ",\"verify_output\":");
	strbuf_add_json(&sb, vo->vr.first_line);
	strbuf_addstr(&sb, ",\"rollback_to\":");
	strbuf_add_json(&sb, vo->rollback_to);
	strbuf_addstr(&sb, ",\"rollback_entry\":");
	strbuf_add_json(&sb, vo->rolled ?
	    git_oid_tostr_s(&vo->rollback_entry) : NULL);
	strbuf_addstr(&sb, ",\"hold_entry\":");
	strbuf_add_json(&sb, vo->held ? git_oid_tostr_s(&vo->hold_entry) :
	    NULL);
	strbuf_addstr(&sb, "}\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

static int
deploy_dry_run(struct ctx *ctx, const struct deploy_opts *o,
    const struct release *r, const struct deploy_entry *e,
    const char *prev, const git_oid *old, const struct verify_config *vc,
    int rollback)
{
	const char *cmd = hook_command(ctx, o->env);
	struct strlist extra = STRLIST_INIT;
	char *tagref = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s", r->tag);
	git_oid id;
	int rc;

	printf("would deploy %s (%.7s) to %s\n", r->tag,
	    git_oid_tostr_s(&r->commit), o->env);
	if (o->no_hook)
		printf("would skip the deploy hook (--no-hook)\n");
	else if (cmd != NULL)
		printf("would run the deploy hook for '%s': %s\n", o->env, cmd);
	else
		printf("no deploy hook for '%s' (deploy.%s.command): would "
		    "record only, nothing deployed\n", o->env, o->env);
	print_verify_plan(o, vc, rollback);
	if ((rc = deploylog_plan(ctx, e)) < 0)
		goto out;
	if (o->push) {
		strlist_add_nodup(&extra, xstrfmt(DEPLOY_LOG_PREFIX "%s",
		    o->env));
		if (strcmp(o->env, DEFAULT_ENV) == 0)
			strlist_add(&extra, tagref);
		deploylog_add_missing_tag(&extra, ctx, r->tag);
		rc = deploylog_push_plan(ctx,
		    (const char *const *)extra.items);
		if (rc < 0)
			goto out;
	}
	if ((rc = deploylog_entry_id(&id, ctx, e)) < 0)
		goto out;
	print_deploy_undo(ctx, prev, o->env, r->tag, old, &id,
	    strcmp(o->env, DEFAULT_ENV) == 0 &&
	    !ref_exists_quiet(ctx, tagref), o->push);
	rc = 0;
out:
	strlist_release(&extra);
	free(tagref);
	return rc;
}

/* the hook ran, the record failed: say so, and how to record it */
static void
hint_unrecorded(struct ctx *ctx, const struct deploy_opts *o, const char *tag)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "git release deploy ");
	add_shell_word(&sb, tag);
	strbuf_addstr(&sb, " --env ");
	add_shell_word(&sb, o->env);
	if (ctx->set.component != NULL) {
		strbuf_addstr(&sb, " --component ");
		add_shell_word(&sb, ctx->set.component->name);
	}
	strbuf_addstr(&sb, " --no-hook");
	if (o->message != NULL) {
		strbuf_addstr(&sb, " -m ");
		add_shell_word(&sb, o->message);
	}
	if (o->push)
		strbuf_addstr(&sb, " --push");
	hint("the deploy hook succeeded: %s is deployed to %s, but not "
	    "recorded", tag, o->env);
	hint("once the cause is fixed, record it with: %s", sb.buf);
	strbuf_release(&sb);
}

int
deploy_release(struct ctx *ctx, const struct deploy_opts *o, const char *name)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct marks marks = MARKS_INIT;
	struct verify_config vc;
	struct verify_deploy_opts vd;
	struct verify_outcome vo;
	struct deploy_entry e;
	struct hook_vars hv;
	const struct release *r = NULL;
	struct hold_check hc;
	struct hold hold;
	const char *bad;
	char hex[GIT_OID_HEXSZ + 1], *prev = NULL, *logref = NULL,
	    *tagref = NULL, *before = NULL, *rbref = NULL;
	git_oid old;
	int has_old = 0, rollback, lift = 0, logged = 0, ret;

	memset(&e, 0, sizeof(e));
	memset(&hold, 0, sizeof(hold));
	ctx->read_only = o->dry_run;
	memset(&vo, 0, sizeof(vo));
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
	    logged ? before : NULL)) <= 0)
		goto out;
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
	/* holds and the downgrade guard */
	memset(&hc, 0, sizeof(hc));
	hc.lift_hold = o->lift_hold;
	if ((ret = hold_check_deploy(&lift, &hold, ctx, &l, o->env, r,
	    logged ? before : NULL, &hc)) < 0)
		goto out;
	if ((ret = deploy_previous(&prev, ctx, &l, o->env, r->tag)) < 0)
		goto out;
	logref = xstrfmt(DEPLOY_LOG_PREFIX "%s", o->env);
	if (git_reference_name_to_id(&old, ctx->repo, logref) == 0)
		has_old = 1;
	git_error_clear();

	e.env = (char *)o->env;
	e.tag = r->tag;
	e.commit = r->commit;
	e.kind = DEPLOY_KIND_DEPLOY;
	e.reason = (char *)o->message;
	if (ctx->set.component != NULL)
		e.component = ctx->set.component->name;
	if (o->dry_run && lift)
		printf("would lift the hold on %s at %s\n", o->env, hold.tag);
	if (o->dry_run) {
		ret = deploy_dry_run(ctx, o, r, &e, prev,
		    has_old ? &old : NULL, &vc, rollback);
		goto out;
	}

	if (lift) {
		char *why = o->lift_hold ?
		    xstrfmt("--lift-hold: deploy %s%s%s", r->tag,
		    o->message ? ": " : "", o->message ? o->message : "") :
		    xstrfmt("fix forward: %s is a hotfix of %s", r->tag,
		    hold.tag);
		git_oid hid;

		ret = hold_lift(&hid, ctx, o->env, &hold, why);
		free(why);
		if (ret < 0)
			goto out;
		if (o->json)	/* stdout is the outcome's */
			info("lifted the hold on %s at %s", o->env, hold.tag);
		else
			printf("lifted the hold on %s at %s\n", o->env,
			    hold.tag);
	}
	git_oid_tostr(hex, sizeof(hex), &r->commit);
	memset(&hv, 0, sizeof(hv));
	hv.env = o->env;
	hv.tag = r->tag;
	hv.v = &r->v;
	hv.commit = hex;
	hv.kind = "deploy";
	hv.reason = o->message;
	/* a record that cannot be written must stop us before the hook */
	if ((ret = deploylog_can_record(ctx, o->env)) < 0) {
		hint("nothing was deployed or recorded");
		goto out;
	}
	memset(&vd, 0, sizeof(vd));
	vd.vc = &vc;
	vd.no_hook = o->no_hook;
	vd.no_verify = o->no_verify;
	vd.rollback = rollback;
	vd.previous = before;
	vd.json = o->json;
	if ((ret = verify_deploy(&vo, ctx, &vd, &e, &hv)) < 0) {
		if (vo.vr.hook_ran)
			hint_unrecorded(ctx, o, r->tag);
		else if (e.status != DEPLOY_STATUS_FAILED)
			hint("nothing was recorded; fix the hook and deploy "
			    "again, or record it with --no-hook");
		goto out;
	}
	if (o->json)
		print_outcome_json(o, r, &vo);
	else if (!vo.failed)
		printf("deployed %s to %s (log entry %.7s)%s\n", r->tag,
		    o->env, git_oid_tostr_s(&vo.entry),
		    vo.kind == VERIFY_OUTCOME_VERIFIED ? ", verified" : "");
	else
		printf("deploy of %s to %s failed verification (log entry "
		    "%.7s)\n", r->tag, o->env, git_oid_tostr_s(&vo.entry));
	if (!o->json && vo.kind == VERIFY_OUTCOME_ROLLED_BACK)
		printf("rolled %s back to %s automatically, verified (log "
		    "entry %.7s)\n", o->env, vo.rollback_to,
		    git_oid_tostr_s(&vo.rollback_entry));
	else if (!o->json && vo.rolled)
		printf("rolled %s back to %s automatically, not verified (log "
		    "entry %.7s)\n", o->env, vo.rollback_to,
		    git_oid_tostr_s(&vo.rollback_entry));
	if (!o->json && vo.held)
		printf("held %s at %s (log entry %.7s)\n", o->env,
		    vo.rollback_to, git_oid_tostr_s(&vo.hold_entry));
	if (vo.created_tag && !o->json)
		printf("created tag " DEPLOYED_TAG_PREFIX "%s\n", r->tag);
	if (o->push) {
		struct strlist extra = STRLIST_INIT;
		git_oid tid;

		tagref = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s",
		    r->tag);
		rbref = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s",
		    vo.rollback_to ? vo.rollback_to : "");
		if (strcmp(o->env, DEFAULT_ENV) == 0 &&
		    git_reference_name_to_id(&tid, ctx->repo, tagref) == 0)
			strlist_add(&extra, tagref);
		if (strcmp(o->env, DEFAULT_ENV) == 0 && vo.rollback_to &&
		    git_reference_name_to_id(&tid, ctx->repo, rbref) == 0)
			strlist_add(&extra, rbref);
		git_error_clear();
		/* the release itself, when the remote lacks it: same push */
		deploylog_add_missing_tag(&extra, ctx, r->tag);
		ret = deploylog_push(ctx, (const char *const *)extra.items);
		strlist_release(&extra);
		if (ret < 0)
			goto out;
	}
	if (!o->json && !vo.rolled)
		print_deploy_undo(ctx, prev, o->env, r->tag,
		    has_old ? &old : NULL, &vo.entry, vo.created_tag, o->push);
	/* 0 only when the deployment verified (or had nothing to verify) */
	ret = vo.failed ? E_REFUSED : 0;
out:
	hold_release(&hold);
	free(before);
	free(rbref);
	verify_outcome_release(&vo);
	/* e borrows all but what verification filled in */
	free(e.verify);
	free(e.verify_output);
	free(e.trigger);
	free(prev);
	free(logref);
	free(tagref);
	marks_release(&marks);
	release_list_release(&l);
	return ret;
}

/* "git release yank <tag> [--env <env>] -m <reason>" for one mark */
static void
add_yank_command(struct strbuf *sb, const char *tag, const struct mark *m,
    int undo, int push)
{
	strbuf_addf(sb, "%sgit release yank%s ", sb->len ? " && " : "",
	    undo ? " --undo" : "");
	add_shell_word(sb, tag);
	if (m->env != NULL) {
		strbuf_addstr(sb, " --env ");
		add_shell_word(sb, m->env);
	}
	strbuf_addstr(sb, " -m ");
	add_shell_word(sb, m->reason);
	if (push)
		strbuf_addstr(sb, " --push");
}

/* the marks of tag that --undo [--env] [-m] lifts */
static void
yank_matches(struct mark_list *out, const struct mark_list *all,
    const struct yank_opts *o)
{
	size_t i;

	for (i = 0; all != NULL && i < all->nr; i++) {
		const struct mark *m = &all->items[i];

		if (o->env != NULL && (m->env == NULL ||
		    strcmp(m->env, o->env) != 0))
			continue;
		if (o->reason != NULL && strcmp(m->reason, o->reason) != 0)
			continue;
		mark_list_add(out, m->env, m->reason);
	}
}

int
yank_release(struct ctx *ctx, const struct yank_opts *o, const char *name)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct marks marks = MARKS_INIT;
	struct mark_list lift = MARK_LIST_INIT;
	struct strbuf undo = STRBUF_INIT;
	const struct mark_list *was;
	const struct release *r;
	struct mark add;
	char *reflog = NULL;
	size_t i;
	int ret;

	if ((ret = release_list_load(&l, ctx)) < 0 ||
	    (ret = release_lookup(&r, &l, ctx, name)) < 0 ||
	    (o->env != NULL && (ret = env_require(ctx, o->env, 0)) < 0))
		goto out;
	if (o->push && !remote_exists(ctx, ctx->set.remote)) {
		ret = error("cannot push: remote '%s' does not exist",
		    ctx->set.remote);
		goto out;
	}
	if ((ret = repo_require_no_operation(ctx, "yank a release")) < 0 ||
	    (!o->dry_run && (ret = repo_lock(ctx)) < 0) ||
	    (o->push && !o->dry_run && (ret = deploylog_fetch(ctx)) < 0) ||
	    (ret = marks_load(&marks, ctx)) < 0)
		goto out;
	was = marks_of(&marks, r->tag);
	add.env = (char *)o->env;
	add.reason = (char *)o->reason;
	if (o->undo) {
		yank_matches(&lift, was, o);
		if (lift.nr == 0) {
			if (was == NULL)
				ret = error("release '%s' is not marked bad",
				    r->tag);
			else
				ret = error("release '%s' has no bad mark%s%s%s"
				    "%s", r->tag, o->env ? " from '" : "",
				    o->env ? o->env : "", o->env ? "'" : "",
				    o->reason ? " with that reason" : "");
			hint("its marks: %s", was ? marks_reason(&marks,
			    r->tag) : "none");
			goto out;
		}
		/* the undo puts each lifted mark back */
		for (i = 0; i < lift.nr; i++)
			add_yank_command(&undo, r->tag, &lift.items[i], 0,
			    o->push);
	} else {
		if (was != NULL && mark_list_find(was, o->env, o->reason) >= 0) {
			printf("%s is already marked bad%s%s: %s\n", r->tag,
			    o->env ? " from " : "", o->env ? o->env : "",
			    o->reason);
			/* marked here, maybe not yet there: --push still pushes */
			ret = 0;
			if (o->push && o->dry_run)
				ret = deploylog_push_plan(ctx, NULL);
			else if (o->push)
				ret = deploylog_push(ctx, NULL);
			goto out;
		}
		add_yank_command(&undo, r->tag, &add, 1, o->push);
	}
	if (o->dry_run) {
		for (i = 0; i < lift.nr; i++)
			printf("would lift the bad mark on %s%s%s: %s\n",
			    r->tag, lift.items[i].env ? " from " : "",
			    lift.items[i].env ? lift.items[i].env : "",
			    lift.items[i].reason);
		if (!o->undo)
			printf("would mark %s bad%s%s: %s\n", r->tag,
			    o->env ? " from " : "", o->env ? o->env : "",
			    o->reason);
		printf("would update " DEPLOY_MARKS_REF "\n");
		if (o->push && (ret = deploylog_push_plan(ctx, NULL)) < 0)
			goto out;
		printf("undo: %s\n", undo.buf);
		ret = 0;
		goto out;
	}
	reflog = o->undo ? xstrfmt("yank --undo: %s", r->tag) :
	    xstrfmt("yank: %s", r->tag);
	ret = o->undo ? marks_lift(ctx, r->tag, o->env, o->reason, reflog) :
	    marks_add(ctx, r->tag, o->env, o->reason, reflog);
	if (ret < 0)
		goto out;
	for (i = 0; i < lift.nr; i++)
		printf("lifted the bad mark on %s%s%s: %s\n", r->tag,
		    lift.items[i].env ? " from " : "",
		    lift.items[i].env ? lift.items[i].env : "",
		    lift.items[i].reason);
	if (!o->undo)
		printf("marked %s bad%s%s: %s\n", r->tag,
		    o->env ? " from " : "", o->env ? o->env : "", o->reason);
	if (o->push)
		ret = deploylog_push(ctx, NULL);
	printf("undo: %s\n", undo.buf);
out:
	free(reflog);
	strbuf_release(&undo);
	mark_list_release(&lift);
	marks_release(&marks);
	release_list_release(&l);
	return ret;
}
