/*
 * Unit tests for lib/plan.c, lib/journal.c and lib/plan-run.c: plans as
 * data, the journal's format, the undo line's quoting, and the executor
 * running, stopping, resuming and aborting a plan in a repository.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/journal.h"
#include "lib/plan.h"
#include "t/unit/tap.h"

static const char hostile[] = "it's $(touch pwned) `id` \"q\" caf\xc3\xa9\n"
    "second line\twith a tab \\ and a backslash";

static void
test_attrs(void)
{
	struct plan p = PLAN_INIT;
	struct plan_step *s;
	struct strlist all = STRLIST_INIT;
	git_oid id, got;

	plan_begin(&p, "cut", "git release cut --minor");
	s = plan_add(&p, PLAN_REF);
	plan_set(&s->attrs, "ref", "refs/heads/x");
	plan_set(&s->attrs, "ref", "refs/heads/y");
	is_str(plan_get(&s->attrs, "ref"), "refs/heads/y", "set replaces");
	plan_add_attr(&s->attrs, "refspec", "a:b");
	plan_add_attr(&s->attrs, "refspec", "c:d");
	plan_get_all(&all, &s->attrs, "refspec");
	is_int(all.nr, 2, "a key may repeat");
	is_str(all.items[1], "c:d", "in the order added");
	strlist_release(&all);
	plan_set(&s->attrs, "refspec", NULL);
	ok(plan_get(&s->attrs, "refspec") == NULL, "NULL removes every value");
	git_oid_fromstr(&id, "0123456789abcdef0123456789abcdef01234567");
	plan_set_oid(&s->attrs, "new", &id);
	ok(plan_get_oid(&got, &s->attrs, "new") && git_oid_equal(&got, &id),
	    "an object id round-trips");
	plan_set(&s->attrs, "old", "not-an-id");
	ok(!plan_get_oid(&got, &s->attrs, "old"), "a non-id is not an id");
	plan_setf(&p.attrs, "env", "%s-%d", "prod", 2);
	is_str(plan_get(&p.attrs, "env"), "prod-2", "setf formats");
	is_int(plan_count(&p, PLAN_PENDING), 1, "a new step is pending");
	is_str(plan_kind_name(PLAN_DEPLOYED_TAG), "deployed-tag", "kind name");
	is_int(plan_kind_parse("revert"), PLAN_REVERT, "kind parsed");
	is_int(plan_kind_parse("nope"), -1, "unknown kind");
	is_int(plan_status_parse("stopped"), PLAN_STOPPED, "status parsed");
	plan_release(&p);
}

static void
test_format(void)
{
	struct plan p = PLAN_INIT, q = PLAN_INIT;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct plan_step *s;

	plan_begin(&p, "deploy", "git release deploy 'v1 $(x)'");
	plan_set(&p.attrs, "env", "production");
	plan_set(&p.attrs, "reason", hostile);
	s = plan_add(&p, PLAN_CHECK);
	plan_set(&s->attrs, "what", "v1 is not marked bad");
	s->status = PLAN_DONE;
	s = plan_add(&p, PLAN_LOG);
	plan_set(&s->attrs, "ref", "refs/deploy/log/production");
	plan_set(&s->attrs, "reason", "\x01\x7f ctl");
	journal_format(&a, &p);
	like(a.buf, "journal 1\n", "the version first");
	like(a.buf, "\nstep 1 check done\n", "a step line");
	like(a.buf, "\\n", "a newline is escaped");
	ok(strchr(strstr(a.buf, "reason "), '\n') ==
	    strstr(strstr(a.buf, "reason "), "\nstep"),
	    "a value is one line");
	like(a.buf, "\\x01\\x7f ctl", "control bytes as \\xHH");
	is_int(journal_parse(&q, a.buf, "j"), 0, "parses back");
	is_str(q.op, "deploy", "op");
	is_str(q.cmdline, "git release deploy 'v1 $(x)'", "command");
	is_str(plan_get(&q.attrs, "reason"), hostile, "hostile value back");
	is_int(q.nr, 2, "two steps");
	is_int(q.steps[0].status, PLAN_DONE, "status back");
	is_int(q.steps[1].kind, PLAN_LOG, "kind back");
	is_str(plan_get(&q.steps[1].attrs, "reason"), "\x01\x7f ctl",
	    "control bytes back");
	journal_format(&b, &q);
	is_str(b.buf, a.buf, "format(parse(x)) == x");
	plan_release(&q);

	capture_stderr();
	ok(journal_parse(&q, "journal 2\nop x\n", "j") == E_FATAL,
	    "another version is refused");
	ok(journal_parse(&q, "journal 1\nop x\nstep 2 ref done\n", "j") ==
	    E_FATAL, "steps out of order are refused");
	ok(journal_parse(&q, "journal 1\nop x\nstep 1 nope done\n", "j") ==
	    E_FATAL, "an unknown kind is refused");
	ok(journal_parse(&q, "journal 1\nop x\nBad key\n", "j") == E_FATAL,
	    "a bad key is refused");
	ok(journal_parse(&q, "journal 1\nop x\nk bad\\q\n", "j") == E_FATAL,
	    "a bad escape is refused");
	ok(journal_parse(&q, "journal 1\nk v\n", "j") == E_FATAL,
	    "no op is refused");
	like(captured_stderr(), "malformed journal 'j' at line",
	    "the refusal names the file and line");
	ok(journal_parse(&q, "journal 1\n# c\nop x\nfuture-key v\n", "j") == 0
	    && plan_get(&q.attrs, "future-key") != NULL,
	    "unknown keys are kept");
	plan_release(&q);
	plan_release(&p);
	strbuf_release(&a);
	strbuf_release(&b);
}

/* the line format every state file writes its values in */
static void
test_line(void)
{
	struct strbuf a = STRBUF_INIT, v = STRBUF_INIT;

	journal_add_line(&a, "reason", "a\\b\nc\td");
	journal_add_line(&a, "absent", NULL);
	is_str(a.buf, "reason a\\\\b\\nc\\td\n", "escaped on one line");
	is_int(journal_unescape(&v, a.buf + strlen("reason ")), 0,
	    "unescapes");
	strbuf_rtrim(&v);
	is_str(v.buf, "a\\b\nc\td", "the value back");
	is_int(journal_unescape(&v, "x\\q"), -1, "a bad escape is refused");
	strbuf_release(&a);
	strbuf_release(&v);
}

