/*
 * The deployment log: one commit per entry on refs/deploy/log/<env>,
 * the empty tree, the entry in the message.  Commits rather than a file
 * so that an entry is never rewritten, a redeploy of the same version is
 * simply one more commit, and two logs that diverged merge by replaying
 * one side's commits on the other (see logsync.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "component.h"
#include "deploylog.h"
#include "env.h"
#include "push.h"
#include "tag.h"
#include "banned.h"

#define EMPTY_TREE	"4b825dc642cb6eb9a060e54bf8d69288fbee4904"

/* --- reading --- */

void
deploylog_release(struct deploy_log *log)
{
	size_t i;

	for (i = 0; i < log->nr; i++)
		deploy_entry_release(&log->items[i]);
	free(log->items);
	log->items = NULL;
	log->nr = log->alloc = 0;
}

/*
 * One environment's chain, newest first, at most max (0: all), only the
 * selected component's entries when mine.
 */
static int
read_chain(struct deploy_log *out, struct ctx *ctx, const char *refname,
    size_t max, int mine)
{
	git_commit *c = NULL, *next = NULL;
	git_oid id;
	size_t n = 0;
	int found;

	if (repo_ref_id(&id, &found, ctx, refname) < 0)
		return E_FATAL;
	if (!found)
		return 0;
	if (git_commit_lookup(&c, ctx->repo, &id) < 0)
		return error_git(E_FATAL, "cannot read '%s'", refname);
	while (c != NULL && (max == 0 || n < max)) {
		struct deploy_entry e;

		if (deploy_entry_parse(&e, git_commit_message(c)) == 0) {
			if (mine && !component_owns_entry(ctx, e.tag,
			    e.component))
				deploy_entry_release(&e);
			else {
				e.id = *git_commit_id(c);
				ALLOC_GROW(out->items, out->nr, out->alloc);
				out->items[out->nr++] = e;
				n++;
			}
		} else
			warning("skipping malformed deployment log entry %s "
			    "in '%s'", git_oid_tostr_s(git_commit_id(c)),
			    refname);
		next = NULL;
		if (git_commit_parentcount(c) > 0 &&
		    git_commit_parent(&next, c, 0) < 0) {
			git_commit_free(c);
			return error_git(E_FATAL, "cannot read '%s'",
			    refname);
		}
		git_commit_free(c);
		c = next;
	}
	git_commit_free(c);
	return 0;
}

/*
 * Merge the environments newest first by time, keeping each one's own
 * order (its chain order is the truth when clocks disagree).
 */
static void
merge_logs(struct deploy_log *out, struct deploy_log *logs, size_t nlogs,
    size_t max)
{
	size_t *pos = xcalloc(nlogs ? nlogs : 1, sizeof(*pos));

	for (;;) {
		size_t i, best = nlogs;

		if (max != 0 && out->nr >= max)
			break;
		for (i = 0; i < nlogs; i++) {
			if (pos[i] >= logs[i].nr)
				continue;
			if (best == nlogs || logs[i].items[pos[i]].time >
			    logs[best].items[pos[best]].time)
				best = i;
		}
		if (best == nlogs)
			break;
		ALLOC_GROW(out->items, out->nr, out->alloc);
		out->items[out->nr++] = logs[best].items[pos[best]];
		memset(&logs[best].items[pos[best]], 0,
		    sizeof(struct deploy_entry));
		pos[best]++;
	}
	free(pos);
}

