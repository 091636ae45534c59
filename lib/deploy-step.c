/*
 * Steps git release deploy and yank share: recording what a ref held,
 * and the deployment log's push.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "deploy-int.h"
#include "deploylog.h"
#include "journal.h"
#include "banned.h"

int
deploy_step_record_ref(struct ctx *ctx, struct plan_step *s, const char *key)
{
	const char *ref = plan_get(&s->attrs, "ref");
	git_oid id;
	int found;

	if (ref == NULL)
		return error_fatal("a %s step without a ref",
		    plan_kind_name(s->kind));
	if (repo_ref_id(&id, &found, ctx, ref) < 0)
		return E_FATAL;
	plan_set_oid(&s->attrs, key, found ? &id : NULL);
	return 0;
}

/* the reflog file of ref (loose refs and their logs: the common dir) */
static char *
reflog_path(struct ctx *ctx, const char *ref)
{
	return xstrfmt("%slogs/%s", git_repository_commondir(ctx->repo),
	    ref);
}

/* the reflog as it is, and a line for the abort: "<new> 0{40} ..." */
static int
reflog_with_abort(struct strbuf *out, struct ctx *ctx, const char *path,
    const char *new, const char *why)
{
	const git_signature *me;
	char buf[8192];
	ssize_t n;
	int fd, off, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			strbuf_add(out, buf, (size_t)n);
		close(fd);
		if (n < 0)
			return error_fatal("cannot read '%s': %s", path,
			    strerror(errno));
	} else if (errno != ENOENT)
		return error_fatal("cannot read '%s': %s", path,
		    strerror(errno));
	if (out->len && out->buf[out->len - 1] != '\n')
		strbuf_addch(out, '\n');
	if ((rc = ctx_committer(&me, ctx)) < 0)
		return rc;
	off = me->when.offset;
	strbuf_addf(out, "%s %s %s <%s> %lld %c%02d%02d\t%s\n", new,
	    "0000000000000000000000000000000000000000", me->name, me->email,
	    (long long)me->when.time, off < 0 ? '-' : '+',
	    (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60, why);
	return 0;
}

