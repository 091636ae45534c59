/*
 * Sharing the deployment log through the remote.  The log only grows,
 * so two copies that diverged (two people deployed at once) merge
 * without judgement: the remote's entries stay as they are and ours are
 * replayed on top, the same message, author and committer on a new
 * parent.  A push that the remote rejects as non-fast-forward, or
 * because a colleague's push held its refs locked, is therefore
 * fetched, replayed and retried, with jittered exponential backoff,
 * until release.pushTimeout (60 seconds) has passed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "deploylog.h"
#include "push.h"
#include "spawn.h"
#include "banned.h"

#define BACKOFF_FIRST_MS	50
#define BACKOFF_MAX_MS		8000

static char *
tracking_prefix(const char *remote)
{
	return xstrfmt(DEPLOY_TRACKING_PREFIX "%s/", remote);
}

/* replay one marks commit: its changes applied to base's tree */
static int
replay_marks(git_oid *out, struct ctx *ctx, git_commit *c,
    const git_oid *base)
{
	git_commit *parent = NULL, *onto = NULL;
	git_tree *ptree = NULL, *ctree = NULL, *otree = NULL, *ntree = NULL;
	git_diff *diff = NULL;
	git_index *idx = NULL;
	git_oid tree_id;
	size_t i, n;
	int ret = -1;

	if (git_commit_lookup(&onto, ctx->repo, base) < 0 ||
	    git_commit_tree(&otree, onto) < 0 ||
	    git_commit_tree(&ctree, c) < 0 ||
	    (git_commit_parentcount(c) > 0 &&
	    (git_commit_parent(&parent, c, 0) < 0 ||
	    git_commit_tree(&ptree, parent) < 0)) ||
	    git_diff_tree_to_tree(&diff, ctx->repo, ptree, ctree, NULL) < 0 ||
	    git_index_new(&idx) < 0 || git_index_read_tree(idx, otree) < 0)
		goto out;
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		int gone = d->status == GIT_DELTA_DELETED;
		const char *path = gone ? d->old_file.path : d->new_file.path;
		git_tree_entry *te = NULL;
		git_oid buf, *res;
		int rc;

		/* theirs and ours both kept: a file holds every mark */
		if (git_tree_entry_bypath(&te, otree, path) < 0)
			git_error_clear();
		rc = marks_merge_file(&res, &buf, ctx->repo,
		    te ? git_tree_entry_id(te) : NULL,
		    d->status == GIT_DELTA_ADDED ? NULL : &d->old_file.id,
		    gone ? NULL : &d->new_file.id);
		git_tree_entry_free(te);
		if (rc == 0)
			rc = marks_index_apply(idx, ctx->repo, path, res);
		if (rc < 0 && rc != GIT_ENOTFOUND)
			goto out;
	}
	if (git_index_write_tree_to(&tree_id, idx, ctx->repo) < 0)
		goto out;
	if (git_oid_equal(&tree_id, git_tree_id(otree))) {
		*out = *base;	/* theirs already says so */
		ret = 0;
		goto out;
	}
	if (git_tree_lookup(&ntree, ctx->repo, &tree_id) < 0 ||
	    git_commit_create(out, ctx->repo, NULL, git_commit_author(c),
	    git_commit_committer(c), git_commit_message_encoding(c),
	    git_commit_message(c), ntree, 1,
	    (const git_commit **)&onto) < 0)
		goto out;
	ret = 0;
out:
	git_index_free(idx);
	git_diff_free(diff);
	git_tree_free(ntree);
	git_tree_free(otree);
	git_tree_free(ctree);
	git_tree_free(ptree);
	git_commit_free(onto);
	git_commit_free(parent);
	return ret;
}

/* replay one log entry: the same commit on a new parent */
static int
replay_entry(git_oid *out, struct ctx *ctx, git_commit *c, const git_oid *base)
{
	git_commit *onto = NULL;
	git_tree *tree = NULL;
	int ret = -1;

	if (git_commit_lookup(&onto, ctx->repo, base) == 0 &&
	    git_commit_tree(&tree, c) == 0 &&
	    git_commit_create(out, ctx->repo, NULL, git_commit_author(c),
	    git_commit_committer(c), git_commit_message_encoding(c),
	    git_commit_message(c), tree, 1,
	    (const git_commit **)&onto) == 0)
		ret = 0;
	git_tree_free(tree);
	git_commit_free(onto);
	return ret;
}