static int
read_logs(struct deploy_log *out, struct ctx *ctx, const char *env,
    size_t max, int mine)
{
	git_reference_iterator *it = NULL;
	struct deploy_log *logs = NULL;
	size_t nlogs = 0, alloc = 0, i;
	const char *name;
	int ret = -1, rc;

	if (env != NULL) {
		char *ref;

		if ((rc = deploy_env_check(env)) < 0)
			return rc;
		ref = xstrfmt(DEPLOY_LOG_PREFIX "%s", env);
		rc = read_chain(out, ctx, ref, max, mine);
		free(ref);
		return rc;
	}
	if (git_reference_iterator_glob_new(&it, ctx->repo,
	    DEPLOY_LOG_PREFIX "*") < 0)
		return error_git(E_FATAL, "cannot list the deployment logs");
	while ((rc = git_reference_next_name(&name, it)) == 0) {
		struct deploy_log one = DEPLOY_LOG_INIT;

		if (strchr(name + strlen(DEPLOY_LOG_PREFIX), '/') != NULL)
			continue;
		if ((rc = read_chain(&one, ctx, name, max, mine)) < 0) {
			deploylog_release(&one);
			ret = rc;
			goto out;
		}
		ALLOC_GROW(logs, nlogs, alloc);
		logs[nlogs++] = one;
	}
	if (rc != GIT_ITEROVER) {
		ret = error_git(E_FATAL, "cannot list the deployment logs");
		goto out;
	}
	git_error_clear();
	merge_logs(out, logs, nlogs, max);
	ret = 0;
out:
	for (i = 0; i < nlogs; i++)
		deploylog_release(&logs[i]);
	free(logs);
	git_reference_iterator_free(it);
	return ret;
}

int
deploylog_read(struct deploy_log *out, struct ctx *ctx, const char *env,
    size_t max)
{
	return read_logs(out, ctx, env, max, 1);
}

int
deploylog_read_all(struct deploy_log *out, struct ctx *ctx, const char *env,
    size_t max)
{
	return read_logs(out, ctx, env, max, 0);
}

/*
 * The first of env's branch candidates that exists: its branch, here
 * or on the remote; for production then the release branch too.
 */
static int
branch_tip(git_oid *out, int *found, struct ctx *ctx, const char *env,
    const char *b)
{
	const char *r = ctx->set.release_branch;
	const char *remote = ctx->set.remote;
	char *cand[4];
	size_t i, n = 2;
	int rc = 0;

	cand[0] = xstrfmt("refs/heads/%s", b);
	cand[1] = xstrfmt("refs/remotes/%s/%s", remote, b);
	if (strcmp(env, DEFAULT_ENV) == 0) {
		cand[2] = xstrfmt("refs/heads/%s", r);
		cand[3] = xstrfmt("refs/remotes/%s/%s", remote, r);
		n = 4;
	}
	*found = 0;
	for (i = 0; i < n && !*found; i++) {
		git_object *obj = NULL;
		git_reference *ref = NULL;

		if (git_reference_lookup(&ref, ctx->repo, cand[i]) < 0) {
			git_error_clear();
			continue;
		}
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			*out = *git_object_id(obj);
			*found = 1;
		} else
			git_error_clear();
		git_object_free(obj);
		git_reference_free(ref);
	}
	for (i = 0; i < n; i++)
		free(cand[i]);
	return rc;
}

/*
 * The newest stable release reachable from tip that is not marked bad:
 * one walk in the usual case, where the newest is good; otherwise one
 * more over the releases left once the marked ones are set aside.
 */
static int
latest_good_reachable(const struct release **out, struct ctx *ctx,
    const struct release_list *l, const git_oid *tip)
{
	struct release_list good = RELEASE_LIST_INIT;
	struct marks marks = MARKS_INIT;
	const struct release *r;
	size_t i, *idx = NULL;
	int rc;

	*out = NULL;
	if ((rc = release_latest_reachable(&r, ctx, l, tip, 1)) < 0 ||
	    r == NULL)
		return rc;
	if ((rc = marks_load(&marks, ctx)) < 0)
		return rc;
	if (marks_reason(&marks, r->tag) == NULL) {
		*out = r;
		goto out;
	}
	/* a shallow copy of the good ones; idx maps back into l */
	good.items = xreallocarray(NULL, l->nr, sizeof(*good.items));
	idx = xreallocarray(NULL, l->nr, sizeof(*idx));
	for (i = 0; i < l->nr; i++)
		if (marks_reason(&marks, l->items[i].tag) == NULL) {
			idx[good.nr] = i;
			good.items[good.nr++] = l->items[i];
		}
	if ((rc = release_latest_reachable(&r, ctx, &good, tip, 1)) == 0 &&
	    r != NULL)
		*out = &l->items[idx[r - good.items]];
out:
	free(good.items);
	free(idx);
	marks_release(&marks);
	return rc;
}

