/*
 * Unit tests for the revert engine: the messages (git's exact format),
 * parsing a revert's message, and revert_rollback() on a branch that is
 * not checked out (updated in memory, worktree untouched; a conflict
 * changes nothing; a dry run writes nothing).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "lib/revert.h"
#include "t/unit/tap.h"

static const char *A = "0123456789abcdef0123456789abcdef01234567";
static const char *P = "89abcdef0123456789abcdef0123456789abcdef";

static void
test_subject(void)
{
	struct strbuf sb = STRBUF_INIT;

	revert_subject_line(&sb, "\n\nfix: a bug\nsecond line\n\nbody\n");
	is_str(sb.buf, "fix: a bug", "subject: first non-blank line");
	strbuf_reset(&sb);
	revert_subject_line(&sb, "one line only");
	is_str(sb.buf, "one line only", "subject: no newline");
	strbuf_reset(&sb);
	revert_subject_line(&sb, "");
	is_str(sb.buf, "", "subject: empty message");
	strbuf_release(&sb);
}

static void
test_messages(void)
{
	struct revert_opts o = REVERT_OPTS_INIT;
	struct strbuf sb = STRBUF_INIT;
	git_oid id, parent;
	char want[512];

	git_oid_fromstr(&id, A);
	git_oid_fromstr(&parent, P);
	revert_message(&sb, "feat: x\nwrapped\n\nbody\n", &id, NULL, &o);
	snprintf(want, sizeof(want), "Revert \"feat: x\"\n\n"
	    "This reverts commit %s.\n", A);
	is_str(sb.buf, want, "message: git's format, first line only");

	strbuf_reset(&sb);
	revert_message(&sb, "Merge branch 'f'\n", &id, &parent, &o);
	snprintf(want, sizeof(want), "Revert \"Merge branch 'f'\"\n\n"
	    "This reverts commit %s, reversing\nchanges made to %s.\n", A, P);
	is_str(sb.buf, want, "message: a merge names its parent");

	strbuf_reset(&sb);
	o.rollback_from = "v1.2.3";
	o.rollback_to = "v1.2.2";
	o.reason = "checkout broken";
	revert_message(&sb, "x\n", &id, NULL, &o);
	snprintf(want, sizeof(want), "Revert \"x\"\n\n"
	    "This reverts commit %s.\n\nRollback: v1.2.3 -> v1.2.2\n"
	    "Reason: checkout broken\n", A);
	is_str(sb.buf, want, "message: Rollback and Reason trailers");

	strbuf_reset(&sb);
	o.rollback_from = o.rollback_to = NULL;
	o.reason = NULL;
	revert_message(&sb, "Revert \"feat: y\"\n\nThis reverts...\n", &id,
	    NULL, &o);
	snprintf(want, sizeof(want), "Reapply \"feat: y\"\n\n"
	    "This reverts commit %s.\n", A);
	is_str(sb.buf, want, "message: a revert of a revert is Reapply");

	strbuf_reset(&sb);
	revert_message(&sb, "Revert \"Revert \"z\"\"\n", &id, NULL, &o);
	snprintf(want, sizeof(want), "Revert \"Revert \"Revert \"z\"\"\"\n\n"
	    "This reverts commit %s.\n", A);
	is_str(sb.buf, want, "message: deeper nesting left alone");

	strbuf_reset(&sb);
	o.reason = "";
	revert_trailers(&sb, &o);
	is_str(sb.buf, "", "trailers: an empty reason is no trailer");
	strbuf_release(&sb);
}

static void
test_squash(void)
{
	struct revert_opts o = REVERT_OPTS_INIT;
	struct strbuf sb = STRBUF_INIT;
	const char *msgs[] = { "second\n\nbody\n", "first\n" };
	git_oid ids[2];
	char want[512];

	git_oid_fromstr(&ids[0], A);
	git_oid_fromstr(&ids[1], P);
	revert_squash_message(&sb, 2, ids, msgs, &o);
	snprintf(want, sizeof(want), "Revert 2 commits\n\n"
	    "This reverts the following commits:\n\n%s second\n%s first\n",
	    A, P);
	is_str(sb.buf, want, "squash: Revert <n> commits and the list");

	strbuf_reset(&sb);
	o.rollback_from = "v2.0.0";
	o.rollback_to = "v1.9.0";
	o.reason = "latency";
	revert_squash_message(&sb, 2, ids, msgs, &o);
	snprintf(want, sizeof(want), "Rollback v2.0.0 to v1.9.0\n\n"
	    "This reverts the following commits:\n\n%s second\n%s first\n"
	    "\nRollback: v2.0.0 -> v1.9.0\nReason: latency\n", A, P);
	is_str(sb.buf, want, "squash: Rollback <from> to <to>, trailers");
	strbuf_release(&sb);
}

static void
test_parse_reverted(void)
{
	struct strbuf msg = STRBUF_INIT;
	git_oid orig, parent, want;
	int has_parent;

	strbuf_addf(&msg, "Revert \"x\"\n\nThis reverts commit %s.\n", A);
	is_int(revert_parse_reverted(&orig, &parent, &has_parent, msg.buf),
	    0, "parse: a revert");
	git_oid_fromstr(&want, A);
	ok(git_oid_equal(&orig, &want), "parse: its id");
	is_int(has_parent, 0, "parse: no parent for a plain commit");

	strbuf_reset(&msg);
	strbuf_addf(&msg, "Revert \"m\"\n\nThis reverts commit %s, reversing\n"
	    "changes made to %s.\n", A, P);
	revert_parse_reverted(&orig, &parent, &has_parent, msg.buf);
	git_oid_fromstr(&want, P);
	ok(has_parent && git_oid_equal(&parent, &want),
	    "parse: a merge's parent");

	is_int(revert_parse_reverted(&orig, &parent, &has_parent,
	    "This reverts commit abc.\n"), 1,
	    "parse: a short id is not enough");
	is_int(revert_parse_reverted(&orig, &parent, &has_parent,
	    "fix: something\n"), 1, "parse: no revert line");
	strbuf_release(&msg);
}

static int
sh(const char *cmd)
{
	return system(cmd);
}

/* a branch that is not checked out: updated in memory */
static void
test_in_memory(void)
{
	struct ctx ctx = CTX_INIT;
	struct revert_opts o = REVERT_OPTS_INIT;
	struct revert_result res = REVERT_RESULT_INIT;
	git_commit *target = NULL, *running = NULL, *tip = NULL;
	git_reference *ref = NULL;
	char dir[] = "/tmp/test-revert.XXXXXX", cwd[4096];
	git_oid before;
	const char *err;
	int rc;

	if (mkdtemp(dir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL ||
	    chdir(dir) < 0) {
		ok(0, "in memory: temporary repository");
		return;
	}
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C O Mitter", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	rc = sh("git init -q -b main . && echo 1 >f && git add f &&"
	    " git commit -q -m base && git tag v1.0.0 &&"
	    " echo 2 >f && git commit -q -a -m two &&"
	    " git checkout -q -b side && echo s >s && git add s &&"
	    " git commit -q -m side && git checkout -q main &&"
	    " git merge -q --no-ff -m merge side &&"
	    " echo 3 >f && git commit -q -a -m three && git tag v1.1.0 &&"
	    " git branch production && git checkout -q -b other v1.0.0");
	is_int(rc, 0, "in memory: repository made");
	rc = ctx_open(&ctx);
	is_int(rc, 0, "in memory: opened");
	if (rc < 0)
		goto out;
	repo_lookup_commit(&target, &ctx, "v1.0.0");
	repo_lookup_commit(&running, &ctx, "v1.1.0");
	git_reference_lookup(&ref, ctx.repo, "refs/heads/production");
	before = *git_reference_target(ref);

	o.branch = "refs/heads/production";
	o.rollback_from = "v1.1.0";
	o.rollback_to = "v1.0.0";
	o.reason = "test";
	o.reflog = "rollback: v1.1.0 -> v1.0.0";
	o.quiet = 1;
	o.dry_run = 1;
	fflush(stdout);
	rc = revert_rollback(&res, &ctx, git_commit_id(target),
	    git_commit_id(running), &o);
	is_int(rc, 0, "dry run: ok");
	git_reference_free(ref);
	git_reference_lookup(&ref, ctx.repo, "refs/heads/production");
	ok(git_oid_equal(git_reference_target(ref), &before),
	    "dry run: branch untouched");
	ok(git_oid_is_zero(&res.new_tip), "dry run: no new tip");

	o.dry_run = 0;
	rc = revert_rollback(&res, &ctx, git_commit_id(target),
	    git_commit_id(running), &o);
	is_int(rc, 0, "in memory: ok");
	is_int(res.committed, 3, "in memory: one commit per first parent");
	ok(git_oid_equal(&res.old_tip, &before), "in memory: old tip");
	git_reference_free(ref);
	git_reference_lookup(&ref, ctx.repo, "refs/heads/production");
	ok(git_oid_equal(git_reference_target(ref), &res.new_tip),
	    "in memory: branch moved to the new tip");
	git_commit_lookup(&tip, ctx.repo, &res.new_tip);
	ok(tip && git_oid_equal(git_commit_tree_id(tip),
	    git_commit_tree_id(target)), "in memory: the target's tree");
	ok(tip && strstr(git_commit_message(tip),
	    "Rollback: v1.1.0 -> v1.0.0\nReason: test\n") != NULL,
	    "in memory: trailers");
	is_int(sh("test \"$(cat f)\" = 1 && test -z \"$(git status "
	    "--porcelain)\" && test \"$(git reflog -1 --format=%gs "
	    "production)\" = 'rollback: v1.1.0 -> v1.0.0'"), 0,
	    "in memory: worktree untouched, reflog names the command");

	/* a conflict on a branch not checked out changes nothing */
	rc = sh("git checkout -q production && echo x >f &&"
	    " git commit -q -a -m x && git checkout -q other");
	git_reference_free(ref);
	git_reference_lookup(&ref, ctx.repo, "refs/heads/production");
	before = *git_reference_target(ref);
	o.rollback_from = o.rollback_to = NULL;
	capture_stderr();
	rc = revert_rollback(&res, &ctx, git_commit_id(target),
	    git_commit_id(running), &o);
	err = captured_stderr();
	is_int(rc, E_REFUSED, "in memory conflict: refused");
	like(err, "error: reverting ", "in memory conflict: the error");
	like(err, " on 'production' conflicts; nothing was changed\n",
	    "in memory conflict: names the branch");
	like(err, "hint: check 'production' out and run the command again",
	    "in memory conflict: the hint");
	git_reference_free(ref);
	git_reference_lookup(&ref, ctx.repo, "refs/heads/production");
	ok(git_oid_equal(git_reference_target(ref), &before),
	    "in memory conflict: branch untouched");
	is_int(access(".git/release-state", F_OK), -1,
	    "in memory conflict: no state left");

	/* a branch checked out in another worktree is not ours to move */
	rc = sh("git worktree add -q ../test-revert-wt -b elsewhere v1.1.0");
	is_int(rc, 0, "other worktree: made");
	o.branch = "refs/heads/elsewhere";
	capture_stderr();
	rc = revert_rollback(&res, &ctx, git_commit_id(target),
	    git_commit_id(running), &o);
	is_str(captured_stderr(), "error: 'refs/heads/elsewhere' is checked "
	    "out in another worktree; run the command there\n",
	    "other worktree: the error");
	is_int(rc, E_REFUSED, "other worktree: refused");
	is_int(sh("test \"$(git rev-parse elsewhere)\" = "
	    "\"$(git rev-parse v1.1.0)\""), 0, "other worktree: untouched");
	sh("git worktree remove --force ../test-revert-wt");
out:
	git_commit_free(tip);
	git_commit_free(target);
	git_commit_free(running);
	git_reference_free(ref);
	ctx_release(&ctx);
	if (chdir(cwd) == 0 && getenv("KEEP") == NULL) {
		char *rm = xstrfmt("rm -rf '%s'", dir);

		sh(rm);
		free(rm);
	}
}

int
main(void)
{
	git_libgit2_init();
	test_subject();
	test_messages();
	test_squash();
	test_parse_reverted();
	test_in_memory();
	git_libgit2_shutdown();
	return done_testing();
}
