/*
 * git hotfix finish: every check first, then the plan (plan.h), built
 * without a side effect, printed by --dry-run and run journalled:
 *
 *	check		the checks that ran ("reuse": the tag on the tip
 *			already, reused)
 *	tag		the tag on the hotfix tip, never on the merge
 *	checkout	the release branch, when HEAD is elsewhere
 *	merge		the hotfix merged into it (hotfix-merge.c; a
 *			conflict stops the step for the user)
 *	ref		the hotfix branch deleted, its config with it
 *	push		tag, release branch (and the branch kept), one
 *			atomic push, leased on what the remote held
 *
 * Each step marks itself stopped before its first effect, so that a
 * kill anywhere leaves a step that --continue runs again and --abort
 * undoes; both read the journal.  --abort keeps the tag unless
 * --drop-tag (finish again reuses it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "ask.h"
#include "config.h"
#include "hotfix.h"
#include "hotfix-merge.h"
#include "journal.h"
#include "plan.h"
#include "push.h"
#include "banned.h"

static const char *
short_ref(const char *ref)
{
	return strncmp(ref, "refs/heads/", 11) == 0 ? ref + 11 : ref;
}

/* --version: any version above the base that does not exist yet */
static int
given_version(struct strbuf *tag, struct ctx *ctx,
    const struct release_list *l, const struct hotfix *h, const char *v)
{
	struct semver sv;
	int rc;

	strbuf_reset(tag);
	if ((rc = release_tag_name(tag, ctx, v)) < 0)
		return rc;
	if (release_find(l, ctx, tag->buf) != NULL) {
		error("release '%s' already exists", tag->buf);
		hint("leave --version out to take the next free patch");
		return E_REFUSED;
	}
	if (semver_parse(&sv, tag->buf + strlen(ctx->set.tag_prefix)) < 0)
		return error_fatal("'%s' is not a valid version", v);
	if (h->base_release != NULL &&
	    semver_cmp(&sv, &h->base_release->v) <= 0) {
		error("'%s' is not above the hotfix's base %s", tag->buf,
		    h->base_release->tag);
		return E_REFUSED;
	}
	return 0;
}

/*
 * git branch -D: the ref, its reflog and its config section.  Not
 * git_branch_delete(), whose section removal goes through libgit2
 * 1.5's regex wrapper, which leaks; plain entries are deleted one by
 * one (a multi-valued one, rare here, through the regex after all).
 */
int
hotfix_branch_config_remove(struct ctx *ctx, const char *branch)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct strlist names = STRLIST_INIT;
	char *prefix = xstrfmt("branch.%s.", branch);
	size_t i, plen = strlen(prefix);
	int ret = 0;

	if (git_repository_config(&cfg, ctx->repo) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) {
		ret = error_git(E_FATAL, "cannot read the config");
		goto out;
	}
	while (git_config_next(&e, it) == 0)
		if (e->level == GIT_CONFIG_LEVEL_LOCAL &&
		    strncasecmp(e->name, "branch.", 7) == 0 &&
		    strncmp(e->name + 7, prefix + 7, plen - 7) == 0 &&
		    !strlist_has(&names, e->name))
			strlist_add(&names, e->name);
	git_error_clear();
	for (i = 0; i < names.nr; i++)
		if (git_config_delete_entry(cfg, names.items[i]) < 0 &&
		    git_config_delete_multivar(cfg, names.items[i], ".*") < 0) {
			ret = error_git(E_REFUSED, "cannot remove '%s'",
			    names.items[i]);
			goto out;
		}
out:
	free(prefix);
	strlist_release(&names);
	git_config_iterator_free(it);
	git_config_free(cfg);
	return ret;
}


#define OP	"hotfix-finish"

struct finish_payload {
	int	drop_tag;
};

/* the plan's own attributes */
static const char *
op_attr(const struct plan_exec *x, const char *key)
{
	const char *v = plan_get(&x->plan->attrs, key);

	return v != NULL ? v : "";
}

