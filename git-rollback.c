/*
 * git rollback: get production back to the last good release: the
 * pre-rollback checklist, four rollback strategies, reverts of commits
 * and ranges that stop on conflicts and can be resumed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "lib/checklist.h"
#include "lib/component.h"
#include "lib/deploylog.h"
#include "lib/impact.h"
#include "lib/cmd.h"
#include "lib/opts.h"
#include "lib/plan.h"
#include "lib/repo.h"
#include "lib/revert.h"
#include "lib/rollback.h"

static const char *const rollback_usage[] = {
	"git rollback check [<target>] [--env <env>] [--component <name>] [--json]",
	"git rollback [<target>] -m <reason> [--branch | --reset | --revert [--squash] | --deploy-only] [--env <env>] [--component <name>] [--migrate | --ignore-migrations] [--no-hook] [--no-verify] [--no-hold] [--push] [-y] [--json] [--dry-run]",
	"git rollback revert <commit | A..B>... [-m <reason>] [--squash] [--mainline <n>] [--first-parent] [--json] [--dry-run]",
	"git rollback restore <revert-commit> [-m <reason>] [--json] [--dry-run]",
	"git rollback --continue | --skip | --abort [--json]",
	NULL
};

/* --- check and the rollback itself --- */

static const char *const check_usage[] = {
	"git rollback check [<target>] [--env <env>] [--component <name>] [--json]",
	NULL
};

static int
cmd_check(int argc, const char **argv, struct ctx *ctx)
{
	struct checklist cl = CHECKLIST_INIT;
	struct impact imp;
	struct json j = JSON_INIT;
	const char *env = DEFAULT_ENV, *component = NULL;
	int json = 0, quiet = 0, no_fetch = 0, rc;
	const struct option opts[] = {
		OPT__ENV(&env),
		OPT__COMPONENT(&component),
		OPT__JSON(&json),
		OPT__NO_FETCH(&no_fetch),
		OPT__QUIET(&quiet),
		OPT_END()
	};

	impact_init(&imp);
	argc = parse_options(argc, argv, opts, check_usage, 0);
	if (argc > 1)
		usage_error(check_usage, opts, "too many arguments");
	err_set_quiet(quiet);
	if ((rc = deploy_env_check(env)) < 0 || (rc = ctx_open(ctx)) < 0 ||
	    (rc = component_select(ctx, component, argc ? argv[0] : NULL,
	    COMPONENT_NEEDED)) < 0)
		goto out;
	if (!no_fetch)
		deploylog_fetch(ctx);
	if ((rc = checklist_load(&cl, ctx, env, argc ? argv[0] : NULL,
	    RANGE_ALLOW_BAD)) < 0)
		goto out;
	if ((rc = impact_assess(&imp, ctx, &cl)) < 0)
		goto out;
	if (json) {
		json_begin(&j);
		checklist_json(&j, &cl, ctx);
		impact_json(&j, &imp);
		json_end(&j);
		json_print(&j, stdout);
	} else {
		checklist_print(stdout, &cl, ctx);
		impact_print(stdout, &imp, &cl);
	}
	rc = cl.blockers.nr > 0 ? E_REFUSED : 0;
out:
	checklist_release(&cl);
	impact_release(&imp);
	json_release(&j);
	return rc;
}

