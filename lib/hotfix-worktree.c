/*
 * The worktree side of a hotfix: is the tree clean, and checking out
 * only what differs between two commits, so that start and finish cost
 * what a hotfix changes and not the size of the tree.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "hotfix-merge.h"
#include "banned.h"

/*
 * The paths whose entries differ between trees a and b (either may be
 * NULL: the empty tree), descending only into subtrees whose ids differ,
 * so the cost is what changed, not the size of the tree.
 */
static int
tree_changes(struct strlist *out, git_repository *repo, const git_tree *a,
    const git_tree *b, struct strbuf *prefix)
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
		if ((ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&ta, repo, git_tree_entry_id(ea)) < 0) ||
		    (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&tb, repo, git_tree_entry_id(eb)) < 0))
			rc = -1;
		else if (ta != NULL || tb != NULL) {
			/* a file on one side, a directory on the other: both */
			if ((ea && ta == NULL) || (eb && tb == NULL))
				strlist_add(out, prefix->buf);
			strbuf_addch(prefix, '/');
			rc = tree_changes(out, repo, ta, tb, prefix);
		} else
			strlist_add(out, prefix->buf);
		git_tree_free(ta);
		git_tree_free(tb);
		i += ea != NULL;
		j += eb != NULL;
	}
	strbuf_setlen(prefix, len);
	return rc;
}

int
hotfix_checkout(struct ctx *ctx, const git_oid *from, const git_oid *to)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_commit *fc = NULL, *tc = NULL;
	git_tree *ft = NULL, *tt = NULL;
	struct strlist paths = STRLIST_INIT;
	struct strbuf prefix = STRBUF_INIT;
	int ret = -1;

	if (git_commit_lookup(&fc, ctx->repo, from) < 0 ||
	    git_commit_lookup(&tc, ctx->repo, to) < 0 ||
	    git_commit_tree(&ft, fc) < 0 || git_commit_tree(&tt, tc) < 0 ||
	    tree_changes(&paths, ctx->repo, ft, tt, &prefix) < 0) {
		ret = error_git(E_FATAL, "cannot compare the trees to check out");
		goto out;
	}
	ret = 0;
	if (paths.nr == 0)
		goto out;
	co.checkout_strategy = GIT_CHECKOUT_SAFE |
	    GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.paths.strings = paths.items;
	co.paths.count = paths.nr;
	if (git_checkout_tree(ctx->repo, (git_object *)tt, &co) < 0)
		ret = error_git(E_REFUSED, "cannot check out %.7s",
		    git_oid_tostr_s(to));
out:
	strlist_release(&paths);
	strbuf_release(&prefix);
	git_tree_free(ft);
	git_tree_free(tt);
	git_commit_free(fc);
	git_commit_free(tc);
	return ret;
}

/*
 * The stat data of e still describes the file, as git decides it: same
 * times, size, inode, type and executable bit, and not racily clean
 * (changed in the same instant the index was written, where only the
 * content could tell).
 */
static int
entry_fresh(const git_index_entry *e, const struct stat *st,
    const struct timespec *index_mtime)
{
	if ((uint32_t)st->st_mtim.tv_sec != (uint32_t)e->mtime.seconds ||
	    (uint32_t)st->st_ctim.tv_sec != (uint32_t)e->ctime.seconds ||
	    (uint32_t)st->st_size != e->file_size ||
	    (uint32_t)st->st_ino != e->ino)
		return 0;
	if ((e->mtime.nanoseconds != 0 &&
	    (uint32_t)st->st_mtim.tv_nsec != e->mtime.nanoseconds) ||
	    (e->ctime.nanoseconds != 0 &&
	    (uint32_t)st->st_ctim.tv_nsec != e->ctime.nanoseconds))
		return 0;
	if (S_ISLNK(e->mode) ? !S_ISLNK(st->st_mode) :
	    !S_ISREG(st->st_mode) || (st->st_mode & 0100) != (e->mode & 0100))
		return 0;
	if ((int64_t)e->mtime.seconds != (int64_t)index_mtime->tv_sec)
		return (int64_t)e->mtime.seconds < (int64_t)index_mtime->tv_sec;
	/* the same second: only nanoseconds can tell, when there are any */
	return e->mtime.nanoseconds != 0 &&
	    e->mtime.nanoseconds < (uint32_t)index_mtime->tv_nsec;
}

/* every tracked file unchanged by its stat data; 0 when unsure */
static int
worktree_fresh(git_index *ix, const char *workdir)
{
	struct strbuf dir = STRBUF_INIT;
	struct timespec index_mtime;
	struct stat st;
	size_t i, n = git_index_entrycount(ix);
	int top, dfd = -1, fresh = 0;

	if (stat(git_index_path(ix), &st) < 0)
		return 0;
	index_mtime = st.st_mtim;
	if ((top = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	dfd = top;
	for (i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(ix, i);
		const char *slash = strrchr(e->path, '/');
		size_t dlen = slash ? (size_t)(slash - e->path) : 0;

		if ((e->mode & 0170000) == 0160000)	/* a submodule */
			continue;
		if (e->flags_extended != 0)	/* intent-to-add, skip-worktree */
			goto out;
		/* entries are sorted: one directory open per directory */
		if (dlen != dir.len || memcmp(dir.buf, e->path, dlen) != 0) {
			if (dfd != top)
				close(dfd);
			strbuf_reset(&dir);
			strbuf_add(&dir, e->path, dlen);
			dfd = dlen ? openat(top, dir.buf, O_RDONLY |
			    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : top;
			if (dfd < 0)
				goto out;
		}
		if (fstatat(dfd, slash ? slash + 1 : e->path, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 ||
		    !entry_fresh(e, &st, &index_mtime))
			goto out;
	}
	fresh = 1;
out:
	if (dfd >= 0 && dfd != top)
		close(dfd);
	close(top);
	strbuf_release(&dir);
	return fresh;
}

/* the fast answer: 1 clean for sure, 0 let libgit2's status decide */
static int
clean_fast(struct ctx *ctx)
{
	git_status_options so = GIT_STATUS_OPTIONS_INIT;
	git_status_list *list = NULL;
	git_index *ix = NULL;
	const char *wd = git_repository_workdir(ctx->repo);
	int clean = 0;

	if (wd == NULL || git_repository_index(&ix, ctx->repo) < 0 ||
	    git_index_read(ix, 0) < 0 || git_index_has_conflicts(ix) ||
	    !worktree_fresh(ix, wd))
		goto out;
	/* the index against HEAD reads no file */
	so.show = GIT_STATUS_SHOW_INDEX_ONLY;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, ctx->repo, &so) == 0)
		clean = git_status_list_entrycount(list) == 0;
out:
	git_error_clear();
	git_status_list_free(list);
	git_index_free(ix);
	return clean;
}

int
hotfix_require_clean(struct ctx *ctx, const char *what)
{
	int rc;

	if ((rc = repo_require_worktree(ctx, what)) < 0)
		return rc;
	if (clean_fast(ctx))
		return 0;
	return repo_require_clean(ctx, what);
}
