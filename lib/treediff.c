/*
 * The paths that differ between two trees, by walking both at once and
 * skipping every subtree whose id is the same on both sides.
 */
#include <git2.h>

#include "treediff.h"
#include "banned.h"

static void
add_path(struct strlist *out, const char *path, int dedupe)
{
	if (!dedupe || !strlist_has(out, path))
		strlist_add(out, path);
}

int
tree_pair_next(struct tree_pair *w, const git_tree_entry **ea,
    const git_tree_entry **eb)
{
	size_t na = w->a ? git_tree_entrycount(w->a) : 0;
	size_t nb = w->b ? git_tree_entrycount(w->b) : 0;

	while (w->i < na || w->j < nb) {
		const git_tree_entry *x = w->i < na ?
		    git_tree_entry_byindex(w->a, w->i) : NULL;
		const git_tree_entry *y = w->j < nb ?
		    git_tree_entry_byindex(w->b, w->j) : NULL;
		int c = x == NULL ? 1 : y == NULL ? -1 : git_tree_entry_cmp(x, y);

		w->i += c <= 0;
		w->j += c >= 0;
		if (c == 0 && git_oid_equal(git_tree_entry_id(x),
		    git_tree_entry_id(y)) &&
		    git_tree_entry_filemode(x) == git_tree_entry_filemode(y))
			continue;
		*ea = c <= 0 ? x : NULL;
		*eb = c >= 0 ? y : NULL;
		return 1;
	}
	return 0;
}

static int
walk(struct strlist *out, git_repository *repo, const git_tree *a,
    const git_tree *b, struct strbuf *prefix, int dedupe)
{
	struct tree_pair w = TREE_PAIR_INIT(a, b);
	const git_tree_entry *ea, *eb;
	size_t len = prefix->len;
	int rc = 0;

	while (rc == 0 && tree_pair_next(&w, &ea, &eb)) {
		git_tree *ta = NULL, *tb = NULL;

		strbuf_setlen(prefix, len);
		strbuf_addstr(prefix, git_tree_entry_name(ea ? ea : eb));
		if (ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(&ta, repo, git_tree_entry_id(ea));
		if (rc == 0 && eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(&tb, repo, git_tree_entry_id(eb));
		if (rc == 0 && (ta != NULL || tb != NULL)) {
			/* a file on one side, a directory on the other: both */
			if ((ea && ta == NULL) || (eb && tb == NULL))
				add_path(out, prefix->buf, dedupe);
			strbuf_addch(prefix, '/');
			rc = walk(out, repo, ta, tb, prefix, dedupe);
		} else if (rc == 0)
			add_path(out, prefix->buf, dedupe);
		git_tree_free(ta);
		git_tree_free(tb);
	}
	strbuf_setlen(prefix, len);
	return rc;
}

int
tree_changed_paths(struct strlist *paths, git_repository *repo,
    const git_oid *from, const git_oid *to)
{
	git_tree *a = NULL, *b = NULL;
	struct strbuf prefix = STRBUF_INIT;
	/* one walk lists a path once: look up only what was there before */
	int rc = 0, dedupe = paths->nr > 0;

	if ((from == NULL || (rc = git_tree_lookup(&a, repo, from)) == 0) &&
	    (to == NULL || (rc = git_tree_lookup(&b, repo, to)) == 0))
		rc = walk(paths, repo, a, b, &prefix, dedupe);
	strbuf_release(&prefix);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}
