/*
 * git hotfix finish: every check first, then the tag on the hotfix tip,
 * the merge into the release branch (resumable, hotfix-merge.c), the
 * branch deleted, one atomic push, and what to run next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "ask.h"
#include "hotfix.h"
#include "hotfix-merge.h"
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

/* tag, release branch (when it moved), hotfix branch (when kept) */
static size_t
push_plan(struct push_ref *refs, struct strlist *names,
    const struct hotfix_state *st, int merged)
{
	size_t n = 0;

	strlist_add_nodup(names, xstrfmt("refs/tags/%s", st->tag));
	refs[n].src = refs[n].dst = names->items[names->nr - 1];
	n++;
	if (merged) {
		refs[n].src = refs[n].dst = st->into;
		n++;
	}
	if (st->keep) {
		strlist_add_nodup(names, xstrfmt("refs/heads/%s", st->branch));
		refs[n].src = refs[n].dst = names->items[names->nr - 1];
		n++;
	}
	return n;
}

static void
print_push_command(const char *prefix, const char *remote,
    const struct push_ref *refs, size_t n)
{
	struct strlist argv = STRLIST_INIT;
	size_t i;

	push_command(&argv, remote, refs, n);
	printf("%s", prefix);
	for (i = 0; i < argv.nr; i++)
		printf("%s%s", i ? " " : "", argv.items[i]);
	printf("\n");
	strlist_release(&argv);
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

static int
delete_branch(struct ctx *ctx, const char *branch)
{
	git_reference *ref = NULL;
	int ret = 0;

	if (git_branch_lookup(&ref, ctx->repo, branch, GIT_BRANCH_LOCAL) < 0) {
		git_error_clear();
		return 0;
	}
	if (git_branch_is_checked_out(ref)) {
		warning("not deleting '%s': it is checked out in a worktree",
		    branch);
		goto out;
	}
	if (git_reference_delete(ref) < 0)
		ret = error_git(E_REFUSED, "cannot delete branch '%s'", branch);
	else
		ret = hotfix_branch_config_remove(ctx, branch);
out:
	git_reference_free(ref);
	return ret;
}

/* the one line that puts every local ref and HEAD back ("": none) */
static void
undo_build(struct strbuf *sb, const struct hotfix_state *st, int merged)
{
	const char *sep = "";
	char *key;

	if (merged) {
		strbuf_addf(sb, "git reset --keep %s",
		    git_oid_tostr_s(&st->orig));
		sep = " && ";
	}
	if (st->made_tag) {
		strbuf_addf(sb, "%sgit tag -d ", sep);
		strbuf_add_shquoted(sb, st->tag);
		sep = " && ";
	}
	if (!st->keep) {
		strbuf_addf(sb, "%sgit branch ", sep);
		strbuf_add_shquoted(sb, st->branch);
		strbuf_addf(sb, " %s && git config ",
		    git_oid_tostr_s(&st->tip));
		key = xstrfmt("branch.%s.%s", st->branch, HOTFIX_BASE_KEY);
		strbuf_add_shquoted(sb, key);
		free(key);
		strbuf_addch(sb, ' ');
		strbuf_add_shquoted(sb, st->base);
		sep = " && ";
	}
	if (merged && strcmp(st->head, st->into) != 0) {
		strbuf_addf(sb, "%sgit switch %s", sep,
		    strncmp(st->head, "refs/heads/", 11) == 0 ? "" :
		    "--detach ");
		strbuf_add_shquoted(sb, short_ref(st->head));
	}
}

static void
undo_line(const struct hotfix_state *st, int merged)
{
	struct strbuf sb = STRBUF_INIT;

	undo_build(&sb, st, merged);
	printf("undo: %s\n", sb.len ? sb.buf : "nothing to undo");
	strbuf_release(&sb);
}

/*
 * --json: the finish as the plan it ran (plan.h), printed on fp: the
 * tag, the merge, the branch deleted, the push.  stopped: the merge
 * stopped on a conflict.  merged_id NULL: not merged.
 */
static void
finish_json(FILE *fp, struct ctx *ctx, const struct hotfix_state *st,
    int merged, const git_oid *merged_id, int stopped)
{
	struct plan p = PLAN_INIT;
	struct plan_step *s;
	struct strbuf undo = STRBUF_INIT;
	struct push_ref refs[3];
	struct strlist names = STRLIST_INIT;
	char *tagref = xstrfmt("refs/tags/%s", st->tag);
	size_t i, n;

	plan_begin(&p, "hotfix-finish", ctx->cmdline);
	/* stopped: the abort, and the tag only when this run made it */
	if (stopped)
		strbuf_addf(&undo, "git hotfix finish --abort%s",
		    st->made_tag ? " --drop-tag" : "");
	else
		undo_build(&undo, st, merged);
	plan_set(&p.attrs, "undo", undo.buf);
	if (st->made_tag) {
		s = plan_done_step(&p, PLAN_TAG, PLAN_DONE, NULL);
		plan_set(&s->attrs, "ref", tagref);
		plan_set_oid(&s->attrs, "target", &st->tip);
		plan_set_oid(&s->attrs, "new", &st->tag_id);
	} else {
		s = plan_done_step(&p, PLAN_CHECK, PLAN_DONE, NULL);
		plan_setf(&s->attrs, "what", "tag %s exists on the hotfix: "
		    "reused", st->tag);
		plan_set(&s->attrs, "ref", tagref);
	}
	if (merged || stopped) {
		if (strcmp(st->head, st->into) != 0) {
			s = plan_done_step(&p, PLAN_CHECKOUT, PLAN_DONE, NULL);
			plan_set(&s->attrs, "ref", st->into);
			plan_set(&s->attrs, "old", st->head);
		}
		s = plan_done_step(&p, PLAN_MERGE, stopped ? PLAN_STOPPED :
		    PLAN_DONE, NULL);
		plan_set(&s->attrs, "ref", st->into);
		plan_set_oid(&s->attrs, "old", &st->orig);
		if (merged_id != NULL && !stopped)
			plan_set_oid(&s->attrs, "new", merged_id);
		plan_setf(&s->attrs, "from", "refs/heads/%s", st->branch);
	}
	if (!st->keep) {
		s = plan_done_step(&p, PLAN_REF, stopped ? PLAN_PENDING :
		    PLAN_DONE, NULL);
		plan_setf(&s->attrs, "what", "delete branch %s", st->branch);
		plan_setf(&s->attrs, "ref", "refs/heads/%s", st->branch);
		plan_set_oid(&s->attrs, "old", &st->tip);
	}
	if (st->push) {
		memset(refs, 0, sizeof(refs));
		n = push_plan(refs, &names, st, merged);
		s = plan_done_step(&p, PLAN_PUSH, stopped ? PLAN_PENDING :
		    PLAN_DONE, NULL);
		plan_set(&s->attrs, "remote", st->remote);
		for (i = 0; i < n; i++) {
			char *spec = xstrfmt("%s:%s", refs[i].src, refs[i].dst);

			plan_add_attr(&s->attrs, "refspec", spec);
			free(spec);
		}
	}
	plan_print_json(fp, &p, 0);
	plan_release(&p);
	strlist_release(&names);
	strbuf_release(&undo);
	free(tagref);
}

/* everything after the merge, shared by finish and --continue */
static int
after_merge(struct ctx *ctx, const struct hotfix_state *st, int merged,
    const git_oid *new_tip)
{
	struct push_ref refs[3];
	struct strlist names = STRLIST_INIT;
	struct strbuf why = STRBUF_INIT;
	size_t n;
	int ret = 0;

	memset(refs, 0, sizeof(refs));
	if (!st->keep && (ret = delete_branch(ctx, st->branch)) < 0)
		goto out;
	if (merged)
		printf("merged %s into %s (%.7s)\n", st->branch,
		    short_ref(st->into), git_oid_tostr_s(new_tip));
	if (!st->keep)
		printf("deleted branch %s (was %.7s)\n", st->branch,
		    git_oid_tostr_s(&st->tip));
	if (st->push) {
		n = push_plan(refs, &names, st, merged);
		if ((ret = push_refs(ctx, st->remote, refs, n, 0, &why)) < 0) {
			error("push to '%s' was rejected%s%s", st->remote,
			    why.len ? ": " : "", why.buf);
			hint("the tag and the merge are kept here; push again "
			    "with:");
			print_push_command("  ", st->remote, refs, n);
			goto out;
		}
		printf("pushed %s to %s\n", st->tag, st->remote);
	}
	printf("next: git release deploy %s\n", st->tag);
	/* the one line that puts every local ref back */
	undo_line(st, merged);
	if (st->push)
		printf("(the push to %s is public: revert there rather than "
		    "rewrite)\n", st->remote);
out:
	strlist_release(&names);
	strbuf_release(&why);
	return ret;
}

/* on a terminal, --push shows the push and asks first (-y: do not ask) */
static int
confirm_push(const struct hotfix_state *st, const struct push_ref *refs,
    size_t n)
{
	struct strbuf q = STRBUF_INIT;
	int yes;

	fflush(stdout);
	print_push_command("will run: ", st->remote, refs, n);
	fflush(stdout);
	strbuf_addf(&q, "Finish %s as %s and push to %s?", st->branch,
	    st->tag, st->remote);
	yes = ask_yes(q.buf);
	strbuf_release(&q);
	if (!yes)
		return error("not confirmed: nothing done");
	return 0;
}

static void
print_plan(const struct hotfix *h, const struct hotfix_state *st,
    const struct hotfix_finish_opts *o)
{
	struct push_ref refs[3];
	struct strlist names = STRLIST_INIT;
	size_t n;

	memset(refs, 0, sizeof(refs));
	printf("would %s %s on %s (%s, %zu commit%s since %s)\n",
	    st->made_tag ? "tag" : "reuse tag", st->tag,
	    git_oid_tostr_s(&st->tip), st->branch, h->ahead,
	    h->ahead == 1 ? "" : "s", st->base);
	if (!o->no_merge) {
		printf("would merge %s into %s", st->branch,
		    short_ref(st->into));
		printf(" (%s) with a merge commit\n",
		    git_oid_tostr_s(&st->orig));
	}
	if (!st->keep)
		printf("would delete branch %s (was %s)\n", st->branch,
		    git_oid_tostr_s(&st->tip));
	if (st->push) {
		n = push_plan(refs, &names, st, !o->no_merge);
		print_push_command("would push: ", st->remote, refs, n);
	}
	strlist_release(&names);
}

int
hotfix_finish(struct ctx *ctx, const struct hotfix_finish_opts *o)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct hotfix h = HOTFIX_INIT;
	struct hotfix_state st = HOTFIX_STATE_INIT;
	struct strbuf tag = STRBUF_INIT, msg = STRBUF_INIT, vtag = STRBUF_INIT;
	const struct release *tagged = NULL;
	struct tag_sign sign = o->sign;
	struct push_ref refs[3];
	struct strlist names = STRLIST_INIT;
	git_reference *into = NULL;
	git_oid merged, base;
	FILE *fp = NULL;
	int ret = -1, rc, gpgsign;

	memset(refs, 0, sizeof(refs));
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
	st.branch = xstrdup(h.branch);
	st.base = xstrdup(h.base);
	st.tag = strbuf_detach(&tag, NULL);
	st.into = xstrfmt("refs/heads/%s", ctx->set.release_branch);
	st.head = repo_head_branch(ctx);
	if (st.head == NULL) {
		git_oid id;

		if (git_reference_name_to_id(&id, ctx->repo, "HEAD") < 0) {
			ret = error_git(E_FATAL, "cannot read HEAD");
			goto out;
		}
		st.head = xstrdup(git_oid_tostr_s(&id));
	}
	st.remote = xstrdup(ctx->set.remote);
	git_oid_cpy(&st.tip, &h.tip);
	st.keep = o->keep || o->no_merge;
	st.push = o->push;
	if (!o->no_merge) {
		if (git_reference_lookup(&into, ctx->repo, st.into) < 0) {
			git_error_clear();
			ret = error("release branch '%s' not found%s%s%s",
			    ctx->set.release_branch,
			    ctx->release_branch_why ? " (release.branch unset: " : "",
			    ctx->release_branch_why ? ctx->release_branch_why : "",
			    ctx->release_branch_why ? ")" : "");
			hint("set release.branch, or finish with --no-merge");
			goto out;
		}
		git_oid_cpy(&st.orig, git_reference_target(into));
		if (strcmp(st.head, st.into) != 0 &&
		    git_branch_is_checked_out(into) == 1) {
			ret = error("'%s' is checked out in another worktree",
			    ctx->set.release_branch);
			hint("finish there, or with --no-merge");
			goto out;
		}
		/* before the tag: a shallow clone may lack what a merge needs */
		if (!git_oid_equal(&st.orig, &st.tip) &&
		    git_merge_base(&base, ctx->repo, &st.orig, &st.tip) < 0) {
			ret = error_git(E_REFUSED, "cannot merge '%s' into "
			    "'%s'", st.branch, ctx->set.release_branch);
			goto out;
		}
	}
	if (o->push && !remote_exists(ctx, st.remote)) {
		ret = error("remote '%s' does not exist", st.remote);
		hint("set release.remote, or finish without --push");
		goto out;
	}

	st.made_tag = tagged == NULL;
	if (o->dry_run) {
		if (!o->no_merge && ctx->release_branch_why != NULL)
			printf("release branch: %s (release.branch unset: "
			    "%s)\n", ctx->set.release_branch,
			    ctx->release_branch_why);
		print_plan(&h, &st, o);
		ret = 0;
		goto out;
	}
	if (o->push && !o->yes && interactive()) {
		size_t n = push_plan(refs, &names, &st, !o->no_merge);

		if ((ret = confirm_push(&st, refs, n)) < 0)
			goto out;
	}
	if (o->json)
		fp = plan_json_stdout();

	/* the tag on the hotfix tip, never on the merge */
	if (tagged != NULL) {
		if (o->message != NULL || o->sign.sign || o->sign.key)
			warning("tag %s already exists: its message and "
			    "signature stay as they are", st.tag);
		git_oid_cpy(&st.tag_id, &tagged->target);
		printf("reusing tag %s, already on %.7s\n", st.tag,
		    git_oid_tostr_s(&h.tip));
	} else {
		if ((ret = tag_annotation(&msg, ctx, st.tag, o->message,
		    &h.base_commit, &h.tip)) < 0)
			goto out;
		/* what the release fixes, for git release metrics */
		tag_add_trailer(&msg, "Hotfix", h.base);
		if ((ret = tag_create(&st.tag_id, ctx, st.tag, &h.tip,
		    msg.buf, &sign)) < 0)
			goto out;
		printf("tagged %s on %.7s (%zu commit%s since %s)\n", st.tag,
		    git_oid_tostr_s(&h.tip), h.ahead, h.ahead == 1 ? "" : "s",
		    h.base);
	}
	if (o->no_merge) {
		if ((ret = after_merge(ctx, &st, 0, NULL)) == 0 && fp != NULL)
			finish_json(fp, ctx, &st, 0, NULL, 0);
		goto out;
	}
	if ((rc = hotfix_merge(&merged, ctx, &st)) < 0) {
		/* a conflict says it all; anything else: say what stays */
		if (!repo_state_exists(ctx, STATE_HOTFIX))
			hint("tag %s is made and kept; finish again to merge",
			    st.tag);
		else if (fp != NULL)
			finish_json(fp, ctx, &st, 0, NULL, 1);
		ret = rc;
		goto out;
	}
	if (rc == 1)
		info("%s already contains %s: nothing to merge",
		    short_ref(st.into), st.branch);
	ret = after_merge(ctx, &st, rc == 0, &merged);
	if (ret == 0 && fp != NULL)
		finish_json(fp, ctx, &st, rc == 0, &merged, 0);
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	git_reference_free(into);
	strlist_release(&names);
	strbuf_release(&tag);
	strbuf_release(&msg);
	strbuf_release(&vtag);
	hotfix_state_release(&st);
	hotfix_release(&h);
	release_list_release(&l);
	return ret;
}

