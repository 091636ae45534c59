/*
 * Releases marked bad.  A release can be bad for more than one reason
 * and from more than one environment (production rolled it back, then
 * staging did too): each mark is kept, none replaces another, and each
 * is lifted on its own or all together.  Every change is a new commit on
 * refs/deploy/marks, so git log of it is the history of who marked what
 * and why.  The file format is in marks.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "marks.h"
#include "deploylog.h"
#include "banned.h"

#define ENV_KEY		"Environment: "
#define CACHE_FILE	"marks-cache"
#define CACHE_MAGIC	"marks-cache 1"
/* struct marks' read[]: what is known of a tag */
#define READ_SUMMARY	1	/* its reasons[] */
#define READ_LISTS	2	/* its lists[] */
#define READ_OWNED	4	/* reasons[] allocated, not in the cache's text */
#define READ_ID		8	/* ids[] */
/* fewer marks are read faster from the tree than from the file */
#define CACHE_MIN_MARKS	64
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

/*
 * The marks in the blob id (none when NULL): straight from the object
 * database, a listing reads thousands and needs no blob object of each.
 */
static int
read_blob_said(struct mark_list *out, git_repository *repo, const git_oid *id,
    int code)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;

	if (id == NULL)
		return 0;
	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_read(&obj, odb, id) < 0 ||
	    git_odb_object_type(obj) != GIT_OBJECT_BLOB) {
		git_odb_object_free(obj);
		git_odb_free(odb);
		return error_git(code, "cannot read the marks %s",
		    git_oid_tostr_s(id));
	}
	mark_list_parse(out, git_odb_object_data(obj),
	    git_odb_object_size(obj));
	git_odb_object_free(obj);
	git_odb_free(odb);
	return 0;
}

static int
read_blob(struct mark_list *out, git_repository *repo, const git_oid *id)
{
	return read_blob_said(out, repo, id, E_FATAL);
}

/* --- loading --- */

