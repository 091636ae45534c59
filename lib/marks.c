/*
 * Releases marked bad.  A release can be bad for more than one reason
 * and from more than one environment (production rolled it back, then
 * staging did too): each mark is kept, none replaces another, and each
 * is lifted on its own or all together.  Every change is a new commit on
 * refs/deploy/marks, so git log of it is the history of who marked what
 * and why.  The file format is in marks.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "marks.h"
#include "deploylog.h"
#include "banned.h"

#define ENV_KEY		"Environment: "
#define REASON_KEY	"Reason: "

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* --- one file --- */

void
mark_list_add(struct mark_list *l, const char *env, const char *reason)
{
	struct mark *m;

	ALLOC_GROW(l->items, l->nr, l->alloc);
	m = &l->items[l->nr++];
	m->env = env ? xstrdup(env) : NULL;
	m->reason = xstrdup(reason);
}

long
mark_list_find(const struct mark_list *l, const char *env, const char *reason)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (str_eq(l->items[i].env, env) &&
		    strcmp(l->items[i].reason, reason) == 0)
			return (long)i;
	return -1;
}

void
mark_list_release(struct mark_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		free(l->items[i].env);
		free(l->items[i].reason);
	}
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

static int
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

struct parse {
	struct mark_list *out;
	char		*env;
	struct strbuf	 reason;
	int		 in_reason;	/* continuation lines belong to it */
	int		 have_reason;
};

static void
parse_flush(struct parse *p)
{
	if (p->have_reason)
		mark_list_add(p->out, p->env, p->reason.buf);
	free(p->env);
	p->env = NULL;
	strbuf_reset(&p->reason);
	p->have_reason = p->in_reason = 0;
}

static void
parse_line(struct parse *p, const char *line)
{
	if (*line == '\0') {
		parse_flush(p);
	} else if (*line == ' ' && p->in_reason) {
		strbuf_addf(&p->reason, "\n%s", line + 1);
	} else if (has_prefix(line, ENV_KEY)) {
		if (p->have_reason)
			parse_flush(p);
		free(p->env);
		p->env = xstrdup(line + strlen(ENV_KEY));
		p->in_reason = 0;
	} else if (has_prefix(line, REASON_KEY)) {
		if (p->have_reason) {
			/* a second reason without its own environment */
			char *env = p->env ? xstrdup(p->env) : NULL;

			parse_flush(p);
			p->env = env;
		}
		strbuf_addstr(&p->reason, line + strlen(REASON_KEY));
		p->have_reason = p->in_reason = 1;
	} else
		p->in_reason = 0;	/* a key of a later version */
}

void
mark_list_parse(struct mark_list *out, const char *buf, size_t len)
{
	struct strbuf text = STRBUF_INIT;
	struct parse p = { out, NULL, STRBUF_INIT, 0, 0 };
	char *line, *nl;

	strbuf_add(&text, buf, len);
	if (!has_prefix(text.buf, ENV_KEY) && !has_prefix(text.buf,
	    REASON_KEY)) {
		/* written before marks had environments: one reason */
		strbuf_rtrim(&text);
		if (text.len > 0)
			mark_list_add(out, NULL, text.buf);
		strbuf_release(&text);
		return;
	}
	for (line = text.buf; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL) {
			parse_line(&p, line);
			break;
		}
		*nl = '\0';
		parse_line(&p, line);
	}
	parse_flush(&p);
	strbuf_release(&p.reason);
	strbuf_release(&text);
}

void
mark_list_format(struct strbuf *out, const struct mark_list *l)
{
	size_t i;
	const char *p;

	for (i = 0; i < l->nr; i++) {
		if (i > 0)
			strbuf_addch(out, '\n');
		if (l->items[i].env != NULL)
			strbuf_addf(out, ENV_KEY "%s\n", l->items[i].env);
		strbuf_addstr(out, REASON_KEY);
		for (p = l->items[i].reason; *p != '\0'; p++) {
			strbuf_addch(out, *p);
			if (*p == '\n')
				strbuf_addch(out, ' ');
		}
		strbuf_addch(out, '\n');
	}
}

