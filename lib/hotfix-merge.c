/*
 * Merging a hotfix back, as a step of the finish's plan: in memory
 * first, so a clean merge is one commit and one checkout of what it
 * changes; a conflicted one is written out as git would leave it
 * (markers, MERGE_HEAD, MERGE_MSG, MERGE_MODE).  We only ever remove the
 * MERGE_* files we wrote, never through git_repository_state_cleanup(),
 * which would also delete a rebase, a sequencer or a bisect that is not
 * ours.
 *
 * The step marks itself stopped before its first effect, and records
 * what it is about to do before doing it ("conflict", "new"), so that a
 * kill anywhere leaves a step --continue runs again and --abort undoes:
 *
 *	ref at new			the merge is made
 *	"new", ref at old		killed while checking it out
 *	"conflict", MERGE_HEAD ours	stopped for the user
 *	"conflict" written, no MERGE_HEAD	the user gave the merge up
 *				(git merge --abort), or committed it
 *	"conflict" writing, no MERGE_HEAD	killed while writing them
 *	neither				nothing was done yet
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "hotfix-merge.h"
#include "journal.h"
#include "plan.h"
#include "treediff.h"
#include "treemerge.h"
#include "banned.h"

#define AGAIN_ABORT	"git hotfix finish --abort"

char *
hotfix_merge_message(const char *branch, const char *into)
{
	const char *b = strncmp(into, "refs/heads/", 11) == 0 ?
	    into + 11 : into;

	if (strcmp(b, "main") == 0 || strcmp(b, "master") == 0)
		return xstrfmt("Merge branch '%s'", branch);
	return xstrfmt("Merge branch '%s' into %s", branch, b);
}

static const char *
short_ref(const char *ref)
{
	return strncmp(ref, "refs/heads/", 11) == 0 ? ref + 11 : ref;
}

/* what a merge step says */
struct merge {
	const char	*into;		/* refs/heads/main */
	const char	*branch;	/* hotfix/x */
	const char	*tag;
	const char	*head;		/* HEAD before, when not on into */
	git_oid		 orig, tip, new;
	git_oid		 from;		/* the commit the worktree was at */
	int		 has_new;
};

static int
merge_get(struct merge *m, const struct plan_step *s)
{
	const char *from = plan_get(&s->attrs, "from");

	memset(m, 0, sizeof(*m));
	m->into = plan_get(&s->attrs, "ref");
	m->tag = plan_get(&s->attrs, "tag");
	m->branch = from != NULL ? short_ref(from) : NULL;
	m->has_new = plan_get_oid(&m->new, &s->attrs, "new");
	m->head = plan_get(&s->attrs, "head");
	if (m->into == NULL || m->branch == NULL || m->tag == NULL ||
	    !plan_get_oid(&m->orig, &s->attrs, "old") ||
	    !plan_get_oid(&m->tip, &s->attrs, "tip"))
		return error_fatal("the journal's merge step is damaged");
	if (m->head == NULL)
		git_oid_cpy(&m->from, &m->orig);
	else if (!plan_get_oid(&m->from, &s->attrs, "head-commit"))
		return error_fatal("the journal's merge step is damaged");
	return 0;
}

static char *
git_file(struct ctx *ctx, const char *name)
{
	return xstrfmt("%s%s", git_repository_path(ctx->repo), name);
}

/* the MERGE_HEAD in the git dir names our tip: the stop is ours */
static int
merge_head_is(struct ctx *ctx, const git_oid *tip, int *exists)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = git_file(ctx, "MERGE_HEAD");
	git_oid id;
	int ours = 0;

	*exists = strbuf_read_file(&sb, path) == 0;
	strbuf_rtrim(&sb);
	if (*exists && sb.len == GIT_OID_HEXSZ &&
	    git_oid_fromstr(&id, sb.buf) == 0 && git_oid_equal(&id, tip))
		ours = 1;
	git_error_clear();
	free(path);
	strbuf_release(&sb);
	return ours;
}

