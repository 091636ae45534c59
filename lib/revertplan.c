/*
 * The pure parts of the revert engine: which commits a command line
 * names, in which order, and the messages git would give their reverts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "revert.h"
#include "banned.h"

void
revert_plan_release(struct revert_plan *plan)
{
	free(plan->items);
	free(plan->seen);
	plan->items = NULL;
	plan->seen = NULL;
	plan->nr = plan->alloc = 0;
	plan->seen_nr = plan->seen_cap = 0;
}

/* open addressing on the id's first bytes (already uniform); zero: free */
static size_t
seen_slot(const git_oid *tab, size_t cap, const git_oid *id)
{
	size_t i, h = 0;

	for (i = 0; i < sizeof(size_t); i++)
		h = h << 8 | id->id[i];
	for (i = h & (cap - 1); !git_oid_is_zero(&tab[i]) &&
	    !git_oid_equal(&tab[i], id); i = (i + 1) & (cap - 1))
		;
	return i;
}

/*
 * Was id pushed before?  If not, remember it: a hashed set, so that a
 * plan of n commits costs n lookups, not n * n / 2 comparisons.
 */
static int
plan_seen(struct revert_plan *plan, const git_oid *id)
{
	size_t i;

	if (2 * (plan->seen_nr + 1) > plan->seen_cap) {
		git_oid *old = plan->seen;
		size_t oldcap = plan->seen_cap;

		plan->seen_cap = oldcap ? 2 * oldcap : 256;
		plan->seen = xcalloc(plan->seen_cap, sizeof(git_oid));
		for (i = 0; i < oldcap; i++)
			if (!git_oid_is_zero(&old[i]))
				plan->seen[seen_slot(plan->seen,
				    plan->seen_cap, &old[i])] = old[i];
		free(old);
	}
	i = seen_slot(plan->seen, plan->seen_cap, id);
	if (!git_oid_is_zero(&plan->seen[i]))
		return 1;
	plan->seen[i] = *id;
	plan->seen_nr++;
	return 0;
}

/* a merge needs a parent to revert against, as in git */
static int
plan_push(struct revert_plan *plan, git_commit *c, unsigned int mainline,
    int explicit)
{
	unsigned int parents = git_commit_parentcount(c);
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	if (parents > 1 && mainline == 0) {
		error_fatal("commit %s is a merge but no --mainline option "
		    "was given", hex);
		return E_FATAL;
	}
	if (parents > 1 && mainline > parents)
		return error_fatal("commit %s does not have parent %u", hex,
		    mainline);
	if (parents <= 1 && mainline != 0 && explicit)
		return error_fatal("--mainline was given but commit %s is "
		    "not a merge", hex);
	if (plan_seen(plan, git_commit_id(c)))
		return 0;
	ALLOC_GROW(plan->items, plan->nr, plan->alloc);
	git_oid_cpy(&plan->items[plan->nr].id, git_commit_id(c));
	plan->items[plan->nr].mainline = parents > 1 ? mainline : 0;
	plan->nr++;
	return 0;
}

/* every commit of from..to, newest first (children before parents) */
static int
plan_walk(struct revert_plan *plan, git_repository *repo,
    const git_oid *from, const git_oid *to, unsigned int mainline,
    int first_parent)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid id;
	int rc;

	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_TIME) < 0 ||
	    git_revwalk_push(walk, to) < 0 ||
	    (from != NULL && git_revwalk_hide(walk, from) < 0)) {
		rc = error_git(E_FATAL, "cannot walk the range");
		goto out;
	}
	if (first_parent)
		git_revwalk_simplify_first_parent(walk);
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		if (git_commit_lookup(&c, repo, &id) < 0) {
			rc = error_git(E_FATAL, "cannot read a commit");
			goto out;
		}
		if ((rc = plan_push(plan, c, mainline, 0)) < 0)
			goto out;
		git_commit_free(c);
		c = NULL;
	}
	rc = rc == GIT_ITEROVER ? 0 :
	    error_git(E_FATAL, "cannot walk the range");
out:
	git_commit_free(c);
	git_revwalk_free(walk);
	return rc;
}

int
revert_plan_add(struct revert_plan *plan, struct ctx *ctx, const char *arg,
    const struct revert_opts *opts)
{
	git_commit *a = NULL, *b = NULL;
	unsigned int mainline = opts->mainline;
	const char *dots = strstr(arg, "..");
	int rc;

	if (mainline == 0 && opts->first_parent)
		mainline = 1;
	if (dots == NULL) {
		if ((rc = repo_lookup_commit(&a, ctx, arg)) < 0)
			return rc;
		rc = plan_push(plan, a, mainline, opts->mainline != 0);
		git_commit_free(a);
		return rc;
	}
	if (dots[2] == '.')
		return error_fatal("'%s': symmetric ranges (A...B) cannot be "
		    "reverted", arg);
	{
		char *left = xstrndup(arg, (size_t)(dots - arg));
		const char *right = dots + 2;

		rc = repo_lookup_commit(&a, ctx, *left ? left : "HEAD");
		if (rc == 0)
			rc = repo_lookup_commit(&b, ctx,
			    *right ? right : "HEAD");
		free(left);
	}
	if (rc == 0)
		rc = plan_walk(plan, ctx->repo, git_commit_id(a),
		    git_commit_id(b), mainline, opts->first_parent);
	git_commit_free(a);
	git_commit_free(b);
	return rc;
}

int
revert_plan_rollback(struct revert_plan *plan, git_repository *repo,
    const git_oid *target, const git_oid *running)
{
	return plan_walk(plan, repo, target, running, 1, 1);
}

