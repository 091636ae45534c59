/*
 * The fast three-way tree merge behind the revert engine (treemerge.h).
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "strbuf.h"
#include "treediff.h"
#include "treemerge.h"
#include "banned.h"

/* one side's entry for a name: absent when id is NULL */
struct side {
	const git_oid	*id;
	git_filemode_t	 mode;
};

static int
side_eq(const struct side *a, const struct side *b)
{
	if (a->id == NULL || b->id == NULL)
		return a->id == b->id;
	return a->mode == b->mode && git_oid_equal(a->id, b->id);
}

static void
side_of(struct side *s, const git_tree *tree, const char *name)
{
	const git_tree_entry *e = NULL;

	if (tree != NULL)
		e = git_tree_entry_byname(tree, name);
	s->id = e ? git_tree_entry_id(e) : NULL;
	s->mode = e ? git_tree_entry_filemode(e) : 0;
}

static int
is_file(git_filemode_t m)
{
	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* git's heuristic: a NUL in the first 8000 bytes means binary */
static int
looks_binary(const git_blob *b)
{
	git_object_size_t n = git_blob_rawsize(b);

	if (n > 8000)
		n = 8000;
	return memchr(git_blob_rawcontent(b), 0, (size_t)n) != NULL;
}

/* both sides changed a regular file: merge the modes, then the text */
static int
merge_file(struct side *out, git_repository *repo, const char *name,
    const struct side *b, const struct side *o, const struct side *t,
    git_oid *id_buf)
{
	git_blob *blob[3] = { NULL, NULL, NULL };
	git_merge_file_input in[3];
	git_merge_file_options fo = GIT_MERGE_FILE_OPTIONS_INIT;
	git_merge_file_result res = { 0 };
	const struct side *s[3] = { b, o, t };
	int i, rc;

	if (b->mode == o->mode)
		out->mode = t->mode;
	else if (b->mode == t->mode || o->mode == t->mode)
		out->mode = o->mode;
	else
		return TREEMERGE_UNSURE;
	if (git_oid_equal(o->id, t->id) || git_oid_equal(b->id, t->id)) {
		out->id = o->id;
		return 0;
	}
	if (git_oid_equal(b->id, o->id)) {
		out->id = t->id;
		return 0;
	}
	for (i = 0; i < 3; i++) {
		if ((rc = git_blob_lookup(&blob[i], repo, s[i]->id)) < 0)
			goto out;
		if (looks_binary(blob[i])) {
			rc = TREEMERGE_UNSURE;
			goto out;
		}
		git_merge_file_input_init(&in[i], GIT_MERGE_FILE_INPUT_VERSION);
		in[i].ptr = git_blob_rawcontent(blob[i]);
		in[i].size = (size_t)git_blob_rawsize(blob[i]);
		in[i].path = name;
		in[i].mode = s[i]->mode;
	}
	if ((rc = git_merge_file(&res, &in[0], &in[1], &in[2], &fo)) < 0)
		goto out;
	if (!res.automergeable) {
		rc = TREEMERGE_UNSURE;
		goto out;
	}
	if ((rc = git_blob_create_from_buffer(id_buf, repo, res.ptr,
	    res.len)) < 0)
		goto out;
	out->id = id_buf;
	rc = 0;
out:
	git_merge_file_result_free(&res);
	for (i = 0; i < 3; i++)
		git_blob_free(blob[i]);
	return rc;
}

static int merge_trees(git_oid *out, int *empty, git_repository *repo,
    const git_oid *base, const git_oid *ours, const git_oid *theirs);

/* decide one name; *res is the merged entry (id NULL: absent) */
static int
merge_name(struct side *res, git_repository *repo, const char *name,
    const struct side *b, const struct side *o, const struct side *t,
    git_oid *id_buf)
{
	int empty = 0, rc;

	/*
	 * Deleted on both sides: one of them may have renamed it, which
	 * git reports as a rename/delete conflict.
	 */
	if (b->id != NULL && o->id == NULL && t->id == NULL)
		return TREEMERGE_UNSURE;
	if (side_eq(o, t) || side_eq(b, t)) {
		*res = *o;
		return 0;
	}
	if (side_eq(b, o)) {
		*res = *t;
		return 0;
	}
	if (b->id == NULL || o->id == NULL || t->id == NULL)
		return TREEMERGE_UNSURE;	/* add/add, modify/delete */
	if (b->mode == GIT_FILEMODE_TREE && o->mode == GIT_FILEMODE_TREE &&
	    t->mode == GIT_FILEMODE_TREE) {
		rc = merge_trees(id_buf, &empty, repo, b->id, o->id, t->id);
		if (rc != 0)
			return rc;
		res->id = empty ? NULL : id_buf;
		res->mode = GIT_FILEMODE_TREE;
		return 0;
	}
	if (is_file(b->mode) && is_file(o->mode) && is_file(t->mode))
		return merge_file(res, repo, name, b, o, t, id_buf);
	return TREEMERGE_UNSURE;	/* type changes, symlinks, submodules */
}

static int
lookup_tree(git_tree **out, git_repository *repo, const git_oid *id)
{
	*out = NULL;
	return id ? git_tree_lookup(out, repo, id) : 0;
}

/*
 * The names whose entries differ between base and theirs, by one walk
 * of both in git's order: a name that is the same on both sides merges
 * to ours, whatever ours holds (merge_name), so it needs no look-up.  A
 * name that is a file on one side and a directory on the other comes
 * twice in the walk and is listed once.
 */
static void
differing_names(struct strlist *out, const git_tree *b, const git_tree *t)
{
	struct tree_pair w = TREE_PAIR_INIT(b, t);
	const git_tree_entry *eb, *et;

	while (tree_pair_next(&w, &eb, &et))
		if (eb != NULL || b == NULL || git_tree_entry_byname(b,
		    git_tree_entry_name(et)) == NULL)
			strlist_add(out, git_tree_entry_name(eb ? eb : et));
}

/* one entry of the merged tree, as it is written */
struct tent {
	const char	*name;		/* the tree's or the list's */
	git_oid		 id;
	git_filemode_t	 mode;
};

/* git's order: a directory's name compares as if it ended with '/' */
static int
tent_cmp(const void *x, const void *y)
{
	const struct tent *a = x, *b = y;
	size_t la = strlen(a->name), lb = strlen(b->name);
	size_t n = la < lb ? la : lb;
	int c = memcmp(a->name, b->name, n);
	unsigned char ca, cb;

	if (c != 0)
		return c;
	ca = n < la ? (unsigned char)a->name[n] :
	    a->mode == GIT_FILEMODE_TREE ? '/' : '\0';
	cb = n < lb ? (unsigned char)b->name[n] :
	    b->mode == GIT_FILEMODE_TREE ? '/' : '\0';
	return (int)ca - (int)cb;
}

static int
name_cmp(const void *x, const void *y)
{
	return strcmp(((const struct tent *)x)->name,
	    ((const struct tent *)y)->name);
}

/*
 * Ours with the merged names in place (id NULL: gone), written as git
 * writes a tree: "<mode> <name>\0<id>" an entry, in git's order.  The
 * entries come from valid trees, so there is nothing to check, sort
 * aside; git_treebuilder would hash-index and validate every one.
 */
static int
write_merged(git_oid *out, int *empty, git_repository *repo,
    const git_tree *ours, struct tent *chg, size_t nchg)
{
	size_t n = ours ? git_tree_entrycount(ours) : 0, nt = 0, i;
	struct tent *all = xreallocarray(NULL, n + nchg + 1, sizeof(*all));
	struct strbuf buf = STRBUF_INIT;
	git_odb *odb = NULL;
	int rc;

	qsort(chg, nchg, sizeof(*chg), name_cmp);
	for (i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(ours, i);
		struct tent key;

		key.name = git_tree_entry_name(e);
		if (nchg > 0 && bsearch(&key, chg, nchg, sizeof(*chg),
		    name_cmp) != NULL)
			continue;	/* merged: from the list below */
		all[nt].name = key.name;
		git_oid_cpy(&all[nt].id, git_tree_entry_id(e));
		all[nt++].mode = git_tree_entry_filemode(e);
	}
	for (i = 0; i < nchg; i++)
		if (chg[i].mode != 0)
			all[nt++] = chg[i];
	qsort(all, nt, sizeof(*all), tent_cmp);
	for (i = 0; i < nt; i++) {
		strbuf_addf(&buf, "%o %s", (unsigned)all[i].mode, all[i].name);
		strbuf_addch(&buf, '\0');
		strbuf_add(&buf, all[i].id.id, GIT_OID_RAWSZ);
	}
	*empty = nt == 0;
	if ((rc = git_repository_odb(&odb, repo)) == 0)
		rc = git_odb_write(out, odb, buf.buf, buf.len,
		    GIT_OBJECT_TREE);
	git_odb_free(odb);
	strbuf_release(&buf);
	free(all);
	return rc;
}

static int
merge_trees(git_oid *out, int *empty, git_repository *repo,
    const git_oid *base, const git_oid *ours, const git_oid *theirs)
{
	git_tree *tree[3] = { NULL, NULL, NULL };
	struct strlist names = STRLIST_INIT;
	struct tent *chg = NULL;
	size_t i, nchg = 0;
	int k, rc;

	*empty = 0;
	if ((rc = lookup_tree(&tree[0], repo, ours)) < 0 ||
	    (rc = lookup_tree(&tree[1], repo, base)) < 0 ||
	    (rc = lookup_tree(&tree[2], repo, theirs)) < 0)
		goto out;
	differing_names(&names, tree[1], tree[2]);
	chg = xreallocarray(NULL, names.nr + 1, sizeof(*chg));
	for (i = 0; i < names.nr; i++) {
		const char *name = names.items[i];
		struct side b, o, t, res;
		git_oid id_buf;

		side_of(&o, tree[0], name);
		side_of(&b, tree[1], name);
		side_of(&t, tree[2], name);
		rc = merge_name(&res, repo, name, &b, &o, &t, &id_buf);
		if (rc != 0)
			goto out;
		if (side_eq(&res, &o))
			continue;
		chg[nchg].name = name;
		chg[nchg].mode = res.id != NULL ? res.mode : 0;
		if (res.id != NULL)
			git_oid_cpy(&chg[nchg].id, res.id);
		nchg++;
	}
	if (nchg == 0 && ours != NULL) {
		git_oid_cpy(out, ours);
		*empty = git_tree_entrycount(tree[0]) == 0;
	} else
		rc = write_merged(out, empty, repo, tree[0], chg, nchg);
out:
	free(chg);
	strlist_release(&names);
	for (k = 0; k < 3; k++)
		git_tree_free(tree[k]);
	return rc;
}

int
treemerge(git_oid *out, git_repository *repo, const git_oid *base,
    const git_oid *ours, const git_oid *theirs)
{
	struct side b = { base, GIT_FILEMODE_TREE };
	struct side o = { ours, GIT_FILEMODE_TREE };
	struct side t = { theirs, GIT_FILEMODE_TREE };
	int empty;

	/* the same shortcuts as for any entry, before reading a tree */
	if (side_eq(&o, &t) || side_eq(&b, &t) || side_eq(&b, &o)) {
		const git_oid *id = side_eq(&b, &o) && !side_eq(&o, &t) &&
		    !side_eq(&b, &t) ? theirs : ours;

		if (id != NULL) {
			git_oid_cpy(out, id);
			return 0;
		}
	}
	return merge_trees(out, &empty, repo, base, ours, theirs);
}