static void
unlink_merge_files(struct ctx *ctx)
{
	/* MERGE_HEAD first: without it the rest is nobody's merge */
	static const char *const files[] = {
		"MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", NULL
	};
	size_t i;

	for (i = 0; files[i] != NULL; i++) {
		char *p = git_file(ctx, files[i]);

		if (unlink(p) < 0 && errno != ENOENT)
			warning("cannot remove '%s': %s", p, strerror(errno));
		free(p);
	}
}

static void
conflict_paths(struct strlist *out, git_index *idx)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *a, *o, *t;

	if (git_index_conflict_iterator_new(&it, idx) < 0) {
		git_error_clear();
		return;
	}
	while (git_index_conflict_next(&a, &o, &t, it) == 0) {
		const char *p = o ? o->path : t ? t->path : a->path;

		if (!strlist_has(out, p))
			strlist_add(out, p);
	}
	git_index_conflict_iterator_free(it);
	git_error_clear();
}

static int
head_is(struct ctx *ctx, const char *ref)
{
	char *head = repo_head_branch(ctx);
	int rc = head != NULL && strcmp(head, ref) == 0;

	free(head);
	return rc;
}

/* HEAD onto the release branch, the worktree from m->from to its tip */
static int
switch_into(struct ctx *ctx, const struct merge *m, int forced)
{
	int rc;

	if (head_is(ctx, m->into))
		return 0;
	if ((rc = forced ? hotfix_checkout_forced(ctx, &m->from, &m->orig) :
	    hotfix_checkout(ctx, &m->from, &m->orig)) < 0)
		return rc;
	if (git_repository_set_head(ctx->repo, m->into) < 0)
		return error_git(E_FATAL, "cannot check out '%s'",
		    short_ref(m->into));
	return 0;
}

/* HEAD back where the finish found it (the worktree is there already) */
static int
switch_back(struct ctx *ctx, const struct merge *m)
{
	git_oid id;
	int detached;

	if (m->head == NULL || !head_is(ctx, m->into))
		return 0;
	detached = strncmp(m->head, "refs/", 5) != 0;
	if (detached ? git_oid_fromstr(&id, m->head) < 0 ||
	    git_repository_set_head_detached(ctx->repo, &id) < 0 :
	    git_repository_set_head(ctx->repo, m->head) < 0)
		return error_git(E_REFUSED, "cannot check out '%s' again",
		    short_ref(m->head));
	return 0;
}

/*
 * The merge in memory: 0 and *tree when clean, 1 and *idx (the
 * conflicted index) when not; *base the merge base.
 */
static int
merge_compute(git_oid *tree, git_index **idx, git_oid *base,
    struct ctx *ctx, const struct merge *m)
{
	git_merge_options mo = GIT_MERGE_OPTIONS_INIT;
	git_commit *ours = NULL, *theirs = NULL, *b = NULL;
	int ret = E_FATAL, rc;

	*idx = NULL;
	if (git_commit_lookup(&ours, ctx->repo, &m->orig) < 0 ||
	    git_commit_lookup(&theirs, ctx->repo, &m->tip) < 0) {
		error_git(E_FATAL, "cannot read the commits to merge");
		goto out;
	}
	if (git_merge_base(base, ctx->repo, &m->orig, &m->tip) < 0) {
		ret = error_git(E_REFUSED, "'%s' and '%s' have no common "
		    "history", m->branch, short_ref(m->into));
		goto out;
	}
	if (git_commit_lookup(&b, ctx->repo, base) < 0) {
		error_git(E_FATAL, "cannot read the merge base");
		goto out;
	}
	/* the fast merge first: it costs what changed, not the tree's size */
	rc = treemerge(tree, ctx->repo, git_commit_tree_id(b),
	    git_commit_tree_id(ours), git_commit_tree_id(theirs));
	if (rc < 0) {
		error_git(E_FATAL, "cannot merge the trees");
		goto out;
	}
	if (rc != TREEMERGE_UNSURE) {
		ret = 0;
		goto out;
	}
	if (git_merge_commits(idx, ctx->repo, ours, theirs, &mo) < 0) {
		error_git(E_FATAL, "cannot merge '%s'", m->branch);
		goto out;
	}
	if (git_index_has_conflicts(*idx)) {
		ret = 1;
		goto out;
	}
	if (git_index_write_tree_to(tree, *idx, ctx->repo) < 0) {
		error_git(E_FATAL, "cannot write the merged tree");
		goto out;
	}
	git_index_free(*idx);
	*idx = NULL;
	ret = 0;
out:
	git_commit_free(b);
	git_commit_free(ours);
	git_commit_free(theirs);
	return ret;
}

