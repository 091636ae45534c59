/*
 * Cutting a release: plan the version (release_plan_cut), build the
 * annotation (tag_annotation), make the tag, push it when asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "component.h"
#include "cut.h"
#include "journal.h"
#include "plan.h"
#include "push.h"
#include "release.h"
#include "banned.h"


/*
 * A component's version inferred from none of its commits would be a
 * release of nothing: say so rather than tag it.
 */
static int
cut_component_check(struct ctx *ctx, const struct cut_opts *o,
    const git_oid *prev, const git_oid *head)
{
	const struct component *c = ctx->set.component;
	int any, rc;

	if (c == NULL || c->paths.nr == 0 || o->bump != BUMP_NONE ||
	    o->version != NULL || o->pre != NULL)
		return 0;
	if ((rc = component_any_commit(&any, ctx, prev, head)) < 0 || any)
		return rc;
	error("no commit since the previous release of '%s' changes its "
	    "paths: nothing to release", c->name);
	hint("cut it anyway with --patch, or name the version");
	return E_REFUSED;
}

/*
 * Before anything changes: the remote must exist and must not hold the
 * tag already (someone else cut that version a moment ago).
 */
static int
cut_push_check(struct ctx *ctx, const char *tag)
{
	char *ref = xstrfmt("refs/tags/%s", tag);
	git_oid id;
	int found = 0, rc;

	if (!remote_exists(ctx, ctx->set.remote)) {
		rc = error("cannot push: remote '%s' does not exist",
		    ctx->set.remote);
		hint("add it, or name another with release.remote");
		goto out;
	}
	if ((rc = remote_ref(&id, &found, ctx, ctx->set.remote, ref)) < 0)
		goto out;
	if (found)
		rc = error("release %s already exists on '%s'", tag,
		    ctx->set.remote);
out:
	free(ref);
	return rc;
}

/*
 * What a cut at HEAD makes: the tag and the release it follows, with
 * every refusal about the version; head and l are the caller's to free.
 * Shared by cut and next, so that next says what cut would do.
 */
static int
cut_plan(struct strbuf *tag, const git_oid **prev, git_commit **head,
    struct release_list *l, struct ctx *ctx, const struct cut_opts *o)
{
	int rc;

	if (git_repository_head_unborn(ctx->repo) == 1)
		return error("cannot cut a release: there is no commit yet");
	if ((rc = repo_lookup_commit(head, ctx, "HEAD")) < 0 ||
	    (rc = release_list_load(l, ctx)) < 0)
		return rc;
	if ((rc = release_plan_cut(tag, prev, ctx, l, git_commit_id(*head),
	    o->bump, o->version, o->pre)) < 0)
		return rc;
	return cut_component_check(ctx, o, *prev, git_commit_id(*head));
}

int
release_next(struct strbuf *tag, git_oid *head_id, struct ctx *ctx,
    const struct cut_opts *o)
{
	struct release_list l = RELEASE_LIST_INIT;
	git_commit *head = NULL;
	const git_oid *prev;
	int rc;

	if ((rc = cut_plan(tag, &prev, &head, &l, ctx, o)) == 0)
		git_oid_cpy(head_id, git_commit_id(head));
	git_commit_free(head);
	release_list_release(&l);
	return rc;
}

/* --- the steps --- */