int
hotfix_finish_continue(struct ctx *ctx)
{
	struct hotfix_state st = HOTFIX_STATE_INIT;
	git_oid merged;
	int ret;

	if ((ret = repo_require_worktree(ctx, "continue")) < 0 ||
	    (ret = repo_lock(ctx)) < 0 ||
	    (ret = hotfix_state_read(&st, ctx)) < 0 ||
	    (ret = hotfix_merge_continue(&merged, ctx, &st)) < 0)
		goto out;
	hotfix_state_remove(ctx);
	ret = after_merge(ctx, &st, 1, &merged);
out:
	hotfix_state_release(&st);
	return ret;
}

int
hotfix_finish_abort(struct ctx *ctx, int drop_tag)
{
	struct hotfix_state st = HOTFIX_STATE_INIT;
	git_reference *tag = NULL;
	char *tagref = NULL;
	int ret;

	if ((ret = repo_require_worktree(ctx, "abort")) < 0 ||
	    (ret = repo_lock(ctx)) < 0 ||
	    (ret = hotfix_state_read(&st, ctx)) < 0 ||
	    (ret = hotfix_merge_abort(ctx, &st)) < 0)
		goto out;
	hotfix_state_remove(ctx);
	printf("aborted the merge of %s: %s is back at %.7s\n", st.branch,
	    short_ref(st.into), git_oid_tostr_s(&st.orig));
	tagref = xstrfmt("refs/tags/%s", st.tag);
	if (!drop_tag) {
		printf("kept tag %s (delete it with: git tag -d %s)\n",
		    st.tag, st.tag);
		goto out;
	}
	/* only the tag we made: someone may have re-made it since */
	if (git_reference_lookup(&tag, ctx->repo, tagref) < 0 ||
	    !git_oid_equal(git_reference_target(tag), &st.tag_id)) {
		git_error_clear();
		warning("not deleting tag %s: it is not the one finish made",
		    st.tag);
		goto out;
	}
	if (git_reference_delete(tag) < 0) {
		ret = error_git(E_REFUSED, "cannot delete tag %s", st.tag);
		goto out;
	}
	printf("deleted tag %s (was %.7s)\n", st.tag,
	    git_oid_tostr_s(&st.tag_id));
out:
	free(tagref);
	git_reference_free(tag);
	hotfix_state_release(&st);
	return ret;
}