/* ours on top of theirs: *out the new tip, *n how many were replayed */
static int
replay(git_oid *out, size_t *n, struct ctx *ctx, const char *local,
    const git_oid *ours, const git_oid *theirs)
{
	int marks = strcmp(local, DEPLOY_MARKS_REF) == 0;
	git_revwalk *w = NULL;
	git_oid id, tip = *theirs;
	int rc, ret = -1;

	*n = 0;
	if (git_revwalk_new(&w, ctx->repo) < 0 ||
	    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(w, ours) < 0 || git_revwalk_hide(w, theirs) < 0)
		goto out;
	while ((rc = git_revwalk_next(&id, w)) == 0) {
		git_commit *c = NULL;

		if (git_commit_lookup(&c, ctx->repo, &id) < 0)
			goto out;
		rc = marks ? replay_marks(&tip, ctx, c, &tip) :
		    replay_entry(&tip, ctx, c, &tip);
		git_commit_free(c);
		if (rc < 0)
			goto out;
		(*n)++;
	}
	if (rc != GIT_ITEROVER)
		goto out;
	git_error_clear();
	*out = tip;
	ret = 0;
out:
	git_revwalk_free(w);
	return ret;
}

/* how many new commits of a fetched log are checked entry by entry */
#define CHECK_MAX	1000

/*
 * What the remote holds at local's name must be a deployment log (or
 * the marks): a chain of commits without merges, each log commit an
 * entry that parses.  Checked from the tip down to what we have, at
 * most CHECK_MAX commits.  E_REFUSED, warned naming the ref, otherwise:
 * a colleague's broken push must not become our record.
 */
static int
well_formed(struct ctx *ctx, const char *local, const git_oid *theirs,
    const git_oid *ours, const char *remote)
{
	int marks = strcmp(local, DEPLOY_MARKS_REF) == 0;
	git_object *obj = NULL;
	git_commit *c = NULL, *next = NULL;
	struct deploy_entry e;
	const char *why = NULL;
	size_t n;
	int ret = E_REFUSED;

	if (git_object_lookup(&obj, ctx->repo, theirs, GIT_OBJECT_ANY) < 0) {
		why = "its object is missing";
		goto out;
	}
	if (git_object_type(obj) != GIT_OBJECT_COMMIT) {
		why = git_object_type(obj) == GIT_OBJECT_TREE ? "a tree, not "
		    "a commit" : git_object_type(obj) == GIT_OBJECT_BLOB ?
		    "a blob, not a commit" : "not a commit";
		goto out;
	}
	if (git_commit_lookup(&c, ctx->repo, theirs) < 0) {
		why = "an unreadable commit";
		goto out;
	}
	for (n = 0; c != NULL && n < CHECK_MAX; n++) {
		if (ours != NULL && git_oid_equal(git_commit_id(c), ours))
			break;
		if (git_commit_parentcount(c) > 1) {
			why = "a merge in the chain";
			goto out;
		}
		if (!marks) {
			memset(&e, 0, sizeof(e));
			if (deploy_entry_parse(&e, git_commit_message(c)) < 0) {
				why = "a commit that is no log entry";
				goto out;
			}
			deploy_entry_release(&e);
		}
		next = NULL;
		if (git_commit_parentcount(c) == 1 &&
		    git_commit_parent(&next, c, 0) < 0) {
			why = "a missing parent";
			goto out;
		}
		git_commit_free(c);
		c = next;
	}
	ret = 0;
out:
	if (ret < 0) {
		warning("the deployment log '%s' on '%s' is malformed (%s%s%s); "
		    "keeping the local copy", local, remote, why,
		    c != NULL ? " at " : "",
		    c != NULL ? git_oid_tostr_s(git_commit_id(c)) : "");
		hint("ask whoever pushed it to repair '%s' on '%s'", local,
		    remote);
	}
	git_error_clear();
	git_commit_free(c);
	git_object_free(obj);
	return ret;
}