struct in_effect {
	struct ctx		*ctx;
	struct deploy_entry	*out;
	int			*found;
};

static int
in_effect_one(const struct deploy_entry *e, void *payload)
{
	struct in_effect *w = payload;

	if (!deploy_entry_in_effect(e) ||
	    !component_owns_entry(w->ctx, e->tag, e->component))
		return 0;
	deploy_entry_copy(w->out, e);
	*w->found = 1;
	return 1;
}

int
deploylog_last_in_effect(struct deploy_entry *out, int *found,
    struct ctx *ctx, const char *env)
{
	struct in_effect w = { ctx, out, found };

	memset(out, 0, sizeof(*out));
	*found = 0;
	return deploylog_walk(ctx, env, in_effect_one, &w);
}

int
deploy_running(const struct release **out, struct ctx *ctx,
    const struct release_list *l, const char *env,
    struct deploy_entry *entry)
{
	struct deploy_entry last;
	const char *branch;
	git_oid tip;
	int found, ret = -1, rc;

	*out = NULL;
	if (entry != NULL)
		memset(entry, 0, sizeof(*entry));
	if ((rc = deploylog_last_in_effect(&last, &found, ctx, env)) < 0)
		return rc;
	if (found) {
		*out = release_find(l, ctx, last.tag);
		if (*out == NULL) {
			ret = error_fatal("'%s' is running on '%s' by the "
			    "deployment log, but it is no release here",
			    last.tag, env);
			if (remote_exists(ctx, ctx->set.remote))
				hint("git fetch %s tag %s", ctx->set.remote,
				    last.tag);
			goto out;
		}
		if (entry != NULL) {
			*entry = last;
			memset(&last, 0, sizeof(last));
		}
		ret = 0;
		goto out;
	}
	/* no entry: what its branch holds, if it has one */
	if ((branch = env_branch(ctx, env)) == NULL) {
		ret = 0;
		goto out;
	}
	if ((rc = branch_tip(&tip, &found, ctx, env, branch)) < 0) {
		ret = rc;
		goto out;
	}
	if (!found) {
		ret = 0;
		goto out;
	}
	ret = latest_good_reachable(out, ctx, l, &tip);
out:
	deploy_entry_release(&last);
	return ret;
}

int
deploy_running_component(char **tag, struct deploy_entry *entry,
    struct ctx *ctx, const char *env, const struct component *c)
{
	const struct component *was = ctx->set.component;
	struct release_list l = RELEASE_LIST_INIT;
	const struct release *r = NULL;
	int rc;

	*tag = NULL;
	component_use(ctx, c);
	if ((rc = release_list_load(&l, ctx)) == 0 &&
	    (rc = deploy_running(&r, ctx, &l, env, entry)) == 0 && r != NULL)
		*tag = xstrdup(r->tag);
	release_list_release(&l);
	component_use(ctx, was);
	return rc;
}

/* --- appending --- */

static void
add_ident(struct strbuf *sb, const char *what, const git_signature *sig,
    int64_t t)
{
	int off = sig->when.offset, a = off < 0 ? -off : off;

	strbuf_addf(sb, "%s %s <%s> %lld %c%02d%02d\n", what, sig->name,
	    sig->email, (long long)t, off < 0 ? '-' : '+', a / 60, a % 60);
}

/*
 * The commit object for e on parent, written by hand so that a dry run
 * can name the exact id it would create without writing anything.
 */
