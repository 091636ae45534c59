/*
 * Which version a cut makes: bumps from Conventional Commits, the
 * pre-release numbering, and the checks that keep versions unique and
 * rising along each line of history.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "component.h"
#include "release.h"
#include "banned.h"

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
		int mine;

		if (git_commit_lookup(&c, ctx->repo, &id) < 0) {
			error_git(E_FATAL, "cannot read commit %s",
			    git_oid_tostr_s(&id));
			goto out;
		}
		/* another component's commit asks nothing of this one */
		if (component_touches(&mine, ctx, c) < 0)
			goto out;
		b = mine ? release_bump_for_message(git_commit_message(c)) :
		    BUMP_PATCH;
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

int
release_valid_pre_id(const char *id)
{
	struct semver v;
	char *s = xstrfmt("0.0.0-%s", id);
	int ok = semver_parse(&v, s) == 0 && strspn(id, "0123456789"
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") ==
	    strlen(id) && strspn(id, "0123456789") != strlen(id);

	free(s);
	return ok;
}

/*
 * "<prefix><core>-<id>.N": N one above the newest reachable release's
 * when that is a pre-release <id> of the same version, else 1; never a
 * tag that exists, even on another branch.
 */
static void
pre_name(struct strbuf *tag, struct ctx *ctx, const struct release_list *l,
    const struct release *newest, const struct semver *core, const char *id)
{
	struct strbuf c = STRBUF_INIT;
	long long n = 1;

	if (newest != NULL && semver_same_core(&newest->v, core)) {
		long long m = semver_pre_number(&newest->v, id);

		if (m >= 0)
			n = m + 1;
	}
	semver_format(&c, core);
	do {
		strbuf_reset(tag);
		strbuf_addf(tag, "%s%s-%s.%lld", ctx->set.tag_prefix, c.buf,
		    id, n++);
	} while (release_by_tag(l, tag->buf) != NULL);
	strbuf_release(&c);
}

/*
 * The bumped version: the bump applied to the newest reachable stable
 * release, and never below the newest reachable pre-release's own
 * version, so 1.2.4-rc.2 is followed by 1.2.4.
 */
static int
no_room(const struct semver *v, enum semver_bump kind)
{
	struct strbuf sb = STRBUF_INIT;

	semver_format(&sb, v);
	error("cannot bump %s: its %s number is the largest there is",
	    sb.buf, kind == BUMP_MAJOR ? "major" : kind == BUMP_MINOR ?
	    "minor" : "patch");
	hint("name the version to cut");
	strbuf_release(&sb);
	return E_REFUSED;
}

static int
bumped(struct semver *out, struct ctx *ctx, const struct release *newest,
    const struct release *stable, const git_oid *head,
    enum semver_bump kind)
{
	struct semver zero = { 0 }, alt;
	enum semver_bump alt_kind;
	int rc;

	if (kind == BUMP_NONE) {
		if (stable == NULL) {
			semver_bump(out, &zero, BUMP_MINOR);	/* 0.1.0 */
			goto pre;
		}
		if ((rc = release_infer_bump(&kind, ctx, &stable->commit,
		    head)) < 0)
			return rc;
	}
	if (semver_bump(out, stable ? &stable->v : &zero, kind) < 0)
		return no_room(&stable->v, kind);
pre:
	if (newest != NULL && !semver_is_stable(&newest->v)) {
		alt_kind = kind == BUMP_NONE ? BUMP_PATCH : kind;
		if (semver_bump(&alt, &newest->v, alt_kind) < 0)
			return no_room(&newest->v, alt_kind);
		if (semver_cmp(&alt, out) > 0)
			*out = alt;
	}
	return 0;
}

/*
 * A maintenance line whose next version was cut on another line: name
 * the next free patch of this one, as hotfix finish would pick it.
 */
static void
hint_free_patch(struct ctx *ctx, const struct release_list *l,
    const struct semver *taken)
{
	struct semver v = *taken;
	struct strbuf tag = STRBUF_INIT;

	do {
		if (v.patch == UINT64_MAX)
			goto out;
		v.patch++;
		strbuf_reset(&tag);
		strbuf_addstr(&tag, ctx->set.tag_prefix);
		semver_format(&tag, &v);
	} while (release_by_tag(l, tag.buf) != NULL);
	hint("it was cut on another line; name a free version, e.g. "
	    "\"git release cut %s\"", tag.buf + strlen(ctx->set.tag_prefix));
out:
	strbuf_release(&tag);
}

/* a release on head that forbids cutting want there */
static const struct release *
blocking(const struct release_list *l, const git_oid *head,
    const struct semver *want)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		const struct release *r = &l->items[i];

		if (!git_oid_equal(&r->commit, head))
			continue;
		/* promoting a tested pre-release to stable is allowed */
		if (semver_is_stable(&r->v) || !semver_is_stable(want))
			return r;
	}
	return NULL;
}

int
release_plan_cut(struct strbuf *tag, const git_oid **prev, struct ctx *ctx,
    const struct release_list *l, const git_oid *head, enum semver_bump kind,
    const char *version, const char *pre)
{
	const struct release *newest, *stable, *r;
	size_t plen = strlen(ctx->set.tag_prefix);
	struct semver want;
	int rc;

	strbuf_reset(tag);
	*prev = NULL;
	if ((rc = release_reachable(&newest, &stable, ctx, l, head)) < 0)
		return rc;
	if (version != NULL) {
		if (semver_parse(&want, version + plen) < 0)
			return error_fatal("'%s' is not a valid version",
			    version);
	} else if ((rc = bumped(&want, ctx, newest, stable, head, kind)) < 0)
		return rc;
	if (pre != NULL)
		pre_name(tag, ctx, l, newest, &want, pre);
	else if (version != NULL)
		strbuf_addstr(tag, version);
	else {
		strbuf_addstr(tag, ctx->set.tag_prefix);
		semver_format(tag, &want);
	}
	/* want now points into tag */
	semver_parse(&want, tag->buf + plen);

	if ((r = blocking(l, head, &want)) != NULL)
		return error("HEAD is already release %s", r->tag);
	if (release_by_tag(l, tag->buf) != NULL) {
		error("release %s already exists", tag->buf);
		if (version == NULL && pre == NULL)
			hint_free_patch(ctx, l, &want);
		return E_REFUSED;
	}
	if (newest != NULL && semver_cmp(&want, &newest->v) <= 0)
		return error("%s is not above %s, the newest release reachable "
		    "from HEAD", tag->buf, newest->tag);
	if (semver_is_stable(&want))
		*prev = stable ? &stable->commit : NULL;
	else
		*prev = newest ? &newest->commit : NULL;
	return 0;
}