/* fold the remote's copy of one ref into ours */
static int
fold_ref(struct ctx *ctx, const char *local, const git_oid *theirs,
    const char *remote)
{
	git_reference *ref = NULL;
	git_oid ours, tip;
	char *msg = NULL;
	size_t n = 0;
	int rc, ret = -1;

	rc = git_reference_name_to_id(&ours, ctx->repo, local);
	if (rc == 0 && git_oid_equal(&ours, theirs))
		return 0;
	if ((rc == 0 || rc == GIT_ENOTFOUND) && well_formed(ctx, local,
	    theirs, rc == 0 ? &ours : NULL, remote) < 0)
		return E_REFUSED;
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		msg = xstrfmt("fetch: deployment log from %s", remote);
		if (git_reference_ensure_log(ctx->repo, local) < 0 ||
		    git_reference_create_matching(&ref, ctx->repo, local,
		    theirs, 0, NULL, msg) < 0)
			goto fail;
		ret = 0;
		goto out;
	}
	if (rc < 0)
		goto fail;
	if (git_oid_equal(&ours, theirs) ||
	    git_graph_descendant_of(ctx->repo, &ours, theirs) == 1) {
		ret = 0;	/* nothing new, or we are ahead */
		goto out;
	}
	if (git_graph_descendant_of(ctx->repo, theirs, &ours) == 1) {
		tip = *theirs;
		msg = xstrfmt("fetch: fast-forward from %s", remote);
	} else {
		if (replay(&tip, &n, ctx, local, &ours, theirs) < 0)
			goto fail;
		msg = xstrfmt("fetch: %zu entr%s replayed on top of %s", n,
		    n == 1 ? "y" : "ies", remote);
	}
	if (git_reference_ensure_log(ctx->repo, local) < 0 ||
	    git_reference_create_matching(&ref, ctx->repo, local, &tip, 1,
	    &ours, msg) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	ret = error_git(E_FATAL, "cannot merge the deployment log '%s' from "
	    "'%s'", local, remote);
out:
	git_reference_free(ref);
	free(msg);
	return ret;
}

/* a deployed-* tag the remote has and we do not: take theirs */
static int
adopt_tag(struct ctx *ctx, const char *local, const git_oid *theirs)
{
	git_reference *ref = NULL;
	git_oid ours;
	int rc;

	rc = git_reference_name_to_id(&ours, ctx->repo, local);
	if (rc == 0)
		return 0;
	git_error_clear();
	if (git_reference_create(&ref, ctx->repo, local, theirs, 0,
	    "fetch: deployed tag") < 0)
		return error_git(E_FATAL, "cannot create '%s'", local);
	git_reference_free(ref);
	return 0;
}

static int
fold_all(struct ctx *ctx, const char *remote)
{
	int bad = 0;
	char *prefix = tracking_prefix(remote), *glob;
	git_reference_iterator *it = NULL;
	struct strlist names = STRLIST_INIT;
	const char *name;
	size_t i, plen = strlen(prefix);
	int rc, ret = -1;

	glob = xstrfmt("%s*", prefix);
	if (git_reference_iterator_glob_new(&it, ctx->repo, glob) < 0) {
		ret = error_git(E_FATAL, "cannot list '%s'", prefix);
		goto out;
	}
	while ((rc = git_reference_next_name(&name, it)) == 0)
		strlist_add(&names, name);
	git_error_clear();
	for (i = 0; i < names.nr; i++) {
		const char *rest = names.items[i] + plen;
		char *local;
		git_oid theirs;

		if (git_reference_name_to_id(&theirs, ctx->repo,
		    names.items[i]) < 0) {
			git_error_clear();
			continue;
		}
		if (strncmp(rest, "tags/", 5) == 0) {
			local = xstrfmt("refs/%s", rest);
			rc = adopt_tag(ctx, local, &theirs);
		} else if (strncmp(rest, "log/", 4) == 0 ||
		    strcmp(rest, "marks") == 0) {
			local = xstrfmt(DEPLOY_REF_PREFIX "%s", rest);
			rc = fold_ref(ctx, local, &theirs, remote);
		} else
			continue;
		free(local);
		/* a malformed ref is skipped (it said so); the others fold */
		if (rc == E_REFUSED) {
			bad = rc;
			continue;
		}
		if (rc < 0) {
			ret = rc;
			goto out;
		}
	}
	ret = bad;
out:
	git_reference_iterator_free(it);
	strlist_release(&names);
	free(prefix);
	free(glob);
	return ret;
}