/* run line in sh in dir; 0 when it exited 0 */
static int
sh_in(const char *dir, const char *line)
{
	struct strbuf cmd = STRBUF_INIT;
	int rc;

	strbuf_addf(&cmd, "cd '%s' && %s", dir, line);
	rc = system(cmd.buf);
	strbuf_release(&cmd);
	return rc;
}

static void
test_undo_line(void)
{
	struct plan p = PLAN_INIT;
	struct plan_step *s;
	struct strbuf u = STRBUF_INIT, cmd = STRBUF_INIT;
	char dir[] = "/tmp/test-plan-undo.XXXXXX";

	plan_begin(&p, "yank", NULL);
	s = plan_add(&p, PLAN_MARK);
	plan_set(&s->attrs, "ref", "refs/deploy/marks");
	plan_set(&s->attrs, "tag", "v1.0.0");
	plan_set(&s->attrs, "env", "prod");
	plan_set(&s->attrs, "reason", hostile);
	plan_set(&s->attrs, "action", "add");
	plan_undo_line(&u, &p);
	is_str(u.buf, "", "nothing done, no undo");
	s->status = PLAN_DONE;
	plan_undo_line(&u, &p);
	is_str(u.buf, "git release yank --undo v1.0.0 --env prod -m "
	    "'it'\\''s $(touch pwned) `id` \"q\" caf\xc3\xa9\nsecond line\t"
	    "with a tab \\ and a backslash'", "a mark is lifted, quoted");

	/* pasted into sh: the words come back whole, nothing runs */
	if (mkdtemp(dir) == NULL) {
		ok(0, "temporary directory");
		goto out;
	}
	strbuf_addstr(&cmd, "git() { for a; do printf '%s\\n' \"$a\"; done "
	    ">words; }; ");
	strbuf_addstr(&cmd, u.buf);
	is_int(sh_in(dir, cmd.buf), 0, "the line runs in sh");
	ok(sh_in(dir, "test ! -e pwned") == 0, "nothing in it was executed");
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "%s/words", dir);
	strbuf_reset(&u);
	strbuf_read_file(&u, cmd.buf);
	like(u.buf, "-m\nit's $(touch pwned) `id` \"q\" caf\xc3\xa9\nsecond",
	    "the reason arrives as one word");
	sh_in(dir, "rm -f words && cd / && rmdir \"$OLDPWD\"");

	/* refs newest first, a tag deleted, a first ref deleted */
	plan_release(&p);
	plan_begin(&p, "cut", NULL);
	s = plan_add(&p, PLAN_TAG);
	plan_set(&s->attrs, "ref", "refs/tags/v1 $(touch pwned)");
	plan_set(&s->attrs, "new", "1111111111111111111111111111111111111111");
	s->status = PLAN_DONE;
	s = plan_add(&p, PLAN_REF);
	plan_set(&s->attrs, "ref", "refs/heads/p");
	plan_set(&s->attrs, "new", "2222222222222222222222222222222222222222");
	s->status = PLAN_DONE;
	s = plan_add(&p, PLAN_REF);
	plan_set(&s->attrs, "ref", "refs/heads/q");
	plan_set(&s->attrs, "old", "3333333333333333333333333333333333333333");
	plan_set(&s->attrs, "new", "4444444444444444444444444444444444444444");
	strbuf_reset(&u);
	plan_undo_line(&u, &p);
	is_str(u.buf, "git update-ref -d refs/heads/p "
	    "2222222222222222222222222222222222222222 && git tag -d "
	    "'v1 $(touch pwned)'", "newest first, pending steps left out");
	s = plan_add(&p, PLAN_PUSH);
	plan_set(&s->attrs, "remote", "origin");
	plan_add_attr(&s->attrs, "pushed", "refs/tags/v1 - "
	    "1111111111111111111111111111111111111111");
	s->status = PLAN_DONE;
	strbuf_reset(&u);
	plan_undo_line(&u, &p);
	like(u.buf, "git push --atomic --force-with-lease=refs/tags/v1:"
	    "1111111111111111111111111111111111111111 origin :refs/tags/v1 && ",
	    "a push is undone on the remote with a lease");

	/* a deploy with something before it: deploy that again */
	plan_release(&p);
	plan_begin(&p, "deploy", NULL);
	s = plan_add(&p, PLAN_HOOK);
	plan_set(&s->attrs, "env", "prod");
	plan_set(&s->attrs, "previous", "v0.9 'x'");
	s->status = PLAN_DONE;
	s = plan_add(&p, PLAN_LOG);
	plan_set(&s->attrs, "ref", "refs/deploy/log/prod");
	plan_set(&s->attrs, "new", "1111111111111111111111111111111111111111");
	s->status = PLAN_DONE;
	strbuf_reset(&u);
	plan_undo_line(&u, &p);
	is_str(u.buf, "git release deploy 'v0.9 '\\''x'\\''' --env prod",
	    "a deploy's undo deploys what ran before");