static int
entry_commit(git_oid *out, struct ctx *ctx, const struct deploy_entry *in,
    const git_oid *parent, int write)
{
	struct deploy_entry e = *in;
	struct strbuf buf = STRBUF_INIT, msg = STRBUF_INIT,
	    op = STRBUF_INIT;
	const git_signature *me;
	git_odb *odb = NULL;
	int ret = -1, rc;

	if ((rc = ctx_committer(&me, ctx)) < 0)
		return rc;
	if (e.time == 0)
		e.time = me->when.time;
	if (e.operator == NULL) {
		strbuf_addf(&op, "%s <%s>", me->name, me->email);
		e.operator = op.buf;
	}
	deploy_entry_format(&msg, &e);
	strbuf_addstr(&buf, "tree " EMPTY_TREE "\n");
	if (parent != NULL)
		strbuf_addf(&buf, "parent %s\n", git_oid_tostr_s(parent));
	add_ident(&buf, "author", me, e.time);
	add_ident(&buf, "committer", me, e.time);
	strbuf_addf(&buf, "\n%s", msg.buf);
	if (!write) {
		if (git_odb_hash(out, buf.buf, buf.len, GIT_OBJECT_COMMIT) < 0)
			goto fail;
		ret = 0;
		goto out;
	}
	if (git_repository_odb(&odb, ctx->repo) < 0 ||
	    git_odb_write(out, odb, "", 0, GIT_OBJECT_TREE) < 0 ||
	    git_odb_write(out, odb, buf.buf, buf.len, GIT_OBJECT_COMMIT) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	ret = error_git(E_FATAL, "cannot write the deployment log entry");
out:
	git_odb_free(odb);
	strbuf_release(&buf);
	strbuf_release(&msg);
	strbuf_release(&op);
	return ret;
}

static char *
reflog_message(const struct deploy_entry *e)
{
	const char *st = e->status == DEPLOY_STATUS_SUCCEEDED ? "" :
	    deploy_status_name(e->status);

	switch (e->kind) {
	case DEPLOY_KIND_ROLLBACK:
		return xstrfmt("rollback: %s -> %s on %s%s%s",
		    e->from ? e->from : "?", e->tag, e->env, *st ? " " : "",
		    st);
	case DEPLOY_KIND_HOLD:
		return xstrfmt("hold: %s at %s", e->env, e->tag);
	case DEPLOY_KIND_UNHOLD:
		return xstrfmt("hold --lift: %s at %s", e->env, e->tag);
	case DEPLOY_KIND_VERIFY:
		return xstrfmt("verify: %s on %s%s%s", e->tag, e->env,
		    *st ? " " : "", st);
	default:
		return xstrfmt("deploy: %s to %s%s%s", e->tag, e->env,
		    *st ? " " : "", st);
	}
}

/* the tip of refname; *found 0 when it does not exist */
static int
ref_tip(git_oid *out, int *found, struct ctx *ctx, const char *refname)
{
	int rc = git_reference_name_to_id(out, ctx->repo, refname);

	*found = rc == 0;
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return error_git(E_FATAL, "cannot read '%s'", refname);
	return 0;
}

/* does e call for deployed-<tag>?  the first deployment to production */
static int
wants_deployed_tag(int *out, char **name, struct ctx *ctx,
    const struct deploy_entry *e)
{
	git_oid id;
	int exists, rc;

	*out = 0;
	*name = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s", e->tag);
	/* deployed means it ran: not an attempt, a failure or a hold */
	if (strcmp(e->env, DEFAULT_ENV) != 0 || !deploy_entry_in_effect(e))
		return 0;
	if ((rc = ref_tip(&id, &exists, ctx, *name)) < 0)
		return rc;
	*out = !exists;
	return 0;
}

/* annotated like every tag the suite makes, signed when tag.gpgSign says */
static int
create_deployed_tag(struct ctx *ctx, const char *refname,
    const struct deploy_entry *e, int64_t t)
{
	struct strbuf msg = STRBUF_INIT;
	git_oid id;
	int rc;

	deploy_tag_message(&msg, e->env, t);
	rc = tag_create(&id, ctx, refname + strlen("refs/tags/"), &e->commit,
	    msg.buf, NULL);
	strbuf_release(&msg);
	return rc;
}

static int
entry_time(int64_t *out, struct ctx *ctx, const struct deploy_entry *e)
{
	const git_signature *me;
	int rc;

	if (e->time != 0) {
		*out = e->time;
		return 0;
	}
	if ((rc = ctx_committer(&me, ctx)) < 0)
		return rc;
	*out = me->when.time;
	return 0;
}

/* what appending e takes, worked out before anything is written */
struct append {
	char *refname, *tagref;		/* tagref: when want_tag */
	git_oid old, id;		/* old: when found */
	int64_t t;
	int found, want_tag;
};

static void
append_release(struct append *a)
{
	free(a->refname);
	free(a->tagref);
}

/*
 * The parent for an entry replacing the started entry replaced: the
 * tip must be it, or its replay (same message) after a fetch.
 */
static int
replaced_parent(git_oid *out, int *has_parent, struct ctx *ctx,
    const git_oid *tip, const git_oid *replaced)
{
	git_commit *t = NULL, *r = NULL;
	int ret = E_REFUSED;

	*has_parent = 0;
	if (git_commit_lookup(&t, ctx->repo, tip) < 0 ||
	    git_commit_lookup(&r, ctx->repo, replaced) < 0) {
		ret = error_git(E_FATAL, "cannot read the started entry %s",
		    git_oid_tostr_s(replaced));
		goto out;
	}
	if (!git_oid_equal(tip, replaced) &&
	    strcmp(git_commit_message(t), git_commit_message(r)) != 0) {
		ret = error("the deployment log moved: its tip %s is not the "
		    "started entry %s", git_oid_tostr_s(tip),
		    git_oid_tostr_s(replaced));
		goto out;
	}
	if (git_commit_parentcount(t) > 0) {
		*out = *git_commit_parent_id(t, 0);
		*has_parent = 1;
	}
	ret = 0;
out:
	git_commit_free(t);
	git_commit_free(r);
	return ret;
}

/*
 * the log's ref and tip, the entry's time, tag and commit (kept if
 * write); in place of the started entry replaced when not NULL
 */
static int
append_prepare(struct append *a, struct ctx *ctx, const struct deploy_entry *e,
    int write, const git_oid *replaced)
{
	git_oid parent;
	int has_parent, rc;

	memset(a, 0, sizeof(*a));
	if ((rc = deploy_env_check(e->env)) < 0)
		return rc;
	a->refname = xstrfmt(DEPLOY_LOG_PREFIX "%s", e->env);
	if ((rc = ref_tip(&a->old, &a->found, ctx, a->refname)) < 0)
		return rc;
	has_parent = a->found;
	parent = a->old;
	if (replaced != NULL && !a->found)
		return error("the deployment log '%s' lost its started entry",
		    a->refname);
	if (replaced != NULL && (rc = replaced_parent(&parent, &has_parent,
	    ctx, &a->old, replaced)) < 0)
		return rc;
	if ((rc = entry_time(&a->t, ctx, e)) < 0 ||
	    (rc = wants_deployed_tag(&a->want_tag, &a->tagref, ctx, e)) < 0 ||
	    (rc = entry_commit(&a->id, ctx, e, has_parent ? &parent : NULL,
	    write)) < 0)
		return rc;
	return 0;
}

static int
append_or_replace(git_oid *out, struct ctx *ctx, const struct deploy_entry *e,
    const git_oid *replaced, int *created_tag, int no_tag)
{
	struct append a;
	git_reference *ref = NULL;
	char *msg = NULL;
	int ret = -1;

	if (created_tag != NULL)
		*created_tag = 0;
	if ((ret = append_prepare(&a, ctx, e, 1, replaced)) < 0)
		goto out;
	if (no_tag)
		a.want_tag = 0;
	ret = -1;
	*out = a.id;
	msg = reflog_message(e);
	/* refs outside heads/ get a reflog only when the log file exists */
	if (git_reference_ensure_log(ctx->repo, a.refname) < 0 ||
	    git_reference_create_matching(&ref, ctx->repo, a.refname, &a.id,
	    a.found, a.found ? &a.old : NULL, msg) < 0) {
		ret = error_git(E_REFUSED, "cannot update '%s'", a.refname);
		goto out;
	}
	/* the entry is the record; the tag only shows it to plain git */
	if (a.want_tag && create_deployed_tag(ctx, a.tagref, e, a.t) < 0)
		warning("the deployment is recorded, but tag '%s' was not "
		    "made", a.tagref + strlen("refs/tags/"));
	else if (a.want_tag && created_tag != NULL)
		*created_tag = 1;
	ret = 0;
out:
	git_reference_free(ref);
	append_release(&a);
	free(msg);
	return ret;
}

int
deploylog_append(git_oid *out, struct ctx *ctx, const struct deploy_entry *e,
    int *created_tag)
{
	return append_or_replace(out, ctx, e, NULL, created_tag, 0);
}

int
deploylog_append_untagged(git_oid *out, struct ctx *ctx,
    const struct deploy_entry *e)
{
	return append_or_replace(out, ctx, e, NULL, NULL, 1);
}

int
deploylog_tag_deployed(git_oid *out, struct ctx *ctx,
    const struct deploy_entry *e)
{
	struct strbuf msg = STRBUF_INIT;
	char *name = xstrfmt(DEPLOYED_TAG_PREFIX "%s", e->tag);
	int64_t t;
	int rc;

	if ((rc = entry_time(&t, ctx, e)) == 0) {
		deploy_tag_message(&msg, e->env, t);
		rc = tag_create(out, ctx, name, &e->commit, msg.buf, NULL);
	}
	strbuf_release(&msg);
	free(name);
	return rc;
}

int
deploylog_replace(git_oid *out, struct ctx *ctx, const struct deploy_entry *e,
    const git_oid *replaced, int *created_tag)
{
	return append_or_replace(out, ctx, e, replaced, created_tag, 0);
}

int
deploylog_can_record(struct ctx *ctx, const char *env)
{
	git_transaction *tx = NULL;
	char *refname = xstrfmt(DEPLOY_LOG_PREFIX "%s", env);
	int rc = 0;

	if (git_transaction_new(&tx, ctx->repo) < 0 ||
	    git_transaction_lock_ref(tx, refname) < 0)
		rc = error_git(E_REFUSED, "cannot record on '%s': '%s' "
		    "cannot be updated", env, refname);
	git_transaction_free(tx);	/* unlocks, writes nothing */
	free(refname);
	return rc;
}

int
deploylog_plan(struct ctx *ctx, const struct deploy_entry *e)
{
	struct append a;
	struct strbuf msg = STRBUF_INIT;
	char oldhex[GIT_OID_HEXSZ + 1] = "(none)", newhex[GIT_OID_HEXSZ + 1];
	int ret;

	if ((ret = append_prepare(&a, ctx, e, 0, NULL)) < 0)
		goto out;
	if (a.found)
		git_oid_tostr(oldhex, sizeof(oldhex), &a.old);
	git_oid_tostr(newhex, sizeof(newhex), &a.id);
	printf("would update %s %s -> %s\n", a.refname, oldhex, newhex);
	if (a.want_tag) {
		deploy_tag_message(&msg, e->env, a.t);
		strbuf_rtrim(&msg);
		printf("would create tag %s (\"%s\")\n",
		    a.tagref + strlen("refs/tags/"), msg.buf);
	}
	ret = 0;
out:
	append_release(&a);
	strbuf_release(&msg);
	return ret;
}

int
deploylog_entry_id(git_oid *out, struct ctx *ctx, const struct deploy_entry *e)
{
	struct append a;
	int rc;

	if ((rc = append_prepare(&a, ctx, e, 0, NULL)) == 0)
		*out = a.id;
	append_release(&a);
	return rc;
}
