/*
 * What the metrics need from the repository, read once: the log of one
 * environment, the marks, the Hotfix: trailer of each release tag
 * deployed, and for each deploy the commits it brought to the
 * environment first, with their committer dates.
 *
 * "First" is a walk from the deployed commit that stops at the commits
 * the environment already had: each component keeps the set of every
 * commit its deploys and rollbacks brought, so over the whole log each
 * commit is read once (the first entry reads its whole history).
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "component.h"
#include "metrics.h"
#include "release.h"
#include "banned.h"

/* --- what each deployed tag says: marked bad, hotfix of what --- */

struct tag_info {
	const char	*tag;	/* borrowed from the log entry or release list */
	int		 read;	/* bad and hotfix_base are known */
	int		 listed; /* a release of the list: target known */
	int		 annotated;
	git_oid		 target;
	int		 bad;
	char		*hotfix_base;
};

struct tag_cache {
	struct tag_info	*slots;
	size_t		 size, nr;	/* size a power of two */
};

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct tag_info *
cache_slot(struct tag_cache *c, const char *tag)
{
	size_t i = hash_str(tag) & (c->size - 1);

	while (c->slots[i].tag != NULL && strcmp(c->slots[i].tag, tag) != 0)
		i = (i + 1) & (c->size - 1);
	return &c->slots[i];
}

static void
cache_grow(struct tag_cache *c)
{
	struct tag_cache n;
	size_t i;

	n.size = c->size ? c->size * 2 : 64;
	n.nr = c->nr;
	n.slots = xcalloc(n.size, sizeof(*n.slots));
	for (i = 0; i < c->size; i++)
		if (c->slots[i].tag != NULL)
			*cache_slot(&n, c->slots[i].tag) = c->slots[i];
	free(c->slots);
	*c = n;
}

static void
cache_release(struct tag_cache *c)
{
	size_t i;

	for (i = 0; i < c->size; i++)
		free(c->slots[i].hotfix_base);
	free(c->slots);
}

/* the value of the annotation's "Hotfix: <base>" line, or NULL */
static char *
hotfix_trailer(const char *msg)
{
	const char *line, *nl;

	for (line = msg; line != NULL && *line != '\0'; line = nl) {
		nl = strchr(line, '\n');
		if (strncmp(line, "Hotfix: ", 8) == 0) {
			const char *v = line + 8;
			size_t len = nl ? (size_t)(nl - v) : strlen(v);

			while (len > 0 && (v[len - 1] == ' ' ||
			    v[len - 1] == '\r'))
				len--;
			return len ? xstrndup(v, len) : NULL;
		}
		if (nl != NULL)
			nl++;
	}
	return NULL;
}

static struct tag_info *
cache_add(struct tag_cache *c, const char *tag)
{
	struct tag_info *ti;

	if (c->size == 0 || 2 * (c->nr + 1) > c->size)
		cache_grow(c);
	ti = cache_slot(c, tag);
	if (ti->tag == NULL) {
		ti->tag = tag;
		c->nr++;
	}
	return ti;
}

/*
 * The releases of the list, known without a ref lookup (a stat) each;
 * another component's tag is looked up when deployed.
 */
static void
cache_fill(struct tag_cache *c, const struct release_list *rl)
{
	size_t i;

	for (i = 0; i < rl->nr; i++) {
		struct tag_info *ti = cache_add(c, rl->items[i].tag);

		ti->listed = 1;
		ti->annotated = rl->items[i].annotated;
		git_oid_cpy(&ti->target, &rl->items[i].target);
	}
}

static const struct tag_info *
tag_info(struct tag_cache *c, struct ctx *ctx, const struct marks *marks,
    const char *tag)
{
	struct tag_info *ti = cache_add(c, tag);
	git_object *obj = NULL;

	if (ti->read)
		return ti;
	ti->read = 1;
	ti->bad = marks->nr && marks_reason(marks, tag) != NULL;
	if (!ti->listed) {
		char *ref = xstrfmt("refs/tags/%s", tag);

		ti->annotated = git_reference_name_to_id(&ti->target,
		    ctx->repo, ref) == 0;
		free(ref);
	}
	/* a tag deleted since, or lightweight: no trailer to read */
	if (ti->annotated && git_object_lookup(&obj, ctx->repo, &ti->target,
	    GIT_OBJECT_ANY) == 0 && git_object_type(obj) == GIT_OBJECT_TAG)
		ti->hotfix_base = hotfix_trailer(
		    git_tag_message((git_tag *)obj));
	git_error_clear();
	git_object_free(obj);
	return ti;
}