out:
	plan_release(&p);
	strbuf_release(&u);
	strbuf_release(&cmd);
}

static void
test_print(void)
{
	struct plan p = PLAN_INIT;
	struct plan_step *s;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	plan_begin(&p, "cut", "git release cut");
	s = plan_add(&p, PLAN_CHECK);
	plan_set(&s->attrs, "what", "the tree is clean");
	s = plan_add(&p, PLAN_TAG);
	plan_set(&s->attrs, "ref", "refs/tags/v1.0.0");
	plan_set(&s->attrs, "what", "abc (subject)");
	plan_set(&s->attrs, "message", "Release v1.0.0\n\nbody");
	plan_set(&s->attrs, "new", "1111111111111111111111111111111111111111");
	s = plan_add(&p, PLAN_PUSH);
	plan_set(&s->attrs, "remote", "origin");
	plan_add_attr(&s->attrs, "refspec", "refs/tags/v1.0.0:refs/tags/v1.0.0");
	plan_add_attr(&s->attrs, "lease", "refs/tags/v1.0.0:");
	fp = open_memstream(&buf, &len);
	plan_print(fp, &p);
	fclose(fp);
	is_str(buf, "checked the tree is clean\n"
	    "would tag abc (subject) as v1.0.0, annotated:\n\n"
	    "    Release v1.0.0\n\n    body\n"
	    "would run: git push --porcelain --atomic "
	    "--force-with-lease=refs/tags/v1.0.0: --end-of-options origin "
	    "refs/tags/v1.0.0:refs/tags/v1.0.0\n"
	    "undo: git push --atomic --force-with-lease=refs/tags/v1.0.0:"
	    "1111111111111111111111111111111111111111 origin :refs/tags/v1.0.0"
	    " && git tag -d v1.0.0\n", "the dry run: the plan and its undo");
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	plan_print_json(fp, &p, 1);
	fclose(fp);
	like(buf, "{\"schema\":1,\"op\":\"cut\",\"command\":\"git release cut\","
	    "\"dry_run\":true,\"status\":\"planned\",\"steps\":[{\"schema\":1,"
	    "\"n\":1,"
	    "\"kind\":\"check\",\"status\":\"pending\"", "JSON: the head");
	like(buf, "\"refspec\":[\"refs/tags/v1.0.0:refs/tags/v1.0.0\"]",
	    "JSON: a push's refspecs are an array");
	like(buf, "\"refs\":[{\"schema\":1,\"ref\":\"refs/tags/v1.0.0\","
	    "\"old\":null,",
	    "JSON: the refs it moves");
	like(buf, "origin :refs/tags/v1.0.0 && git tag -d v1.0.0\"}\n",
	    "JSON: the undo");
	free(buf);
	buf = NULL;
	p.steps[0].status = PLAN_DONE;
	fp = open_memstream(&buf, &len);
	plan_print_json(fp, &p, 0);
	fclose(fp);
	like(buf, "\"status\":\"stopped\"", "JSON after a run: stopped");
	like(buf, "\"refs\":[],\"undo\":null}", "nothing moved, no undo");
	free(buf);
	plan_release(&p);
}

