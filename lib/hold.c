/*
 * Holds, read from and written to the deployment log.  The state of a
 * hold is its newest hold or unhold entry for the environment and the
 * selected component; the log's own merging (logsync.c) keeps both
 * sides' holds when two clones push.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "checklist.h"
#include "component.h"
#include "hold.h"
#include "json.h"
#include "push.h"
#include "semver.h"
#include "banned.h"

void
hold_release(struct hold *h)
{
	free(h->tag);
	free(h->reason);
	free(h->operator);
	memset(h, 0, sizeof(*h));
}

struct state_walk {
	struct ctx	*ctx;
	struct hold	*out;
};

static int
state_one(const struct deploy_entry *e, void *payload)
{
	struct state_walk *w = payload;

	if ((e->kind != DEPLOY_KIND_HOLD && e->kind != DEPLOY_KIND_UNHOLD) ||
	    !component_owns_entry(w->ctx, e->tag, e->component))
		return 0;
	if (e->kind == DEPLOY_KIND_HOLD) {
		w->out->held = 1;
		w->out->tag = xstrdup(e->tag);
		w->out->reason = e->reason ? xstrdup(e->reason) : NULL;
		w->out->operator = e->operator ? xstrdup(e->operator) : NULL;
		w->out->time = e->time;
		w->out->id = e->id;
	}
	return 1;
}

int
hold_state(struct hold *out, struct ctx *ctx, const char *env)
{
	struct state_walk w = { ctx, out };

	memset(out, 0, sizeof(*out));
	return deploylog_walk_holds(ctx, env, state_one, &w);
}

static int
append_hold(git_oid *out, struct ctx *ctx, const char *env,
    enum deploy_kind kind, const char *tag, const git_oid *commit,
    const char *reason)
{
	struct deploy_entry e;

	memset(&e, 0, sizeof(e));
	e.env = (char *)env;
	e.tag = (char *)tag;
	e.commit = *commit;
	e.kind = kind;
	e.reason = (char *)reason;
	if (ctx->set.component != NULL)
		e.component = ctx->set.component->name;
	return deploylog_append(out, ctx, &e, NULL);
}

int
hold_put(git_oid *out, struct ctx *ctx, const char *env,
    const struct release *r, const char *reason)
{
	return append_hold(out, ctx, env, DEPLOY_KIND_HOLD, r->tag,
	    &r->commit, reason);
}

int
hold_lift(git_oid *out, struct ctx *ctx, const char *env,
    const struct hold *h, const char *reason)
{
	git_object *obj = NULL;
	git_oid commit;
	char *spec = xstrfmt("refs/tags/%s^{commit}", h->tag);
	int rc;

	rc = git_revparse_single(&obj, ctx->repo, spec);
	free(spec);
	if (rc < 0) {
		/* the held tag is gone: the entry still names it */
		git_error_clear();
		memset(&commit, 0, sizeof(commit));
	} else
		commit = *git_object_id(obj);
	git_object_free(obj);
	return append_hold(out, ctx, env, DEPLOY_KIND_UNHOLD, h->tag, &commit,
	    reason);
}

int
hold_after_rollback(git_oid *out, int *put, struct ctx *ctx, const char *env,
    const struct release *r, const char *from)
{
	struct hold h;
	char *why;
	int rc;

	*put = 0;
	if ((rc = hold_state(&h, ctx, env)) < 0)
		return rc;
	if (h.held && strcmp(h.tag, r->tag) == 0) {
		hold_release(&h);
		return 0;
	}
	hold_release(&h);
	why = xstrfmt("rolled back from %s", from);
	rc = hold_put(out, ctx, env, r, why);
	free(why);
	if (rc == 0)
		*put = 1;
	return rc;
}

/* the value of r's annotation's "Hotfix: <base>" line, or NULL */
static char *
hotfix_base(struct ctx *ctx, const struct release *r)
{
	git_object *obj = NULL;
	const char *line, *nl;
	char *ref = xstrfmt("refs/tags/%s", r->tag), *out = NULL;
	git_oid id;

	if (git_reference_name_to_id(&id, ctx->repo, ref) < 0 ||
	    git_object_lookup(&obj, ctx->repo, &id, GIT_OBJECT_TAG) < 0)
		goto out;
	for (line = git_tag_message((git_tag *)obj); line && *line;
	    line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (strncmp(line, "Hotfix: ", 8) == 0) {
			size_t len = nl ? (size_t)(nl - line - 8) :
			    strlen(line + 8);

			out = xstrndup(line + 8, len);
			break;
		}
	}
out:
	git_error_clear();
	git_object_free(obj);
	free(ref);
	return out;
}