static int
cmd_rollback(int argc, const char **argv, struct ctx *ctx)
{
	struct rollback_opts o = ROLLBACK_OPTS_INIT;
	const char *component = NULL;
	int strategy = 0, migrations = 0, quiet = 0;
	const struct option opts[] = {
		OPT_STRING('m', "message", &o.reason, "reason",
		    "why: recorded, and given to the hook"),
		OPT_CMDMODE(0, "branch", &strategy,
		    "create rollback/<running> at the target (default)",
		    ROLLBACK_BRANCH),
		OPT_CMDMODE(0, "reset", &strategy,
		    "move the production branch to the target", ROLLBACK_RESET),
		OPT_CMDMODE(0, "revert", &strategy,
		    "revert commits on the production branch", ROLLBACK_REVERT),
		OPT_CMDMODE(0, "deploy-only", &strategy,
		    "no git change: deploy and record", ROLLBACK_DEPLOY_ONLY),
		OPT_BOOL(0, "squash", &o.squash, "with --revert: one commit"),
		OPT__ENV(&o.env),
		OPT__COMPONENT(&component),
		OPT_CMDMODE(0, "migrate", &migrations,
		    "run the down command for each migration", 1),
		OPT_CMDMODE(0, "ignore-migrations", &migrations,
		    "roll back across migrations without undoing them", 2),
		OPT_BOOL(0, "force", &o.force, "roll back to a release marked bad"),
		OPT_BOOL(0, "no-hook", &o.no_hook, "do not run the deploy hook"),
		OPT_BOOL(0, "no-verify", &o.no_verify,
		    "do not run deploy.<env>.verifyCommand (recorded)"),
		OPT_BOOL(0, "no-hold", &o.no_hold,
		    "do not hold the environment at the target"),
		OPT__PUSH(&o.push),
		OPT__NO_FETCH(&o.no_fetch),
		OPT__YES(&o.yes),
		OPT__DRY_RUN(&o.dry_run),
		OPT__JSON(&o.json),
		OPT__QUIET(&quiet),
		OPT_END()
	};
	int rc;

	argc = parse_options(argc, argv, opts, rollback_usage, 0);
	if (argc > 1)
		usage_error(rollback_usage, opts, "too many arguments");
	if (o.squash && strategy != ROLLBACK_REVERT)
		usage_error(rollback_usage, opts,
		    "--squash goes with --revert");
	if (o.reason != NULL && str_blank(o.reason))
		usage_error(rollback_usage, opts, "the reason is empty");
	if (o.reason == NULL && (o.dry_run || !interactive()))
		usage_error(rollback_usage, opts, "a reason is required: "
		    "-m <reason>");
	err_set_quiet(quiet);
	o.target = argc ? argv[0] : NULL;
	if (o.env == NULL)
		o.env = DEFAULT_ENV;
	if (strategy != 0)
		o.strategy = strategy;
	o.migrate = migrations == 1;
	o.ignore_migrations = migrations == 2;
	if ((rc = deploy_env_check(o.env)) < 0 || (rc = ctx_open(ctx)) < 0 ||
	    (rc = component_select(ctx, component, o.target,
	    COMPONENT_NEEDED)) < 0)
		return rc;
	return rollback_run(ctx, &o);
}

/* --- revert, restore, --continue, --skip, --abort --- */

/*
 * --json: a revert or a restore as the plan it ran, one step, on the
 * stdout kept for it; nothing when it was refused before it began.
 */
static void
revert_json(FILE *fp, struct ctx *ctx, const char *op,
    const struct revert_result *res, const char *reason)
{
	struct plan p = PLAN_INIT;
	struct plan_step *s;
	const char *b;

	if (res->branch == NULL)
		return;
	b = strncmp(res->branch, "refs/heads/", 11) == 0 ?
	    res->branch + 11 : res->branch;
	plan_begin(&p, op, ctx->cmdline);
	plan_set(&p.attrs, "undo", res->stopped ? "git rollback --abort" :
	    res->undo ? res->undo : "");
	s = plan_done_step(&p, PLAN_REVERT, res->stopped ? PLAN_STOPPED :
	    PLAN_DONE, NULL);
	if (res->stopped)
		plan_setf(&s->attrs, "what", "%s on %s: stopped on a conflict",
		    op, b);
	else
		plan_setf(&s->attrs, "what", "%s on %s: %zu commit%s, %zu "
		    "skipped", op, b, res->committed,
		    res->committed == 1 ? "" : "s", res->skipped);
	plan_set(&s->attrs, "ref", res->branch);
	plan_set_oid(&s->attrs, "old", &res->old_tip);
	if (!res->stopped)
		plan_set_oid(&s->attrs, "new", &res->new_tip);
	plan_setf(&s->attrs, "committed", "%zu", res->committed);
	plan_setf(&s->attrs, "skipped", "%zu", res->skipped);
	if (reason != NULL)
		plan_set(&s->attrs, "reason", reason);
	plan_print_json(fp, &p, 0);
	plan_release(&p);
}

static int
revert_setup(struct ctx *ctx, int quiet)
{
	err_set_quiet(quiet);
	return ctx_open(ctx);
}