/* the merge commit, an object only: nothing points to it yet */
static int
merge_commit(git_oid *out, struct ctx *ctx, const struct merge *m,
    const git_oid *tree_id, const char *msg)
{
	const git_signature *author, *committer;
	git_commit *ours = NULL, *theirs = NULL;
	git_tree *tree = NULL;
	int ret;

	if ((ret = ctx_author(&author, ctx)) < 0 ||
	    (ret = ctx_committer(&committer, ctx)) < 0)
		return ret;
	ret = 0;
	if (git_commit_lookup(&ours, ctx->repo, &m->orig) < 0 ||
	    git_commit_lookup(&theirs, ctx->repo, &m->tip) < 0 ||
	    git_tree_lookup(&tree, ctx->repo, tree_id) < 0)
		ret = error_git(E_FATAL, "cannot read the merge's parts");
	else {
		const git_commit *parents[] = { ours, theirs };

		if (git_commit_create(out, ctx->repo, NULL, author, committer,
		    NULL, msg, tree, 2, parents) < 0)
			ret = error_git(E_FATAL, "cannot create the merge");
	}
	git_tree_free(tree);
	git_commit_free(ours);
	git_commit_free(theirs);
	return ret;
}

/* the release branch from orig to the merge, compared, HEAD on it */
static int
move_into(struct ctx *ctx, const struct merge *m, const char *how)
{
	git_reference *ref = NULL;
	char *log = xstrfmt("hotfix finish%s: merge %s (%s) into %s", how,
	    m->branch, m->tag, short_ref(m->into));
	int ret = 0;

	if (git_reference_create_matching(&ref, ctx->repo, m->into, &m->new,
	    1, &m->orig, log) < 0)
		ret = error_git(E_REFUSED, "cannot update '%s'",
		    short_ref(m->into));
	else if (!head_is(ctx, m->into) &&
	    git_repository_set_head(ctx->repo, m->into) < 0)
		ret = error_git(E_FATAL, "cannot check out '%s'",
		    short_ref(m->into));
	git_reference_free(ref);
	free(log);
	return ret;
}

/* write the conflicted merge out as git would; MERGE_HEAD last */
static int
write_conflicts(struct ctx *ctx, const struct merge *m, git_index *idx,
    const char *msg, const git_oid *base, int forced)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	struct strlist paths = STRLIST_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *mh = git_file(ctx, "MERGE_HEAD");
	char *mm = git_file(ctx, "MERGE_MSG");
	char *mo = git_file(ctx, "MERGE_MODE");
	char ancestor[16];
	size_t i;
	int ret = E_FATAL;

	conflict_paths(&paths, idx);
	/* explicit labels: libgit2's default is the text after the last / */
	git_oid_tostr(ancestor, 8, base);
	co.checkout_strategy = (forced ? GIT_CHECKOUT_FORCE :
	    GIT_CHECKOUT_SAFE) | GIT_CHECKOUT_ALLOW_CONFLICTS;
	co.our_label = "HEAD";
	co.their_label = m->branch;
	co.ancestor_label = ancestor;
	if (git_checkout_index(ctx->repo, idx, &co) < 0) {
		ret = error_git(E_REFUSED, "cannot write the conflicted merge");
		goto out;
	}
	strbuf_addf(&sb, "%s\n\n# Conflicts:\n", msg);
	for (i = 0; i < paths.nr; i++)
		strbuf_addf(&sb, "#\t%s\n", paths.items[i]);
	if (write_file_atomic(mm, sb.buf, sb.len) < 0 ||
	    write_file_atomic(mo, "no-ff", strlen("no-ff")) < 0)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s\n", git_oid_tostr_s(&m->tip));
	if (write_file_atomic(mh, sb.buf, sb.len) < 0)
		goto out;
	error("merging %s into %s stopped: %zu conflict%s", m->branch,
	    short_ref(m->into), paths.nr, paths.nr == 1 ? "" : "s");
	for (i = 0; i < paths.nr; i++)
		fprintf(stderr, "\t%s\n", paths.items[i]);
	hint("tag %s is made and kept, on %.7s", m->tag,
	    git_oid_tostr_s(&m->tip));
	hint("resolve the conflicts, \"git add\" them, then run "
	    "\"git hotfix finish --continue\"");
	hint("or give up the merge with \"git hotfix finish --abort\" "
	    "(add --drop-tag to delete %s too)", m->tag);
	ret = 0;
