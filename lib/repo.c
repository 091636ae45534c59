/*
 * Opening the repository, the safety checks every mutating command runs
 * first, the lock, and the identity.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "journal.h"
#include "repo.h"
#include "spawn.h"
#include "banned.h"

static int
open_repo(git_repository **out)
{
	const char *gd = getenv("GIT_DIR"), *wt = getenv("GIT_WORK_TREE");
	int rc;

	if (gd != NULL) {
		rc = git_repository_open_ext(out, gd,
		    GIT_REPOSITORY_OPEN_NO_SEARCH |
		    GIT_REPOSITORY_OPEN_NO_DOTGIT, NULL);
		if (rc == 0 && wt != NULL)
			rc = git_repository_set_workdir(*out, wt, 0);
	} else
		rc = git_repository_open_ext(out, ".", 0,
		    getenv("GIT_CEILING_DIRECTORIES"));
	return rc;
}

/* does refs/heads/<b> or refs/remotes/<remote>/<b> exist? */
static int
branch_exists(struct ctx *ctx, const char *b)
{
	char *local = xstrfmt("refs/heads/%s", b);
	char *tracking = xstrfmt("refs/remotes/%s/%s", ctx->set.remote, b);
	git_oid id;
	int found;

	found = git_reference_name_to_id(&id, ctx->repo, local) == 0 ||
	    git_reference_name_to_id(&id, ctx->repo, tracking) == 0;
	git_error_clear();
	free(local);
	free(tracking);
	return found;
}

/* a branch work lands on: no hotfix, rollback or production branch */
static int
work_branch(struct ctx *ctx, const char *b)
{
	const char *hp = ctx->set.hotfix_prefix, *rp = ctx->set.rollback_prefix;

	return strncmp(b, hp, strlen(hp)) != 0 &&
	    strncmp(b, rp, strlen(rp)) != 0 &&
	    strcmp(b, ctx->set.rollback_branch) != 0;
}

/* on a hotfix branch: the one local work branch there is, or NULL */
static char *
only_work_branch(struct ctx *ctx)
{
	git_branch_iterator *it = NULL;
	git_reference *ref;
	git_branch_t type;
	char *found = NULL;
	int n = 0;

	if (git_branch_iterator_new(&it, ctx->repo, GIT_BRANCH_LOCAL) < 0) {
		git_error_clear();
		return NULL;
	}
	while (git_branch_next(&ref, &type, it) == 0) {
		const char *name = git_reference_shorthand(ref);

		if (work_branch(ctx, name) && n++ == 0)
			found = xstrdup(name);
		git_reference_free(ref);
	}
	git_error_clear();
	git_branch_iterator_free(it);
	if (n != 1) {
		free(found);
		found = NULL;
	}
	return found;
}

/*
 * release.branch unset: the remote's HEAD branch, else main, else
 * master, else the current branch (on a hotfix branch: the one work
 * branch beside it), else main all the same; the reason is kept for
 * the plans that name the branch.
 */
static void
resolve_release_branch(struct ctx *ctx)
{
	const char *v = config_get(&ctx->cfg, "release.branch");
	char *ref, *head;
	git_reference *r = NULL, *resolved = NULL;
	size_t len;

	if (v != NULL && *v != '\0')
		return;
	ref = xstrfmt("refs/remotes/%s/HEAD", ctx->set.remote);
	len = strlen(ref) - strlen("HEAD");
	if (git_reference_lookup(&r, ctx->repo, ref) == 0 &&
	    git_reference_type(r) == GIT_REFERENCE_SYMBOLIC &&
	    strncmp(git_reference_symbolic_target(r), ref, len) == 0 &&
	    git_reference_resolve(&resolved, r) == 0) {
		ctx->release_branch = xstrdup(git_reference_symbolic_target(r) +
		    len);
		ctx->release_branch_why = xstrfmt("%s's HEAD branch",
		    ctx->set.remote);
	}
	git_error_clear();
	git_reference_free(resolved);
	git_reference_free(r);
	if (ctx->release_branch == NULL && branch_exists(ctx, "main")) {
		ctx->release_branch = xstrdup("main");
		ctx->release_branch_why = xstrfmt("no %s/HEAD; main exists",
		    ctx->set.remote);
	} else if (ctx->release_branch == NULL &&
	    branch_exists(ctx, "master")) {
		ctx->release_branch = xstrdup("master");
		ctx->release_branch_why = xstrfmt("no %s/HEAD, no main; "
		    "master exists", ctx->set.remote);
	} else if (ctx->release_branch == NULL &&
	    (head = repo_head_branch(ctx)) != NULL) {
		if (strncmp(head, "refs/heads/", 11) == 0 &&
		    work_branch(ctx, head + 11)) {
			ctx->release_branch = xstrdup(head + 11);
			ctx->release_branch_why = xstrfmt("no %s/HEAD, main "
			    "or master; the current branch", ctx->set.remote);
		} else if (strncmp(head, "refs/heads/", 11) == 0 &&
		    (ctx->release_branch = only_work_branch(ctx)) != NULL)
			ctx->release_branch_why = xstrfmt("no %s/HEAD, main "
			    "or master; the only branch beside %s",
			    ctx->set.remote, head + 11);
		free(head);
	}
	if (ctx->release_branch == NULL) {
		ctx->release_branch = xstrdup("main");
		ctx->release_branch_why = xstrdup("no branch to go by; the "
		    "default");
	}
	free(ref);
	ctx->set.release_branch = ctx->release_branch;
}