/* git fetch into the tracking refs; 0, or git's exit status */
static int
fetch_tracking(struct ctx *ctx, const char *remote)
{
	const char *env[] = { "GIT_TERMINAL_PROMPT=0", NULL };
	struct child c = CHILD_INIT;
	char *logs = xstrfmt("+" DEPLOY_REF_PREFIX "*:"
	    DEPLOY_TRACKING_PREFIX "%s/*", remote);
	char *tags = xstrfmt("+refs/tags/" DEPLOYED_TAG_PREFIX "*:"
	    DEPLOY_TRACKING_PREFIX "%s/tags/" DEPLOYED_TAG_PREFIX "*",
	    remote);
	const char *argv[] = { "git", "fetch", "--quiet", "--no-tags",
	    "--no-write-fetch-head", "--end-of-options", remote, logs, tags,
	    NULL };
	int rc;

	/* a killed run's push still landing: read the remote after it */
	if (push_wait_inflight(ctx) < 0) {
		free(logs);
		free(tags);
		return 1;
	}
	c.argv = argv;
	c.out_to_err = 1;
	if (!interactive())
		c.env = env;
	rc = child_run(&c);
	free(logs);
	free(tags);
	return rc;
}

/* does refs/tags/<tag> exist here? */
static int
have_tag(struct ctx *ctx, const char *tag)
{
	char *ref = xstrfmt("refs/tags/%s", tag);
	git_oid id;
	int rc = git_reference_name_to_id(&id, ctx->repo, ref);

	free(ref);
	git_error_clear();
	return rc == 0;
}

/*
 * The releases the newest entries of each environment name, that we
 * lack: a colleague deployed a tag we never fetched.  One fetch for all
 * of them; a failure says how to get each.
 */
static void
fetch_missing_tags(struct ctx *ctx, const char *remote)
{
	const char *env[] = { "GIT_TERMINAL_PROMPT=0", NULL };
	struct strlist refs = STRLIST_INIT, tags = STRLIST_INIT,
	    argv = STRLIST_INIT;
	struct child c = CHILD_INIT;
	size_t i, j, plen = strlen(DEPLOY_LOG_PREFIX);

	if (release_refs_under(&refs, ctx, DEPLOY_LOG_PREFIX) < 0)
		return;
	for (i = 0; i < refs.nr; i++) {
		struct deploy_log log = DEPLOY_LOG_INIT;
		const char *name = refs.items[i] + plen;

		if (strchr(name, '/') != NULL || *name == '\0' ||
		    deploylog_read_all(&log, ctx, name, 8) < 0) {
			deploylog_release(&log);
			continue;
		}
		for (j = 0; j < log.nr; j++)
			if (!have_tag(ctx, log.items[j].tag) &&
			    !strlist_has(&tags, log.items[j].tag))
				strlist_add(&tags, log.items[j].tag);
		deploylog_release(&log);
	}
	if (tags.nr == 0)
		goto out;
	strlist_add(&argv, "git");
	strlist_add(&argv, "fetch");
	strlist_add(&argv, "--quiet");
	strlist_add(&argv, "--no-tags");
	strlist_add(&argv, "--no-write-fetch-head");
	strlist_add(&argv, "--end-of-options");
	strlist_add(&argv, remote);
	for (i = 0; i < tags.nr; i++)
		strlist_add_nodup(&argv, xstrfmt("refs/tags/%s:refs/tags/%s",
		    tags.items[i], tags.items[i]));
	c.argv = (const char **)argv.items;
	c.out_to_err = 1;
	c.quiet_err = 1;	/* the hints below say it better */
	if (!interactive())
		c.env = env;
	if (child_run(&c) == 0)
		goto out;
	for (i = 0; i < tags.nr; i++) {
		warning("the deployment log names '%s', which neither this "
		    "repository nor '%s' has", tags.items[i], remote);
		hint("git fetch %s tag %s", remote, tags.items[i]);
	}
out:
	strlist_release(&argv);
	strlist_release(&tags);
	strlist_release(&refs);
}

int
deploylog_fetch(struct ctx *ctx)
{
	const char *remote = ctx->set.remote;
	int rc;

	if (!remote_exists(ctx, remote))
		return 0;
	if (fetch_tracking(ctx, remote) != 0) {
		warning("cannot fetch the deployment log from '%s'; using "
		    "the local copy", remote);
		return 0;
	}
	if ((rc = fold_all(ctx, remote)) < 0 && rc != E_REFUSED)
		warning("cannot merge the deployment log from '%s'; using "
		    "the local copy", remote);
	else
		fetch_missing_tags(ctx, remote);
	return 0;
}