out:
	free(mh);
	free(mm);
	free(mo);
	strlist_release(&paths);
	strbuf_release(&sb);
	return ret;
}

/*
 * The paths the merge changes over orig (the same merge again, in
 * memory) and those conflicted in the index now.
 */
static int
merge_paths(struct strlist *out, struct ctx *ctx, const struct merge *m)
{
	git_merge_options mo = GIT_MERGE_OPTIONS_INIT;
	git_commit *orig = NULL, *theirs = NULL;
	git_index *midx = NULL, *ix = NULL;
	git_tree *otree = NULL;
	git_diff *d = NULL;
	size_t i, n;
	int ret = E_FATAL;

	if (git_commit_lookup(&orig, ctx->repo, &m->orig) < 0 ||
	    git_commit_lookup(&theirs, ctx->repo, &m->tip) < 0 ||
	    git_merge_commits(&midx, ctx->repo, orig, theirs, &mo) < 0 ||
	    git_commit_tree(&otree, orig) < 0 ||
	    git_diff_tree_to_index(&d, ctx->repo, otree, midx, NULL) < 0 ||
	    git_repository_index(&ix, ctx->repo) < 0 ||
	    git_index_read(ix, 1) < 0) {
		error_git(E_FATAL, "cannot work out what the merge changed");
		goto out;
	}
	n = git_diff_num_deltas(d);
	for (i = 0; i < n; i++) {
		const git_diff_delta *dd = git_diff_get_delta(d, i);

		if (!strlist_has(out, dd->old_file.path))
			strlist_add(out, dd->old_file.path);
		if (!strlist_has(out, dd->new_file.path))
			strlist_add(out, dd->new_file.path);
	}
	conflict_paths(out, ix);
	ret = 0;
out:
	git_diff_free(d);
	git_tree_free(otree);
	git_index_free(ix);
	git_index_free(midx);
	git_commit_free(theirs);
	git_commit_free(orig);
	return ret;
}

/*
 * A kill while libgit2 wrote a file of the worktree leaves "<file>.lock"
 * beside it: for the paths this step was writing, under our lock, such
 * a file (untracked) is ours to remove.
 */
static void
remove_stale_locks(struct ctx *ctx, const struct strlist *paths)
{
	const char *wd = git_repository_workdir(ctx->repo);
	git_index *ix = NULL;
	struct stat st;
	size_t i;

	if (wd == NULL || git_repository_index(&ix, ctx->repo) < 0) {
		git_error_clear();
		return;
	}
	for (i = 0; i < paths->nr; i++) {
		char *rel = xstrfmt("%s.lock", paths->items[i]);
		char *abs = xstrfmt("%s%s", wd, rel);

		if (git_index_get_bypath(ix, rel, 0) == NULL &&
		    lstat(abs, &st) == 0 && S_ISREG(st.st_mode) &&
		    unlink(abs) < 0)
			warning("cannot remove '%s': %s", abs, strerror(errno));
		free(rel);
		free(abs);
	}
	git_index_free(ix);
}

