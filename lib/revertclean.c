/*
 * A clean-worktree check that costs one lstat per index entry: libgit2
 * 1.5's status resolves every path and looks up attributes per file,
 * which on a 20,000-file tree costs more than the whole revert.  When
 * anything is not plainly clean (a stat mismatch, a racily clean entry,
 * a conflict, sparse entries) the authoritative repo_require_clean()
 * decides and says what is wrong.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "sequencer.h"
#include "banned.h"

static int
same_time(const git_index_time *t, const struct timespec *ts)
{
	return t->seconds == (int32_t)ts->tv_sec &&
	    t->nanoseconds == (uint32_t)ts->tv_nsec;
}

static int
newer_or_same(const git_index_time *t, const struct timespec *ts)
{
	return t->seconds > (int32_t)ts->tv_sec ||
	    (t->seconds == (int32_t)ts->tv_sec &&
	    t->nanoseconds >= (uint32_t)ts->tv_nsec);
}

/* does the worktree file match the entry's cached stat data? */
static int
entry_clean(const git_index_entry *e, const char *workdir,
    struct strbuf *path, const struct timespec *index_mtime)
{
	struct stat st;

	if (e->flags_extended & (GIT_INDEX_ENTRY_SKIP_WORKTREE |
	    GIT_INDEX_ENTRY_INTENT_TO_ADD))
		return 0;
	if (e->mode == GIT_FILEMODE_COMMIT)
		return 1;		/* submodules are not our business */
	strbuf_reset(path);
	strbuf_addstr(path, workdir);
	strbuf_addstr(path, e->path);
	if (lstat(path->buf, &st) < 0)
		return 0;
	if (e->mode == GIT_FILEMODE_LINK ? !S_ISLNK(st.st_mode) :
	    !S_ISREG(st.st_mode))
		return 0;
	if ((e->mode == GIT_FILEMODE_BLOB_EXECUTABLE) !=
	    ((st.st_mode & S_IXUSR) != 0) && e->mode != GIT_FILEMODE_LINK)
		return 0;
	return e->file_size == (uint32_t)st.st_size &&
	    e->ino == (uint32_t)st.st_ino &&
	    same_time(&e->mtime, &st.st_mtim) &&
	    !newer_or_same(&e->mtime, index_mtime);
}

int
revert_require_clean(struct ctx *ctx, const char *what)
{
	git_index *idx = NULL;
	git_object *head = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_diff_options dopt = GIT_DIFF_OPTIONS_INIT;
	struct strbuf path = STRBUF_INIT;
	const char *workdir = git_repository_workdir(ctx->repo);
	struct stat ist;
	size_t i, n;
	int clean = 0;

	if (workdir == NULL ||
	    git_repository_index(&idx, ctx->repo) < 0 ||
	    git_index_read(idx, 0) < 0 || git_index_has_conflicts(idx) ||
	    git_index_path(idx) == NULL ||
	    stat(git_index_path(idx), &ist) < 0 ||
	    git_revparse_single(&head, ctx->repo, "HEAD^{tree}") < 0 ||
	    git_object_peel((git_object **)&tree, head, GIT_OBJECT_TREE) < 0)
		goto out;
	/* staged changes: HEAD against the index, no file system */
	dopt.flags = GIT_DIFF_IGNORE_SUBMODULES;
	if (git_diff_tree_to_index(&diff, ctx->repo, tree, idx, &dopt) < 0 ||
	    git_diff_num_deltas(diff) != 0)
		goto out;
	n = git_index_entrycount(idx);
	for (i = 0; i < n; i++)
		if (!entry_clean(git_index_get_byindex(idx, i), workdir, &path,
		    &ist.st_mtim))
			goto out;
	clean = 1;
out:
	git_error_clear();
	strbuf_release(&path);
	git_diff_free(diff);
	git_tree_free(tree);
	git_object_free(head);
	git_index_free(idx);
	return clean ? 0 : repo_require_clean(ctx, what);
}