/* --- what each component's environment already had --- */

/* a set of commit ids: open addressing on the id's first bytes */
struct oidset {
	git_oid	*slots;
	char	*used;
	size_t	 size, nr;
};

static size_t
oid_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static void oidset_grow(struct oidset *set);

/* add id; 1 when it was already there */
static int
oidset_insert(struct oidset *set, const git_oid *id)
{
	size_t i;

	if (2 * (set->nr + 1) > set->size)
		oidset_grow(set);
	for (i = oid_hash(id) & (set->size - 1); set->used[i];
	    i = (i + 1) & (set->size - 1))
		if (git_oid_equal(&set->slots[i], id))
			return 1;
	set->used[i] = 1;
	git_oid_cpy(&set->slots[i], id);
	set->nr++;
	return 0;
}

static int
oidset_contains(const struct oidset *set, const git_oid *id)
{
	size_t i;

	if (set->size == 0)
		return 0;
	for (i = oid_hash(id) & (set->size - 1); set->used[i];
	    i = (i + 1) & (set->size - 1))
		if (git_oid_equal(&set->slots[i], id))
			return 1;
	return 0;
}

static void
oidset_grow(struct oidset *set)
{
	struct oidset n;
	size_t i;

	n.size = set->size ? set->size * 2 : 1024;
	n.nr = 0;
	n.slots = xreallocarray(NULL, n.size, sizeof(*n.slots));
	n.used = xcalloc(n.size, 1);
	for (i = 0; i < set->size; i++)
		if (set->used[i])
			oidset_insert(&n, &set->slots[i]);
	free(set->slots);
	free(set->used);
	*set = n;
}

static void
oidset_release(struct oidset *set)
{
	free(set->slots);
	free(set->used);
	memset(set, 0, sizeof(*set));
}

struct stream {
	const char	*component;	/* borrowed */
	int		 started;
	struct oidset	 reached;	/* every commit the environment had */
};

struct walk {
	struct stream	*streams;
	size_t		 nr, alloc;
	git_oid		*stack;
	size_t		 stack_nr, stack_alloc;
	int64_t		*lead;
	size_t		 lead_nr, lead_alloc;
	int		 warned;
};

static struct stream *
stream_of(struct walk *w, const char *component)
{
	size_t i;

	for (i = 0; i < w->nr; i++) {
		const char *c = w->streams[i].component;

		if (c == component || (c && component &&
		    strcmp(c, component) == 0))
			return &w->streams[i];
	}
	ALLOC_GROW(w->streams, w->nr, w->alloc);
	memset(&w->streams[w->nr], 0, sizeof(struct stream));
	w->streams[w->nr].component = component;
	return &w->streams[w->nr++];
}

static int
missing(struct walk *w, const struct deploy_entry *e)
{
	if (!w->warned)
		warning("commit %s of %s is not in this repository: its "
		    "lead times are not counted", git_oid_tostr_s(&e->commit),
		    e->tag);
	w->warned = 1;
	git_error_clear();
	return 0;
}

/*
 * The commits e brings to its component's environment first, those
 * of its history not yet reached: their lead times into w->lead
 * (deploys only, merges left out, not for the component's first entry,
 * which only sets where the environment stands).
 */