static int
step_tag(struct plan_exec *x, struct plan_step *s)
{
	const char *ref = plan_get(&s->attrs, "ref");
	const char *sign = plan_get(&s->attrs, "sign");
	struct tag_sign ts = TAG_SIGN_INIT;
	git_object *obj = NULL, *peeled = NULL;
	git_oid target, id;
	int rc;

	if (ref == NULL || strncmp(ref, "refs/tags/", 10) != 0 ||
	    !plan_get_oid(&target, &s->attrs, "target"))
		return error_fatal("the journal's tag step is damaged");
	/* killed after it was made: it is there, on its commit */
	if (s->status == PLAN_STOPPED &&
	    git_revparse_single(&obj, x->ctx->repo, ref) == 0) {
		rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
		if (rc == 0 && git_oid_equal(git_object_id(peeled), &target))
			plan_set_oid(&s->attrs, "new", git_object_id(obj));
		else
			rc = error("tag '%s' exists already", ref + 10);
		git_object_free(peeled);
		git_object_free(obj);
		return rc;
	}
	git_error_clear();
	if (sign != NULL) {
		ts.sign = 1;
		ts.key = strcmp(sign, "default") ? sign : NULL;
	}
	if ((rc = journal_mark(x->journal, x->index, PLAN_STOPPED)) < 0 ||
	    (rc = tag_create(&id, x->ctx, ref + 10, &target,
	    plan_get(&s->attrs, "message"), &ts)) < 0)
		return rc;
	plan_set_oid(&s->attrs, "new", &id);
	printf("tagged %s on %.7s (%s commit%s since %s)\n", ref + 10,
	    git_oid_tostr_s(&target), op_attr(x, "ahead"),
	    strcmp(op_attr(x, "ahead"), "1") ? "s" : "", op_attr(x, "base"));
	return 0;
}

/* the tag goes only with --drop-tag, and only the one finish made */
static int
undo_tag(struct plan_exec *x, struct plan_step *s)
{
	const struct finish_payload *fp = x->payload;
	const char *ref = plan_get(&s->attrs, "ref");
	git_object *obj = NULL, *peeled = NULL;
	git_oid target;
	int rc;

	if (ref == NULL || !plan_get_oid(&target, &s->attrs, "target"))
		return error_fatal("the journal's tag step is damaged");
	if (fp == NULL || !fp->drop_tag) {
		if (git_revparse_single(&obj, x->ctx->repo, ref) == 0)
			printf("kept tag %s (delete it with: git tag -d %s)\n",
			    ref + 10, ref + 10);
		git_error_clear();
		git_object_free(obj);
		return 0;
	}
	/* killed between making it and saying so: the one on target */
	if (plan_get(&s->attrs, "new") == NULL &&
	    git_revparse_single(&obj, x->ctx->repo, ref) == 0) {
		rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
		if (rc == 0 && git_oid_equal(git_object_id(peeled), &target))
			plan_set_oid(&s->attrs, "new", git_object_id(obj));
		git_object_free(peeled);
		git_object_free(obj);
	}
	git_error_clear();
	if (plan_get(&s->attrs, "new") != NULL)
		printf("deleted tag %s (was %.7s)\n", ref + 10,
		    plan_get(&s->attrs, "new"));
	return PLAN_DEFAULT;
}

static int
set_config_kv(struct ctx *ctx, const char *kv)
{
	git_config *cfg = NULL;
	const char *sp = strchr(kv, ' ');
	char *key;
	int rc = 0;

	if (sp == NULL)
		return 0;
	key = xstrndup(kv, (size_t)(sp - kv));
	if (git_repository_config(&cfg, ctx->repo) < 0 ||
	    git_config_set_string(cfg, key, sp + 1) < 0)
		rc = error_git(E_FATAL, "cannot set %s", key);
	git_config_free(cfg);
	free(key);
	return rc;
}

/* git branch -D: the ref, its reflog and its config section */
static int
step_branch(struct plan_exec *x, struct plan_step *s)
{
	const char *ref = plan_get(&s->attrs, "ref");
	int rc;

	if (ref == NULL || strncmp(ref, "refs/heads/", 11) != 0)
		return error_fatal("the journal's branch step is damaged");
	if ((rc = journal_mark(x->journal, x->index, PLAN_STOPPED)) < 0 ||
	    (rc = plan_step_default_run(x, s)) < 0 ||
	    (rc = hotfix_branch_config_remove(x->ctx, ref + 11)) < 0)
		return rc;
	printf("deleted branch %s (was %.7s)\n", ref + 11,
	    plan_get(&s->attrs, "old"));
	return 0;
}

