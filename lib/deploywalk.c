/*
 * Questions about a long deployment log answered without reading all of
 * it: a walk from the newest entry that stops at the first one it needs,
 * and for "was this version ever deployed here?" the deployed-<tag> tag
 * (production) or a small cache beside the log.
 *
 * The cache, <common dir>/deploy-cache/<env>, holds the versions found
 * in the log up to one entry commit.  Commits never change, so the set
 * is a fact about that commit: when the log has grown, only the newer
 * entries are read and the set extended; when the commit is not in the
 * log any more (it was replayed onto a colleague's), the log is read
 * whole and the cache rebuilt.  It is never trusted over the log: a
 * missing, unreadable or foreign cache is the same as none.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "component.h"
#include "deploylog.h"
#include "banned.h"

#define CACHE_DIR	"deploy-cache"
#define CACHE_MAGIC	"deploy-cache 2"
/* a hold or unhold entry's line: no tag starts with ":" */
#define CACHE_HOLD	":hold "
/* shorter walks are cheaper than the file: no cache below this */
#define CACHE_MIN_ENTRIES	1000

/*
 * The parent and the message of a log commit from its raw bytes: a walk
 * over a whole long log then holds one object at a time, where parsed
 * commits would all stay in libgit2's cache.
 */
static int
split_commit(int *has_parent, git_oid *parent, struct strbuf *msg,
    const char *data, size_t len)
{
	const char *p = data, *end = data + len, *eol;

	*has_parent = 0;
	strbuf_reset(msg);
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			return -1;
		if (eol == p) {		/* the blank line: the message follows */
			strbuf_add(msg, eol + 1, (size_t)(end - eol - 1));
			return 0;
		}
		if (!*has_parent && eol - p == 7 + GIT_OID_HEXSZ &&
		    strncmp(p, "parent ", 7) == 0) {
			char hex[GIT_OID_HEXSZ + 1];

			memcpy(hex, p + 7, GIT_OID_HEXSZ);
			hex[GIT_OID_HEXSZ] = '\0';
			if (git_oid_fromstr(parent, hex) < 0)
				return -1;
			*has_parent = 1;
		}
		p = eol + 1;
	}
	return -1;
}

int
deploylog_walk(struct ctx *ctx, const char *env, deploylog_walk_fn fn,
    void *payload)
{
	struct strbuf msg = STRBUF_INIT;
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	char *refname = NULL;
	git_oid id;
	int rc, ret = -1, more, caching = 0;

	if ((rc = deploy_env_check(env)) < 0)
		return rc;
	refname = xstrfmt(DEPLOY_LOG_PREFIX "%s", env);
	rc = git_reference_name_to_id(&id, ctx->repo, refname);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		ret = 0;
		goto out;
	}
	if (rc < 0 || git_repository_odb(&odb, ctx->repo) < 0)
		goto fail;
	for (more = 1; more; ) {
		struct deploy_entry e;

		if (git_odb_read(&obj, odb, &id) < 0 ||
		    git_odb_object_type(obj) != GIT_OBJECT_COMMIT ||
		    split_commit(&more, &id, &msg, git_odb_object_data(obj),
		    git_odb_object_size(obj)) < 0)
			goto fail;
		if (deploy_entry_parse(&e, msg.buf) == 0) {
			e.id = *git_odb_object_id(obj);
			rc = fn(&e, payload);
			deploy_entry_release(&e);
			if (rc != 0) {
				ret = rc < 0 ? rc : 0;
				goto out;
			}
		} else
			warning("skipping malformed deployment log entry %s "
			    "in '%s'", git_oid_tostr_s(git_odb_object_id(obj)),
			    refname);
		git_odb_object_free(obj);
		obj = NULL;
		/* a long walk: what it read is not read again, do not keep it */
		if (!caching++)
			git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	}
	ret = 0;
	goto out;
fail:
	ret = error_git(E_FATAL, "cannot read '%s'", refname);
out:
	if (caching)
		git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	git_odb_object_free(obj);
	git_odb_free(odb);
	strbuf_release(&msg);
	free(refname);
	return ret;
}