static size_t
hash_str(const char *s)
{
	size_t h = 2166136261u;		/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* prefix + name, without printf's cost: thousands of them */
static char *
join(const char *prefix, const char *name)
{
	size_t pl = strlen(prefix), nl = strlen(name);
	char *s = xmalloc(pl + nl + 1);

	memcpy(s, prefix, pl);
	memcpy(s + pl, name, nl + 1);
	return s;
}

static void
add_tag(struct marks *m, size_t *alloc, char *tag, const git_oid *id)
{
	if (m->nr >= *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		m->tags = xreallocarray(m->tags, *alloc, sizeof(*m->tags));
		m->ids = xreallocarray(m->ids, *alloc, sizeof(*m->ids));
	}
	m->tags[m->nr] = tag;
	m->ids[m->nr++] = *id;
}

/*
 * The files of tree (prefix: its path, "" for the root), subtrees
 * included: names and blob ids only, no blob is read here.
 */
static int
collect(struct marks *m, size_t *alloc, git_tree *tree, const char *prefix,
    int depth)
{
	size_t i, n = git_tree_entrycount(tree);

	for (i = 0; i < n; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(te);
		git_object_t type = git_tree_entry_type(te);

		if (type == GIT_OBJECT_BLOB)
			add_tag(m, alloc, join(prefix, name),
			    git_tree_entry_id(te));
		else if (type == GIT_OBJECT_TREE && depth < 64) {
			git_tree *sub = NULL;
			char *path = xstrfmt("%s%s/", prefix, name);	/* rare */
			int rc = git_tree_lookup(&sub, m->repo,
			    git_tree_entry_id(te));

			if (rc == 0)
				rc = collect(m, alloc, sub, path, depth + 1);
			git_tree_free(sub);
			free(path);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static void
build_hash(struct marks *m)
{
	size_t i, mask;

	m->nslots = 16;
	while (m->nslots < 2 * m->nr)
		m->nslots *= 2;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	mask = m->nslots - 1;
	for (i = 0; i < m->nr; i++) {
		size_t h = hash_str(m->tags[i]) & mask;

		while (m->slots[h] != 0)
			h = (h + 1) & mask;
		m->slots[h] = i + 1;
	}
}

static void
summarize(struct strbuf *sb, const struct mark_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		const char *r = l->items[i].reason;

		if (i > 0)
			strbuf_addstr(sb, "; ");
		strbuf_add(sb, r, strcspn(r, "\n"));
		if (l->items[i].env != NULL)
			strbuf_addf(sb, " (%s)", l->items[i].env);
	}
}

/*
 * Tag i's marks, read on first use (the lists too: for the summary
 * alone, the cache may have it).  The arrays are the loader's, not the
 * const struct's, so that a reader of a const struct marks may fill
 * them.  -1 when the blob cannot be read: said, and taken as a mark
 * (unknown marks keep a release out).
 */
static int
read_tag(const struct marks *m, size_t i)
{
	struct strbuf sum = STRBUF_INIT;
	int ret = 0;

	if (m->read[i] & READ_LISTS)
		return 0;
	m->read[i] |= READ_LISTS;
	if (!(m->read[i] & READ_ID)) {
		if (git_oid_fromstr(&m->ids[i], m->hex[i]) < 0)
			memset(&m->ids[i], 0, sizeof(m->ids[i]));
		m->read[i] |= READ_ID;
	}
	/* an error, not fatal: the command goes on without these marks */
	if (read_blob_said(&m->lists[i], m->repo, &m->ids[i], E_REFUSED) < 0) {
		mark_list_release(&m->lists[i]);
		mark_list_add(&m->lists[i], NULL, "its marks cannot be read");
		ret = -1;
	}
	if (m->read[i] & READ_SUMMARY)
		return ret;
	m->read[i] |= READ_SUMMARY;
	if (m->lists[i].nr == 0)
		return ret;	/* an empty file marks nothing */
	summarize(&sum, &m->lists[i]);
	m->reasons[i] = strbuf_detach(&sum, NULL);
	m->read[i] |= READ_OWNED;
	return ret;
}

/*
 * The cache, <common dir>/marks-cache: what one marks commit says, so
 * that a command does not read thousands of blobs to list the releases
 * they mark.  The first line is CACHE_MAGIC, the second "marks <commit
 * id>", then one line per file of that commit's tree, in tree order:
 * "<blob id> <tag>\t<summary>" (the summary empty when the file marks
 * nothing).  A commit never changes, so the lines are a fact about it;
 * a cache naming another commit, or not in this form, is ignored and
 * rebuilt.  The tags and summaries stay in the text read.
 */
static char *
marks_cache_path(git_repository *repo)
{
	return xstrfmt("%s" CACHE_FILE, git_repository_commondir(repo));
}

static void
alloc_per_tag(struct marks *m, size_t n)
{
	n = n ? n : 1;

	m->reasons = xcalloc(n, sizeof(*m->reasons));
	m->read = xcalloc(n, sizeof(*m->read));
	m->lists = xcalloc(n, sizeof(*m->lists));
}

/* 1 when the cache is of commit and every line was taken */
static int
cache_read(struct marks *m, const git_oid *commit)
{
	struct strbuf text = STRBUF_INIT;
	char *path = marks_cache_path(m->repo), *p, *eol, *sp, *tab;
	size_t lines = 0, n = 0, i;
	git_oid id;
	int ok = 0;

	if (strbuf_read_file(&text, path) < 0)
		goto out;
	for (p = text.buf; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	if (lines < 2)
		goto out;
	m->tags = xcalloc(lines, sizeof(*m->tags));
	m->hex = xcalloc(lines, sizeof(*m->hex));
	m->ids = xcalloc(lines, sizeof(*m->ids));
	alloc_per_tag(m, lines);
	for (p = text.buf; *p != '\0'; p = eol + 1, n++) {
		if ((eol = strchr(p, '\n')) == NULL)
			goto out;	/* cut short: not ours */
		*eol = '\0';
		if (n == 0) {
			if (strcmp(p, CACHE_MAGIC) != 0)
				goto out;
			continue;
		}
		if (n == 1) {
			if (strncmp(p, "marks ", 6) != 0 ||
			    strlen(p) != 6 + GIT_OID_HEXSZ ||
			    git_oid_fromstr(&id, p + 6) < 0 ||
			    !git_oid_equal(&id, commit))
				goto out;
			continue;
		}
		sp = p + GIT_OID_HEXSZ;
		if (eol - p < GIT_OID_HEXSZ + 2 || *sp != ' ' ||
		    strspn(p, "0123456789abcdef") != GIT_OID_HEXSZ ||
		    (tab = strchr(sp + 1, '\t')) == NULL || tab == sp + 1)
			goto out;
		*sp = *tab = '\0';
		i = m->nr++;
		m->hex[i] = p;
		m->tags[i] = sp + 1;
		m->read[i] = READ_SUMMARY;
		m->reasons[i] = tab[1] != '\0' ? tab + 1 : NULL;
	}
	ok = 1;
	m->text = strbuf_detach(&text, NULL);
out:
	git_error_clear();
	if (!ok) {
		free(m->tags);
		free(m->hex);
		free(m->ids);
		free(m->reasons);
		free(m->read);
		free(m->lists);
		m->tags = m->hex = m->reasons = NULL;
		m->ids = NULL;
		m->read = NULL;
		m->lists = NULL;
		m->nr = 0;
	}
	strbuf_release(&text);
	free(path);
	return ok;
}

/* whole or not at all, and silent (write_cache_file) */
static void
cache_write(const struct marks *m, const git_oid *commit)
{
	struct strbuf text = STRBUF_INIT;
	char *path = marks_cache_path(m->repo);
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	strbuf_addf(&text, CACHE_MAGIC "\nmarks %s\n",
	    git_oid_tostr(hex, sizeof(hex), commit));
	for (i = 0; i < m->nr; i++) {
		strbuf_addstr(&text, git_oid_tostr(hex, sizeof(hex),
		    &m->ids[i]));
		strbuf_addch(&text, ' ');
		strbuf_addstr(&text, m->tags[i]);
		strbuf_addch(&text, '\t');
		if (m->reasons[i] != NULL)
			strbuf_addstr(&text, m->reasons[i]);
		strbuf_addch(&text, '\n');
	}
	(void)write_cache_file(path, text.buf, text.len);
	strbuf_release(&text);
	free(path);
}

int
marks_load(struct marks *out, struct ctx *ctx)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid id;
	size_t alloc = 0, i;
	int rc, ret = -1;

	out->repo = ctx->repo;
	rc = git_reference_name_to_id(&id, ctx->repo, DEPLOY_MARKS_REF);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0) {
		ret = error_git(E_FATAL, "cannot read '%s'", DEPLOY_MARKS_REF);
		goto out;
	}
	if (!cache_read(out, &id)) {
		if (git_commit_lookup(&c, ctx->repo, &id) < 0 ||
		    git_commit_tree(&tree, c) < 0 ||
		    collect(out, &alloc, tree, "", 0) < 0) {
			ret = error_git(E_FATAL, "cannot read '%s'",
			    DEPLOY_MARKS_REF);
			goto out;
		}
		alloc_per_tag(out, out->nr);
		for (i = 0; i < out->nr; i++)
			out->read[i] = READ_ID;
		/* many: read them all once, the next command reads none */
		if (out->nr >= CACHE_MIN_MARKS && !ctx->read_only) {
			int readable = 1;

			for (i = 0; i < out->nr; i++)
				readable &= read_tag(out, i) == 0;
			if (readable)
				cache_write(out, &id);
		}
	}
	build_hash(out);
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

	for (i = 0; i < m->nr; i++) {
		if (m->read[i] & READ_LISTS)
			mark_list_release(&m->lists[i]);
		if (m->read[i] & READ_OWNED)
			free(m->reasons[i]);
		if (m->text == NULL)
			free(m->tags[i]);
	}
	free(m->lists);
	free(m->reasons);
	free(m->read);
	free(m->ids);
	free(m->hex);
	free(m->tags);
	free(m->slots);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

static long
tag_index(const struct marks *m, const char *tag)
{
	size_t h, mask = m->nslots - 1;

	if (m->nslots == 0)
		return -1;
	for (h = hash_str(tag) & mask; m->slots[h] != 0; h = (h + 1) & mask)
		if (strcmp(m->tags[m->slots[h] - 1], tag) == 0)
			return (long)(m->slots[h] - 1);
	return -1;
}

const char *
marks_reason(const struct marks *m, const char *tag)
{
	long i = tag_index(m, tag);

	if (i < 0)
		return NULL;
	if (!(m->read[i] & READ_SUMMARY))
		read_tag(m, (size_t)i);
	return m->reasons[i];
}

const struct mark_list *
marks_of(const struct marks *m, const char *tag)
{
	long i = tag_index(m, tag);

	if (i < 0)
		return NULL;
	read_tag(m, (size_t)i);
	return m->lists[i].nr ? &m->lists[i] : NULL;
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