static int
walk_entry(struct walk *w, struct ctx *ctx, const struct deploy_entry *e,
    const char *component)
{
	struct stream *s = stream_of(w, component);
	int count = s->started && e->kind == DEPLOY_KIND_DEPLOY;
	git_commit *c = NULL;

	w->lead_nr = 0;
	if (oidset_contains(&s->reached, &e->commit))
		return 0;
	if (git_commit_lookup(&c, ctx->repo, &e->commit) < 0)
		return missing(w, e);
	s->started = 1;
	w->stack_nr = 0;
	ALLOC_GROW(w->stack, w->stack_nr, w->stack_alloc);
	git_oid_cpy(&w->stack[w->stack_nr++], &e->commit);
	while (w->stack_nr > 0) {
		git_oid id = w->stack[--w->stack_nr];
		unsigned int p, np;

		if (oidset_insert(&s->reached, &id))
			continue;
		if (c == NULL && git_commit_lookup(&c, ctx->repo, &id) < 0)
			return error_git(E_FATAL, "cannot read commit %s",
			    git_oid_tostr_s(&id));
		np = git_commit_parentcount(c);
		if (count && np <= 1) {
			ALLOC_GROW(w->lead, w->lead_nr, w->lead_alloc);
			w->lead[w->lead_nr++] = e->time - git_commit_time(c);
		}
		for (p = 0; p < np; p++) {
			const git_oid *pid = git_commit_parent_id(c, p);

			if (oidset_contains(&s->reached, pid))
				continue;
			ALLOC_GROW(w->stack, w->stack_nr, w->stack_alloc);
			git_oid_cpy(&w->stack[w->stack_nr++], pid);
		}
		git_commit_free(c);
		c = NULL;
	}
	return 0;
}

static void
walk_release(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->nr; i++)
		oidset_release(&w->streams[i].reached);
	free(w->streams);
	free(w->stack);
	free(w->lead);
}

/*
 * The component an entry counts for: its Component field, else the
 * declared component whose prefix its tag carries (entries written
 * before the field), else the default one (NULL).
 */
static const char *
entry_component(const struct ctx *ctx, const struct deploy_entry *e)
{
	const struct component *c;

	if (e->component != NULL)
		return e->component;
	c = component_for_tag(&ctx->set.components, e->tag);
	return c ? c->name : NULL;
}

int
metrics_load(struct metrics_events *out, struct ctx *ctx, const char *env)
{
	struct deploy_log log = DEPLOY_LOG_INIT;
	struct marks marks = MARKS_INIT;
	struct release_list rl = RELEASE_LIST_INIT;
	struct tag_cache cache = { NULL, 0, 0 };
	struct walk w;
	size_t i;
	int ret = -1;

	memset(&w, 0, sizeof(w));
	if ((ret = deploylog_read_all(&log, ctx, env, 0)) < 0 ||
	    (ret = marks_load(&marks, ctx)) < 0 ||
	    (ret = release_list_load(&rl, ctx)) < 0)
		goto out;
	cache_fill(&cache, &rl);
	/* the log is newest first: the metrics go forwards in time */
	for (i = log.nr; i-- > 0;) {
		const struct deploy_entry *e = &log.items[i];
		const struct tag_info *ti;
		struct metrics_event ev;

		if (ctx->set.component != NULL &&
		    !component_owns_entry(ctx, e->tag, e->component))
			continue;
		/* a hold deploys nothing */
		if (!deploy_entry_is_deployment(e))
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.time = e->time;
		ev.kind = e->kind;
		ev.status = e->status;
		ev.component = (char *)entry_component(ctx, e);
		ev.tag = e->tag;
		ev.from = e->from;
		git_oid_tostr(ev.commit, sizeof(ev.commit), &e->commit);
		if (e->status == DEPLOY_STATUS_SUCCEEDED) {
			ti = tag_info(&cache, ctx, &marks, e->tag);
			ev.bad = ti->bad;
			ev.hotfix_base = ti->hotfix_base;
			if ((ret = walk_entry(&w, ctx, e, ev.component)) < 0)
				goto out;
			ev.lead = w.lead;
			ev.lead_nr = w.lead_nr;
		}
		metrics_events_add(out, &ev);
	}
	ret = 0;
out:
	walk_release(&w);
	cache_release(&cache);
	release_list_release(&rl);
	marks_release(&marks);
	deploylog_release(&log);
	return ret;
}
