/*
 * Release tags: listing them fast, ordering them by SemVer precedence,
 * finding the newest one a commit contains.
 *
 * Listing uses the glob iterator on refs/tags/<prefix>*, which scans
 * only that part of the loose refs and hands back packed refs with
 * their peeled ids, so an annotated tag in packed-refs costs no object
 * read at all; a loose ref costs one header probe (and one tag read
 * when it is annotated).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "release.h"
#include "banned.h"

#define TAGS_PREFIX	"refs/tags/"

static int
peel_target(struct release *r, git_repository *repo, git_odb *odb,
    const git_reference *ref)
{
	const git_oid *target = git_reference_target(ref);
	const git_oid *peeled = git_reference_target_peel(ref);
	git_object_t type;
	git_object *obj = NULL;
	git_tag *tag = NULL;
	size_t len;
	int rc;

	if (target == NULL)		/* a symbolic ref under refs/tags */
		return 1;
	git_oid_cpy(&r->target, target);
	if (peeled != NULL) {
		git_oid_cpy(&r->commit, peeled);
		r->annotated = 1;
		return 0;
	}
	if (git_odb_read_header(&len, &type, odb, target) < 0) {
		git_error_clear();
		return 1;		/* dangling: not a release */
	}
	if (type == GIT_OBJECT_COMMIT) {
		git_oid_cpy(&r->commit, target);
		r->annotated = 0;
		return 0;
	}
	if (type != GIT_OBJECT_TAG)
		return 1;
	/* a loose annotated tag: peel it (tags of tags included) */
	rc = git_tag_lookup(&tag, repo, target);
	if (rc == 0)
		rc = git_tag_peel(&obj, tag);
	if (rc == 0 && git_object_type(obj) != GIT_OBJECT_COMMIT)
		rc = 1;
	if (rc == 0) {
		git_oid_cpy(&r->commit, git_object_id(obj));
		r->annotated = 1;
	}
	if (rc < 0) {
		git_error_clear();
		rc = 1;
	}
	git_object_free(obj);
	git_tag_free(tag);
	return rc;
}

int
release_cmp_newest_first(const void *a, const void *b)
{
	const struct release *ra = a, *rb = b;
	int c = semver_cmp(&rb->v, &ra->v);

	return c != 0 ? c : strcmp(ra->tag, rb->tag);
}

int
release_list_load(struct release_list *out, struct ctx *ctx)
{
	const char *prefix = ctx->set.tag_prefix;
	size_t plen = strlen(prefix);
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_odb *odb = NULL;
	char *glob = NULL;
	int ret = E_FATAL, rc;

	glob = xstrfmt(TAGS_PREFIX "%s*", prefix);
	if (git_repository_odb(&odb, ctx->repo) < 0 ||
	    git_reference_iterator_glob_new(&it, ctx->repo, glob) < 0) {
		error_git(E_FATAL, "cannot list tags");
		goto out;
	}
	while ((rc = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref) +
		    strlen(TAGS_PREFIX);
		struct release r = { 0 };

		if (strncmp(name, prefix, plen) != 0 ||
		    semver_parse(&r.v, name + plen) < 0 ||
		    peel_target(&r, ctx->repo, odb, ref) != 0) {
			git_reference_free(ref);
			continue;
		}
		r.tag = xstrdup(name);
		/* re-point the version into our copy of the name */
		semver_parse(&r.v, r.tag + plen);
		ALLOC_GROW(out->items, out->nr, out->alloc);
		out->items[out->nr++] = r;
		git_reference_free(ref);
	}
	if (rc != GIT_ITEROVER) {
		error_git(E_FATAL, "cannot list tags");
		goto out;
	}
	git_error_clear();
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items),
		    release_cmp_newest_first);
	ret = 0;
out:
	git_reference_iterator_free(it);
	git_odb_free(odb);
	free(glob);
	return ret;
}

void
release_list_release(struct release_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->items[i].tag);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

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
	size_t		 idx;		/* index into the list, +1; 0: empty */
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

	while (tab[i].idx != 0 && !git_oid_equal(&tab[i].id, id))
		i = (i + 1) & mask;
	return &tab[i];
}

