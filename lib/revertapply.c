/*
 * The revert engine's write phase, in an order a crash cannot make
 * unrecoverable: the state file first (everything needed to redo or
 * undo what follows), then the worktree (the changed paths only), then
 * the branch with compare-and-swap, then a conflict's markers,
 * REVERT_HEAD and MERGE_MSG, then the state's "stopped" phase.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "revert.h"
#include "sequencer.h"
#include "treediff.h"
#include "banned.h"

static int
conflict_style(struct ctx *ctx)
{
	const char *style = config_get(&ctx->cfg, "merge.conflictstyle");

	if (style == NULL)
		return 0;
	if (strcmp(style, "diff3") == 0)
		return GIT_CHECKOUT_CONFLICT_STYLE_DIFF3;
	if (strcmp(style, "zdiff3") == 0)
		return GIT_CHECKOUT_CONFLICT_STYLE_ZDIFF3;
	return GIT_CHECKOUT_CONFLICT_STYLE_MERGE;
}

/* the paths the checkout visits, once: the dry run's are the run's */
static int
checkout_paths(struct ctx *ctx, const struct seq_state *st,
    struct strlist *paths)
{
	git_commit *tip = NULL;
	int rc;

	if (paths->nr > 0)
		return 0;
	if ((rc = git_commit_lookup(&tip, ctx->repo, &st->tip)) < 0 ||
	    (rc = tree_changed_paths(paths, ctx->repo, &st->start_tree,
	    git_commit_tree_id(tip))) < 0)
		rc = error_git(E_FATAL, "cannot read the trees to check out");
	git_commit_free(tip);
	return rc;
}

static int
checkout_tip(struct ctx *ctx, struct seq_state *st, enum apply_mode mode,
    int dry_run, struct strlist *paths)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_commit *tip = NULL;
	git_tree *base = NULL;
	int rc;

	if ((rc = checkout_paths(ctx, st, paths)) < 0)
		return rc;
	if ((rc = git_commit_lookup(&tip, ctx->repo, &st->tip)) < 0 ||
	    (rc = git_tree_lookup(&base, ctx->repo, &st->start_tree)) < 0) {
		rc = error_git(E_FATAL, "cannot read the trees to check out");
		goto out;
	}
	if (paths->nr == 0)	/* an empty list would mean every path */
		goto out;
	co.checkout_strategy = (mode == APPLY_RECOVER ? GIT_CHECKOUT_FORCE :
	    GIT_CHECKOUT_SAFE) | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH |
	    (dry_run ? GIT_CHECKOUT_DRY_RUN |
	    GIT_CHECKOUT_DONT_WRITE_INDEX : 0);
	co.paths.strings = paths->items;
	co.paths.count = paths->nr;
	co.baseline = base;
	if (git_checkout_tree(ctx->repo, (git_object *)tip, &co) < 0) {
		rc = error_git(E_REFUSED, "cannot update the worktree");
		if (dry_run)
			hint("commit, stash or move away the local changes "
			    "and untracked files in the way; nothing was "
			    "changed");
	}
out:
	git_tree_free(base);
	git_commit_free(tip);
	return rc;
}

/*
 * Can nothing be in the checkout's way?  When the run found the worktree
 * clean and every path it changes is a file of the tree it started from
 * (changed or deleted, none added, no directory in place of a file), the
 * file at each path is the tracked one: no untracked or changed file can
 * be there, and the dry run of the checkout can only agree.  (The
 * checkout itself still refuses, before writing anything, a file changed
 * since, as any checkout does.)
 */
static int
nothing_in_the_way(struct ctx *ctx, const struct seq_state *st,
    const struct strlist *paths)
{
	git_tree *start = NULL;
	size_t i;
	int yes = st->clean;

	if (yes && git_tree_lookup(&start, ctx->repo, &st->start_tree) < 0)
		yes = 0;
	for (i = 0; yes && i < paths->nr; i++) {
		git_tree_entry *e = NULL;

		yes = git_tree_entry_bypath(&e, start, paths->items[i]) == 0 &&
		    git_tree_entry_type(e) == GIT_OBJECT_BLOB;
		git_tree_entry_free(e);
	}
	git_error_clear();
	git_tree_free(start);
	return yes;
}

static int
move_branch(struct ctx *ctx, struct seq_state *st, const git_oid *cur)
{
	git_reference *ref = NULL;
	struct strbuf msg = STRBUF_INIT;
	int rc = 0;

	if (git_oid_equal(cur, &st->tip))
		return 0;
	if (st->opts.reflog != NULL)
		strbuf_addstr(&msg, st->opts.reflog);
	else
		strbuf_addf(&msg, "%s: %zu revert commit%s",
		    st->command ? st->command + 4 : "rollback revert",
		    st->committed, st->committed == 1 ? "" : "s");
	if (git_reference_create_matching(&ref, ctx->repo, st->branch,
	    &st->tip, 1, cur, msg.buf) < 0)
		rc = error_git(E_REFUSED, "cannot update '%s'", st->branch);
	git_reference_free(ref);
	strbuf_release(&msg);
	return rc;
}

