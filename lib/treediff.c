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

static int
walk(struct strlist *out, git_repository *repo, const git_tree *a,
    const git_tree *b, struct strbuf *prefix, int dedupe)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0;
	size_t nb = b ? git_tree_entrycount(b) : 0, len = prefix->len;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i)
		    : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j)
		    : NULL;
		int c = ea == NULL ? 1 : eb == NULL ? -1 :
		    git_tree_entry_cmp(ea, eb);
		git_tree *ta = NULL, *tb = NULL;

		if (c == 0 && git_oid_equal(git_tree_entry_id(ea),
		    git_tree_entry_id(eb)) &&
		    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb)) {
			i++, j++;
			continue;
		}
		if (c > 0)
			ea = NULL;
		if (c < 0)
			eb = NULL;
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
		i += ea != NULL;
		j += eb != NULL;
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