static int
undo_branch(struct plan_exec *x, struct plan_step *s)
{
	struct strlist kv = STRLIST_INIT;
	size_t i;
	int rc;

	if ((rc = plan_step_default_undo(x, s)) < 0)
		return rc;
	plan_get_all(&kv, &s->attrs, "config");
	for (i = 0; i < kv.nr && rc == 0; i++)
		rc = set_config_kv(x->ctx, kv.items[i]);
	strlist_release(&kv);
	return rc;
}

static int
step_push(struct plan_exec *x, struct plan_step *s)
{
	const char *tag = op_attr(x, "tag");
	int rc;

	/* begun: a kill while git push runs leaves what landed to undo */
	if (s->status != PLAN_STOPPED &&
	    (rc = journal_mark(x->journal, x->index, PLAN_STOPPED)) < 0)
		return rc;
	if (s->status == PLAN_STOPPED)
		x->flags |= PLAN_EXEC_CONTINUE;
	if ((rc = plan_step_default_run(x, s)) < 0)
		return rc;
	printf("pushed %s to %s\n", tag, plan_get(&s->attrs, "remote"));
	return 0;
}

/*
 * A push killed before it said what it pushed: what the remote holds
 * now of each refspec, where it is what we pushed, is ours to put back.
 */
static int
undo_push(struct plan_exec *x, struct plan_step *s)
{
	struct strlist specs = STRLIST_INIT, leases = STRLIST_INIT;
	const char *remote = plan_get(&s->attrs, "remote");
	size_t i, k;

	if (plan_get(&s->attrs, "pushed") != NULL || remote == NULL)
		return PLAN_DEFAULT;
	plan_get_all(&specs, &s->attrs, "refspec");
	plan_get_all(&leases, &s->attrs, "lease");
	for (i = 0; i < specs.nr; i++) {
		char *dst = strchr(specs.items[i], ':');
		const char *old = "-";
		git_oid want, there;
		int found;
		char *v;

		if (dst == NULL)
			continue;
		*dst++ = '\0';
		if (git_reference_name_to_id(&want, x->ctx->repo,
		    specs.items[i]) < 0 || remote_ref(&there, &found, x->ctx,
		    remote, dst) < 0 || !found ||
		    !git_oid_equal(&want, &there)) {
			git_error_clear();
			continue;
		}
		for (k = 0; k < leases.nr; k++) {
			size_t n = strlen(dst);

			if (strncmp(leases.items[k], dst, n) == 0 &&
			    leases.items[k][n] == ':' && leases.items[k][n + 1])
				old = leases.items[k] + n + 1;
		}
		v = xstrfmt("%s %s %s", dst, old, git_oid_tostr_s(&want));
		plan_add_attr(&s->attrs, "pushed", v);
		free(v);
	}
	strlist_release(&specs);
	strlist_release(&leases);
	return PLAN_DEFAULT;
}

static int
finish_run(struct plan_exec *x, struct plan_step *s)
{
	switch (s->kind) {
	case PLAN_CHECK:
		if (plan_get(&s->attrs, "reuse") != NULL)
			printf("reusing tag %s, already on %.7s\n",
			    op_attr(x, "tag"), plan_get(&s->attrs, "reuse"));
		if (plan_get(&s->attrs, "contained") != NULL)
			info("%s already contains %s: nothing to merge",
			    short_ref(op_attr(x, "into")),
			    op_attr(x, "branch"));
		return 0;
	case PLAN_TAG:
		return step_tag(x, s);
	case PLAN_CHECKOUT:
		return hotfix_checkout_step_run(x, s);
	case PLAN_MERGE:
		return hotfix_merge_run(x, s);
	case PLAN_REF:
		return step_branch(x, s);
	case PLAN_PUSH:
		return step_push(x, s);
	default:
		return PLAN_DEFAULT;
	}
}