/* the tag, once: a resumed step finds it made (at its commit) and done */
static int
cut_step_tag(struct plan_exec *x, struct plan_step *s)
{
	const char *ref = plan_get(&s->attrs, "ref");
	const char *sign = plan_get(&s->attrs, "sign");
	struct tag_sign ts = TAG_SIGN_INIT;
	git_object *obj = NULL, *peeled = NULL;
	git_oid target, id;
	int rc;

	if (ref == NULL || strncmp(ref, "refs/tags/", 10) != 0 ||
	    !plan_get_oid(&target, &s->attrs, "target"))
		return error_fatal("a tag step without its tag or target");
	if (git_revparse_single(&obj, x->ctx->repo, ref) == 0) {
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
	/* killed from here on, the abort looks for the tag (cut_step_undo) */
	if (plan_get(&s->attrs, "started") == NULL) {
		plan_set(&s->attrs, "started", "1");
		if ((rc = journal_save(x->journal)) < 0)
			return rc;
	}
	if (sign != NULL) {
		ts.sign = 1;
		ts.key = strcmp(sign, "default") ? sign : NULL;
	}
	if ((rc = tag_create(&id, x->ctx, ref + 10, &target,
	    plan_get(&s->attrs, "message"), &ts)) < 0)
		return rc;
	plan_set_oid(&s->attrs, "new", &id);
	printf("created %s on %s (%s)\n", ref + 10,
	    plan_get(&s->attrs, "abbrev") ? plan_get(&s->attrs, "abbrev") :
	    git_oid_tostr_s(&target), plan_get(&s->attrs, "subject") ?
	    plan_get(&s->attrs, "subject") : "");
	return 0;
}

static int
cut_step_run(struct plan_exec *x, struct plan_step *s)
{
	if (s->kind == PLAN_TAG)
		return cut_step_tag(x, s);
	return PLAN_DEFAULT;
}

/*
 * A tag step killed after it made the tag and before it said so: the
 * tag there now on the commit it was to tag (it was absent when the
 * cut was planned) is its "new", for the abort to delete.
 */
static int
cut_step_undo(struct plan_exec *x, struct plan_step *s)
{
	const char *ref = plan_get(&s->attrs, "ref");
	git_object *obj = NULL, *peeled = NULL;
	git_oid target;

	if (s->kind != PLAN_TAG || s->status != PLAN_PENDING || ref == NULL ||
	    plan_get(&s->attrs, "started") == NULL ||
	    plan_get(&s->attrs, "new") != NULL ||
	    !plan_get_oid(&target, &s->attrs, "target"))
		return PLAN_DEFAULT;
	if (git_revparse_single(&obj, x->ctx->repo, ref) == 0 &&
	    git_object_type(obj) == GIT_OBJECT_TAG &&
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0 &&
	    git_oid_equal(git_object_id(peeled), &target))
		plan_set_oid(&s->attrs, "new", git_object_id(obj));
	git_error_clear();
	git_object_free(peeled);
	git_object_free(obj);
	return PLAN_DEFAULT;
}

const struct plan_ops cut_ops = {
	"cut", cut_step_run, cut_step_undo, "git release",
};

/* check, tag, push: what release_cut does once its checks passed */
static void
cut_build_plan(struct plan *p, struct ctx *ctx, const struct cut_opts *o,
    const char *tag, const git_oid *prev, git_commit *head,
    const char *abbrev, const char *msg, int gpgsign)
{
	struct plan_step *s;
	char *ref = xstrfmt("refs/tags/%s", tag);

	plan_begin(p, "cut", ctx->cmdline);
	plan_set(&p->attrs, "tag", tag);
	if (ctx->set.component != NULL)
		plan_set(&p->attrs, "component", ctx->set.component->name);
	s = plan_add(p, PLAN_CHECK);
	if (prev != NULL)
		plan_setf(&s->attrs, "what", "the tree is clean, %s is new and "
		    "follows the release at %.7s", tag, git_oid_tostr_s(prev));
	else
		plan_setf(&s->attrs, "what", "the tree is clean, %s is new and "
		    "the first release", tag);
	s = plan_add(p, PLAN_TAG);
	plan_set(&s->attrs, "ref", ref);
	plan_set_oid(&s->attrs, "target", git_commit_id(head));
	plan_set(&s->attrs, "abbrev", abbrev);
	plan_set(&s->attrs, "subject", git_commit_summary(head));
	plan_setf(&s->attrs, "what", "%s (%s)",
	    git_oid_tostr_s(git_commit_id(head)), git_commit_summary(head));
	plan_set(&s->attrs, "message", msg);
	if (gpgsign)
		plan_set(&s->attrs, "sign", o->sign.key ? o->sign.key :
		    "default");
	if (o->push) {
		char *spec = xstrfmt("%s:%s", ref, ref);

		s = plan_add(p, PLAN_PUSH);
		plan_set(&s->attrs, "remote", ctx->set.remote);
		plan_add_attr(&s->attrs, "refspec", spec);
		free(spec);
	}
	free(ref);
}

int
release_cut(struct ctx *ctx, const struct cut_opts *o)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct strbuf tag = STRBUF_INIT, msg = STRBUF_INIT, undo = STRBUF_INIT;
	struct plan p = PLAN_INIT;
	struct journal j = JOURNAL_INIT;
	git_commit *head = NULL;
	git_buf abbrev = GIT_BUF_INIT;
	const git_oid *prev;
	FILE *fp = NULL;
	int ret = -1, gpgsign = 0;

	ctx->read_only = o->dry_run;
	if ((ret = repo_require_worktree(ctx, "cut a release")) < 0 ||
	    (ret = repo_require_no_operation(ctx, "cut a release")) < 0 ||
	    (!o->dry_run && (ret = repo_lock(ctx)) < 0) ||
	    (ret = repo_require_clean(ctx, "cut a release")) < 0)
		goto out;
	if ((ret = cut_plan(&tag, &prev, &head, &l, ctx, o)) < 0)
		goto out;
	if (o->push && (ret = cut_push_check(ctx, tag.buf)) < 0)
		goto out;
	if ((ret = tag_wants_signing(&gpgsign, ctx, &o->sign)) < 0)
		goto out;
	if ((ret = tag_annotation(&msg, ctx, tag.buf, o->message, prev,
	    git_commit_id(head))) < 0)
		goto out;
	if (git_object_short_id(&abbrev, (git_object *)head) < 0) {
		ret = error_git(E_FATAL, "cannot abbreviate HEAD");
		goto out;
	}
	cut_build_plan(&p, ctx, o, tag.buf, prev, head, abbrev.ptr, msg.buf,
	    gpgsign);
	if (o->dry_run) {
		plan_print_dry_run(stdout, &p, o->json);
		ret = 0;
		goto out;
	}
	/* from here on stdout is the one JSON object's, the text stderr's */
	if (o->json)
		fp = plan_json_stdout();
	if ((ret = journal_begin(&j, ctx, &p)) < 0)
		goto out;
	ret = plan_execute(ctx, &j, &cut_ops, NULL, PLAN_EXEC_NO_HINT);
	/*
	 * All or nothing: a release is cut when it is shared, so a failure
	 * (a refused push, a signing error) takes back what was done.  Only
	 * a crash leaves the journal, for --continue or --abort.
	 */
	if (ret < 0 && journal_exists(ctx)) {
		int made = p.steps[1].status == PLAN_DONE;

		if (plan_abort(ctx, &j, &cut_ops, NULL) < 0)
			error("cannot delete %s again: run git tag -d %s",
			    tag.buf, tag.buf);
		else if (made)
			error("%s was not pushed, so it was deleted again",
			    tag.buf);
	}
	if (fp != NULL)
		plan_print_json(fp, &p, 0);
	else if (ret == 0) {
		plan_undo_line(&undo, &p);
		printf("undo: %s\n", undo.buf);
	}
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	journal_release(&j);
	plan_release(&p);
	git_buf_dispose(&abbrev);
	git_commit_free(head);
	strbuf_release(&undo);
	strbuf_release(&msg);
	strbuf_release(&tag);
	release_list_release(&l);
	return ret;
}
