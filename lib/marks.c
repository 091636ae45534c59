/*
 * Releases marked bad.  refs/deploy/marks is a commit whose tree holds a
 * file per marked tag (the path is the tag name, the content the
 * reason); every mark and unmark is a new commit on top, so the history
 * of who marked what and why stays readable with git log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "deploylog.h"
#include "banned.h"

struct walk_data {
	struct marks	*m;
	git_repository	*repo;
	int		 failed;
};

static int
load_one(const char *root, const git_tree_entry *te, void *payload)
{
	struct walk_data *w = payload;
	git_blob *blob = NULL;
	struct strbuf reason = STRBUF_INIT;

	if (git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		return 0;
	if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(te)) < 0) {
		w->failed = 1;
		return -1;
	}
	strbuf_add(&reason, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	strbuf_rtrim(&reason);
	strlist_add_nodup(&w->m->tags, xstrfmt("%s%s", root,
	    git_tree_entry_name(te)));
	strlist_add_nodup(&w->m->reasons, strbuf_detach(&reason, NULL));
	git_blob_free(blob);
	return 0;
}

struct mark_pair {
	char	*tag;
	char	*reason;
};

static int
pair_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mark_pair *)a)->tag,
	    ((const struct mark_pair *)b)->tag);
}

/*
 * The tree walk gives paths nearly in byte order (git sorts a tree's
 * entries so); make it exact, tags and reasons together, so that
 * marks_reason() can search instead of scanning.
 */
static void
sort_marks(struct marks *m)
{
	struct mark_pair *p;
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
	}
	qsort(p, m->tags.nr, sizeof(*p), pair_cmp);
	for (i = 0; i < m->tags.nr; i++) {
		m->tags.items[i] = p[i].tag;
		m->reasons.items[i] = p[i].reason;
	}
	free(p);
}

int
marks_load(struct marks *out, struct ctx *ctx)
{
	struct walk_data w = { out, ctx->repo, 0 };
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
	strlist_release(&m->tags);
	strlist_release(&m->reasons);
}

const char *
marks_reason(const struct marks *m, const char *tag)
{
	size_t lo = 0, hi = m->tags.nr;

	/* sorted by marks_load(): a binary search, not a scan per release */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->tags.items[mid], tag);

		if (c == 0)
			return m->reasons.items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* put (reason) or drop (reason NULL) tag's file in an index */
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

int
marks_set_reflog(struct ctx *ctx, const char *tag, const char *reason,
    const char *reflog)
{
	struct strbuf msg = STRBUF_INIT, content = STRBUF_INIT;
	const git_signature *me;
	git_commit *tip = NULL;
	git_tree *tree = NULL, *newtree = NULL;
	git_index *idx = NULL;
	git_reference *ref = NULL;
	git_oid old, blob, tree_id, id;
	char *dflt = NULL;
	int found, ret = -1, rc;

	if ((rc = ctx_committer(&me, ctx)) < 0)
		return rc;
	rc = git_reference_name_to_id(&old, ctx->repo, DEPLOY_MARKS_REF);
	found = rc == 0;
	if (rc == GIT_ENOTFOUND)
		git_error_clear();
	else if (rc < 0)
		goto fail;
	if (git_index_new(&idx) < 0)
		goto fail;
	if (found && (git_commit_lookup(&tip, ctx->repo, &old) < 0 ||
	    git_commit_tree(&tree, tip) < 0 ||
	    git_index_read_tree(idx, tree) < 0))
		goto fail;
	if (reason != NULL) {
		strbuf_addf(&content, "%s\n", reason);
		if (git_blob_create_from_buffer(&blob, ctx->repo, content.buf,
		    content.len) < 0)
			goto fail;
	}
	rc = marks_index_apply(idx, ctx->repo, tag, reason ? &blob : NULL);
	if (rc == GIT_ENOTFOUND) {
		ret = error("release '%s' is not marked bad", tag);
		goto out;
	}
	if (rc < 0 || git_index_write_tree_to(&tree_id, idx, ctx->repo) < 0)
		goto fail;
	if (tree != NULL && git_oid_equal(&tree_id, git_tree_id(tree))) {
		ret = 0;	/* already so */
		goto out;
	}
	if (reason != NULL)
		strbuf_addf(&msg, "mark %s bad\n\nTag: %s\nReason: %s\n", tag,
		    tag, reason);
	else
		strbuf_addf(&msg, "unmark %s\n\nTag: %s\n", tag, tag);
	if (reflog == NULL)
		reflog = dflt = reason ? xstrfmt("mark: %s bad", tag) :
		    xstrfmt("unmark: %s", tag);
	if (git_tree_lookup(&newtree, ctx->repo, &tree_id) < 0 ||
	    git_commit_create(&id, ctx->repo, NULL, me, me, NULL, msg.buf,
	    newtree, found ? 1 : 0, (const git_commit **)&tip) < 0 ||
	    git_reference_ensure_log(ctx->repo, DEPLOY_MARKS_REF) < 0 ||
	    git_reference_create_matching(&ref, ctx->repo, DEPLOY_MARKS_REF,
	    &id, found, found ? &old : NULL, reflog) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	ret = error_git(E_FATAL, "cannot update '%s'", DEPLOY_MARKS_REF);
out:
	free(dflt);
	git_reference_free(ref);
	git_index_free(idx);
	git_tree_free(newtree);
	git_tree_free(tree);
	git_commit_free(tip);
	strbuf_release(&msg);
	strbuf_release(&content);
	return ret;
}

int
marks_set(struct ctx *ctx, const char *tag, const char *reason)
{
	return marks_set_reflog(ctx, tag, reason, NULL);
}