/* the marks in the blob id (none when NULL) */
static int
read_blob(struct mark_list *out, git_repository *repo, const git_oid *id)
{
	git_blob *blob = NULL;

	if (id == NULL)
		return 0;
	if (git_blob_lookup(&blob, repo, id) < 0)
		return error_git(E_FATAL, "cannot read the marks %s",
		    git_oid_tostr_s(id));
	mark_list_parse(out, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

/* --- loading --- */

struct walk_data {
	struct marks	*m;
	git_repository	*repo;
	size_t		 alloc;
	int		 failed;
};

static void
summarize(struct strbuf *sb, const struct mark_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		const char *r = l->items[i].reason;

		strbuf_addf(sb, "%s%.*s", i ? "; " : "", (int)strcspn(r, "\n"),
		    r);
		if (l->items[i].env != NULL)
			strbuf_addf(sb, " (%s)", l->items[i].env);
	}
}

static int
load_one(const char *root, const git_tree_entry *te, void *payload)
{
	struct walk_data *w = payload;
	struct mark_list l = MARK_LIST_INIT;
	struct strbuf sum = STRBUF_INIT;
	struct marks *m = w->m;

	if (git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		return 0;
	if (read_blob(&l, w->repo, git_tree_entry_id(te)) < 0) {
		w->failed = 1;
		return -1;
	}
	if (l.nr == 0)
		return 0;	/* an empty file marks nothing */
	summarize(&sum, &l);
	ALLOC_GROW(m->lists, m->tags.nr, w->alloc);
	m->lists[m->tags.nr] = l;
	strlist_add_nodup(&m->tags, xstrfmt("%s%s", root,
	    git_tree_entry_name(te)));
	strlist_add_nodup(&m->reasons, strbuf_detach(&sum, NULL));
	return 0;
}

struct mark_entry {
	char		*tag;
	char		*reason;
	struct mark_list l;
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mark_entry *)a)->tag,
	    ((const struct mark_entry *)b)->tag);
}

/*
 * The tree walk gives paths nearly in byte order (git sorts a tree's
 * entries so); make it exact, the three arrays together, so that a tag
 * is found by a search instead of a scan per release.
 */
static void
sort_marks(struct marks *m)
{
	struct mark_entry *p;
	size_t i;

	for (i = 1; i < m->tags.nr; i++)
		if (strcmp(m->tags.items[i - 1], m->tags.items[i]) > 0)
			break;
	if (i >= m->tags.nr)
		return;
	p = xreallocarray(NULL, m->tags.nr, sizeof(*p));
	for (i = 0; i < m->tags.nr; i++) {
		p[i].tag = m->tags.items[i];
		p[i].reason = m->reasons.items[i];
		p[i].l = m->lists[i];
	}
	qsort(p, m->tags.nr, sizeof(*p), entry_cmp);
	for (i = 0; i < m->tags.nr; i++) {
		m->tags.items[i] = p[i].tag;
		m->reasons.items[i] = p[i].reason;
		m->lists[i] = p[i].l;
	}
	free(p);
}

int
marks_load(struct marks *out, struct ctx *ctx)
{
	struct walk_data w = { out, ctx->repo, 0, 0 };
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid id;
	int rc, ret = -1;

	rc = git_reference_name_to_id(&id, ctx->repo, DEPLOY_MARKS_REF);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0 || git_commit_lookup(&c, ctx->repo, &id) < 0 ||
	    git_commit_tree(&tree, c) < 0 ||
	    git_tree_walk(tree, GIT_TREEWALK_PRE, load_one, &w) < 0 ||
	    w.failed) {
		ret = error_git(E_FATAL, "cannot read '%s'", DEPLOY_MARKS_REF);
		goto out;
	}
	sort_marks(out);
	ret = 0;
out:
	git_tree_free(tree);
	git_commit_free(c);
	return ret;
}

void
marks_release(struct marks *m)
{
	size_t i;

	for (i = 0; i < m->tags.nr; i++)
		mark_list_release(&m->lists[i]);
	free(m->lists);
	m->lists = NULL;
	strlist_release(&m->tags);
	strlist_release(&m->reasons);
}

/* sorted by marks_load(): a binary search, not a scan per release */
static long
tag_index(const struct marks *m, const char *tag)
{
	size_t lo = 0, hi = m->tags.nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->tags.items[mid], tag);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const char *
marks_reason(const struct marks *m, const char *tag)
{
	long i = tag_index(m, tag);

	return i < 0 ? NULL : m->reasons.items[i];
}

const struct mark_list *
marks_of(const struct marks *m, const char *tag)
{
	long i = tag_index(m, tag);

	return i < 0 ? NULL : &m->lists[i];
}

/* --- changing --- */