static void
label(struct strbuf *out, git_repository *repo, const git_oid *id)
{
	git_commit *c = NULL;
	char hex[8];

	git_oid_tostr(hex, sizeof(hex), id);
	strbuf_addstr(out, hex);
	if (git_commit_lookup(&c, repo, id) == 0) {
		strbuf_addstr(out, " (");
		revert_subject_line(out, git_commit_message(c));
		strbuf_addch(out, ')');
	}
	git_commit_free(c);
}

/* markers in the worktree, stages in the index, REVERT_HEAD, MERGE_MSG */
static int
write_conflict(struct ctx *ctx, struct seq_state *st, enum apply_mode mode)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	struct strbuf theirs = STRBUF_INIT, base = STRBUF_INIT;
	struct strbuf msg = STRBUF_INIT;
	git_index *idx = NULL;
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *a, *o, *t;
	git_commit *tip = NULL;
	git_tree *baseline = NULL;
	git_oid tree;
	char hex[GIT_OID_HEXSZ + 2];
	char *path = NULL;
	int rc;

	rc = engine_revert_one(&tree, &idx, ctx->repo, &st->current,
	    &st->ours_tree);
	if (rc != 1) {
		rc = error_git(E_FATAL, "cannot merge the stopped commit "
		    "again");
		goto out;
	}
	if ((rc = engine_objects_flush(st, ctx->repo)) < 0)
		goto out;
	if ((rc = git_commit_lookup(&tip, ctx->repo, &st->tip)) < 0 ||
	    (rc = git_commit_tree(&baseline, tip)) < 0) {
		rc = error_git(E_FATAL, "cannot read the branch tip");
		goto out;
	}
	strbuf_addstr(&theirs, "parent of ");
	label(&theirs, ctx->repo, &st->current.id);
	label(&base, ctx->repo, &st->current.id);
	co.checkout_strategy = (mode == APPLY_RECOVER ? GIT_CHECKOUT_FORCE :
	    GIT_CHECKOUT_SAFE) | GIT_CHECKOUT_ALLOW_CONFLICTS |
	    conflict_style(ctx);
	co.our_label = "HEAD";
	co.their_label = theirs.buf;
	co.ancestor_label = base.buf;
	co.baseline = baseline;
	if (git_checkout_index(ctx->repo, idx, &co) < 0) {
		rc = error_git(E_REFUSED, "cannot write the conflict");
		goto out;
	}
	revert_test_kill("conflict");
	if ((rc = engine_item_message(&msg, ctx->repo, &st->current,
	    &st->opts)) < 0)
		goto out;
	strbuf_addstr(&msg, "\n# Conflicts:\n");
	if (git_index_conflict_iterator_new(&it, idx) == 0)
		while (git_index_conflict_next(&a, &o, &t, it) == 0)
			strbuf_addf(&msg, "#\t%s\n",
			    (o ? o : t ? t : a)->path);
	path = xstrfmt("%sMERGE_MSG", git_repository_path(ctx->repo));
	if ((rc = write_file_atomic(path, msg.buf, msg.len)) < 0)
		goto out;
	free(path);
	git_oid_tostr(hex, sizeof(hex), &st->current.id);
	strlcat(hex, "\n", sizeof(hex));
	path = xstrfmt("%sREVERT_HEAD", git_repository_path(ctx->repo));
	rc = write_file_atomic(path, hex, strlen(hex));
out:
	free(path);
	git_index_conflict_iterator_free(it);
	git_index_free(idx);
	git_tree_free(baseline);
	git_commit_free(tip);
	strbuf_release(&theirs);
	strbuf_release(&base);
	strbuf_release(&msg);
	return rc;
}

static void
stop_message(struct ctx *ctx, struct seq_state *st)
{
	struct strbuf what = STRBUF_INIT;

	label(&what, ctx->repo, &st->current.id);
	error("could not revert %s", what.buf);
	hint("after resolving the conflicts, mark them with");
	hint("\"git add/rm <pathspec>\", then run");
	hint("\"git rollback --continue\".");
	hint("You can instead skip this commit with \"git rollback --skip\".");
	hint("To abort and get back to the state before \"%s\",",
	    st->command ? st->command : "git rollback revert");
	hint("run \"git rollback --abort\".");
	strbuf_release(&what);
}