/* the same for the paths between two commits */
static void
remove_stale_locks_between(struct ctx *ctx, const git_oid *a,
    const git_oid *b)
{
	struct strlist paths = STRLIST_INIT;
	git_commit *ca = NULL, *cb = NULL;

	if (git_commit_lookup(&ca, ctx->repo, a) == 0 &&
	    git_commit_lookup(&cb, ctx->repo, b) == 0 &&
	    tree_changed_paths(&paths, ctx->repo, git_commit_tree_id(ca),
	    git_commit_tree_id(cb)) == 0)
		remove_stale_locks(ctx, &paths);
	git_error_clear();
	strlist_release(&paths);
	git_commit_free(ca);
	git_commit_free(cb);
}

/* paths of the index and worktree exactly as in commit id, the rest kept */
static int
reset_paths(struct ctx *ctx, const git_oid *id, const struct strlist *paths)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	git_index *ix = NULL;
	git_index_entry e;
	size_t i;
	int ret = E_FATAL;

	if (paths->nr == 0)
		return 0;
	if (git_commit_lookup(&c, ctx->repo, id) < 0 ||
	    git_commit_tree(&tree, c) < 0)
		goto fail;
	/* checkout first, while the index still knows the merge's files */
	co.checkout_strategy = GIT_CHECKOUT_FORCE |
	    GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.paths.strings = paths->items;
	co.paths.count = paths->nr;
	if (git_checkout_tree(ctx->repo, (git_object *)tree, &co) < 0 ||
	    git_repository_index(&ix, ctx->repo) < 0 ||
	    git_index_read(ix, 1) < 0)
		goto fail;
	for (i = 0; i < paths->nr; i++) {
		const char *p = paths->items[i];

		git_index_conflict_remove(ix, p);
		git_error_clear();
		if (git_tree_entry_bypath(&te, tree, p) < 0) {
			git_error_clear();
			git_index_remove_bypath(ix, p);
			git_error_clear();
			continue;
		}
		memset(&e, 0, sizeof(e));
		e.path = p;
		e.id = *git_tree_entry_id(te);
		e.mode = git_tree_entry_filemode(te);
		git_tree_entry_free(te);
		te = NULL;
		if (git_index_add(ix, &e) < 0)
			goto fail;
	}
	if (git_index_write(ix) < 0)
		goto fail;
	/* once more from a plain index: the files and their stat data */
	if (git_checkout_index(ctx->repo, ix, &co) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	error_git(E_FATAL, "cannot restore the merged paths");
out:
	git_index_free(ix);
	git_tree_free(tree);
	git_commit_free(c);
	return ret;
}

/* the message the user may have edited in MERGE_MSG, comments removed */
static char *
merge_message(struct ctx *ctx, const struct merge *m)
{
	struct strbuf sb = STRBUF_INIT;
	git_buf clean = GIT_BUF_INIT;
	char *path = git_file(ctx, "MERGE_MSG"), *msg = NULL;

	if (strbuf_read_file(&sb, path) == 0 &&
	    git_message_prettify(&clean, sb.buf, 1, '#') == 0 &&
	    clean.size > 0)
		msg = xstrdup(clean.ptr);
	if (msg == NULL) {
		char *s = hotfix_merge_message(m->branch, m->into);

		msg = xstrfmt("%s\n", s);
		free(s);
	}
	git_error_clear();
	git_buf_dispose(&clean);
	strbuf_release(&sb);
	free(path);
	return msg;
}

static void
say_merged(const struct merge *m)
{
	printf("merged %s into %s (%.7s)\n", m->branch, short_ref(m->into),
	    git_oid_tostr_s(&m->new));
}