/* --drop-tag: a tag reused from an earlier finish goes too */
static int
undo_reused_tag(struct plan_exec *x, struct plan_step *s)
{
	const struct finish_payload *fp = x->payload;
	const char *ref = plan_get(&s->attrs, "ref");
	git_reference *r = NULL;
	git_oid id;
	int rc = 0;

	if (fp == NULL || !fp->drop_tag || ref == NULL ||
	    !plan_get_oid(&id, &s->attrs, "tag-id"))
		return 0;
	if (git_reference_lookup(&r, x->ctx->repo, ref) < 0 ||
	    git_reference_target(r) == NULL ||
	    !git_oid_equal(git_reference_target(r), &id)) {
		git_error_clear();
		warning("not deleting tag %s: it is not the one finish "
		    "reused", ref + 10);
	} else if (git_reference_delete(r) < 0)
		rc = error_git(E_REFUSED, "cannot delete tag %s", ref + 10);
	else
		printf("deleted tag %s (was %.7s)\n", ref + 10,
		    git_oid_tostr_s(&id));
	git_reference_free(r);
	return rc;
}

static int
finish_undo(struct plan_exec *x, struct plan_step *s)
{
	switch (s->kind) {
	case PLAN_CHECK:
		return undo_reused_tag(x, s);
	case PLAN_TAG:
		return undo_tag(x, s);
	case PLAN_CHECKOUT:
		return hotfix_checkout_step_undo(x, s);
	case PLAN_MERGE:
		return hotfix_merge_undo(x, s);
	case PLAN_REF:
		return undo_branch(x, s);
	case PLAN_PUSH:
		return undo_push(x, s);
	default:
		return PLAN_DEFAULT;
	}
}

static const struct plan_ops finish_ops = {
	OP, finish_run, finish_undo, "git hotfix finish"
};

/* the push step as the push would run it, for the question */
static void
print_push_step(FILE *fp, const char *prefix, const struct plan_step *s)
{
	struct strlist specs = STRLIST_INIT, leases = STRLIST_INIT;
	size_t i;

	plan_get_all(&specs, &s->attrs, "refspec");
	plan_get_all(&leases, &s->attrs, "lease");
	fprintf(fp, "%sgit push --porcelain --atomic", prefix);
	for (i = 0; i < leases.nr; i++)
		fprintf(fp, " --force-with-lease=%s", leases.items[i]);
	fprintf(fp, " --end-of-options %s", plan_get(&s->attrs, "remote"));
	for (i = 0; i < specs.nr; i++)
		fprintf(fp, " %s", specs.items[i]);
	fputc('\n', fp);
	strlist_release(&specs);
	strlist_release(&leases);
}

static const struct plan_step *
find_step(const struct plan *p, enum plan_kind k)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (p->steps[i].kind == k)
			return &p->steps[i];
	return NULL;
}

/* on a terminal, --push shows the push and asks first (-y: do not ask) */
static int
confirm_push(const struct plan *p)
{
	struct strbuf q = STRBUF_INIT;
	const struct plan_step *s = find_step(p, PLAN_PUSH);
	int yes;

	fflush(stdout);
	print_push_step(stdout, "will run: ", s);
	fflush(stdout);
	strbuf_addf(&q, "Finish %s as %s and push to %s?",
	    plan_get(&p->attrs, "branch"), plan_get(&p->attrs, "tag"),
	    plan_get(&s->attrs, "remote"));
	yes = ask_yes(q.buf);
	strbuf_release(&q);
	if (!yes)
		return error("not confirmed: nothing done");
	return 0;
}

/*
 * One refspec of the push, leased on what the remote holds now (a
 * colleague's push since is a rejection, never lost).
 */
static int
add_push_ref(struct plan_step *s, struct ctx *ctx, const char *remote,
    const char *ref, git_oid *there, int *found)
{
	char *spec = xstrfmt("%s:%s", ref, ref);
	char *lease;
	int rc;

	if ((rc = remote_ref(there, found, ctx, remote, ref)) < 0) {
		free(spec);
		return rc;
	}
	lease = xstrfmt("%s:%s", ref, *found ? git_oid_tostr_s(there) : "");
	plan_add_attr(&s->attrs, "refspec", spec);
	plan_add_attr(&s->attrs, "lease", lease);
	free(spec);
	free(lease);
	return 0;
}