/*
 * The local refs under refs/deploy/ the remote does not have as we last
 * saw it: what this command (or an earlier unpushed one) recorded.  A
 * ref equal to its tracking copy is not ours to push; pushing it would
 * only lose a race against colleagues who moved it on meanwhile.
 */
static void
collect_refs(struct strlist *names, struct ctx *ctx, const char *remote)
{
	git_reference_iterator *it = NULL;
	struct strbuf tracking = STRBUF_INIT;
	const char *name;
	git_oid ours, theirs;

	if (git_reference_iterator_glob_new(&it, ctx->repo,
	    DEPLOY_REF_PREFIX "*") < 0) {
		git_error_clear();
		return;
	}
	while (git_reference_next_name(&name, it) == 0) {
		strbuf_reset(&tracking);
		strbuf_addf(&tracking, DEPLOY_TRACKING_PREFIX "%s/%s", remote,
		    name + strlen(DEPLOY_REF_PREFIX));
		if (git_reference_name_to_id(&ours, ctx->repo, name) == 0 &&
		    git_reference_name_to_id(&theirs, ctx->repo,
		    tracking.buf) == 0 && git_oid_equal(&ours, &theirs))
			continue;
		strlist_add(names, name);
	}
	git_error_clear();
	git_reference_iterator_free(it);
	strbuf_release(&tracking);
}

/*
 * After a rejection: a deployed-* tag the remote already has with
 * another value is the remote's to keep; drop it from our push.
 */
static void
drop_clashing_tags(struct strlist *extra, struct ctx *ctx,
    const char *remote)
{
	size_t i, j;

	for (i = j = 0; i < extra->nr; i++) {
		char *name = extra->items[i], *tracking, *src;
		const char *colon = strchr(name, ':');
		git_oid ours, theirs;
		int clash = 0;

		/* "ref" or "ref:ref", the same tag on both sides */
		src = colon ? xstrndup(name, (size_t)(colon - name)) :
		    xstrdup(name);
		if (strncmp(src, "refs/tags/", 10) == 0 &&
		    (colon == NULL || strcmp(colon + 1, src) == 0)) {
			tracking = xstrfmt(DEPLOY_TRACKING_PREFIX "%s/%s",
			    remote, src + 5);
			if (git_reference_name_to_id(&theirs, ctx->repo,
			    tracking) == 0 &&
			    git_reference_name_to_id(&ours, ctx->repo,
			    src) == 0 && !git_oid_equal(&ours, &theirs))
				clash = 1;
			git_error_clear();
			free(tracking);
		}
		if (clash) {
			warning("'%s' already exists on '%s' with another "
			    "value; not pushing ours", src + 10, remote);
			free(src);
			free(name);
			continue;
		}
		free(src);
		extra->items[j++] = name;
	}
	extra->nr = j;
	if (extra->items != NULL)
		extra->items[j] = NULL;
}

/*
 * A rejection that fetching can cure: the remote moved on (a colleague
 * deployed meanwhile), already holds a deployed-* tag, or was busy with
 * a colleague's push (its ref locks made our atomic transaction fail).
 * A hook that declines, or an unreachable remote, will say the same
 * again.
 */