/* --- every entry, merged --- */

/* one environment's log, read one entry ahead */
struct cursor {
	char		*refname;
	git_oid		 next;
	int		 more;		/* next is to be read */
	int		 have;		/* e is the entry to give next */
	struct deploy_entry e;
};

/* the next entry of c that counts, or none (c->have 0) */
static int
cursor_advance(struct cursor *c, struct ctx *ctx, git_odb *odb, int mine,
    struct strbuf *msg)
{
	git_odb_object *obj = NULL;
	git_oid id;

	if (c->have)
		deploy_entry_release(&c->e);
	c->have = 0;
	while (c->more) {
		id = c->next;
		if (git_odb_read(&obj, odb, &id) < 0 ||
		    git_odb_object_type(obj) != GIT_OBJECT_COMMIT ||
		    split_commit(&c->more, &c->next, msg,
		    git_odb_object_data(obj), git_odb_object_size(obj)) < 0) {
			git_odb_object_free(obj);
			return error_git(E_FATAL, "cannot read '%s'",
			    c->refname);
		}
		git_odb_object_free(obj);
		if (deploy_entry_parse(&c->e, msg->buf) < 0) {
			warning("skipping malformed deployment log entry %s "
			    "in '%s'", git_oid_tostr_s(&id), c->refname);
			continue;
		}
		if (mine && !component_owns_entry(ctx, c->e.tag,
		    c->e.component)) {
			deploy_entry_release(&c->e);
			continue;
		}
		c->e.id = id;
		c->have = 1;
		break;
	}
	return 0;
}

static int
cursor_start(struct cursor *c, struct ctx *ctx, const char *refname)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->refname = xstrdup(refname);
	rc = git_reference_name_to_id(&c->next, ctx->repo, refname);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return error_git(E_FATAL, "cannot read '%s'", refname);
	c->more = 1;
	return 0;
}

int
deploylog_walk_merged(struct ctx *ctx, const char *env, int mine,
    deploylog_walk_fn fn, void *payload)
{
	struct strbuf msg = STRBUF_INIT;
	git_reference_iterator *it = NULL;
	struct cursor *cs = NULL;
	git_odb *odb = NULL;
	size_t n = 0, alloc = 0, i, given = 0;
	const char *name;
	int rc, ret = -1, caching = 0;

	if (env != NULL) {
		char *ref;

		if ((rc = deploy_env_check(env)) < 0)
			return rc;
		ref = xstrfmt(DEPLOY_LOG_PREFIX "%s", env);
		ALLOC_GROW(cs, n, alloc);
		rc = cursor_start(&cs[n++], ctx, ref);
		free(ref);
		if (rc < 0) {
			ret = rc;
			goto out;
		}
	} else {
		if (git_reference_iterator_glob_new(&it, ctx->repo,
		    DEPLOY_LOG_PREFIX "*") < 0) {
			ret = error_git(E_FATAL,
			    "cannot list the deployment logs");
			goto out;
		}
		while ((rc = git_reference_next_name(&name, it)) == 0) {
			if (strchr(name + strlen(DEPLOY_LOG_PREFIX), '/'))
				continue;
			ALLOC_GROW(cs, n, alloc);
			if ((rc = cursor_start(&cs[n++], ctx, name)) < 0) {
				ret = rc;
				goto out;
			}
		}
		if (rc != GIT_ITEROVER) {
			ret = error_git(E_FATAL,
			    "cannot list the deployment logs");
			goto out;
		}
		git_error_clear();
	}
	if (git_repository_odb(&odb, ctx->repo) < 0) {
		ret = error_git(E_FATAL, "cannot read the deployment logs");
		goto out;
	}
	for (i = 0; i < n; i++)
		if ((rc = cursor_advance(&cs[i], ctx, odb, mine, &msg)) < 0) {
			ret = rc;
			goto out;
		}
	for (;;) {
		size_t best = n;

		/* the newest by time; on a tie the first log, as merge_logs */
		for (i = 0; i < n; i++)
			if (cs[i].have && (best == n ||
			    cs[i].e.time > cs[best].e.time))
				best = i;
		if (best == n)
			break;
		if ((rc = fn(&cs[best].e, payload)) != 0) {
			ret = rc < 0 ? rc : 0;
			goto out;
		}
		/* a long walk: what it read is not read again, do not keep it */
		if (given++ == 0 && !caching++)
			git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
		if ((rc = cursor_advance(&cs[best], ctx, odb, mine, &msg)) < 0) {
			ret = rc;
			goto out;
		}
	}
	ret = 0;
out:
	if (caching)
		git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	for (i = 0; i < n; i++) {
		if (cs[i].have)
			deploy_entry_release(&cs[i].e);
		free(cs[i].refname);
	}
	free(cs);
	git_odb_free(odb);
	git_reference_iterator_free(it);
	strbuf_release(&msg);
	return ret;
}