static int
plan_push(struct plan *p, struct ctx *ctx, const char *remote,
    const char *tag, const git_oid *tag_id, const char *into,
    const git_oid *orig, const char *keep_branch)
{
	struct plan_step *s = plan_add(p, PLAN_PUSH);
	char *tagref = xstrfmt("refs/tags/%s", tag);
	git_oid there;
	int found, rc;

	plan_set(&s->attrs, "remote", remote);
	if ((rc = add_push_ref(s, ctx, remote, tagref, &there, &found)) < 0)
		goto out;
	if (found && (tag_id == NULL || !git_oid_equal(&there, tag_id))) {
		rc = error("tag %s exists on '%s' already, at %.7s", tag,
		    remote, git_oid_tostr_s(&there));
		hint("fetch it (\"git fetch %s tag %s\") and look before "
		    "finishing again", remote, tag);
		goto out;
	}
	if (into != NULL) {
		s = &p->steps[p->nr - 1];
		if ((rc = add_push_ref(s, ctx, remote, into, &there,
		    &found)) < 0)
			goto out;
		/* a colleague pushed to it first: pull, then finish */
		if (found && !git_oid_equal(&there, orig) &&
		    git_graph_descendant_of(ctx->repo, orig, &there) != 1) {
			git_error_clear();
			rc = error("'%s' on '%s' has commits '%s' here does not "
			    "(it is at %.7s)", short_ref(into), remote,
			    short_ref(into), git_oid_tostr_s(&there));
			hint("bring them in first (\"git pull --ff-only %s "
			    "%s\" on %s), then finish again", remote,
			    short_ref(into), short_ref(into));
			goto out;
		}
	}
	if (keep_branch != NULL) {
		char *ref = xstrfmt("refs/heads/%s", keep_branch);

		s = &p->steps[p->nr - 1];
		rc = add_push_ref(s, ctx, remote, ref, &there, &found);
		free(ref);
	}
out:
	free(tagref);
	return rc;
}

/* after a run: what to do next and the undo line */
static void
print_after(const struct plan *p)
{
	struct strbuf undo = STRBUF_INIT;
	const struct plan_step *push = find_step(p, PLAN_PUSH);

	printf("next: git release deploy %s\n", plan_get(&p->attrs, "tag"));
	plan_undo_line(&undo, p);
	printf("undo: %s\n", undo.len ? undo.buf : "nothing to undo");
	if (push != NULL && push->status == PLAN_DONE)
		printf("(the push to %s is public: revert there rather than "
		    "rewrite)\n", plan_get(&push->attrs, "remote"));
	strbuf_release(&undo);
}

/* --json of a run: the plan as it ran; stopped: its abort is the undo */
static void
print_json(FILE *fp, struct plan *p, int rc)
{
	const struct plan_step *t = find_step(p, PLAN_TAG);

	if (fp == NULL)
		return;
	if (rc < 0 && (plan_count(p, PLAN_DONE) > 0 ||
	    plan_count(p, PLAN_STOPPED) > 0))
		plan_setf(&p->attrs, "undo", "git hotfix finish --abort%s",
		    t != NULL && t->status != PLAN_PENDING ? " --drop-tag" :
		    "");
	plan_print_json(fp, p, 0);
	plan_set(&p->attrs, "undo", NULL);
}

