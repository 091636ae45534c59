/* Unit tests for lib/treediff.c: the paths that differ between trees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "lib/treediff.h"
#include "t/unit/tap.h"

static git_repository *repo;

/* a tree of "path=content" files, from the repository's index */
static void
make_tree(git_oid *out, const char *const *files)
{
	git_index *ix = NULL;
	git_index_entry e;

	if (git_repository_index(&ix, repo) < 0 || git_index_clear(ix) < 0)
		exit(1);
	for (; *files != NULL; files++) {
		const char *eq = strchr(*files, '=');
		char path[256];

		snprintf(path, sizeof(path), "%.*s", (int)(eq - *files),
		    *files);
		memset(&e, 0, sizeof(e));
		e.path = path;
		e.mode = GIT_FILEMODE_BLOB;
		if (git_index_add_from_buffer(ix, &e, eq + 1,
		    strlen(eq + 1)) < 0)
			exit(1);
	}
	if (git_index_write_tree(out, ix) < 0)
		exit(1);
	git_index_free(ix);
}

/* the paths from..to, sorted and joined with spaces */
static const char *
changes(struct strlist *l, const git_oid *from, const git_oid *to)
{
	static struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	if (tree_changed_paths(l, repo, from, to) < 0)
		return "(error)";
	for (i = 0; i < l->nr; i++)	/* tiny lists: a plain sort */
		for (j = i + 1; j < l->nr; j++)
			if (strcmp(l->items[i], l->items[j]) > 0) {
				char *t = l->items[i];

				l->items[i] = l->items[j];
				l->items[j] = t;
			}
	strbuf_reset(&sb);
	for (i = 0; i < l->nr; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", l->items[i]);
	return sb.buf;
}

int
main(void)
{
	static const char *const a[] = { "keep/x=1", "keep/y=2", "f=one",
	    "swap=file", "gone/z=3", NULL };
	static const char *const b[] = { "keep/x=1", "keep/y=2", "f=two",
	    "swap/inner=now a dir", "new/deep/w=4", NULL };
	char dir[] = "/tmp/test-treediff.XXXXXX";
	struct strlist l = STRLIST_INIT;
	git_oid ta, tb;
	char *rm;

	if (mkdtemp(dir) == NULL || git_libgit2_init() < 0 ||
	    git_repository_init(&repo, dir, 0) < 0) {
		fprintf(stderr, "cannot make a test repository in %s\n", dir);
		return 1;
	}
	make_tree(&ta, a);
	make_tree(&tb, b);

	is_str(changes(&l, &ta, &ta), "", "the same tree: nothing");
	is_str(changes(&l, &ta, &tb),
	    "f gone/z new/deep/w swap swap/inner",
	    "changed, gone, new below a new directory, a file become a dir");
	strlist_release(&l);
	is_str(changes(&l, &tb, &ta),
	    "f gone/z new/deep/w swap swap/inner", "the same backwards");
	is_str(changes(&l, NULL, &tb),
	    "f gone/z keep/x keep/y new/deep/w swap swap/inner",
	    "added to a list: only the paths not there yet");
	strlist_release(&l);
	is_str(changes(&l, &ta, NULL), "f gone/z keep/x keep/y swap",
	    "to the empty tree: every file");
	strlist_release(&l);

	git_repository_free(repo);
	git_libgit2_shutdown();
	rm = xstrfmt("rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "# cannot remove %s\n", dir);
	free(rm);
	return done_testing();
}