static int
worth_retrying(const char *why)
{
	static const char *const curable[] = {
		"(fetch first)", "(non-fast-forward)", "(already exists)",
		"(atomic transaction failed)", "(failed to lock)",
		"(failed to update ref)", "(incorrect old value provided)",
		"cannot lock ref", "Unable to create", NULL,
	};
	size_t i;

	for (i = 0; curable[i] != NULL; i++)
		if (strstr(why, curable[i]) != NULL)
			return 1;
	return 0;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Sleep a random time in [delay/2, delay] ("equal jitter"), so that
 * colleagues rejected together do not come back together, never past
 * the deadline; then double delay up to BACKOFF_MAX_MS.
 */
static void
backoff(long long *delay, long long deadline, unsigned *seed)
{
	long long ms = *delay / 2 + rand_r(seed) % (*delay / 2 + 1);
	long long left = deadline - now_ms();
	struct timespec ts;

	if (ms > left)
		ms = left > 0 ? left : 0;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	*delay = *delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : *delay * 2;
}

int
deploylog_push(struct ctx *ctx, const char *const *extra_refspecs)
{
	const char *remote = ctx->set.remote;
	struct strlist extra = STRLIST_INIT, names = STRLIST_INIT;
	struct push_ref *refs = NULL;
	struct strbuf why = STRBUF_INIT;
	long long timeout, deadline, delay = BACKOFF_FIRST_MS;
	unsigned seed = (unsigned)getpid() ^ (unsigned)now_ms();
	int attempt, rc, ret = -1;
	size_t i, n;

	if (!remote_exists(ctx, remote))
		return error("remote '%s' does not exist; nothing pushed",
		    remote);
	timeout = ctx->set.push_timeout;
	deadline = now_ms() + timeout * 1000;
	for (i = 0; extra_refspecs != NULL && extra_refspecs[i] != NULL; i++)
		strlist_add(&extra, extra_refspecs[i]);
	for (attempt = 1;; attempt++) {
		strlist_release(&names);
		collect_refs(&names, ctx, remote);
		for (i = 0; i < extra.nr; i++)
			strlist_add(&names, extra.items[i]);
		free(refs);
		refs = xcalloc(names.nr ? names.nr : 1, sizeof(*refs));
		for (i = n = 0; i < names.nr; i++) {
			char *colon = strchr(names.items[i], ':');

			if (colon != NULL)
				*colon = '\0';
			refs[n].src = names.items[i];
			refs[n].dst = colon ? colon + 1 : names.items[i];
			n++;
		}
		strbuf_reset(&why);
		rc = push_refs_flags(ctx, remote, refs, n, PUSH_QUIET_REJECT,
		    &why);
		if (rc == 0) {
			if (attempt > 1)
				info("pushed the deployment log to '%s' "
				    "(attempt %d)", remote, attempt);
			else
				info("pushed the deployment log to '%s'",
				    remote);
			ret = 0;
			goto out;
		}
		if (!worth_retrying(why.buf) || now_ms() >= deadline) {
			if (why.len)
				error("push to '%s' was rejected: %s", remote,
				    why.buf);
			if (worth_retrying(why.buf))
				hint("gave up after %d attempts in %lld s "
				    "(release.pushTimeout)", attempt,
				    timeout);
			ret = rc;
			goto out;
		}
		if (attempt == 1)
			info("the deployment log on '%s' moved or was busy; "
			    "fetching and replaying ours on top", remote);
		backoff(&delay, deadline, &seed);
		if (fetch_tracking(ctx, remote) != 0) {
			/* a fetch can lose the same race: try again */
			if (now_ms() < deadline)
				continue;
			ret = error("cannot fetch the deployment log from "
			    "'%s'", remote);
			goto out;
		}
		if ((rc = fold_all(ctx, remote)) < 0) {
			ret = rc;
			goto out;
		}
		drop_clashing_tags(&extra, ctx, remote);
	}
out:
	if (ret < 0)
		hint("the entry is recorded locally; push it later with "
		    "\"git push %s 'refs/deploy/*:refs/deploy/*'\"", remote);
	free(refs);
	strlist_release(&names);
	strlist_release(&extra);
	strbuf_release(&why);
	return ret;
}

int
deploylog_push_plan(struct ctx *ctx, const char *const *extra)
{
	struct strlist names = STRLIST_INIT;
	struct push_ref *refs;
	size_t i;
	int rc;

	collect_refs(&names, ctx, ctx->set.remote);
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		if (!strlist_has(&names, extra[i]))
			strlist_add(&names, extra[i]);
	refs = xcalloc(names.nr ? names.nr : 1, sizeof(*refs));
	for (i = 0; i < names.nr; i++)
		refs[i].src = refs[i].dst = names.items[i];
	rc = push_refs(ctx, ctx->set.remote, refs, names.nr, 1, NULL);
	free(refs);
	strlist_release(&names);
	return rc;
}

int
deploylog_add_missing_tag(struct strlist *refs, struct ctx *ctx,
    const char *tag)
{
	char *ref = xstrfmt("refs/tags/%s", tag);
	git_oid id;
	int found = 1;

	if (remote_ref(&id, &found, ctx, ctx->set.remote, ref) < 0) {
		git_error_clear();
		found = 1;
	}
	if (!found && !strlist_has(refs, ref))
		strlist_add_nodup(refs, ref);
	else
		free(ref);
	return 0;
}