/* --- the executor, in a repository --- */

static int stop_at = -1, runs;

static int
test_run(struct plan_exec *x, struct plan_step *s)
{
	runs++;
	if (s->kind == PLAN_HOOK) {
		if ((int)x->index == stop_at && !(x->flags & PLAN_EXEC_CONTINUE))
			return PLAN_STOP;
		plan_set(&s->attrs, "ran", "yes");
		return 0;
	}
	return PLAN_DEFAULT;
}

static const struct plan_ops test_ops = {
	"test", test_run, NULL, "git release",
};

static void
make_plan(struct plan *p, const git_oid *a, const git_oid *b)
{
	struct plan_step *s;

	plan_begin(p, "test", "test run");
	s = plan_add(p, PLAN_CHECK);
	s = plan_add(p, PLAN_REF);
	plan_set(&s->attrs, "ref", "refs/heads/side");
	plan_set_oid(&s->attrs, "new", a);
	s = plan_add(p, PLAN_HOOK);
	plan_set(&s->attrs, "env", "e");
	plan_set(&s->attrs, "skip", "none");
	s = plan_add(p, PLAN_REF);
	plan_set(&s->attrs, "ref", "refs/heads/main");
	plan_set_oid(&s->attrs, "old", a);
	plan_set_oid(&s->attrs, "new", b);
	plan_set(&s->attrs, "reflog", "test: main");
}

static int
ref_is(struct ctx *ctx, const char *ref, const git_oid *want)
{
	git_oid id;
	int rc = git_reference_name_to_id(&id, ctx->repo, ref);

	git_error_clear();
	if (want == NULL)
		return rc == GIT_ENOTFOUND;
	return rc == 0 && git_oid_equal(&id, want);
}