int
ctx_open(struct ctx *ctx)
{
	int rc;

	rc = open_repo(&ctx->repo);
	if (rc == GIT_EOWNER || (rc == GIT_ENOTFOUND &&
	    git_error_last() != NULL &&
	    strstr(git_error_last()->message, "safe.directory") != NULL)) {
		/* libgit2 1.5 is stricter than git: let git decide */
		const char *args[] = { "rev-parse", "--git-dir", NULL };
		struct strbuf out = STRBUF_INIT;

		if (run_git_quiet(&out, args) == 0) {
			git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
			rc = open_repo(&ctx->repo);
		}
		strbuf_release(&out);
	}
	if (rc == GIT_ENOTFOUND)
		return error_fatal("not a git repository (or any of the "
		    "parent directories): .git");
	if (rc < 0)
		return error_git(E_FATAL, "cannot open the repository");
	if ((rc = config_load(&ctx->cfg, ctx->repo)) < 0 ||
	    (rc = settings_load(&ctx->set, &ctx->cfg)) < 0)
		return rc;
	/* what a shallow clone lacks is said as such (error_git) */
	if (git_repository_is_shallow(ctx->repo) == 1)
		err_set_shallow(ctx->set.remote);
	git_error_clear();
	resolve_release_branch(ctx);
	return 0;
}

void
ctx_release(struct ctx *ctx)
{
	repo_unlock(ctx);
	err_set_shallow(NULL);
	free(ctx->release_branch);
	free(ctx->release_branch_why);
	ctx->release_branch = ctx->release_branch_why = NULL;
	free(ctx->cmdline);
	ctx->cmdline = NULL;
	git_signature_free(ctx->committer);
	git_signature_free(ctx->author);
	settings_release(&ctx->set);
	config_release(&ctx->cfg);
	git_repository_free(ctx->repo);
	ctx->committer = ctx->author = NULL;
	ctx->repo = NULL;
}

static int
ident(git_signature **cache, const char *var, int quiet)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	const char *argv[] = { "git", "var", var, NULL };
	struct child c = CHILD_INIT;
	int rc;

	if (*cache != NULL)
		return 0;
	c.argv = argv;
	c.out = &out;
	c.err = &err;
	rc = child_run(&c);
	if (rc != 0) {
		if (rc > 0 && quiet)
			rc = E_FATAL;
		else if (rc > 0) {
			fputs(err.buf, stderr);
			rc = error_fatal("cannot tell who you are (%s)", var);
		}
		goto out;
	}
	strbuf_rtrim(&out);
	if (git_signature_from_buffer(cache, out.buf) < 0)
		rc = error_git(E_FATAL, "bad identity '%s'", out.buf);
out:
	strbuf_release(&out);
	strbuf_release(&err);
	return rc;
}

static int
committer(const git_signature **out, struct ctx *ctx, int quiet)
{
	int rc = ident(&ctx->committer, "GIT_COMMITTER_IDENT", quiet);

	*out = ctx->committer;
	/* reflog entries name the same person (libgit2 reads no env) */
	if (rc == 0 && ctx->committer != NULL && ctx->repo != NULL &&
	    git_repository_set_ident(ctx->repo, ctx->committer->name,
	    ctx->committer->email) < 0)
		git_error_clear();
	return rc;
}