static int
cmd_revert(int argc, const char **argv, struct ctx *ctx)
{
	struct revert_opts ro = REVERT_OPTS_INIT;
	struct revert_plan plan = REVERT_PLAN_INIT;
	struct revert_result res = REVERT_RESULT_INIT;
	const char *reason = NULL;
	int squash = 0, mainline = 0, first_parent = 0, quiet = 0, dry = 0;
	int json = 0, i, rc;
	FILE *fp = NULL;
	const struct option opts[] = {
		OPT_STRING('m', "message", &reason, "reason",
		    "the reason, as a Reason: trailer"),
		OPT_BOOL(0, "squash", &squash, "one commit for everything"),
		OPT_INT(0, "mainline", &mainline, "n",
		    "revert merges against their parent n"),
		OPT_BOOL(0, "first-parent", &first_parent,
		    "walk ranges along first parents only"),
		OPT__QUIET(&quiet),
		OPT__DRY_RUN(&dry),
		OPT__JSON(&json),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, rollback_usage, 0);
	if (argc == 0)
		usage_error(rollback_usage, opts, "what to revert?");
	if (argv[0][0] == '\0')
		usage_error(rollback_usage, opts, "empty commit name");
	if (reason != NULL && str_blank(reason))
		usage_error(rollback_usage, opts, "empty reason");
	if ((rc = revert_setup(ctx, quiet)) < 0)
		return rc;
	ro.reason = reason;
	ro.squash = squash;
	ro.mainline = (unsigned int)mainline;
	ro.first_parent = first_parent;
	ro.quiet = quiet;
	ro.dry_run = dry;
	ro.json = json && dry;
	for (i = 0; i < argc && rc == 0; i++)
		rc = revert_plan_add(&plan, ctx, argv[i], &ro);
	if (rc == 0) {
		if (json && !dry)
			fp = plan_json_stdout();
		rc = revert_run(&res, ctx, &plan, &ro);
	}
	if (fp != NULL) {
		revert_json(fp, ctx, "revert", &res, reason);
		plan_json_stdout_close(fp);
	}
	revert_plan_release(&plan);
	revert_result_release(&res);
	return rc;
}

static int
cmd_restore(int argc, const char **argv, struct ctx *ctx)
{
	struct revert_opts ro = REVERT_OPTS_INIT;
	struct revert_result res = REVERT_RESULT_INIT;
	const char *reason = NULL;
	int quiet = 0, dry = 0, json = 0, rc;
	FILE *fp = NULL;
	const struct option opts[] = {
		OPT_STRING('m', "message", &reason, "reason",
		    "the reason, as a Reason: trailer"),
		OPT__QUIET(&quiet),
		OPT__DRY_RUN(&dry),
		OPT__JSON(&json),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, rollback_usage, 0);
	if (argc != 1)
		usage_error(rollback_usage, opts,
		    "restore takes one revert commit");
	if (reason != NULL && str_blank(reason))
		usage_error(rollback_usage, opts, "empty reason");
	if ((rc = revert_setup(ctx, quiet)) < 0)
		return rc;
	ro.reason = reason;
	ro.quiet = quiet;
	ro.dry_run = dry;
	ro.json = json && dry;
	if (json && !dry)
		fp = plan_json_stdout();
	rc = revert_restore(&res, ctx, argv[0], &ro);
	if (fp != NULL) {
		revert_json(fp, ctx, "restore", &res, reason);
		plan_json_stdout_close(fp);
	}
	revert_result_release(&res);
	return rc;
}

/* --continue, --skip, --abort, anywhere on the command line */
static int
cmd_sequencer(int argc, const char **argv, struct ctx *ctx)
{
	int mode = 0, quiet = 0, json = 0, rc;
	const struct option opts[] = {
		OPT_CMDMODE(0, "continue", &mode,
		    "go on after resolving the conflict", REVERT_CONTINUE),
		OPT_CMDMODE(0, "skip", &mode, "skip the conflicted commit",
		    REVERT_SKIP),
		OPT_CMDMODE(0, "abort", &mode, "undo the whole revert",
		    REVERT_ABORT),
		OPT__JSON(&json),
		OPT__QUIET(&quiet),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, rollback_usage, 0);
	if (argc != 0)
		usage_error(rollback_usage, opts,
		    "--continue, --skip and --abort take no arguments");
	if ((rc = revert_setup(ctx, quiet)) < 0)
		return rc;
	return rollback_finish(ctx, mode, json);
}

static int
is_sequencer_mode(int argc, const char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--continue") == 0 ||
		    strcmp(argv[i], "--skip") == 0 ||
		    strcmp(argv[i], "--abort") == 0)
			return 1;
	return 0;
}

/* --- dispatch --- */

static const struct subcommand subcommands[] = {
	{ "check", cmd_check },
	{ "revert", cmd_revert },
	{ "restore", cmd_restore },
	{ NULL, NULL }
};

/* no subcommand: the rollback itself, or --continue, --skip, --abort */
static int
cmd_default(int argc, const char **argv, struct ctx *ctx)
{
	if (is_sequencer_mode(argc, argv))
		return cmd_sequencer(argc, argv, ctx);
	return cmd_rollback(argc, argv, ctx);
}

int
main(int argc, const char **argv)
{
	return cmd_main(argc, argv, subcommands, rollback_usage, cmd_default);
}