/* the merge, from nothing done: made, or stopped on its conflicts */
static int
merge_fresh(struct plan_exec *x, struct plan_step *s, struct merge *m,
    int forced)
{
	struct ctx *ctx = x->ctx;
	git_index *idx = NULL;
	git_oid tree, base;
	char *msg = hotfix_merge_message(m->branch, m->into), *full = NULL;
	int rc;

	if ((rc = merge_compute(&tree, &idx, &base, ctx, m)) < 0)
		goto out;
	if (rc == 1) {
		/* said before written: a kill from here on is ours to clear */
		plan_set(&s->attrs, "conflict", "writing");
		if ((rc = journal_save(x->journal)) < 0)
			goto out;
		/* conflicts are written over the release branch's tree */
		if ((rc = switch_into(ctx, m, forced)) < 0) {
			if (!forced) {
				/* refused before writing a file */
				plan_set(&s->attrs, "conflict", NULL);
				s->status = PLAN_PENDING;
			}
			goto out;
		}
		if ((rc = write_conflicts(ctx, m, idx, msg, &base,
		    forced)) < 0)
			goto out;
		/* the executor writes it down with the stop */
		plan_set(&s->attrs, "conflict", "written");
		rc = PLAN_STOP;
		goto out;
	}
	full = xstrfmt("%s\n", msg);
	if ((rc = merge_commit(&m->new, ctx, m, &tree, full)) < 0)
		goto out;
	m->has_new = 1;
	plan_set_oid(&s->attrs, "new", &m->new);
	if ((rc = journal_save(x->journal)) < 0)
		goto out;
	/*
	 * The worktree first, straight from where it is to the merge (one
	 * checkout, one index written): a kill before the branch moves is
	 * undone.
	 */
	if (forced)
		rc = hotfix_checkout_forced(ctx, &m->from, &m->new);
	else if ((rc = hotfix_checkout(ctx, &m->from, &m->new)) < 0) {
		/* refused before writing a file: not begun after all */
		plan_set(&s->attrs, "new", NULL);
		s->status = PLAN_PENDING;
		goto out;
	}
	if (rc < 0 || (rc = move_into(ctx, m, "")) < 0)
		goto out;
	say_merged(m);
out:
	git_index_free(idx);
	free(msg);
	free(full);
	return rc;
}

/* --continue of a merge stopped on conflicts */
static int
merge_resolved(struct plan_exec *x, struct plan_step *s, struct merge *m,
    const git_oid *cur)
{
	struct ctx *ctx = x->ctx;
	struct strlist paths = STRLIST_INIT;
	git_index *ix = NULL;
	git_oid tree;
	char *msg = NULL;
	size_t i;
	int exists, rc;

	if (!merge_head_is(ctx, &m->tip, &exists)) {
		if (exists) {
			rc = error("MERGE_HEAD is not the merge of '%s'",
			    m->branch);
			hint("finish that merge first, or \"git merge "
			    "--abort\" it");
			goto out;
		}
		/* the user finished the merge with a plain "git commit" */
		if (!git_oid_equal(cur, &m->orig) &&
		    git_graph_descendant_of(ctx->repo, cur, &m->tip) == 1) {
			info("%s was merged by \"git commit\" as %.7s",
			    m->branch, git_oid_tostr_s(cur));
			plan_set_oid(&s->attrs, "new", cur);
			plan_set(&s->attrs, "committed", "1");
			rc = 0;
			goto out;
		}
		if (git_oid_equal(cur, &m->orig) && strcmp(plan_get(&s->attrs,
		    "conflict"), "writing") == 0) {
			/* killed while writing the conflicts: again, forced */
			remove_stale_locks_between(ctx, &m->from, &m->orig);
			if ((rc = switch_into(ctx, m, 1)) < 0 ||
			    (rc = merge_paths(&paths, ctx, m)) < 0)
				goto out;
			remove_stale_locks(ctx, &paths);
			if ((rc = reset_paths(ctx, &m->orig, &paths)) < 0)
				goto out;
			rc = merge_fresh(x, s, m, 1);
			goto out;
		}
		rc = error("the merge of '%s' is no longer in progress and "
		    "'%s' does not contain it", m->branch, short_ref(m->into));
		hint("clean up with \"git hotfix finish --abort\"");
		goto out;
	}
	if (!head_is(ctx, m->into) || !git_oid_equal(cur, &m->orig)) {
		rc = error("'%s' moved or is no longer checked out since "
		    "the merge stopped", short_ref(m->into));
		hint("check out '%s' at %.7s, or abort", short_ref(m->into),
		    git_oid_tostr_s(&m->orig));
		goto out;
	}
	if (git_repository_index(&ix, ctx->repo) < 0 ||
	    git_index_read(ix, 1) < 0) {
		rc = error_git(E_FATAL, "cannot read the index");
		goto out;
	}
	if (git_index_has_conflicts(ix)) {
		conflict_paths(&paths, ix);
		rc = error("you still have unmerged paths:");
		for (i = 0; i < paths.nr; i++)
			fprintf(stderr, "\t%s\n", paths.items[i]);
		hint("fix them, \"git add\" them, then run \"git hotfix "
		    "finish --continue\" again");
		goto out;
	}
	if (git_index_write_tree(&tree, ix) < 0) {
		rc = error_git(E_FATAL, "cannot write the resolved tree");
		goto out;
	}
	msg = merge_message(ctx, m);
	if ((rc = merge_commit(&m->new, ctx, m, &tree, msg)) < 0)
		goto out;
	m->has_new = 1;
	plan_set_oid(&s->attrs, "new", &m->new);
	if ((rc = journal_save(x->journal)) < 0 ||
	    (rc = move_into(ctx, m, " --continue")) < 0)
		goto out;
	unlink_merge_files(ctx);
	say_merged(m);
out:
	free(msg);
	strlist_release(&paths);
	git_index_free(ix);
	return rc;
}