/* --- ever deployed --- */

struct cache {
	git_oid		 tip;		/* the entry commit the set is for */
	int		 valid;
	struct strlist	 tags;		/* sorted, unique */
	struct strlist	 holds;		/* hold and unhold entries, newest first */
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * An entry is "<tag>" or, when it names its component, "<tag>
 * <component>": sorted, the lines of one tag are side by side (a space
 * sorts before every character a tag can go on with).
 */
static char *
entry_key(const struct deploy_entry *e)
{
	if (e->component != NULL)
		return xstrfmt("%s %s", e->tag, e->component);
	return xstrdup(e->tag);
}

/* the same question as owns() below, of the cached lines */
static int
cache_has(const struct ctx *ctx, const struct cache *c, const char *tag)
{
	size_t lo = 0, hi = c->tags.nr, len = strlen(tag);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(c->tags.items[mid], tag) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->tags.nr; lo++) {
		const char *k = c->tags.items[lo];

		if (strncmp(k, tag, len) != 0 || (k[len] != '\0' &&
		    k[len] != ' '))
			break;
		if (component_owns_entry(ctx, tag, k[len] ? k + len + 1 :
		    NULL))
			return 1;
	}
	return 0;
}

static char *
cache_path(struct ctx *ctx, const char *env)
{
	return xstrfmt("%s" CACHE_DIR "/%s",
	    git_repository_commondir(ctx->repo), env);
}

/* the cache of env, or none (c->valid 0) when missing or not ours */
static void
cache_read(struct cache *c, struct ctx *ctx, const char *env)
{
	struct strbuf text = STRBUF_INIT;
	char *path = cache_path(ctx, env), *p, *eol;
	int n = 0, ok = 1;

	memset(c, 0, sizeof(*c));
	if (strbuf_read_file(&text, path) < 0)
		goto out;
	for (p = text.buf; ok && *p != '\0'; p = eol + 1, n++) {
		if ((eol = strchr(p, '\n')) == NULL) {
			ok = 0;		/* cut short: not ours */
			break;
		}
		*eol = '\0';
		if (n == 0)
			ok = strcmp(p, CACHE_MAGIC) == 0;
		else if (n == 1)
			ok = strncmp(p, "log ", 4) == 0 &&
			    strlen(p) == 4 + GIT_OID_HEXSZ &&
			    git_oid_fromstr(&c->tip, p + 4) == 0;
		else if (strncmp(p, CACHE_HOLD, strlen(CACHE_HOLD)) == 0)
			strlist_add(&c->holds, p + strlen(CACHE_HOLD));
		else if (*p != '\0')
			strlist_add(&c->tags, p);
	}
	git_error_clear();
	if (ok && n >= 2) {
		qsort(c->tags.items, c->tags.nr, sizeof(char *), cmp_str);
		c->valid = 1;
	} else {
		strlist_release(&c->tags);
		strlist_release(&c->holds);
	}
out:
	strbuf_release(&text);
	free(path);
}

/* whole or not at all, and silent (write_cache_file) */
static void
cache_write(struct ctx *ctx, const char *env, const git_oid *tip,
    struct strlist *tags, const struct strlist *holds)
{
	struct strbuf text = STRBUF_INIT;
	char *dir = xstrfmt("%s" CACHE_DIR,
	    git_repository_commondir(ctx->repo));
	char *path = cache_path(ctx, env);
	size_t i;