int
hold_is_fix(int *out, struct ctx *ctx, const struct release_list *l,
    const struct hold *h, const struct release *r)
{
	const struct release *held = release_find(l, ctx, h->tag);
	char *base = hotfix_base(ctx, r);
	char hex[GIT_OID_HEXSZ + 1];
	size_t n;

	/* git hotfix finish names the base it started from */
	*out = 0;
	if (held != NULL && base != NULL) {
		git_oid_tostr(hex, sizeof(hex), &held->commit);
		n = strlen(base);
		*out = strcmp(base, held->tag) == 0 || (n >= 7 &&
		    n <= GIT_OID_HEXSZ && strncmp(base, hex, n) == 0);
	}
	free(base);
	return 0;
}

int
hold_check_deploy(int *lift_out, struct hold *h, struct ctx *ctx,
    const struct release_list *l, const char *env, const struct release *r,
    const char *running, const struct hold_check *o)
{
	const struct release *run = running ? release_find(l, ctx, running) :
	    NULL;
	int fix = 0, rc, c;

	*lift_out = 0;
	if ((rc = hold_state(h, ctx, env)) < 0)
		return rc;
	c = run != NULL ? semver_cmp(&r->v, &run->v) : 1;
	if (!h->held || c <= 0 || strcmp(r->tag, h->tag) == 0)
		return 0;
	if ((rc = hold_is_fix(&fix, ctx, l, h, r)) < 0)
		return rc;
	if (fix) {
		info("%s is a hotfix of the held %s: deploying it lifts the "
		    "hold", r->tag, h->tag);
		*lift_out = 1;
		return 0;
	}
	if (o->lift_hold) {
		*lift_out = 1;
		return 0;
	}
	error("'%s' is held at %s%s%s: %s is not deployed", env, h->tag,
	    h->reason ? ": " : "", h->reason ? h->reason : "", r->tag);
	hold_hint_fix_forward(ctx, env, h->tag, 1);
	return E_REFUSED;
}

const struct release *
hold_latest(const struct release_list *l, const struct marks *m,
    const struct release *running)
{
	size_t i;

	/* newest first */
	for (i = 0; i < l->nr; i++) {
		const struct release *r = &l->items[i];

		if (!semver_is_stable(&r->v) || marks_reason(m, r->tag))
			continue;
		if (running != NULL && semver_cmp(&r->v, &running->v) <= 0)
			return NULL;
		return r;
	}
	return NULL;
}

static void
list_json(struct strbuf *sb, struct ctx *ctx, const char *env,
    const struct hold *h, const char *component)
{
	struct json j = JSON_INIT;

	json_begin(&j);
	json_str(&j, "env", env);
	json_str(&j, "component", component);
	json_str(&j, "tag", h->tag);
	json_version(&j, "version", component_tag_version(ctx, h->tag));
	json_time(&j, "time", h->time);
	json_str(&j, "operator", h->operator);
	json_str(&j, "reason", h->reason);
	json_str(&j, "entry", git_oid_tostr_s(&h->id));
	json_end(&j);
	json_add_line(sb, &j);
	json_release(&j);
}

static void
list_line(struct strbuf *sb, const char *env, const struct hold *h)
{
	struct strbuf t = STRBUF_INIT;

	deploy_time_human(&t, h->time);
	strbuf_addf(sb, "%s  %s  %s  %s", env, h->tag, t.buf,
	    h->operator ? h->operator : "");
	if (h->reason != NULL)
		strbuf_addf(sb, "  %.*s", (int)strcspn(h->reason, "\n"),
		    h->reason);
	strbuf_addch(sb, '\n');
	strbuf_release(&t);
}