int
hotfix_merge_run(struct plan_exec *x, struct plan_step *s)
{
	struct merge m;
	git_oid cur;
	int found, exists, rc;

	if ((rc = merge_get(&m, s)) < 0 ||
	    (rc = repo_ref_id(&cur, &found, x->ctx, m.into)) < 0)
		return rc;
	if (!found)
		return error("'%s' is gone", short_ref(m.into));
	if (s->status == PLAN_STOPPED) {
		/* made already: what is left of the merge files goes */
		if (m.has_new && git_oid_equal(&cur, &m.new)) {
			if (merge_head_is(x->ctx, &m.tip, &exists))
				unlink_merge_files(x->ctx);
			if (!head_is(x->ctx, m.into) &&
			    git_repository_set_head(x->ctx->repo, m.into) < 0)
				return error_git(E_FATAL, "cannot check out "
				    "'%s'", short_ref(m.into));
			return 0;
		}
		if (plan_get(&s->attrs, "conflict") != NULL)
			return merge_resolved(x, s, &m, &cur);
		if (!git_oid_equal(&cur, &m.orig))
			goto moved;
		if (m.has_new) {
			/* killed while checking the merge out */
			remove_stale_locks_between(x->ctx, &m.from, &m.new);
			if ((rc = hotfix_checkout_forced(x->ctx, &m.from,
			    &m.new)) < 0 || (rc = move_into(x->ctx, &m, "")) < 0)
				return rc;
			say_merged(&m);
			return 0;
		}
		return merge_fresh(x, s, &m, 1);
	}
	if (!git_oid_equal(&cur, &m.orig))
		goto moved;
	if ((rc = journal_mark(x->journal, x->index, PLAN_STOPPED)) < 0)
		return rc;
	return merge_fresh(x, s, &m, 0);
moved:
	error("'%s' moved since the finish was planned: it is at %.7s, "
	    "%.7s expected", short_ref(m.into), git_oid_tostr_s(&cur),
	    git_oid_tostr_s(&m.orig));
	return E_REFUSED;
}