	qsort(tags->items, tags->nr, sizeof(char *), cmp_str);
	strbuf_addf(&text, CACHE_MAGIC "\nlog %s\n", git_oid_tostr_s(tip));
	for (i = 0; i < tags->nr; i++)
		if (i == 0 || strcmp(tags->items[i], tags->items[i - 1]) != 0)
			strbuf_addf(&text, "%s\n", tags->items[i]);
	for (i = 0; i < holds->nr; i++)
		strbuf_addf(&text, CACHE_HOLD "%s\n", holds->items[i]);
	if (mkdir(dir, 0777) == 0 || errno == EEXIST)
		(void)write_cache_file(path, text.buf, text.len);
	strbuf_release(&text);
	free(dir);
	free(path);
}

struct ever {
	const struct ctx *ctx;
	const char	*tag;
	const struct cache *cache;
	git_oid		 tip;		/* the newest entry */
	size_t		 walked;
	int		 found;
	int		 reached;	/* the walk came to the cached entry */
	int		 stopped;	/* at the version looked for */
	struct strlist	 seen;		/* versions of the entries before */
	struct strlist	 holds;		/* hold and unhold entries before */
};

static int
ever_one(const struct deploy_entry *e, void *payload)
{
	struct ever *w = payload;

	if (w->walked++ == 0)
		w->tip = e->id;
	if (w->cache->valid && git_oid_equal(&e->id, &w->cache->tip)) {
		w->found = cache_has(w->ctx, w->cache, w->tag);
		w->reached = 1;
		return 1;
	}
	if (e->kind == DEPLOY_KIND_HOLD || e->kind == DEPLOY_KIND_UNHOLD)
		strlist_add(&w->holds, git_oid_tostr_s(&e->id));
	/* an attempt that did not succeed, or a hold, deployed nothing */
	if (!deploy_entry_in_effect(e))
		return 0;
	strlist_add_nodup(&w->seen, entry_key(e));
	if (!w->found && strcmp(e->tag, w->tag) == 0 &&
	    component_owns_entry(w->ctx, e->tag, e->component)) {
		w->found = 1;
		/* found deep in a long log without a cache: read on, make one */
		if (w->cache->valid || w->walked < CACHE_MIN_ENTRIES) {
			w->stopped = 1;
			return 1;
		}
	}
	return 0;
}

/* is there a tag deployed-<tag>?  made by the first production deploy */
static int
has_deployed_tag(struct ctx *ctx, const char *tag)
{
	char *name = xstrfmt("refs/tags/" DEPLOYED_TAG_PREFIX "%s", tag);
	git_oid id;
	int rc = git_reference_name_to_id(&id, ctx->repo, name);

	free(name);
	git_error_clear();
	return rc == 0;
}

int
deploy_ever_deployed(int *out, struct ctx *ctx, const char *env,
    const char *tag)
{
	struct cache cache;
	struct ever w;
	size_t i;
	int rc, complete;

	*out = 0;
	if (strcmp(env, DEFAULT_ENV) == 0 && has_deployed_tag(ctx, tag)) {
		*out = 1;
		return 0;
	}
	cache_read(&cache, ctx, env);
	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.tag = tag;
	w.cache = &cache;
	if ((rc = deploylog_walk(ctx, env, ever_one, &w)) < 0)
		goto out;
	*out = w.found;
	/*
	 * Keep what the walk learnt when it read every entry newer than
	 * the cached one, or the whole log (a long one): never in a dry
	 * run.
	 */
	complete = !w.reached && !w.stopped;
	if (ctx->read_only || (w.reached && w.walked < 2) ||
	    (complete && w.walked < CACHE_MIN_ENTRIES) ||
	    (!w.reached && !complete))
		goto out;
	for (i = 0; w.reached && i < cache.tags.nr; i++)
		strlist_add(&w.seen, cache.tags.items[i]);
	for (i = 0; w.reached && i < cache.holds.nr; i++)
		strlist_add(&w.holds, cache.holds.items[i]);
	cache_write(ctx, env, &w.tip, &w.seen, &w.holds);
out:
	strlist_release(&w.seen);
	strlist_release(&w.holds);
	strlist_release(&cache.tags);
	strlist_release(&cache.holds);
	return rc;
}