/* put (blob) or drop (blob NULL) tag's file in an index */
int
marks_index_apply(git_index *idx, git_repository *repo, const char *tag,
    const git_oid *blob)
{
	git_index_entry e;

	if (blob == NULL) {
		if (git_index_get_bypath(idx, tag, 0) == NULL)
			return GIT_ENOTFOUND;
		return git_index_remove(idx, tag, 0);
	}
	(void)repo;
	memset(&e, 0, sizeof(e));
	e.mode = GIT_FILEMODE_BLOB;
	e.id = *blob;
	e.path = tag;
	return git_index_add(idx, &e);
}

/* the marks' tip, its tree in an index, and tag's marks in it */
struct change {
	git_commit	*tip;		/* NULL: no marks yet */
	git_tree	*tree;
	git_index	*idx;
	git_oid		 old;
	struct mark_list l;
};

static void
change_release(struct change *c)
{
	git_index_free(c->idx);
	git_tree_free(c->tree);
	git_commit_free(c->tip);
	mark_list_release(&c->l);
}

static int
change_start(struct change *c, struct ctx *ctx, const char *tag)
{
	git_tree_entry *te = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = git_reference_name_to_id(&c->old, ctx->repo, DEPLOY_MARKS_REF);
	if (rc == GIT_ENOTFOUND)
		git_error_clear();
	else if (rc < 0 ||
	    git_commit_lookup(&c->tip, ctx->repo, &c->old) < 0 ||
	    git_commit_tree(&c->tree, c->tip) < 0)
		goto fail;
	if (git_index_new(&c->idx) < 0 ||
	    (c->tree != NULL && git_index_read_tree(c->idx, c->tree) < 0))
		goto fail;
	if (c->tree != NULL &&
	    git_tree_entry_bypath(&te, c->tree, tag) == 0) {
		rc = git_tree_entry_type(te) == GIT_OBJECT_BLOB ?
		    read_blob(&c->l, ctx->repo, git_tree_entry_id(te)) : 0;
		git_tree_entry_free(te);
		if (rc < 0)
			return rc;
	}
	git_error_clear();
	return 0;
fail:
	return error_git(E_FATAL, "cannot read '%s'", DEPLOY_MARKS_REF);
}