int
revert_plan_print(FILE *fp, git_repository *repo,
    const struct revert_plan *plan)
{
	struct strbuf subject = STRBUF_INIT;
	git_commit *c = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < plan->nr; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		if (git_commit_lookup(&c, repo, &plan->items[i].id) < 0) {
			rc = error_git(E_FATAL, "cannot read a commit");
			break;
		}
		git_oid_tostr(hex, 8, git_commit_id(c));
		strbuf_reset(&subject);
		revert_subject_line(&subject, git_commit_message(c));
		fprintf(fp, "revert %s %s", hex, subject.buf);
		if (plan->items[i].mainline)
			fprintf(fp, " (merge, against parent %u)",
			    plan->items[i].mainline);
		fputc('\n', fp);
		git_commit_free(c);
		c = NULL;
	}
	strbuf_release(&subject);
	return rc;
}

/* git's subject: the first line after any blank lines */
void
revert_subject_line(struct strbuf *out, const char *message)
{
	const char *p = message ? message : "", *eol;

	while (*p == '\n')
		p++;
	eol = strchr(p, '\n');
	strbuf_add(out, p, eol ? (size_t)(eol - p) : strlen(p));
}

/* Revert "x", or Reapply "x" for a revert of a revert (git >= 2.43) */
static void
revert_title(struct strbuf *out, const char *message)
{
	struct strbuf subject = STRBUF_INIT;
	const char *prefix = "Revert \"";
	size_t plen = strlen(prefix);

	revert_subject_line(&subject, message);
	if (strncmp(subject.buf, prefix, plen) == 0 &&
	    strncmp(subject.buf + plen, prefix, plen) != 0)
		strbuf_addf(out, "Reapply \"%s", subject.buf + plen);
	else
		strbuf_addf(out, "Revert \"%s\"", subject.buf);
	strbuf_release(&subject);
}

void
revert_trailers(struct strbuf *out, const struct revert_opts *opts)
{
	if (opts->rollback_from != NULL && opts->rollback_to != NULL)
		strbuf_addf(out, "Rollback: %s -> %s\n", opts->rollback_from,
		    opts->rollback_to);
	if (opts->reason != NULL && *opts->reason != '\0')
		strbuf_addf(out, "Reason: %s\n", opts->reason);
}

static void
add_trailers(struct strbuf *out, const struct revert_opts *opts)
{
	struct strbuf t = STRBUF_INIT;

	revert_trailers(&t, opts);
	if (t.len) {
		strbuf_addch(out, '\n');
		strbuf_add(out, t.buf, t.len);
	}
	strbuf_release(&t);
}

void
revert_message(struct strbuf *out, const char *orig_message,
    const git_oid *id, const git_oid *parent, const struct revert_opts *opts)
{
	char hex[GIT_OID_HEXSZ + 1];

	revert_title(out, orig_message);
	git_oid_tostr(hex, sizeof(hex), id);
	strbuf_addf(out, "\n\nThis reverts commit %s", hex);
	if (parent != NULL) {
		git_oid_tostr(hex, sizeof(hex), parent);
		strbuf_addf(out, ", reversing\nchanges made to %s", hex);
	}
	strbuf_addstr(out, ".\n");
	add_trailers(out, opts);
}

void
revert_squash_message(struct strbuf *out, size_t n, const git_oid *ids,
    const char *const *messages, const struct revert_opts *opts)
{
	struct strbuf subject = STRBUF_INIT;
	size_t i;

	if (opts->rollback_from != NULL && opts->rollback_to != NULL)
		strbuf_addf(out, "Rollback %s to %s\n", opts->rollback_from,
		    opts->rollback_to);
	else
		strbuf_addf(out, "Revert %zu commit%s\n", n,
		    n == 1 ? "" : "s");
	strbuf_addstr(out, "\nThis reverts the following commits:\n\n");
	for (i = 0; i < n; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		strbuf_reset(&subject);
		revert_subject_line(&subject, messages[i]);
		git_oid_tostr(hex, sizeof(hex), &ids[i]);
		strbuf_addf(out, "%s %s\n", hex, subject.buf);
	}
	add_trailers(out, opts);
	strbuf_release(&subject);
}

static int
parse_hex(git_oid *out, const char *p)
{
	size_t n = strspn(p, "0123456789abcdef");

	if (n != GIT_OID_HEXSZ)
		return -1;
	return git_oid_fromstrn(out, p, GIT_OID_HEXSZ);
}

int
revert_parse_reverted(git_oid *orig, git_oid *parent, int *has_parent,
    const char *message)
{
	static const char line[] = "This reverts commit ";
	static const char merge[] = ", reversing\nchanges made to ";
	const char *p = message ? message : "";

	*has_parent = 0;
	for (;;) {
		if ((p = strstr(p, line)) == NULL)
			return 1;
		p += strlen(line);
		if (parse_hex(orig, p) == 0)
			break;
	}
	p += GIT_OID_HEXSZ;
	if (strncmp(p, merge, strlen(merge)) == 0 &&
	    parse_hex(parent, p + strlen(merge)) == 0)
		*has_parent = 1;
	return 0;
}

void
revert_reapply_message(struct strbuf *out, const char *orig_message,
    const git_oid *revert_id, const struct revert_opts *opts)
{
	char hex[GIT_OID_HEXSZ + 1];

	strbuf_addstr(out, "Reapply \"");
	revert_subject_line(out, orig_message);
	git_oid_tostr(hex, sizeof(hex), revert_id);
	strbuf_addf(out, "\"\n\nThis reverts commit %s.\n", hex);
	add_trailers(out, opts);
}