int
hotfix_finish(struct ctx *ctx, const struct hotfix_finish_opts *o)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct hotfix h = HOTFIX_INIT;
	struct strbuf tag = STRBUF_INIT, msg = STRBUF_INIT, vtag = STRBUF_INIT;
	const struct release *tagged = NULL;
	struct tag_sign sign = o->sign;
	struct plan p = PLAN_INIT;
	struct plan_step *s;
	struct journal j = JOURNAL_INIT;
	struct finish_payload pl = { 0 };
	git_reference *into_ref = NULL;
	git_oid orig, base, head_id;
	char *into = NULL, *head = NULL, *tagref = NULL;
	FILE *fp = NULL;
	int ret = -1, gpgsign, merge = !o->no_merge, contained = 0;
	int keep = o->keep || o->no_merge;

	/* arguments first (128): the branch, its base, the version */
	if ((ret = release_list_load(&l, ctx)) < 0 ||
	    (ret = hotfix_load(&h, ctx, &l, o->name, 0)) < 0)
		goto out;
	if ((ret = hotfix_version(&tag, &tagged, ctx, &l, &h)) < 0 &&
	    o->version == NULL)
		goto out;
	if (o->version != NULL && (tagged == NULL ||
	    (ret = release_tag_name(&vtag, ctx, o->version)) < 0 ||
	    strcmp(vtag.buf, tagged->tag) != 0)) {
		tagged = NULL;
		if ((ret = given_version(&tag, ctx, &l, &h, o->version)) < 0)
			goto out;
	}
	if ((ret = config_get_bool(&gpgsign, &ctx->cfg, "tag.gpgSign",
	    0)) < 0)
		goto out;
	sign.sign = sign.sign || gpgsign || sign.key != NULL;

	/* the repository's state (1) */
	if ((ret = repo_require_worktree(ctx, "finish a hotfix")) < 0 ||
	    (ret = repo_lock(ctx)) < 0 ||
	    (ret = repo_require_no_operation(ctx, "finish a hotfix")) < 0 ||
	    (ret = repo_require_clean(ctx, "finish a hotfix")) < 0)
		goto out;
	ret = -1;
	if (h.ahead == 0) {
		ret = error("hotfix '%s' has no commits since its base %s",
		    h.branch, h.base);
		hint("commit the fix on %s first", h.branch);
		goto out;
	}
	into = xstrfmt("refs/heads/%s", ctx->set.release_branch);
	tagref = xstrfmt("refs/tags/%s", tag.buf);
	if (git_reference_name_to_id(&head_id, ctx->repo, "HEAD") < 0) {
		ret = error_git(E_FATAL, "cannot read HEAD");
		goto out;
	}
	head = repo_head_branch(ctx);
	if (head == NULL)
		head = xstrdup(git_oid_tostr_s(&head_id));
	if (merge) {
		if (git_reference_lookup(&into_ref, ctx->repo, into) < 0) {
			git_error_clear();
			ret = error("release branch '%s' not found%s%s%s",
			    ctx->set.release_branch,
			    ctx->release_branch_why ? " (release.branch unset: " : "",
			    ctx->release_branch_why ? ctx->release_branch_why : "",
			    ctx->release_branch_why ? ")" : "");
			hint("set release.branch, or finish with --no-merge");
			goto out;
		}
		git_oid_cpy(&orig, git_reference_target(into_ref));
		if (strcmp(head, into) != 0 &&
		    git_branch_is_checked_out(into_ref) == 1) {
			ret = error("'%s' is checked out in another worktree",
			    ctx->set.release_branch);
			hint("finish there, or with --no-merge");
			goto out;
		}
		contained = git_oid_equal(&orig, &h.tip) ||
		    git_graph_descendant_of(ctx->repo, &orig, &h.tip) == 1;
		/* before the tag: a shallow clone may lack what a merge needs */
		if (!contained &&
		    git_merge_base(&base, ctx->repo, &orig, &h.tip) < 0) {
			ret = error_git(E_REFUSED, "cannot merge '%s' into "
			    "'%s'", h.branch, ctx->set.release_branch);
			goto out;
		}
	}
	if (o->push && !remote_exists(ctx, ctx->set.remote)) {
		ret = error("remote '%s' does not exist", ctx->set.remote);
		hint("set release.remote, or finish without --push");
		goto out;
	}
	if (!keep) {
		git_reference *b = NULL;

		if (git_reference_lookup(&b, ctx->repo, h.ref) == 0 &&
		    strcmp(head, h.ref) != 0 &&
		    git_branch_is_checked_out(b) == 1) {
			warning("not deleting '%s': it is checked out in a "
			    "worktree", h.branch);
			keep = 1;
		}
		git_reference_free(b);
		git_error_clear();
	}

	/* the plan, without a side effect */
	plan_begin(&p, OP, ctx->cmdline);
	plan_set(&p.attrs, "branch", h.branch);
	plan_set(&p.attrs, "tag", tag.buf);
	plan_set(&p.attrs, "base", h.base);
	plan_setf(&p.attrs, "ahead", "%zu", h.ahead);
	if (merge)
		plan_set(&p.attrs, "into", into);
	s = plan_add(&p, PLAN_CHECK);
	plan_setf(&s->attrs, "what", "the tree is clean, %s has %zu commit%s "
	    "since %s, %s is %s", h.branch, h.ahead, h.ahead == 1 ? "" : "s",
	    h.base, tag.buf, tagged ? "on its tip already: reused" : "new");
	if (tagged != NULL) {
		if (o->message != NULL || o->sign.sign || o->sign.key)
			warning("tag %s already exists: its message and "
			    "signature stay as they are", tag.buf);
		plan_set(&s->attrs, "ref", tagref);
		plan_set_oid(&s->attrs, "reuse", &h.tip);
		plan_set_oid(&s->attrs, "tag-id", &tagged->target);
	} else {
		if ((ret = tag_annotation(&msg, ctx, tag.buf, o->message,
		    &h.base_commit, &h.tip)) < 0)
			goto out;
		/* what the release fixes, for git release metrics */
		tag_add_trailer(&msg, "Hotfix", h.base);
		s = plan_add(&p, PLAN_TAG);
		plan_set(&s->attrs, "ref", tagref);
		plan_set_oid(&s->attrs, "target", &h.tip);
		plan_setf(&s->attrs, "what", "%s (%s, %zu commit%s since %s)",
		    git_oid_tostr_s(&h.tip), h.branch, h.ahead,
		    h.ahead == 1 ? "" : "s", h.base);
		plan_set(&s->attrs, "message", msg.buf);
		if (sign.sign)
			plan_set(&s->attrs, "sign", sign.key ? sign.key :
			    "default");
	}
	if (merge && contained && strcmp(head, into) != 0) {
		s = plan_add(&p, PLAN_CHECKOUT);
		plan_set(&s->attrs, "ref", into);
		plan_set(&s->attrs, "old", head);
		plan_set_oid(&s->attrs, "from", &head_id);
		plan_set_oid(&s->attrs, "to", &orig);
	}
	if (merge && contained) {
		s = plan_add(&p, PLAN_CHECK);
		plan_setf(&s->attrs, "what", "%s already contains %s: nothing "
		    "to merge", ctx->set.release_branch, h.branch);
		plan_set(&s->attrs, "contained", "1");
	} else if (merge) {
		s = plan_add(&p, PLAN_MERGE);
		plan_setf(&s->attrs, "what", "merge %s into %s (%s) with a "
		    "merge commit", h.branch, ctx->set.release_branch,
		    git_oid_tostr_s(&orig));
		plan_set(&s->attrs, "ref", into);
		plan_set_oid(&s->attrs, "old", &orig);
		plan_set(&s->attrs, "from", h.ref);
		plan_set_oid(&s->attrs, "tip", &h.tip);
		plan_set(&s->attrs, "tag", tag.buf);
		plan_set(&s->attrs, "worktree", "1");
		/* HEAD elsewhere: the merge checks out straight from there */
		if (strcmp(head, into) != 0) {
			plan_set(&s->attrs, "head", head);
			plan_set_oid(&s->attrs, "head-commit", &head_id);
		}
		plan_setf(&s->attrs, "reflog", "hotfix finish: merge %s (%s) "
		    "into %s", h.branch, tag.buf, ctx->set.release_branch);
	}
	if (!keep) {
		s = plan_add(&p, PLAN_REF);
		plan_setf(&s->attrs, "what", "delete branch %s", h.branch);
		plan_set(&s->attrs, "ref", h.ref);
		plan_set_oid(&s->attrs, "old", &h.tip);
		plan_setf(&s->attrs, "reflog", "hotfix finish: delete %s",
		    h.branch);
		plan_setf(&s->attrs, "config", "branch.%s.%s %s", h.branch,
		    HOTFIX_BASE_KEY, h.base);
		if (ctx->set.component != NULL) {
			char *kv = xstrfmt("branch.%s.%s %s", h.branch,
			    HOTFIX_COMPONENT_KEY, ctx->set.component->name);

			plan_add_attr(&s->attrs, "config", kv);
			free(kv);
		}
	}
	if (o->push && (ret = plan_push(&p, ctx, ctx->set.remote, tag.buf,
	    tagged ? &tagged->target : NULL, merge && !contained ? into : NULL,
	    &orig, keep ? h.branch : NULL)) < 0)
		goto out;

	if (o->dry_run) {
		/* which branch, when the config does not say */
		if (merge && !o->json && ctx->release_branch_why != NULL)
			printf("release branch: %s (release.branch unset: "
			    "%s)\n", ctx->set.release_branch,
			    ctx->release_branch_why);
		plan_print_dry_run(stdout, &p, o->json);
		ret = 0;
		goto out;
	}
	if (o->push && !o->yes && interactive() &&
	    (ret = confirm_push(&p)) < 0)
		goto out;
	if (o->json)
		fp = plan_json_stdout();
	pl.drop_tag = 0;
	if ((ret = journal_begin(&j, ctx, &p)) < 0)
		goto out;
	ret = plan_execute(ctx, &j, &finish_ops, &pl, 0);
	if (ret == 0)
		print_after(&p);
	else
		repo_hint_index_lock(ctx);
	print_json(fp, &p, ret);
	journal_release(&j);
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	git_reference_free(into_ref);
	plan_release(&p);
	free(into);
	free(head);
	free(tagref);
	strbuf_release(&tag);
	strbuf_release(&msg);
	strbuf_release(&vtag);
	hotfix_release(&h);
	release_list_release(&l);
	return ret;
}