int
hotfix_merge_undo(struct plan_exec *x, struct plan_step *s)
{
	struct ctx *ctx = x->ctx;
	struct strlist paths = STRLIST_INIT;
	struct merge m;
	git_oid cur;
	int found, exists, rc;

	if ((rc = merge_get(&m, s)) < 0 ||
	    (rc = repo_ref_id(&cur, &found, ctx, m.into)) < 0)
		return rc;
	if (found && m.has_new && git_oid_equal(&cur, &m.new)) {
		if (plan_get(&s->attrs, "committed") != NULL) {
			rc = error("the merge of '%s' was committed by hand "
			    "(%.7s)", m.branch, git_oid_tostr_s(&cur));
			hint("finish with \"git hotfix finish --continue\", "
			    "or reset '%s' to %.7s yourself", short_ref(m.into),
			    git_oid_tostr_s(&m.orig));
			return rc;
		}
		/* made: its paths back, refused over edits of the user's */
		if ((head_is(ctx, m.into) || m.head != NULL) &&
		    (rc = hotfix_checkout_back(ctx, &m.new, &m.from, 1,
		    AGAIN_ABORT)) < 0)
			return rc;
		if (merge_head_is(ctx, &m.tip, &exists))
			unlink_merge_files(ctx);
		/* the branch from new to old, then HEAD where it was */
		if ((rc = plan_step_default_undo(x, s)) < 0)
			return rc;
		return switch_back(ctx, &m);
	}
	if (!found || !git_oid_equal(&cur, &m.orig)) {
		if (found && git_graph_descendant_of(ctx->repo, &cur,
		    &m.tip) == 1) {
			rc = error("the merge of '%s' is already committed "
			    "(%.7s)", m.branch, git_oid_tostr_s(&cur));
			hint("finish with \"git hotfix finish --continue\"");
		} else
			rc = error("'%s' moved since the merge stopped (now "
			    "%.7s)", short_ref(m.into), found ?
			    git_oid_tostr_s(&cur) : "gone");
		return rc < 0 ? rc : E_REFUSED;
	}
	if (plan_get(&s->attrs, "conflict") != NULL) {
		int ours = merge_head_is(ctx, &m.tip, &exists);

		if (!ours && exists) {
			rc = error("MERGE_HEAD is not the merge of '%s'",
			    m.branch);
			hint("that merge is not ours: \"git merge --abort\" it "
			    "first");
			return rc;
		}
		if (ours && !head_is(ctx, m.into)) {
			rc = error("'%s' is no longer checked out",
			    short_ref(m.into));
			hint("check it out again, then abort");
			return rc;
		}
		/*
		 * Put back what the merge wrote and what is conflicted, as
		 * git merge --abort does; an edit the user made elsewhere
		 * while it was stopped stays, one to a path we would put
		 * back refuses the abort.  Killed while writing the
		 * conflicts (no MERGE_HEAD yet): they are ours, forced.
		 */
		if (!ours && strcmp(plan_get(&s->attrs, "conflict"),
		    "written") == 0) {
			/* given up by hand: git put the paths back already */
			if ((rc = hotfix_checkout_back(ctx, &m.orig, &m.from,
			    1, AGAIN_ABORT)) == 0)
				rc = switch_back(ctx, &m);
			goto out;
		}
		if (!ours && !head_is(ctx, m.into)) {
			/* killed while switching: the switch goes back */
			remove_stale_locks_between(ctx, &m.from, &m.orig);
			rc = hotfix_checkout_forced(ctx, &m.orig, &m.from);
			goto out;
		}
		if ((rc = merge_paths(&paths, ctx, &m)) < 0)
			goto out;
		if (!ours)
			remove_stale_locks(ctx, &paths);
		if ((ours && (rc = repo_require_paths_unchanged(ctx, &paths,
		    "abort the merge", AGAIN_ABORT)) < 0) ||
		    (ours && (rc = hotfix_checkout_back_check(ctx, &m.orig,
		    &m.from, AGAIN_ABORT)) < 0) ||
		    (rc = reset_paths(ctx, &m.orig, &paths)) < 0 ||
		    (rc = hotfix_checkout_forced(ctx, &m.orig, &m.from)) < 0)
			goto out;
		unlink_merge_files(ctx);
		rc = switch_back(ctx, &m);
		goto out;
	}
	/* killed while checking the merge out: what it wrote goes back */
	if (m.has_new) {
		remove_stale_locks_between(ctx, &m.from, &m.new);
		rc = hotfix_checkout_forced(ctx, &m.new, &m.from);
	}
out:
	strlist_release(&paths);
	return rc;
}