int
ctx_committer(const git_signature **out, struct ctx *ctx)
{
	return committer(out, ctx, 0);
}

int
ctx_committer_quiet(const git_signature **out, struct ctx *ctx)
{
	return committer(out, ctx, 1);
}

static int
same_string(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/*
 * git var gives author and committer the same identity when every
 * variable and key it reads for one is the same for the other: then
 * one child tells both.
 */
static int
same_ident(const struct ctx *ctx)
{
	static const char *const pairs[][2] = {
		{ "GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME" },
		{ "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL" },
		{ "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE" },
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (!same_string(getenv(pairs[i][0]), getenv(pairs[i][1])))
			return 0;
	return same_string(config_get(&ctx->cfg, "author.name"),
	    config_get(&ctx->cfg, "committer.name")) &&
	    same_string(config_get(&ctx->cfg, "author.email"),
	    config_get(&ctx->cfg, "committer.email"));
}

int
ctx_author(const git_signature **out, struct ctx *ctx)
{
	const git_signature *c;
	int rc;

	if (ctx->author == NULL && same_ident(ctx)) {
		if ((rc = committer(&c, ctx, 0)) < 0)
			return rc;
		if (git_signature_dup(&ctx->author, c) < 0)
			return error_git(E_FATAL, "cannot copy the identity");
	}
	rc = ident(&ctx->author, "GIT_AUTHOR_IDENT", 0);
	*out = ctx->author;
	return rc;
}

int
repo_require_worktree(struct ctx *ctx, const char *what)
{
	if (git_repository_is_bare(ctx->repo))
		return error("cannot %s in a bare repository", what);
	return 0;
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

/*
 * Open the directory dir (a path relative to top) one component at a
 * time, following no symbolic link: a tracked "d/f" with "d" now a link
 * to a directory is not the tracked file, even if the inode is the same.
 */
static int
open_dir(int top, const char *dir, size_t len)
{
	struct strbuf part = STRBUF_INIT;
	size_t i = 0;
	int fd = top, next;

	while (fd >= 0 && i < len) {
		const char *end = memchr(dir + i, '/', len - i);
		size_t n = end ? (size_t)(end - (dir + i)) : len - i;

		strbuf_reset(&part);
		strbuf_add(&part, dir + i, n);
		next = openat(fd, part.buf, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (fd != top)
			close(fd);
		fd = next;
		i += n + 1;
	}
	strbuf_release(&part);
	return fd;
}

/* entries lo..hi of the index, as worktree_fresh says */
struct fresh_part {
	git_index		*ix;
	const struct timespec	*index_mtime;
	int			 top;
	size_t			 lo, hi;
	int			 fresh;
};

static void *
fresh_range(void *arg)
{
	struct fresh_part *p = arg;
	struct strbuf dir = STRBUF_INIT;
	struct stat st;
	size_t i;
	int dfd = p->top;

	p->fresh = 0;
	for (i = p->lo; i < p->hi; i++) {
		const git_index_entry *e = git_index_get_byindex(p->ix, i);
		const char *slash = strrchr(e->path, '/');
		size_t dlen = slash ? (size_t)(slash - e->path) : 0;

		if ((e->mode & 0170000) == 0160000)	/* a submodule */
			continue;
		if (e->flags_extended != 0)	/* intent-to-add, skip-worktree */
			goto out;
		/* entries are sorted: one directory open per directory */
		if (i == p->lo || dlen != dir.len ||
		    memcmp(dir.buf, e->path, dlen) != 0) {
			if (dfd != p->top)
				close(dfd);
			strbuf_reset(&dir);
			strbuf_add(&dir, e->path, dlen);
			if ((dfd = open_dir(p->top, dir.buf, dir.len)) < 0)
				goto out;
		}
		if (fstatat(dfd, slash ? slash + 1 : e->path, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 ||
		    !entry_fresh(e, &st, p->index_mtime))
			goto out;
	}
	p->fresh = 1;
out:
	if (dfd >= 0 && dfd != p->top)
		close(dfd);
	strbuf_release(&dir);
	return NULL;
}

/*
 * Every tracked file unchanged by its stat data; 0 when unsure.  A large
 * index is split between threads, one a processor up to FRESH_THREADS,
 * as git's preloaded index is: the stats are most of the time of a clean
 * check, and each waits on the kernel alone.
 */
#define FRESH_THREADS	4
#define FRESH_PER_THREAD 2000

static int
worktree_fresh(git_index *ix, const char *workdir)
{
	struct fresh_part part[FRESH_THREADS];
	pthread_t tid[FRESH_THREADS];
	struct timespec index_mtime;
	struct stat st;
	size_t i, n = git_index_entrycount(ix), nt = 1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int top, fresh = 1, started[FRESH_THREADS] = { 0 };

	if (git_index_path(ix) == NULL || stat(git_index_path(ix), &st) < 0)
		return 0;
	index_mtime = st.st_mtim;
	if ((top = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	while (nt < FRESH_THREADS && (long)nt < cpus &&
	    n / (nt + 1) >= FRESH_PER_THREAD)
		nt++;
	for (i = 0; i < nt; i++) {
		part[i].ix = ix;
		part[i].index_mtime = &index_mtime;
		part[i].top = top;
		part[i].lo = n * i / nt;
		part[i].hi = n * (i + 1) / nt;
		/* the first part here; the others where a thread starts */
		started[i] = i > 0 && pthread_create(&tid[i], NULL,
		    fresh_range, &part[i]) == 0;
	}
	for (i = 0; i < nt; i++)
		if (i == 0 || !started[i])
			fresh_range(&part[i]);
	for (i = 1; i < nt; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
	for (i = 0; i < nt; i++)
		fresh = fresh && part[i].fresh;
	close(top);
	return fresh;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * Does the index hold exactly HEAD's tree?  git keeps, in the index's
 * TREE extension (the cache-tree), the tree id of every directory whose
 * entries have not changed since it was computed; when the root's is
 * valid and is HEAD's tree, no entry needs comparing.  libgit2 1.5 reads
 * that extension but does not expose it, so it is found in the file
 * here: the entries of a version 2 or 3 index have sizes known from
 * their paths, each one checked against the entry libgit2 read.
 * 1 yes; 0 unsure (no valid root, another version, anything unexpected):
 * the caller compares the entries.
 */
static int
index_matches_head(git_index *ix, struct ctx *ctx)
{
	struct strbuf buf = STRBUF_INIT;
	git_object *head = NULL;
	const unsigned char *p, *end;
	size_t i, n = git_index_entrycount(ix), off = 12;
	git_oid root;
	int ret = 0;

	if (git_index_path(ix) == NULL ||
	    strbuf_read_file(&buf, git_index_path(ix)) < 0 || buf.len < 32)
		goto out;
	p = (const unsigned char *)buf.buf;
	end = p + buf.len - GIT_OID_RAWSZ;	/* the checksum */
	if (memcmp(p, "DIRC", 4) != 0 || (be32(p + 4) != 2 &&
	    be32(p + 4) != 3) || be32(p + 8) != n)
		goto out;
	for (i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(ix, i);
		size_t len = strlen(e->path);

		if (e->flags_extended != 0 ||
		    off + 62 + len + 1 > (size_t)(end - p) ||
		    memcmp(p + off + 62, e->path, len + 1) != 0)
			goto out;
		off += (62 + len + 8) & ~(size_t)7;
	}
	/* the extensions: a signature, a size, the data; TREE's root first */
	while (off + 8 <= (size_t)(end - p)) {
		size_t sz = be32(p + off + 4);
		const unsigned char *d = p + off + 8, *nl;

		if (sz > (size_t)(end - d))
			goto out;
		if (memcmp(p + off, "TREE", 4) != 0) {
			off += 8 + sz;
			continue;
		}
		/* "" NUL, "<entries> <subtrees>" LF, the id when entries >= 0 */
		if (sz < 2 || d[0] != '\0' || d[1] == '-' ||
		    (nl = memchr(d, '\n', sz)) == NULL ||
		    (size_t)(nl + 1 + GIT_OID_RAWSZ - d) > sz ||
		    strtoul((const char *)d + 1, NULL, 10) != n)
			goto out;
		git_oid_fromraw(&root, nl + 1);
		if (git_revparse_single(&head, ctx->repo, "HEAD^{tree}") < 0)
			goto out;
		ret = git_oid_equal(&root, git_object_id(head));
		goto out;
	}
out:
	git_error_clear();
	git_object_free(head);
	strbuf_release(&buf);
	return ret;
}

/*
 * The fast answer, one stat per tracked file: libgit2 1.5's status
 * resolves every path and looks up attributes per file, which on a
 * 20,000-file tree costs more than a whole revert.  1 clean for sure,
 * 0 let the status decide (a stat mismatch, a racily clean entry, a
 * conflict, intent-to-add or skip-worktree entries).
 */
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
	if (index_matches_head(ix, ctx)) {
		clean = 1;
		goto out;
	}
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
repo_require_clean(struct ctx *ctx, const char *what)
{
	git_status_options so = GIT_STATUS_OPTIONS_INIT;
	git_status_list *list = NULL;
	size_t i, n;
	int staged = 0, unstaged = 0, rc;

	if ((rc = repo_require_worktree(ctx, what)) < 0)
		return rc;
	if (clean_fast(ctx))
		return 0;
	/* unsure: libgit2's status decides, and says what is wrong */
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, ctx->repo, &so) < 0)
		return error_git(E_FATAL, "cannot read the status");
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);

		if (e->status & (GIT_STATUS_INDEX_NEW |
		    GIT_STATUS_INDEX_MODIFIED | GIT_STATUS_INDEX_DELETED |
		    GIT_STATUS_INDEX_RENAMED | GIT_STATUS_INDEX_TYPECHANGE))
			staged = 1;
		if (e->status & (GIT_STATUS_WT_MODIFIED |
		    GIT_STATUS_WT_DELETED | GIT_STATUS_WT_TYPECHANGE |
		    GIT_STATUS_WT_RENAMED | GIT_STATUS_CONFLICTED))
			unstaged = 1;
	}
	git_status_list_free(list);
	if (staged)
		rc = error("cannot %s: your index contains uncommitted "
		    "changes", what);
	else if (unstaged)
		rc = error("cannot %s: you have unstaged changes", what);
	if (rc < 0)
		hint("commit or stash them first");
	return rc;
}

int
repo_require_paths_unchanged(struct ctx *ctx, const struct strlist *paths,
    const char *what, const char *again)
{
	git_index *ix = NULL;
	unsigned flags;
	size_t i;
	int rc = 0;

	if (git_repository_index(&ix, ctx->repo) < 0 ||
	    git_index_read(ix, 1) < 0) {
		git_index_free(ix);
		return error_git(E_FATAL, "cannot read the index");
	}
	for (i = 0; i < paths->nr && rc == 0; i++) {
		const char *p = paths->items[i];

		if (git_index_get_bypath(ix, p, 0) == NULL)
			continue;	/* conflicted, or not tracked */
		if (git_status_file(&flags, ctx->repo, p) < 0) {
			git_error_clear();
			continue;
		}
		if (flags & (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_DELETED |
		    GIT_STATUS_WT_TYPECHANGE)) {
			rc = error("cannot %s: '%s' has local changes the "
			    "operation did not make", what, p);
			hint("commit or stash them (\"git stash\"), then run "
			    "\"%s\" again", again);
		}
	}
	git_index_free(ix);
	return rc;
}

static int
path_exists(const char *dir, const char *name)
{
	char *p = xstrfmt("%s%s", dir, name);
	struct stat st;
	int rc = stat(p, &st) == 0;

	free(p);
	return rc;
}

int
repo_require_no_operation(struct ctx *ctx, const char *what)
{
	static const struct {
		const char *file, *name, *finish;
	} ops[] = {
		/*
		 * An older version's: finished by that version or by hand
		 * (git-rollback(1)); the files, not their directory: a
		 * kill may leave it empty.
		 */
		{ STATE_ROLLBACK_OLD "/state", "a rollback revert of an older "
		    "version (" STATE_ROLLBACK_OLD " in the git dir)",
		    "git rollback --continue\" or \"git rollback --abort\" "
		    "of the version that started it, or remove \""
		    STATE_ROLLBACK_OLD },
		{ STATE_ROLLBACK_OLD "/rollback", "a rollback of an older "
		    "version (" STATE_ROLLBACK_OLD " in the git dir)",
		    "git rollback --continue\" or \"git rollback --abort\" "
		    "of the version that started it, or remove \""
		    STATE_ROLLBACK_OLD },
		/* an older version's: finished by hand (git-hotfix(1)) */
		{ STATE_HOTFIX_OLD "/plan", "a hotfix finish of an older "
		    "version (" STATE_HOTFIX_OLD " in the git dir)",
		    "git commit\" or \"git merge --abort\", then remove "
		    "\"" STATE_HOTFIX_OLD },
		{ "rebase-merge", "a rebase",
		    "git rebase --continue\" or \"git rebase --abort" },
		{ "rebase-apply", "a rebase or am",
		    "git rebase --continue\" or \"git rebase --abort" },
		{ "MERGE_HEAD", "a merge",
		    "git commit\" or \"git merge --abort" },
		{ "CHERRY_PICK_HEAD", "a cherry-pick",
		    "git cherry-pick --continue\" or \"git cherry-pick --abort" },
		{ "REVERT_HEAD", "a revert",
		    "git revert --continue\" or \"git revert --abort" },
		{ "sequencer", "a cherry-pick or revert sequence",
		    "git revert --continue\" or \"git revert --abort" },
		{ "BISECT_LOG", "a bisect", "git bisect reset" },
	};
	const char *gd = git_repository_path(ctx->repo);
	size_t i;
	int rc;

	if ((rc = journal_require_none(ctx, what)) < 0)
		return rc;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (path_exists(gd, ops[i].file)) {
			error("cannot %s: %s is in progress", what,
			    ops[i].name);
			hint("finish it with \"%s\" first", ops[i].finish);
			return E_REFUSED;
		}
	return 0;
}

/*
 * The holder's line, for the refusal only: it never decides anything,
 * the kernel's lock does.  Empty when the holder has not written it
 * yet (it takes the lock first, then writes).
 */
static void
read_holder(struct strbuf *out, long *pid, int fd)
{
	char buf[1024];
	const char *p;
	ssize_t n;

	*pid = 0;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return;
	buf[n] = '\0';
	strbuf_add(out, buf, strcspn(buf, "\n"));
	if ((p = strstr(buf, "\npid ")) != NULL)
		*pid = strtol(p + 5, NULL, 10);
}

/*
 * The lock is held, and the holder the file names is gone: a child it
 * forked (a hook, a git push) still holds the lock between its fork and
 * its exec, which closes it, or its exit.  A holder killed with -9 at
 * that moment leaves exactly this for a moment; wait for it, up to
 * LOCK_ORPHAN_MS, rather than refuse the --continue or --abort that
 * follows the kill.
 */
#define LOCK_ORPHAN_MS	10000

static int
lock_after_orphan(int fd, long pid)
{
	int waited;

	if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return -1;
	for (waited = 0; waited < LOCK_ORPHAN_MS; waited += 20) {
		struct timespec ts = { 0, 20 * 1000000L };

		nanosleep(&ts, NULL);
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
	}
	return -1;
}

int
repo_lock(struct ctx *ctx)
{
	struct strbuf line = STRBUF_INIT;
	const git_signature *me;
	char *path;
	long holder;
	int fd, rc = 0;

	if (ctx->lock_fd >= 0)
		return 0;
	path = xstrfmt("%srelease-suite.lock",
	    git_repository_commondir(ctx->repo));
	/*
	 * Never unlinked: a second process must lock the very inode the
	 * first one holds.  The kernel drops the lock when the holder
	 * exits, however it dies, so there is nothing stale to guess.
	 */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = error_fatal("cannot open '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			rc = error_fatal("cannot lock '%s': %s", path,
			    strerror(errno));
			close(fd);
			goto out;
		}
		read_holder(&line, &holder, fd);
		if (lock_after_orphan(fd, holder) == 0) {
			strbuf_reset(&line);
			break;
		}
		close(fd);
		error("another git release, rollback or hotfix is running "
		    "in this repository: %s", line.len ? line.buf :
		    "(just starting)");
		hint("wait for it to finish, then run your command again");
		rc = E_REFUSED;
		goto out;
	}
	strbuf_addstr(&line, ctx->cmdline ? ctx->cmdline : "git release");
	strbuf_addf(&line, "\npid %ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 ||
	    pwrite(fd, line.buf, line.len, 0) != (ssize_t)line.len)
		warning("cannot write '%s': %s", path, strerror(errno));
	ctx->lock_fd = fd;
	/*
	 * Every reflog entry of a mutating command names the person git
	 * would: GIT_COMMITTER_* first, then the configuration.  A command
	 * that needs the identity and has none fails where it needs it.
	 */
	if (ctx_committer_quiet(&me, ctx) < 0)
		git_error_clear();
out:
	strbuf_release(&line);
	free(path);
	return rc;
}

void
repo_unlock(struct ctx *ctx)
{
	if (ctx->lock_fd < 0)
		return;
	/* the holder's line goes before the lock does (best effort) */
	(void)!ftruncate(ctx->lock_fd, 0);
	close(ctx->lock_fd);
	ctx->lock_fd = -1;
}

char *
repo_state_path(struct ctx *ctx, const char *state, const char *file)
{
	return xstrfmt("%s%s%s%s", git_repository_path(ctx->repo), state,
	    file ? "/" : "", file ? file : "");
}

int
repo_state_write(struct ctx *ctx, const char *state, const char *file,
    const struct strbuf *text)
{
	char *dir = repo_state_path(ctx, state, NULL);
	char *path = repo_state_path(ctx, state, file);
	int rc;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		rc = error_fatal("cannot create '%s': %s", dir,
		    strerror(errno));
	else
		rc = write_file_atomic(path, text->buf, text->len);
	free(dir);
	free(path);
	return rc;
}

void
repo_state_remove(struct ctx *ctx, const char *state, const char *file)
{
	char *dir = repo_state_path(ctx, state, NULL);
	char *path = repo_state_path(ctx, state, file);
	size_t flen = strlen(file);
	struct dirent *de;
	DIR *d;

	unlink(path);
	/* a write killed before its rename leaves "<file>.XXXXXX" */
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (strncmp(de->d_name, file, flen) == 0 &&
			    de->d_name[flen] == '.' &&
			    strlen(de->d_name + flen) == 7)
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	if (rmdir(dir) < 0 && errno != ENOENT && errno != ENOTEMPTY)
		warning("cannot remove '%s': %s", dir, strerror(errno));
	free(path);
	free(dir);
}

void
repo_hint_index_lock(struct ctx *ctx)
{
	char *path = xstrfmt("%sindex.lock", git_repository_path(ctx->repo));

	/* libgit2 says "the index is locked" without naming the file */
	if (access(path, F_OK) == 0)
		fprintf(stderr, "hint: another git process seems to be "
		    "running in this repository; if none is (one was "
		    "killed),\nhint: remove '%s' and run the command "
		    "again\n", path);
	free(path);
}

int
repo_state_exists(struct ctx *ctx, const char *state)
{
	return path_exists(git_repository_path(ctx->repo), state);
}

int
repo_lookup_commit(git_commit **out, struct ctx *ctx, const char *spec)
{
	git_object *obj = NULL;
	int rc;

	*out = NULL;
	if (git_revparse_single(&obj, ctx->repo, spec) < 0) {
		git_error_clear();
		return error_fatal("'%s' is not a valid commit", spec);
	}
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0) {
		git_error_clear();
		return error_fatal("'%s' is not a valid commit", spec);
	}
	return 0;
}

int
repo_ref_id(git_oid *out, int *found, struct ctx *ctx, const char *ref)
{
	int rc = git_reference_name_to_id(out, ctx->repo, ref);

	*found = rc == 0;
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return error_git(E_FATAL, "cannot read '%s'", ref);
	return 0;
}

char *
repo_head_branch(struct ctx *ctx)
{
	git_reference *head = NULL;
	char *name = NULL;

	if (git_reference_lookup(&head, ctx->repo, "HEAD") < 0) {
		git_error_clear();
		return NULL;
	}
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		name = xstrdup(git_reference_symbolic_target(head));
	git_reference_free(head);
	return name;
}

void
repo_hint_shallow(struct ctx *ctx, const char *what)
{
	if (git_repository_is_shallow(ctx->repo) != 1) {
		git_error_clear();
		return;
	}
	hint("this is a shallow clone: %s beyond its depth are not here",
	    what);
	hint("git fetch --unshallow --tags%s%s",
	    strcmp(ctx->set.remote, "origin") == 0 ? "" : " ",
	    strcmp(ctx->set.remote, "origin") == 0 ? "" : ctx->set.remote);
}

int
interactive(void)
{
	return isatty(0) && isatty(2);
}