/* an older version's stopped finish: never ours to delete */
static int
refuse_legacy(struct ctx *ctx)
{
	char *dir = repo_state_path(ctx, STATE_HOTFIX_OLD, NULL);

	error("'%s' is the state of a hotfix finish stopped by an older "
	    "version", dir);
	hint("finish its merge with \"git commit\" (or undo it with \"git "
	    "merge --abort\" and \"git switch\" back), then remove that "
	    "directory; the tag it made stays until \"git tag -d\"");
	free(dir);
	return E_REFUSED;
}

static int
load_finish(struct journal *j, struct ctx *ctx, const char *what)
{
	int rc;

	if ((rc = repo_require_worktree(ctx, what)) < 0 ||
	    (rc = repo_lock(ctx)) < 0)
		return rc;
	if (!journal_exists(ctx) && repo_state_exists(ctx, STATE_HOTFIX_OLD))
		return refuse_legacy(ctx);
	if (!journal_exists(ctx))
		return error("no hotfix finish is in progress");
	if ((rc = journal_load(j, ctx)) < 0)
		return rc;
	if (j->plan->op == NULL || strcmp(j->plan->op, OP) != 0) {
		rc = error("no hotfix finish is in progress: the operation "
		    "in progress is %s", j->plan->cmdline ? j->plan->cmdline :
		    j->plan->op ? j->plan->op : "unknown");
		hint("finish it with \"%s --continue\" or \"%s --abort\"",
		    journal_finish_command(j->plan->op),
		    journal_finish_command(j->plan->op));
		return rc;
	}
	/* a push the killed run started ends first (push.h) */
	return push_wait_inflight(ctx);
}

