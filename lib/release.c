/*
 * Release tags: names as users type them, lookups, and the newest
 * release a commit contains, found with one history walk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "release.h"
#include "banned.h"

#define TAGS_PREFIX	"refs/tags/"

/*
 * The prefix's last path component, for a monorepo prefix "api/v": a
 * user may type "v1.2.3" as well as "api/v1.2.3" or "1.2.3".
 */
static const char *
prefix_tail(const char *prefix)
{
	const char *slash = strrchr(prefix, '/');

	return slash != NULL ? slash + 1 : prefix;
}

int
release_tag_name(struct strbuf *out, struct ctx *ctx, const char *name)
{
	const char *prefix = ctx->set.tag_prefix, *tail;
	struct semver v;
	size_t plen = strlen(prefix), tlen;

	strbuf_reset(out);
	if (strncmp(name, TAGS_PREFIX, strlen(TAGS_PREFIX)) == 0)
		name += strlen(TAGS_PREFIX);
	if (plen > 0 && strncmp(name, prefix, plen) == 0 &&
	    semver_parse(&v, name + plen) == 0) {
		strbuf_addstr(out, name);
		return 0;
	}
	tail = prefix_tail(prefix);
	tlen = strlen(tail);
	if (tlen > 0 && tlen < plen && strncmp(name, tail, tlen) == 0 &&
	    semver_parse(&v, name + tlen) == 0) {
		strbuf_addf(out, "%.*s%s", (int)(plen - tlen), prefix, name);
		return 0;
	}
	if (semver_parse(&v, name) == 0) {
		strbuf_addf(out, "%s%s", prefix, name);
		return 0;
	}
	return error_fatal("'%s' is not a valid version", name);
}

static const struct release *
find_tag(const struct release_list *l, const char *tag)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (strcmp(l->items[i].tag, tag) == 0)
			return &l->items[i];
	return NULL;
}

const struct release *
release_by_tag(const struct release_list *l, const char *tag)
{
	return find_tag(l, tag);
}

const struct release *
release_find(const struct release_list *l, struct ctx *ctx, const char *name)
{
	struct strbuf tag = STRBUF_INIT;
	const struct release *r = NULL;
	size_t plen = strlen(ctx->set.tag_prefix);
	struct semver v;

	/* quietly: a name that is no version is simply not found */
	if (strncmp(name, ctx->set.tag_prefix, plen) == 0 &&
	    semver_parse(&v, name + plen) == 0)
		r = find_tag(l, name);
	else if (semver_parse(&v, name) == 0) {
		strbuf_addf(&tag, "%s%s", ctx->set.tag_prefix, name);
		r = find_tag(l, tag.buf);
	} else {
		const char *tail = prefix_tail(ctx->set.tag_prefix);
		size_t tlen = strlen(tail);

		if (tlen > 0 && tlen < plen &&
		    strncmp(name, tail, tlen) == 0 &&
		    semver_parse(&v, name + tlen) == 0) {
			strbuf_addf(&tag, "%.*s%s", (int)(plen - tlen),
			    ctx->set.tag_prefix, name);
			r = find_tag(l, tag.buf);
		}
	}
	strbuf_release(&tag);
	return r;
}

int
release_lookup(const struct release **out, const struct release_list *l,
    struct ctx *ctx, const char *name)
{
	struct strbuf tag = STRBUF_INIT;
	int rc;

	*out = NULL;
	if ((rc = release_tag_name(&tag, ctx, name)) < 0)
		goto out;
	*out = find_tag(l, tag.buf);
	if (*out == NULL)
		rc = error_fatal("release '%s' not found", tag.buf);
out:
	strbuf_release(&tag);
	return rc;
}

const struct release *
release_latest(const struct release_list *l, int stable_only)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!stable_only || semver_is_stable(&l->items[i].v))
			return &l->items[i];
	return NULL;
}

/*
 * A small open-addressing set of release commits, each with the index of
 * the newest release on it: the walk looks every commit up once.
 */
struct oidslot {
	git_oid		 id;
	size_t		 any;		/* newest release here, +1; 0: empty */
	size_t		 stable;	/* newest stable release here, +1 */
};

