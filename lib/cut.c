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
#include "push.h"
#include "release.h"
#include "banned.h"


static void
print_indented(const char *text)
{
	const char *p = text, *nl;

	while (*p != '\0') {
		nl = strchrnul(p, '\n');
		if (nl > p)
			printf("    %.*s\n", (int)(nl - p), p);
		else
			putchar('\n');
		p = *nl ? nl + 1 : nl;
	}
}

/* push exactly the new tag, nothing else */
static int
cut_push(struct ctx *ctx, const char *tag, int dry_run)
{
	char *ref = xstrfmt("refs/tags/%s", tag);
	struct push_ref pr = { 0 };
	int rc;

	pr.src = ref;
	pr.dst = ref;
	rc = push_refs(ctx, ctx->set.remote, &pr, 1, dry_run, NULL);
	free(ref);
	return rc;
}

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

int
release_cut(struct ctx *ctx, const struct cut_opts *o)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct strbuf tag = STRBUF_INIT, msg = STRBUF_INIT;
	git_commit *head = NULL;
	git_buf abbrev = GIT_BUF_INIT;
	const git_oid *prev;
	git_oid id;
	int ret = -1, gpgsign = 0;

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

	if (o->dry_run) {
		printf("would tag %s (%s) as %s%s, annotated:\n\n",
		    git_oid_tostr_s(git_commit_id(head)),
		    git_commit_summary(head), tag.buf,
		    gpgsign ? ", signed" : "");
		print_indented(msg.buf);
		if (o->push) {
			putchar('\n');
			if ((ret = cut_push(ctx, tag.buf, 1)) < 0)
				goto out;
		}
		ret = 0;
		goto out;
	}
	if ((ret = tag_create(&id, ctx, tag.buf, git_commit_id(head),
	    msg.buf, &o->sign)) < 0)
		goto out;
	printf("created %s on %s (%s)\n", tag.buf, abbrev.ptr,
	    git_commit_summary(head));
	if (o->push && (ret = cut_push(ctx, tag.buf, 0)) < 0) {
		/* all or nothing: a release is cut when it is shared */
		char *ref = xstrfmt("refs/tags/%s", tag.buf);

		if (git_reference_remove(ctx->repo, ref) < 0)
			error_git(ret, "cannot delete '%s' again: run git tag "
			    "-d %s", ref, tag.buf);
		else
			error("%s was not pushed, so it was deleted again",
			    tag.buf);
		free(ref);
		goto out;
	}
	/* tags have no reflog (but under logAllRefUpdates=always): say it */
	if (o->push)
		printf("undo: git push %s :refs/tags/%s && git tag -d %s\n",
		    ctx->set.remote, tag.buf, tag.buf);
	else
		printf("undo: git tag -d %s\n", tag.buf);
	ret = 0;
out:
	git_buf_dispose(&abbrev);
	git_commit_free(head);
	strbuf_release(&msg);
	strbuf_release(&tag);
	release_list_release(&l);
	return ret;
}