/* path's directories, under the common dir's logs/, made as needed */
static int
reflog_write(const char *path, const char *text)
{
	char *dir = xstrdup(path), *p;
	size_t len = strlen(text);
	int fd, rc = 0;

	for (p = strstr(dir, "/logs/") + 6; (p = strchr(p, '/')) != NULL;
	    p++) {
		*p = '\0';
		if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
			rc = error_fatal("cannot create '%s': %s", dir,
			    strerror(errno));
			goto out;
		}
		*p = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		rc = error_fatal("cannot write '%s': %s", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
out:
	free(dir);
	return rc;
}

int
deploy_step_delete_first(struct plan_exec *x, struct plan_step *s,
    const char *why)
{
	const char *ref = plan_get(&s->attrs, "ref");
	const char *kept = plan_get(&s->attrs, "reflog");
	struct strbuf log = STRBUF_INIT;
	git_reference *r = NULL;
	git_oid new, now;
	char *path = NULL;
	int found, rc;

	if (ref == NULL || plan_get(&s->attrs, "old") != NULL ||
	    !plan_get_oid(&new, &s->attrs, "new"))
		return PLAN_DEFAULT;
	if ((rc = repo_ref_id(&now, &found, x->ctx, ref)) < 0)
		return rc;
	path = reflog_path(x->ctx, ref);
	if (!found) {
		/* gone: by this undo, killed before the reflog was back? */
		rc = kept != NULL && access(path, F_OK) < 0 ?
		    reflog_write(path, kept) : 0;
		goto out;
	}
	if (!git_oid_equal(&now, &new)) {
		rc = PLAN_DEFAULT;
		goto out;
	}
	if (kept == NULL) {
		if ((rc = reflog_with_abort(&log, x->ctx, path,
		    git_oid_tostr_s(&new), why)) < 0)
			goto out;
		plan_set(&s->attrs, "reflog", log.buf);
		if ((rc = journal_save(x->journal)) < 0)
			goto out;
		kept = plan_get(&s->attrs, "reflog");
	}
	/* compared: deleted only while it still holds our entry */
	if (git_reference_lookup(&r, x->ctx->repo, ref) < 0 ||
	    git_reference_delete(r) < 0) {
		rc = error_git(E_REFUSED, "cannot delete '%s'", ref);
		goto out;
	}
	rc = reflog_write(path, kept);
out:
	git_reference_free(r);
	strbuf_release(&log);
	free(path);
	return rc;
}

int
deploy_step_begin(struct plan_exec *x, struct plan_step *s)
{
	int rc;

	if (plan_get(&s->attrs, "started") != NULL)
		return 0;
	if ((rc = deploy_step_record_ref(x->ctx, s, "old")) < 0)
		return rc;
	plan_set(&s->attrs, "started", "1");
	return journal_save(x->journal);
}

/*
 * A step killed after it moved its ref and before it said what to: the
 * commit there on top of the "old" it recorded (a root where the ref
 * was absent) is its "new", for the abort to take back.
 */
int
deploy_step_adopt(struct plan_exec *x, struct plan_step *s)
{
	const char *ref = plan_get(&s->attrs, "ref");
	git_commit *c = NULL;
	git_oid old, now;
	int found, has_old, ours;

	if (s->status != PLAN_PENDING || ref == NULL ||
	    plan_get(&s->attrs, "started") == NULL ||
	    plan_get(&s->attrs, "new") != NULL)
		return 0;
	if (repo_ref_id(&now, &found, x->ctx, ref) < 0)
		return E_FATAL;
	has_old = plan_get_oid(&old, &s->attrs, "old");
	if (!found || (has_old && git_oid_equal(&old, &now)))
		return 0;
	if (git_commit_lookup(&c, x->ctx->repo, &now) < 0) {
		git_error_clear();
		return 0;
	}
	ours = git_commit_parentcount(c) > 0 ? has_old &&
	    git_oid_equal(git_commit_parent_id(c, 0), &old) : !has_old;
	/*
	 * A verification's started entry is the record that an attempt
	 * ran: the abort keeps it, and the next deploy records it failed.
	 */
	if (ours) {
		struct deploy_entry e;

		memset(&e, 0, sizeof(e));
		if (deploy_entry_parse(&e, git_commit_message(c)) == 0 &&
		    e.status == DEPLOY_STATUS_STARTED)
			ours = 0;
		deploy_entry_release(&e);
	}
	git_commit_free(c);
	if (ours)
		plan_set_oid(&s->attrs, "new", &now);
	return 0;
}

int
deploy_step_is_done(struct ctx *ctx, const struct plan_step *s)
{
	const char *ref = plan_get(&s->attrs, "ref");
	git_oid want, now;

	if (ref == NULL || !plan_get_oid(&want, &s->attrs, "new"))
		return 0;
	if (git_reference_name_to_id(&now, ctx->repo, ref) < 0) {
		git_error_clear();
		return 0;
	}
	return git_oid_equal(&want, &now);
}

void
deploy_plan_push(struct plan *p, struct ctx *ctx, const struct strlist *refs)
{
	struct plan_step *s = plan_add(p, PLAN_PUSH);
	size_t i;

	plan_set(&s->attrs, "remote", ctx->set.remote);
	plan_set(&s->attrs, "via", "deploylog");
	for (i = 0; i < refs->nr; i++) {
		char *spec = strchr(refs->items[i], ':') ?
		    xstrdup(refs->items[i]) : xstrfmt("%s:%s",
		    refs->items[i], refs->items[i]);

		plan_add_attr(&s->attrs, "refspec", spec);
		free(spec);
	}
}

/* a step that moved a ref of ours, done */
static int
pushes(const struct plan_step *t)
{
	return t->status == PLAN_DONE && plan_get(&t->attrs, "ref") &&
	    plan_get(&t->attrs, "new") && (t->kind == PLAN_LOG ||
	    t->kind == PLAN_MARK || t->kind == PLAN_DEPLOYED_TAG);
}

/*
 * Step i's ref as pushed: from what the first step on that ref found
 * to what the last one made, when the ref is still there (not moved by
 * a replay on top of a colleague's entries).
 */
static void
record_pushed(struct plan_exec *x, struct plan_step *s, size_t i)
{
	const struct plan_step *t = &x->plan->steps[i];
	const char *ref, *old = NULL;
	size_t k;
	char *v;

	if (!pushes(t))
		return;
	ref = plan_get(&t->attrs, "ref");
	for (k = i + 1; k < x->plan->nr; k++)
		if (pushes(&x->plan->steps[k]) && strcmp(ref,
		    plan_get(&x->plan->steps[k].attrs, "ref")) == 0)
			return;
	for (k = 0; k <= i; k++)
		if (pushes(&x->plan->steps[k]) && strcmp(ref,
		    plan_get(&x->plan->steps[k].attrs, "ref")) == 0) {
			old = plan_get(&x->plan->steps[k].attrs, "old");
			break;
		}
	if (!deploy_step_is_done(x->ctx, t))
		return;
	v = xstrfmt("%s %s %s", ref, old ? old : "-",
	    plan_get(&t->attrs, "new"));
	plan_add_attr(&s->attrs, "pushed", v);
	free(v);
}

int
deploy_step_push(struct plan_exec *x, struct plan_step *s)
{
	struct strlist specs = STRLIST_INIT, extra = STRLIST_INIT;
	size_t i;
	int rc;

	plan_get_all(&specs, &s->attrs, "refspec");
	for (i = 0; i < specs.nr; i++) {
		char *colon = strchr(specs.items[i], ':');

		/* refs/deploy/ refs go anyway; the rest are extra */
		if (colon != NULL)
			*colon = '\0';
		if (strncmp(specs.items[i], DEPLOY_REF_PREFIX,
		    strlen(DEPLOY_REF_PREFIX)) != 0)
			strlist_add(&extra, specs.items[i]);
	}
	plan_set(&s->attrs, "pushed", NULL);
	for (i = 0; i < x->plan->nr; i++)
		record_pushed(x, s, i);
	if ((rc = plan_push_begin(x, s)) == 0 &&
	    (rc = deploylog_push(x->ctx,
	    (const char *const *)extra.items)) < 0)
		plan_push_failed(s);
	strlist_release(&specs);
	strlist_release(&extra);
	return rc;
}

/* every step but the push is done: only the push failed */
int
deploy_push_failed(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (p->steps[i].status != PLAN_DONE &&
		    p->steps[i].kind != PLAN_PUSH)
			return 0;
	return p->nr > 0 && p->steps[p->nr - 1].kind == PLAN_PUSH &&
	    p->steps[p->nr - 1].status != PLAN_DONE;
}