static size_t
oid_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static struct oidslot *
slot_for(struct oidslot *tab, size_t mask, const git_oid *id)
{
	size_t i = oid_hash(id) & mask;

	while (tab[i].any != 0 && !git_oid_equal(&tab[i].id, id))
		i = (i + 1) & mask;
	return &tab[i];
}

int
release_reachable(const struct release **newest,
    const struct release **stable, struct ctx *ctx,
    const struct release_list *l, const git_oid *from)
{
	struct oidslot *tab = NULL;
	git_revwalk *walk = NULL;
	size_t size = 16, mask, i;
	size_t best = SIZE_MAX, best_stable = SIZE_MAX;
	size_t first = SIZE_MAX, first_stable = SIZE_MAX;
	git_oid id;
	int ret = E_FATAL, rc = 0;

	*newest = *stable = NULL;
	if (l->nr == 0)
		return 0;
	while (size < l->nr * 2)
		size *= 2;
	mask = size - 1;
	tab = xcalloc(size, sizeof(*tab));
	/* newest first, so the first index stored per commit is its best */
	for (i = 0; i < l->nr; i++) {
		struct oidslot *s = slot_for(tab, mask, &l->items[i].commit);
		int st = semver_is_stable(&l->items[i].v);

		if (s->any == 0) {
			git_oid_cpy(&s->id, &l->items[i].commit);
			s->any = i + 1;
		}
		if (st && s->stable == 0)
			s->stable = i + 1;
		if (first == SIZE_MAX)
			first = i;
		if (st && first_stable == SIZE_MAX)
			first_stable = i;
	}
	if (git_revwalk_new(&walk, ctx->repo) < 0 ||
	    git_revwalk_push(walk, from) < 0) {
		error_git(E_FATAL, "cannot walk the history of %s",
		    git_oid_tostr_s(from));
		goto out;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		struct oidslot *s = slot_for(tab, mask, &id);

		if (s->any == 0)
			continue;
		if (s->any - 1 < best)
			best = s->any - 1;
		if (s->stable != 0 && s->stable - 1 < best_stable)
			best_stable = s->stable - 1;
		/* nothing can beat the newest of each kind */
		if (best == first && best_stable == first_stable)
			break;
	}
	if (rc < 0 && rc != GIT_ITEROVER) {
		error_git(E_FATAL, "cannot walk the history of %s",
		    git_oid_tostr_s(from));
		goto out;
	}
	git_error_clear();
	if (best != SIZE_MAX)
		*newest = &l->items[best];
	if (best_stable != SIZE_MAX)
		*stable = &l->items[best_stable];
	ret = 0;
out:
	git_revwalk_free(walk);
	free(tab);
	return ret;
}

int
release_latest_reachable(const struct release **out, struct ctx *ctx,
    const struct release_list *l, const git_oid *from, int stable_only)
{
	const struct release *newest, *stable;
	int rc = release_reachable(&newest, &stable, ctx, l, from);

	*out = stable_only ? stable : newest;
	return rc;
}

int
release_date(int64_t *out, struct ctx *ctx, const struct release *r)
{
	git_tag *tag = NULL;
	git_commit *c = NULL;
	const git_signature *sig;
	int rc = 0;

	*out = 0;
	if (r->annotated && git_tag_lookup(&tag, ctx->repo, &r->target) == 0 &&
	    (sig = git_tag_tagger(tag)) != NULL) {
		*out = sig->when.time;
		goto out;
	}
	if (git_commit_lookup(&c, ctx->repo, &r->commit) < 0) {
		rc = error_git(E_FATAL, "cannot read commit %s of '%s'",
		    git_oid_tostr_s(&r->commit), r->tag);
		goto out;
	}
	*out = git_commit_time(c);
out:
	git_error_clear();
	git_commit_free(c);
	git_tag_free(tag);
	return rc;
}

const struct release *
release_at_commit(const struct release_list *l, const git_oid *id)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (git_oid_equal(&l->items[i].commit, id))
			return &l->items[i];
	return NULL;
}

const struct release *
release_previous_stable(const struct release_list *l, const struct release *r)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		const struct release *c = &l->items[i];

		if (semver_is_stable(&c->v) && semver_cmp(&c->v, &r->v) < 0)
			return c;
	}
	return NULL;
}