static void
test_executor(void)
{
	struct ctx ctx = CTX_INIT, other = CTX_INIT;
	struct plan p = PLAN_INIT;
	struct journal j = JOURNAL_INIT, k = JOURNAL_INIT;
	char dir[] = "/tmp/test-plan.XXXXXX", cwd[4096], *path;
	git_oid a, b;
	int rc;

	if (mkdtemp(dir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL ||
	    chdir(dir) < 0) {
		ok(0, "executor: temporary directory");
		return;
	}
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C O Mitter", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_RELEASE_TEST_KILL_AFTER");
	rc = system("git init -q -b main . && git commit -q --allow-empty "
	    "-m one && git commit -q --allow-empty -m two");
	if (rc != 0 || ctx_open(&ctx) < 0) {
		ok(0, "executor: repository");
		goto out;
	}
	{
		git_object *o = NULL;

		git_revparse_single(&o, ctx.repo, "HEAD~1");
		a = *git_object_id(o);
		git_object_free(o);
		git_reference_name_to_id(&b, ctx.repo, "HEAD");
	}
	/* main at b; the plan moves main a -> b: put it at a first */
	{
		git_reference *r = NULL;

		git_reference_create(&r, ctx.repo, "refs/heads/main", &a, 1,
		    "test");
		git_reference_free(r);
	}

	make_plan(&p, &a, &b);
	ok(!journal_exists(&ctx), "no journal at first");
	is_int(journal_begin(&j, &ctx, &p), 0, "journal written");
	ok(journal_exists(&ctx), "it is there");
	path = journal_file_path(&ctx, JOURNAL_FILE);
	like(path, "/.git/release-state/journal", "in the git dir's state "
	    "directory");
	free(path);
	ok(repo_require_no_operation(&ctx, "deploy") == 0,
	    "its own steps may run other commands' work");
	capture_stderr();
	ok(journal_begin(&k, &ctx, &p) == E_REFUSED, "a second is refused");
	/* another process */
	is_int(ctx_open(&other), 0, "a second context");
	ok(journal_begin(&k, &other, &p) == E_REFUSED, "there too");
	ok(repo_require_no_operation(&other, "deploy") == E_REFUSED,
	    "and every command sees it");
	ctx_release(&other);
	like(captured_stderr(), "cannot deploy: test run is in progress",
	    "naming what is in progress");

	stop_at = 2;
	capture_stderr();
	rc = plan_execute(&ctx, &j, &test_ops, NULL, 0);
	is_int(rc, E_REFUSED, "a stopped step stops the run");
	like(captured_stderr(), "git release --continue", "saying how to go on");
	ok(ref_is(&ctx, "refs/heads/side", &a), "the step before it is done");
	ok(ref_is(&ctx, "refs/heads/main", &a), "the step after is not");
	journal_release(&j);

	/* a new process: load, continue */
	is_int(journal_load(&k, &ctx), 0, "journal read back");
	is_int(k.plan->steps[1].status, PLAN_DONE, "step 2 done");
	is_int(k.plan->steps[2].status, PLAN_STOPPED, "step 3 stopped");
	runs = 0;
	is_int(plan_execute(&ctx, &k, &test_ops, NULL, PLAN_EXEC_CONTINUE), 0,
	    "continue finishes it");
	is_int(runs, 2, "only the steps not done ran");
	ok(ref_is(&ctx, "refs/heads/main", &b), "the last step moved main");
	ok(!journal_exists(&ctx), "complete: the journal is gone");
	journal_release(&k);

	/* again, stopped, then aborted: everything put back */
	plan_release(&p);
	{
		git_reference *r = NULL;

		git_reference_create(&r, ctx.repo, "refs/heads/main", &a, 1,
		    "test");
		git_reference_free(r);
		git_reference_lookup(&r, ctx.repo, "refs/heads/side");
		git_reference_delete(r);
		git_reference_free(r);
	}
	make_plan(&p, &a, &b);
	stop_at = 3;
	p.steps[3].kind = PLAN_HOOK;	/* stop after main would move */
	plan_set(&p.steps[3].attrs, "skip", "none");
	p.steps[2].kind = PLAN_REF;
	plan_set(&p.steps[2].attrs, "ref", "refs/heads/main");
	plan_set_oid(&p.steps[2].attrs, "old", &a);
	plan_set_oid(&p.steps[2].attrs, "new", &b);
	journal_begin(&j, &ctx, &p);
	capture_stderr();
	plan_execute(&ctx, &j, &test_ops, NULL, 0);
	ok(ref_is(&ctx, "refs/heads/main", &b), "main moved before the stop");
	journal_release(&j);
	journal_load(&k, &ctx);
	capture_stderr();
	is_int(plan_abort(&ctx, &k, &test_ops, NULL), 0, "abort");
	ok(ref_is(&ctx, "refs/heads/main", &a), "main put back");
	ok(ref_is(&ctx, "refs/heads/side", NULL), "side deleted again");
	ok(!journal_exists(&ctx), "aborted: the journal is gone");
	journal_release(&k);

	/* an abort that finds a ref moved by someone else stops, kept */
	plan_release(&p);
	make_plan(&p, &a, &b);
	stop_at = -1;
	journal_begin(&j, &ctx, &p);
	is_int(plan_execute(&ctx, &j, &test_ops, NULL, 0), 0, "run whole");
	/* a complete plan journalled again, as if killed at the end */
	journal_begin(&j, &ctx, &p);
	{
		git_reference *r = NULL;

		git_reference_create(&r, ctx.repo, "refs/heads/side", &b, 1,
		    "someone");
		git_reference_free(r);
	}
	capture_stderr();
	is_int(plan_abort(&ctx, &j, &test_ops, NULL), E_REFUSED,
	    "a moved ref stops the abort");
	like(captured_stderr(), "'refs/heads/side' moved", "naming the ref");
	ok(journal_exists(&ctx), "the journal is kept");
	ok(ref_is(&ctx, "refs/heads/main", &a), "what came after was undone");
	is_int(j.plan->steps[3].status, PLAN_UNDONE, "and marked so");
	capture_stderr();
	ok(plan_execute(&ctx, &j, &test_ops, NULL, 0) == E_REFUSED,
	    "an interrupted abort cannot be continued");
	journal_remove(&j);
	ok(!journal_exists(&ctx), "removed");
out:
	plan_release(&p);
	ctx_release(&ctx);
	if (chdir(cwd) == 0) {
		struct strbuf rm = STRBUF_INIT;

		strbuf_addf(&rm, "rm -rf '%s'", dir);
		(void)!system(rm.buf);
		strbuf_release(&rm);
	}
}

int
main(void)
{
	git_libgit2_init();
	test_attrs();
	test_format();
	test_line();
	test_undo_line();
	test_print();
	test_executor();
	git_libgit2_shutdown();
	return done_testing();
}