/* the command that puts the branch back; NULL when it did not move */
static char *
undo_command(const struct seq_state *st, enum apply_mode mode)
{
	struct strbuf sb = STRBUF_INIT;
	char old[GIT_OID_HEXSZ + 1], new[GIT_OID_HEXSZ + 1];

	if (git_oid_equal(&st->orig, &st->tip))
		return NULL;
	git_oid_tostr(old, sizeof(old), &st->orig);
	git_oid_tostr(new, sizeof(new), &st->tip);
	if (mode == APPLY_MEMORY) {
		strbuf_addstr(&sb, "git update-ref ");
		strbuf_add_shquoted(&sb, st->branch);
		strbuf_addf(&sb, " %s %s", old, new);
	} else
		strbuf_addf(&sb, "git reset --keep %s", old);
	return strbuf_detach(&sb, NULL);
}

/* what the caller of a revert of its own reads back (not a rollback's) */
static void
result_names(struct revert_result *out, const struct seq_state *st,
    enum apply_mode mode)
{
	if (st->opts.rollback_from != NULL)
		return;
	free(out->branch);
	free(out->undo);
	out->branch = xstrdup(st->branch);
	out->undo = out->stopped ? NULL : undo_command(st, mode);
}

static void
report(struct ctx *ctx, struct seq_state *st, enum apply_mode mode)
{
	char *undo;

	char old[GIT_OID_HEXSZ + 1], new[GIT_OID_HEXSZ + 1];
	const char *b = st->branch;

	(void)ctx;
	/* a rollback prints its own summary and undo line */
	if (st->opts.quiet || err_quiet() || st->opts.rollback_from != NULL)
		return;
	if (strncmp(b, "refs/heads/", 11) == 0)
		b += 11;
	git_oid_tostr(old, sizeof(old), &st->orig);
	git_oid_tostr(new, sizeof(new), &st->tip);
	if (git_oid_equal(&st->orig, &st->tip)) {
		printf("%s: nothing to revert, '%s' is unchanged\n",
		    st->command ? st->command + 4 : "rollback revert", b);
		return;
	}
	printf("%s: %.7s -> %.7s (%zu revert commit%s", b, old, new,
	    st->committed, st->committed == 1 ? "" : "s");
	if (st->skipped)
		printf(", %zu skipped", st->skipped);
	printf(")\n");
	undo = undo_command(st, mode);
	printf("undo with: %s\n", undo);
	free(undo);
}

int
engine_apply(struct revert_result *out, struct ctx *ctx,
    struct seq_state *st, enum apply_mode mode)
{
	git_reference *ref = NULL;
	struct strlist paths = STRLIST_INIT;
	git_oid cur;
	int rc;

	out->old_tip = st->orig;
	out->new_tip = st->tip;
	out->committed = st->committed;
	out->skipped = st->skipped;
	out->stopped = 0;
	if (git_reference_lookup(&ref, ctx->repo, st->branch) < 0 ||
	    git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
		rc = error_git(E_FATAL, "cannot read '%s'", st->branch);
		goto out;
	}
	cur = *git_reference_target(ref);
	if (!git_oid_equal(&cur, &st->before) &&
	    !(mode == APPLY_RECOVER && git_oid_equal(&cur, &st->tip))) {
		rc = error("'%s' moved while reverting; nothing was changed",
		    st->branch);
		goto out;
	}
	/* a SAFE checkout that would fail must fail before any write */
	if (mode == APPLY_WORKTREE &&
	    ((rc = checkout_paths(ctx, st, &paths)) < 0 ||
	    (!nothing_in_the_way(ctx, st, &paths) &&
	    (rc = checkout_tip(ctx, st, mode, 1, &paths)) < 0)))
		goto out;
	st->writing = 1;
	if ((rc = engine_objects_flush(st, ctx->repo)) < 0)
		goto out;
	if (mode == APPLY_MEMORY) {
		if ((rc = move_branch(ctx, st, &cur)) == 0) {
			result_names(out, st, mode);
			report(ctx, st, mode);
		}
		goto out;
	}
	st->phase = SEQ_WRITE;
	if ((rc = seq_state_write(st, ctx)) < 0)
		goto out;
	revert_test_kill("state");
	if ((rc = checkout_tip(ctx, st, mode, 0, &paths)) < 0)
		goto out;
	revert_test_kill("checkout");
	if ((rc = move_branch(ctx, st, &cur)) < 0)
		goto out;
	revert_test_kill("ref");
	/* a previous stop's REVERT_HEAD is ours: a sequence of ours runs */
	if (!st->has_current) {
		seq_git_state_remove(ctx, NULL);
		seq_state_remove(ctx);
		result_names(out, st, mode);
		report(ctx, st, mode);
		rc = 0;
		goto out;
	}
	if ((rc = write_conflict(ctx, st, mode)) < 0)
		goto out;
	st->phase = SEQ_STOPPED;
	st->safety = st->tip;
	if ((rc = seq_state_write(st, ctx)) < 0)
		goto out;
	revert_test_kill("stopped");
	out->stopped = 1;
	result_names(out, st, mode);
	stop_message(ctx, st);
	rc = E_REFUSED;
out:
	strlist_release(&paths);
	git_reference_free(ref);
	return rc;
}