int
hotfix_finish_continue(struct ctx *ctx, int json)
{
	struct journal j = JOURNAL_INIT;
	struct finish_payload pl = { 0 };
	FILE *fp = NULL;
	int ret;

	if ((ret = load_finish(&j, ctx, "continue")) < 0)
		goto out;
	if (json)
		fp = plan_json_stdout();
	ret = plan_execute(ctx, &j, &finish_ops, &pl, PLAN_EXEC_CONTINUE);
	if (ret == 0)
		print_after(j.plan);
	else
		repo_hint_index_lock(ctx);
	print_json(fp, j.plan, ret);
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	journal_release(&j);
	return ret;
}

int
hotfix_finish_abort(struct ctx *ctx, int drop_tag, int json)
{
	struct journal j = JOURNAL_INIT;
	struct finish_payload pl = { drop_tag };
	const struct plan_step *m;
	FILE *fp = NULL;
	int ret;

	if ((ret = load_finish(&j, ctx, "abort")) < 0)
		goto out;
	if (json)
		fp = plan_json_stdout();
	if ((ret = plan_abort(ctx, &j, &finish_ops, &pl)) < 0)
		repo_hint_index_lock(ctx);
	else if ((m = find_step(j.plan, PLAN_MERGE)) != NULL &&
	    m->status == PLAN_UNDONE)
		printf("aborted the merge of %s: %s is back at %.7s\n",
		    plan_get(&j.plan->attrs, "branch"),
		    short_ref(plan_get(&m->attrs, "ref")),
		    plan_get(&m->attrs, "old"));
	else
		printf("aborted the finish of %s\n",
		    plan_get(&j.plan->attrs, "branch"));
	if (fp != NULL)
		plan_print_json(fp, j.plan, 0);
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	journal_release(&j);
	return ret;
}