int
release_latest_reachable(const struct release **out, struct ctx *ctx,
    const struct release_list *l, const git_oid *from, int stable_only)
{
	struct oidslot *tab = NULL;
	git_revwalk *walk = NULL;
	size_t size = 16, mask, i, best = SIZE_MAX, first = SIZE_MAX;
	git_oid id;
	int ret = E_FATAL, rc;

	*out = NULL;
	while (size < l->nr * 2)
		size *= 2;
	mask = size - 1;
	tab = xcalloc(size, sizeof(*tab));
	/* newest first, so the first index stored per commit is its best */
	for (i = 0; i < l->nr; i++) {
		struct oidslot *s;

		if (stable_only && !semver_is_stable(&l->items[i].v))
			continue;
		if (first == SIZE_MAX)
			first = i;
		s = slot_for(tab, mask, &l->items[i].commit);
		if (s->idx == 0) {
			git_oid_cpy(&s->id, &l->items[i].commit);
			s->idx = i + 1;
		}
	}
	if (first == SIZE_MAX) {
		ret = 0;
		goto out;
	}
	if (git_revwalk_new(&walk, ctx->repo) < 0 ||
	    git_revwalk_push(walk, from) < 0) {
		error_git(E_FATAL, "cannot walk the history of %s",
		    git_oid_tostr_s(from));
		goto out;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		struct oidslot *s = slot_for(tab, mask, &id);

		if (s->idx != 0 && s->idx - 1 < best) {
			best = s->idx - 1;
			if (best == first)
				break;	/* nothing can beat the newest */
		}
	}
	if (rc < 0 && rc != GIT_ITEROVER) {
		error_git(E_FATAL, "cannot walk the history of %s",
		    git_oid_tostr_s(from));
		goto out;
	}
	git_error_clear();
	if (best != SIZE_MAX)
		*out = &l->items[best];
	ret = 0;
out:
	git_revwalk_free(walk);
	free(tab);
	return ret;
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

/*
 * Conventional commits: "type(scope)!: text" with "!" or a
 * "BREAKING CHANGE:" / "BREAKING-CHANGE:" footer for a breaking change,
 * type "feat" for a feature; anything else is a fix.
 */
enum semver_bump
release_bump_for_message(const char *msg)
{
	const char *p = msg, *line;
	size_t tlen;
	int feat;

	while (*p == ' ' || *p == '\t')
		p++;
	for (tlen = 0; (p[tlen] >= 'a' && p[tlen] <= 'z') ||
	    (p[tlen] >= 'A' && p[tlen] <= 'Z') || p[tlen] == '-'; tlen++)
		;
	feat = tlen == 4 && strncasecmp(p, "feat", 4) == 0;
	p += tlen;
	if (tlen > 0 && *p == '(') {
		const char *close = strpbrk(p, ")\n");

		p = close != NULL && *close == ')' ? close + 1 : "";
	}
	if (tlen > 0 && p[0] == '!' && p[1] == ':')
		return BUMP_MAJOR;
	if (tlen == 0 || *p != ':')
		feat = 0;
	/* footers: a line of the body starting with the token */
	for (line = strchr(msg, '\n'); line != NULL;
	    line = strchr(line + 1, '\n'))
		if (strncmp(line + 1, "BREAKING CHANGE:", 16) == 0 ||
		    strncmp(line + 1, "BREAKING-CHANGE:", 16) == 0)
			return BUMP_MAJOR;
	return feat ? BUMP_MINOR : BUMP_PATCH;
}

int
release_infer_bump(enum semver_bump *out, struct ctx *ctx,
    const git_oid *from, const git_oid *to)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid id;
	int ret = E_FATAL, rc = 0;

	*out = BUMP_PATCH;
	if (git_revwalk_new(&walk, ctx->repo) < 0 ||
	    git_revwalk_push(walk, to) < 0 ||
	    (from != NULL && git_revwalk_hide(walk, from) < 0)) {
		error_git(E_FATAL, "cannot walk the history");
		goto out;
	}
	while (*out != BUMP_MAJOR && (rc = git_revwalk_next(&id, walk)) == 0) {
		enum semver_bump b;

		if (git_commit_lookup(&c, ctx->repo, &id) < 0) {
			error_git(E_FATAL, "cannot read commit %s",
			    git_oid_tostr_s(&id));
			goto out;
		}
		b = release_bump_for_message(git_commit_message(c));
		if (b > *out)
			*out = b;
		git_commit_free(c);
		c = NULL;
	}
	if (rc < 0 && rc != GIT_ITEROVER) {
		error_git(E_FATAL, "cannot walk the history");
		goto out;
	}
	git_error_clear();
	ret = 0;
out:
	git_commit_free(c);
	git_revwalk_free(walk);
	return ret;
}