/* write c->l as tag's file (none when empty) and commit it on the tip */
static int
change_commit(struct change *c, struct ctx *ctx, const char *tag,
    const char *msg, const char *reflog)
{
	struct strbuf content = STRBUF_INIT;
	const git_signature *me;
	git_tree *newtree = NULL;
	git_reference *ref = NULL;
	git_oid blob, tree_id, id;
	int rc, ret = -1;

	if ((rc = ctx_committer(&me, ctx)) < 0)
		return rc;
	mark_list_format(&content, &c->l);
	if (c->l.nr > 0 && git_blob_create_from_buffer(&blob, ctx->repo,
	    content.buf, content.len) < 0)
		goto fail;
	rc = marks_index_apply(c->idx, ctx->repo, tag, c->l.nr ? &blob : NULL);
	if ((rc < 0 && rc != GIT_ENOTFOUND) ||
	    git_index_write_tree_to(&tree_id, c->idx, ctx->repo) < 0)
		goto fail;
	if (c->tree != NULL && git_oid_equal(&tree_id, git_tree_id(c->tree))) {
		ret = 0;	/* already so */
		goto out;
	}
	if (git_tree_lookup(&newtree, ctx->repo, &tree_id) < 0 ||
	    git_commit_create(&id, ctx->repo, NULL, me, me, NULL, msg,
	    newtree, c->tip ? 1 : 0, (const git_commit **)&c->tip) < 0 ||
	    git_reference_ensure_log(ctx->repo, DEPLOY_MARKS_REF) < 0 ||
	    git_reference_create_matching(&ref, ctx->repo, DEPLOY_MARKS_REF,
	    &id, c->tip != NULL, c->tip ? &c->old : NULL, reflog) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	ret = error_git(E_FATAL, "cannot update '%s'", DEPLOY_MARKS_REF);
out:
	git_reference_free(ref);
	git_tree_free(newtree);
	strbuf_release(&content);
	return ret;
}

int
marks_add(struct ctx *ctx, const char *tag, const char *env,
    const char *reason, const char *reflog)
{
	struct change c;
	struct strbuf msg = STRBUF_INIT;
	char *dflt = NULL;
	int rc;

	if ((rc = change_start(&c, ctx, tag)) < 0)
		goto out;
	if (mark_list_find(&c.l, env, reason) >= 0)
		goto out;	/* marked so already */
	mark_list_add(&c.l, env, reason);
	strbuf_addf(&msg, "mark %s bad\n\nTag: %s\n", tag, tag);
	if (env != NULL)
		strbuf_addf(&msg, ENV_KEY "%s\n", env);
	strbuf_addf(&msg, REASON_KEY "%s\n", reason);
	if (reflog == NULL)
		reflog = dflt = xstrfmt("mark: %s bad", tag);
	rc = change_commit(&c, ctx, tag, msg.buf, reflog);
out:
	free(dflt);
	strbuf_release(&msg);
	change_release(&c);
	return rc;
}

int
marks_lift(struct ctx *ctx, const char *tag, const char *env,
    const char *reason, const char *reflog)
{
	struct change c;
	struct strbuf msg = STRBUF_INIT;
	char *dflt = NULL;
	size_t i, j;
	int rc;

	if ((rc = change_start(&c, ctx, tag)) < 0)
		goto out;
	for (i = j = 0; i < c.l.nr; i++) {
		struct mark *m = &c.l.items[i];

		if ((env == NULL || str_eq(m->env, env)) &&
		    (reason == NULL || strcmp(m->reason, reason) == 0)) {
			free(m->env);
			free(m->reason);
			continue;
		}
		c.l.items[j++] = *m;
	}
	if (j == c.l.nr) {
		if (c.l.nr == 0)
			rc = error("release '%s' is not marked bad", tag);
		else if (env != NULL)
			rc = error("release '%s' has no bad mark from '%s'%s",
			    tag, env, reason ? " with that reason" : "");
		else
			rc = error("release '%s' has no bad mark with that "
			    "reason", tag);
		goto out;
	}
	c.l.nr = j;
	strbuf_addf(&msg, "unmark %s\n\nTag: %s\n", tag, tag);
	if (env != NULL)
		strbuf_addf(&msg, ENV_KEY "%s\n", env);
	if (reflog == NULL)
		reflog = dflt = xstrfmt("unmark: %s", tag);
	rc = change_commit(&c, ctx, tag, msg.buf, reflog);
out:
	free(dflt);
	strbuf_release(&msg);
	change_release(&c);
	return rc;
}

int
marks_merge_file(git_oid **out, git_oid *buf, git_repository *repo,
    const git_oid *base, const git_oid *old, const git_oid *new)
{
	struct mark_list b = MARK_LIST_INIT, o = MARK_LIST_INIT,
	    n = MARK_LIST_INIT, r = MARK_LIST_INIT;
	struct strbuf content = STRBUF_INIT;
	size_t i;
	int ret = -1;

	*out = NULL;
	if (read_blob(&b, repo, base) < 0 || read_blob(&o, repo, old) < 0 ||
	    read_blob(&n, repo, new) < 0)
		goto out;
	/* base's marks but those we lifted, then those we added */
	for (i = 0; i < b.nr; i++) {
		const struct mark *m = &b.items[i];

		if (mark_list_find(&o, m->env, m->reason) >= 0 &&
		    mark_list_find(&n, m->env, m->reason) < 0)
			continue;
		mark_list_add(&r, m->env, m->reason);
	}
	for (i = 0; i < n.nr; i++) {
		const struct mark *m = &n.items[i];

		if (mark_list_find(&o, m->env, m->reason) < 0 &&
		    mark_list_find(&r, m->env, m->reason) < 0)
			mark_list_add(&r, m->env, m->reason);
	}
	ret = 0;
	if (r.nr == 0)
		goto out;
	mark_list_format(&content, &r);
	if (git_blob_create_from_buffer(buf, repo, content.buf,
	    content.len) < 0) {
		ret = error_git(E_FATAL, "cannot write the marks");
		goto out;
	}
	*out = buf;
out:
	strbuf_release(&content);
	mark_list_release(&b);
	mark_list_release(&o);
	mark_list_release(&n);
	mark_list_release(&r);
	return ret;
}

int
marks_set_reflog(struct ctx *ctx, const char *tag, const char *reason,
    const char *reflog)
{
	if (reason == NULL)
		return marks_lift(ctx, tag, NULL, NULL, reflog);
	return marks_add(ctx, tag, NULL, reason, reflog);
}

int
marks_set(struct ctx *ctx, const char *tag, const char *reason)
{
	return marks_set_reflog(ctx, tag, reason, NULL);
}