/* --- holds --- */

struct holds_walk {
	struct ever	 ever;		/* what a whole walk learns, for the cache */
	deploylog_walk_fn fn;
	void		*payload;
	int		 done;		/* fn stopped the walk */
};

static int
holds_one(const struct deploy_entry *e, void *payload)
{
	struct holds_walk *w = payload;
	int rc;

	if (w->ever.cache->valid && git_oid_equal(&e->id,
	    &w->ever.cache->tip)) {
		w->ever.reached = 1;
		return 1;
	}
	(void)ever_one(e, &w->ever);	/* never stops: tag is "" */
	if (e->kind != DEPLOY_KIND_HOLD && e->kind != DEPLOY_KIND_UNHOLD)
		return 0;
	if ((rc = w->fn(e, w->payload)) != 0) {
		w->done = 1;
		return rc < 0 ? rc : 1;
	}
	return 0;
}

int
deploylog_walk_holds(struct ctx *ctx, const char *env, deploylog_walk_fn fn,
    void *payload)
{
	struct strbuf msg = STRBUF_INIT;
	struct cache cache;
	struct holds_walk w;
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	size_t i;
	int rc, more;

	cache_read(&cache, ctx, env);
	memset(&w, 0, sizeof(w));
	w.ever.ctx = ctx;
	w.ever.tag = "";
	w.ever.cache = &cache;
	w.fn = fn;
	w.payload = payload;
	if ((rc = deploylog_walk(ctx, env, holds_one, &w)) < 0 || w.done)
		goto out;
	if (w.ever.reached) {
		/* older than the cached entry: only its holds are read */
		if ((rc = git_repository_odb(&odb, ctx->repo)) < 0) {
			rc = error_git(E_FATAL, "cannot read the log of '%s'",
			    env);
			goto out;
		}
		for (i = 0; !w.done && i < cache.holds.nr; i++) {
			struct deploy_entry e;
			git_oid id, parent;

			if (git_oid_fromstr(&id, cache.holds.items[i]) < 0 ||
			    git_odb_read(&obj, odb, &id) < 0 ||
			    split_commit(&more, &parent, &msg,
			    git_odb_object_data(obj),
			    git_odb_object_size(obj)) < 0 ||
			    deploy_entry_parse(&e, msg.buf) < 0) {
				/* not what it said: the log decides */
				git_odb_object_free(obj);
				obj = NULL;
				git_error_clear();
				strlist_release(&cache.tags);
				strlist_release(&cache.holds);
				memset(&cache, 0, sizeof(cache));
				strlist_release(&w.ever.seen);
				strlist_release(&w.ever.holds);
				memset(&w.ever, 0, sizeof(w.ever));
				w.ever.ctx = ctx;
				w.ever.tag = "";
				w.ever.cache = &cache;
				rc = deploylog_walk(ctx, env, holds_one, &w);
				goto out;
			}
			git_odb_object_free(obj);
			obj = NULL;
			e.id = id;
			rc = fn(&e, payload);
			deploy_entry_release(&e);
			if (rc != 0) {
				w.done = 1;
				rc = rc < 0 ? rc : 0;
			}
		}
		goto out;
	}
	/* the whole log read without a cache: keep what it found */
	if (!ctx->read_only && w.ever.walked >= CACHE_MIN_ENTRIES)
		cache_write(ctx, env, &w.ever.tip, &w.ever.seen,
		    &w.ever.holds);
out:
	git_odb_object_free(obj);
	git_odb_free(odb);
	strbuf_release(&msg);
	strlist_release(&w.ever.seen);
	strlist_release(&w.ever.holds);
	strlist_release(&cache.tags);
	strlist_release(&cache.holds);
	return rc < 0 ? rc : 0;
}