/* every environment's hold for the selected component, into out */
static int
hold_list_component(struct strbuf *out, struct ctx *ctx, int json)
{
	struct strlist refs = STRLIST_INIT;
	size_t i, plen = strlen(DEPLOY_LOG_PREFIX);
	int ret;

	if ((ret = release_refs_under(&refs, ctx, DEPLOY_LOG_PREFIX)) < 0)
		goto out;
	for (i = 0; i < refs.nr; i++) {
		const char *env = refs.items[i] + plen;
		struct hold h;

		if (deploy_env_check(env) < 0)
			continue;
		if ((ret = hold_state(&h, ctx, env)) < 0)
			goto out;
		if (h.held && json)
			list_json(out, ctx, env, &h, ctx->set.component ?
			    ctx->set.component->name : NULL);
		else if (h.held)
			list_line(out, env, &h);
		hold_release(&h);
	}
	ret = 0;
out:
	strlist_release(&refs);
	return ret;
}

/* the selected component's holds; none selected: every component's */
static int
hold_list(struct ctx *ctx, int json)
{
	struct strbuf out = STRBUF_INIT;
	size_t i;
	int ret = 0;

	if (ctx->set.component != NULL || ctx->set.components.nr == 0)
		ret = hold_list_component(&out, ctx, json);
	else
		for (i = 0; i < ctx->set.components.nr && ret == 0; i++) {
			component_use(ctx, &ctx->set.components.items[i]);
			ret = hold_list_component(&out, ctx, json);
		}
	if (ret == 0)
		fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&out);
	return ret;
}

int
hold_command(struct ctx *ctx, const struct hold_opts *o)
{
	struct release_list l = RELEASE_LIST_INIT;
	const struct release *r = NULL;
	struct hold h;
	git_oid id;
	int ret;

	memset(&h, 0, sizeof(h));
	if (o->list)
		return hold_list(ctx, o->json);
	if (o->push && !remote_exists(ctx, ctx->set.remote)) {
		ret = error("cannot push: remote '%s' does not exist",
		    ctx->set.remote);
		goto out;
	}
	if ((ret = repo_lock(ctx)) < 0 ||
	    (o->push && (ret = deploylog_fetch(ctx)) < 0) ||
	    (ret = hold_state(&h, ctx, o->env)) < 0)
		goto out;
	if (o->lift) {
		if (!h.held) {
			ret = error("'%s' is not held", o->env);
			goto out;
		}
		if ((ret = hold_lift(&id, ctx, o->env, &h, o->reason)) < 0)
			goto out;
		printf("lifted the hold on %s at %s (log entry %.7s)\n",
		    o->env, h.tag, git_oid_tostr_s(&id));
	} else {
		if ((ret = release_list_load(&l, ctx)) < 0 ||
		    (ret = deploy_running(&r, ctx, &l, o->env, NULL)) < 0)
			goto out;
		if (r == NULL) {
			ret = error("nothing runs on '%s': nothing to hold",
			    o->env);
			goto out;
		}
		if (h.held && strcmp(h.tag, r->tag) == 0)
			/* held here, maybe not yet there: --push still pushes */
			printf("%s is already held at %s\n", o->env, h.tag);
		else if ((ret = hold_put(&id, ctx, o->env, r,
		    o->reason)) < 0)
			goto out;
		else
			printf("held %s at %s (log entry %.7s)\n", o->env,
			    r->tag, git_oid_tostr_s(&id));
	}
	if (o->push && (ret = deploylog_push(ctx, NULL)) < 0)
		goto out;
	ret = 0;
out:
	hold_release(&h);
	release_list_release(&l);
	return ret;
}

void
hold_hint_fix_forward(struct ctx *ctx, const char *env, const char *tag,
    int lift_hold)
{
	struct strbuf lift = STRBUF_INIT, fix = STRBUF_INIT;
	const char *comp = ctx->set.component ? ctx->set.component->name :
	    NULL;

	strbuf_addstr(&lift, "git release hold --lift --env ");
	sh_quote(&lift, env);
	strbuf_addstr(&fix, "git hotfix start <name> ");
	sh_quote(&fix, tag);
	if (comp != NULL) {
		strbuf_addstr(&lift, " --component ");
		sh_quote(&lift, comp);
		strbuf_addstr(&fix, " --component ");
		sh_quote(&fix, comp);
	}
	strbuf_addstr(&lift, " -m <reason>");
	hint("%slift the hold with \"%s\", or fix forward from what runs "
	    "there with \"%s\"", lift_hold ? "deploy it anyway with "
	    "--lift-hold, " : "", lift.buf, fix.buf);
	strbuf_release(&lift);
	strbuf_release(&fix);
}
