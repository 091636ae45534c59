/*
 * git hotfix: start a fix from any stable release, finish it with the
 * next free patch tag and a merge back into the release branch.
 */
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "lib/component.h"
#include "lib/hotfix.h"
#include "lib/cmd.h"
#include "lib/opts.h"
#include "lib/repo.h"

static const char *const hotfix_usage[] = {
	"git hotfix start <name> [<base>] [--component <name>] [--no-fetch] [--json] [--dry-run]",
	"git hotfix finish [<name>] [--version <v>] [-m <msg>] [-s | -u <key>] [--component <name>] [--keep] [--no-merge] [--push] [-y] [--dry-run] [--json]",
	"git hotfix finish --continue | --abort [--drop-tag] [--json]",
	"git hotfix list [--json]",
	NULL
};

static int
open_ctx(struct ctx *ctx)
{
	/*
	 * A hotfix walks the same trees several times (status, the tag's
	 * commit list, the merge, the checkout); libgit2 caches trees only
	 * up to 4 KiB, which a directory of a few hundred files exceeds.
	 * The revert engine does without: there it costs memory, not time.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
	    (size_t)1 << 20);
	return ctx_open(ctx);
}

static int
cmd_start(int argc, const char **argv, struct ctx *ctx)
{
	struct hotfix_start_opts o = HOTFIX_START_OPTS_INIT;
	const char *component = NULL;
	int quiet = 0;
	const struct option opts[] = {
		OPT__COMPONENT(&component),
		OPT__NO_FETCH(&o.no_fetch),
		OPT__DRY_RUN(&o.dry_run),
		OPT__JSON(&o.json),
		OPT__QUIET(&quiet),
		OPT_END()
	};
	int rc;

	argc = parse_options(argc, argv, opts, hotfix_usage, 0);
	if (argc < 1)
		usage_error(hotfix_usage, opts, "the hotfix needs a name");
	if (argc > 2)
		usage_error(hotfix_usage, opts, "too many arguments");
	err_set_quiet(quiet);
	o.name = argv[0];
	o.base = argc > 1 ? argv[1] : NULL;
	if ((rc = open_ctx(ctx)) < 0 ||
	    (rc = component_select(ctx, component, o.base,
	    COMPONENT_NEEDED)) < 0)
		return rc;
	return hotfix_start(ctx, &o);
}

enum { MODE_FINISH, MODE_CONTINUE, MODE_ABORT };

static int
cmd_finish(int argc, const char **argv, struct ctx *ctx)
{
	struct hotfix_finish_opts o = HOTFIX_FINISH_OPTS_INIT;
	const char *component = NULL;
	int mode = MODE_FINISH, quiet = 0, rc;
	const struct option opts[] = {
		OPT_STRING(0, "version", &o.version, "v",
		    "tag this version instead of the next free patch"),
		OPT_STRING('m', "message", &o.message, "msg",
		    "the tag's message"),
		OPT_BOOL('s', "sign", &o.sign.sign, "sign the tag"),
		OPT_STRING('u', "local-user", &o.sign.key, "key",
		    "sign the tag with this key"),
		OPT__COMPONENT(&component),
		OPT_BOOL(0, "keep", &o.keep, "keep the hotfix branch"),
		OPT_BOOL(0, "no-merge", &o.no_merge,
		    "tag only: do not merge into the release branch"),
		OPT__PUSH(&o.push),
		OPT__YES(&o.yes),
		OPT__DRY_RUN(&o.dry_run),
		OPT__JSON(&o.json),
		OPT__QUIET(&quiet),
		OPT_CMDMODE(0, "continue", &mode,
		    "commit the resolved merge and finish", MODE_CONTINUE),
		OPT_CMDMODE(0, "abort", &mode,
		    "undo the stopped merge (the tag stays)", MODE_ABORT),
		OPT_BOOL(0, "drop-tag", &o.drop_tag,
		    "with --abort: delete the tag finish made"),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, hotfix_usage, 0);
	if (argc > 1)
		usage_error(hotfix_usage, opts, "too many arguments");
	if (mode != MODE_FINISH && (argc > 0 || o.version || o.message ||
	    o.sign.sign || o.sign.key || o.keep || o.no_merge || o.push ||
	    o.dry_run || component))
		usage_error(hotfix_usage, opts, "--%s takes no other option "
		    "but --drop-tag and --json", mode == MODE_CONTINUE ?
		    "continue" : "abort");
	if (o.drop_tag && mode != MODE_ABORT)
		usage_error(hotfix_usage, opts, "--drop-tag goes with --abort");
	if (o.sign.sign && o.sign.key)
		usage_error(hotfix_usage, opts, "-s and -u are exclusive");
	err_set_quiet(quiet);
	o.name = argc > 0 ? argv[0] : NULL;
	if ((rc = open_ctx(ctx)) < 0)
		return rc;
	/* a start killed half way is finished or undone here too */
	if (mode != MODE_FINISH && hotfix_journal_is(ctx, "hotfix-start"))
		return hotfix_start_resume(ctx, mode == MODE_ABORT);
	if (mode == MODE_CONTINUE)
		return hotfix_finish_continue(ctx, o.json);
	if (mode == MODE_ABORT)
		return hotfix_finish_abort(ctx, o.drop_tag, o.json);
	if ((rc = hotfix_select_component(ctx, o.name, component,
	    COMPONENT_NEEDED)) < 0)
		return rc;
	return hotfix_finish(ctx, &o);
}

static int
cmd_list(int argc, const char **argv, struct ctx *ctx)
{
	int json = 0, rc;
	const struct option opts[] = {
		OPT__JSON(&json),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, hotfix_usage, 0);
	if (argc > 0)
		usage_error(hotfix_usage, opts, "too many arguments");
	if ((rc = open_ctx(ctx)) < 0)
		return rc;
	return hotfix_list(ctx, json);
}

static const struct subcommand subcommands[] = {
	{ "start", cmd_start },
	{ "finish", cmd_finish },
	{ "list", cmd_list },
	{ NULL, NULL }
};

int
main(int argc, const char **argv)
{
	return cmd_main(argc, argv, subcommands, hotfix_usage, NULL);
}
