/*
 * git release: cut SemVer release tags, list them in true SemVer order,
 * record deployments, answer what is running, mark bad releases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <git2.h>

#include "lib/cdevents.h"
#include "lib/color.h"
#include "lib/component.h"
#include "lib/cut.h"
#include "lib/deploy.h"
#include "lib/deploylog.h"
#include "lib/env.h"
#include "lib/hold.h"
#include "lib/hook.h"
#include "lib/json.h"
#include "lib/metrics.h"
#include "lib/cmd.h"
#include "lib/opts.h"
#include "lib/pager.h"
#include "lib/plan-release.h"
#include "lib/push.h"
#include "lib/release.h"
#include "lib/repo.h"
#include "lib/tag.h"
#include "lib/verify.h"

static const char *const release_usage[] = {
	"git release cut [--major | --minor | --patch | <version>] [--pre <id>] [-m <msg>] [-s | -u <key>] [--component <name>] [--json] [--push] [--dry-run]",
	"git release next [--major | --minor | --patch] [--pre <id>] [--component <name>] [--json]",
	"git release list [-n <count>] [--pre] [--component <name>] [--json]",
	"git release current [--env <env>] [--component <name>] [--json] [--no-fetch]",
	"git release deploy (<tag> | --latest) [--env <env> [--new-env]] [--component <name>] [-m <msg>] [--force] [--no-hook] [--no-verify] [--rollback-on-failure | --no-rollback-on-failure] [--lift-hold] [--allow-downgrade [--migrate | --ignore-migrations]] [--json] [--push] [--dry-run]",
	"git release envs [--json] [--no-fetch]",
	"git release history [--env <env>] [--component <name>] [-n <count>] [--json | --format=cdevents] [--no-fetch]",
	"git release hold [--env <env>] [--component <name>] [-m <reason>] [--push]",
	"git release hold --lift -m <reason> [--env <env>] [--component <name>] [--push]",
	"git release hold --list [--component <name>] [--json]",
	"git release notes [<from>..<to>] [--component <name>]",
	"git release metrics [--env <env>] [--component <name>] [--since <date>] [--until <date>] [--by week|month] [--json]",
	"git release yank <tag> -m <reason> [--env <env>] [--component <name>] [--json] [--push] [--dry-run]",
	"git release yank --undo <tag> [--env <env>] [-m <reason>] [--component <name>] [--json] [--push] [--dry-run]",
	"git release verify [--env <env>] [--component <name>] [--json] [--no-fetch] [--push]",
	"git release --continue | --abort [--json]",
	NULL
};

/* --- cut, list, notes --- */

static const char *const cut_usage[] = {
	"git release cut [--major | --minor | --patch | <version>] [--pre <id>] [-m <msg>] [-s | -u <key>] [--component <name>] [--json] [--push] [--dry-run]",
	NULL
};

static const char *const list_usage[] = {
	"git release list [-n <count>] [--pre] [--component <name>] [--json]",
	NULL
};

static const char *const notes_usage[] = {
	"git release notes [<from>..<to>] [--component <name>]",
	NULL
};

static int
cmd_cut(int argc, const char **argv, struct ctx *ctx)
{
	struct cut_opts o = { 0 };
	struct strbuf tag = STRBUF_INIT;
	int sign = 0, quiet = 0, rc;
	const char *key = NULL, *component = NULL;
	const struct option opts[] = {
		OPT_CMDMODE(0, "major", &o.bump, "bump the major version",
		    BUMP_MAJOR),
		OPT_CMDMODE(0, "minor", &o.bump, "bump the minor version",
		    BUMP_MINOR),
		OPT_CMDMODE(0, "patch", &o.bump, "bump the patch version",
		    BUMP_PATCH),
		OPT_STRING(0, "pre", &o.pre, "id",
		    "make the next pre-release <id>.N of that version"),
		OPT_STRING('m', "message", &o.message, "msg",
		    "text for the tag's annotation"),
		OPT_BOOL('s', "sign", &sign, "sign the tag with your key"),
		OPT_STRING('u', "local-user", &key, "key",
		    "sign the tag with this key"),
		OPT__COMPONENT(&component),
		OPT__JSON(&o.json),
		OPT__PUSH(&o.push),
		OPT__DRY_RUN(&o.dry_run),
		OPT__QUIET(&quiet),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, cut_usage, 0);
	err_set_quiet(quiet);
	if (argc > 1)
		usage_error(cut_usage, opts, "too many arguments");
	if (argc == 1 && o.bump != BUMP_NONE)
		usage_error(cut_usage, opts,
		    "a version and a bump option are exclusive");
	if (sign && key != NULL)
		usage_error(cut_usage, opts, "-s and -u are exclusive");
	o.sign.sign = sign || key != NULL;
	o.sign.key = key;
	if (o.pre != NULL && !release_valid_pre_id(o.pre))
		return error_fatal("'%s' is not a valid pre-release "
		    "identifier", o.pre);
	/* the prefix is config: open before judging the version */
	if ((rc = ctx_open(ctx)) < 0 ||
	    (rc = component_select(ctx, component, argc ? argv[0] : NULL,
	    COMPONENT_NEEDED)) < 0)
		goto out;
	if (argc == 1) {
		struct semver v;

		if ((rc = release_tag_name(&tag, ctx, argv[0])) < 0)
			goto out;
		semver_parse(&v, tag.buf + strlen(ctx->set.tag_prefix));
		if (v.build != NULL) {
			rc = error_fatal("'%s': build metadata is not part "
			    "of a release tag", argv[0]);
			goto out;
		}
		if (o.pre != NULL && v.pre != NULL) {
			rc = error_fatal("'%s' is already a pre-release; drop "
			    "--pre", argv[0]);
			goto out;
		}
		o.version = tag.buf;
	}
	rc = release_cut(ctx, &o);
out:
	strbuf_release(&tag);
	return rc;
}

static const char *const next_usage[] = {
	"git release next [--major | --minor | --patch] [--pre <id>] [--component <name>] [--json]",
	NULL
};

/* the tag cut would create, alone on a line (for CI) */
static int
cmd_next(int argc, const char **argv, struct ctx *ctx)
{
	struct cut_opts o = { 0 };
	struct strbuf tag = STRBUF_INIT;
	struct json j = JSON_INIT;
	const char *component = NULL;
	int json = 0, rc;
	git_oid head;
	const struct option opts[] = {
		OPT_CMDMODE(0, "major", &o.bump, "bump the major version",
		    BUMP_MAJOR),
		OPT_CMDMODE(0, "minor", &o.bump, "bump the minor version",
		    BUMP_MINOR),
		OPT_CMDMODE(0, "patch", &o.bump, "bump the patch version",
		    BUMP_PATCH),
		OPT_STRING(0, "pre", &o.pre, "id",
		    "the next pre-release <id>.N of that version"),
		OPT__COMPONENT(&component),
		OPT__JSON(&json),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, next_usage, 0);
	if (argc > 0)
		usage_error(next_usage, opts, "too many arguments");
	if (o.pre != NULL && !release_valid_pre_id(o.pre))
		return error_fatal("'%s' is not a valid pre-release "
		    "identifier", o.pre);
	if ((rc = ctx_open(ctx)) < 0 ||
	    (rc = component_select(ctx, component, NULL,
	    COMPONENT_NEEDED)) < 0 ||
	    (rc = release_next(&tag, &head, ctx, &o)) < 0)
		goto out;
	if (!json) {
		printf("%s\n", tag.buf);
		goto out;
	}
	json_begin(&j);
	json_str(&j, "tag", tag.buf);
	json_version(&j, "version", tag.buf + strlen(ctx->set.tag_prefix));
	json_str(&j, "component", ctx->set.component ?
	    ctx->set.component->name : NULL);
	json_str(&j, "commit", git_oid_tostr_s(&head));
	json_end(&j);
	json_print(&j, stdout);
out:
	json_release(&j);
	strbuf_release(&tag);
	return rc;
}

/*
 * Where each release runs now: the newest log entry of every
 * environment, as (env, tag) pairs, environments in name order.
 */
static int
running_everywhere(struct strlist *envs, struct strlist *tags,
    struct ctx *ctx)
{
	struct strlist refs = STRLIST_INIT;
	size_t i, plen = strlen(DEPLOY_LOG_PREFIX);
	int ret = 0;

	if ((ret = release_refs_under(&refs, ctx, DEPLOY_LOG_PREFIX)) < 0)
		goto out;
	for (i = 0; i < refs.nr; i++) {
		struct deploy_entry e;
		const char *env = refs.items[i] + plen;
		int found;

		if (deploy_env_check(env) < 0)
			continue;
		if ((ret = deploylog_last_in_effect(&e, &found, ctx,
		    env)) < 0)
			goto out;
		if (found) {
			strlist_add(envs, env);
			strlist_add(tags, e.tag);
		}
		deploy_entry_release(&e);
	}
out:
	strlist_release(&refs);
	return ret;
}

/* the environments running tag, ", "-separated, or NULL */
static void
deployed_at(struct strlist *out, const struct strlist *envs,
    const struct strlist *tags, const char *tag)
{
	size_t i;

	for (i = 0; i < tags->nr; i++)
		if (strcmp(tags->items[i], tag) == 0)
			strlist_add(out, envs->items[i]);
}

static void
list_line(struct strbuf *out, const struct release *r, const char *reason,
    const struct strlist *where, int color)
{
	size_t i;

	strbuf_addstr(out, r->tag);
	if (where->nr) {
		strbuf_addf(out, "  %sdeployed: ", color ? COLOR_GREEN : "");
		for (i = 0; i < where->nr; i++)
			strbuf_addf(out, "%s%s", i ? ", " : "",
			    where->items[i]);
		strbuf_addstr(out, color ? COLOR_RESET : "");
	}
	if (reason != NULL) {
		/* the reason's first line: one release a line */
		strbuf_addstr(out, color ? "  " COLOR_RED "bad: " : "  bad: ");
		strbuf_add(out, reason, strcspn(reason, "\n"));
		strbuf_addstr(out, color ? COLOR_RESET : "");
	}
	strbuf_addch(out, '\n');
}

static int
list_json(struct strbuf *out, struct ctx *ctx, const struct release *r,
    size_t plen, const char *reason, const struct mark_list *ml,
    const struct strlist *where)
{
	struct json j = JSON_INIT;
	int64_t date;
	size_t i;
	int rc;

	if ((rc = release_date(&date, ctx, r)) < 0)
		return rc;
	json_begin(&j);
	json_str(&j, "tag", r->tag);
	json_version(&j, "version", r->tag + plen);
	json_time(&j, "date", date);
	json_str(&j, "commit", git_oid_tostr_s(&r->commit));
	json_bool(&j, "annotated", r->annotated);
	json_bool(&j, "prerelease", !semver_is_stable(&r->v));
	json_bool(&j, "bad", reason != NULL);
	/* the oldest mark's reason whole, as before marks had several */
	json_str(&j, "reason", ml != NULL && ml->nr ? ml->items[0].reason :
	    NULL);
	json_array_begin(&j, "marks");
	for (i = 0; ml != NULL && i < ml->nr; i++) {
		json_object_begin(&j, NULL);
		json_str(&j, "env", ml->items[i].env);
		json_str(&j, "reason", ml->items[i].reason);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_str(&j, "component", ctx->set.component ?
	    ctx->set.component->name : NULL);
	json_strlist(&j, "deployed", where);
	json_end(&j);
	json_add_line(out, &j);
	json_release(&j);
	return 0;
}

struct list_opts {
	int	 max;
	int	 pre;
	int	 json;
	int	 color;
};

/* the selected component's releases, newest first, into out */
static int
list_component(struct strbuf *out, struct ctx *ctx,
    const struct list_opts *o, const struct marks *marks)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct strlist envs = STRLIST_INIT, tags = STRLIST_INIT;
	struct strlist where = STRLIST_INIT;
	size_t i, shown = 0, plen;
	int ret;

	if ((ret = release_list_load(&l, ctx)) < 0 ||
	    (ret = running_everywhere(&envs, &tags, ctx)) < 0)
		goto out;
	plen = strlen(ctx->set.tag_prefix);
	for (i = 0; i < l.nr && (o->max < 0 || shown < (size_t)o->max); i++) {
		const struct release *r = &l.items[i];
		const char *reason;

		if (!o->pre && !semver_is_stable(&r->v))
			continue;
		reason = marks->nr ? marks_reason(marks, r->tag) : NULL;
		strlist_release(&where);
		if (tags.nr)
			deployed_at(&where, &envs, &tags, r->tag);
		if (o->json) {
			if ((ret = list_json(out, ctx, r, plen, reason,
			    reason ? marks_of(marks, r->tag) : NULL,
			    &where)) < 0)
				goto out;
		} else
			list_line(out, r, reason, &where, o->color);
		shown++;
		if (out->len > 65536) {
			fwrite(out->buf, 1, out->len, stdout);
			strbuf_reset(out);
		}
	}
	ret = 0;
out:
	strlist_release(&where);
	strlist_release(&envs);
	strlist_release(&tags);
	release_list_release(&l);
	return ret;
}

static int
cmd_list(int argc, const char **argv, struct ctx *ctx)
{
	struct list_opts o = { -1, 0, 0, 0 };
	struct marks marks = MARKS_INIT;
	struct strbuf out = STRBUF_INIT;
	const char *component = NULL;
	size_t i;
	int ret;
	const struct option opts[] = {
		OPT_INT('n', NULL, &o.max, "count", "show at most <count>"),
		OPT_BOOL(0, "pre", &o.pre, "include pre-releases"),
		OPT__COMPONENT(&component),
		OPT__JSON(&o.json),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, list_usage, 0);
	if (argc > 0)
		usage_error(list_usage, opts, "too many arguments");
	if ((ret = ctx_open(ctx)) < 0 ||
	    (ret = component_select(ctx, component, NULL, 0)) < 0 ||
	    (ret = marks_load(&marks, ctx)) < 0)
		goto out;
	if (!o.json)
		pager_start(ctx, "release");
	o.color = !o.json && want_color(ctx, 1);
	if (ctx->set.component != NULL || ctx->set.components.nr == 0)
		ret = list_component(&out, ctx, &o, &marks);
	else	/* every component, each one's newest first */
		for (i = 0; i < ctx->set.components.nr && ret == 0; i++) {
			component_use(ctx, &ctx->set.components.items[i]);
			ret = list_component(&out, ctx, &o, &marks);
		}
	if (ret < 0)
		goto out;
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
out:
	strbuf_release(&out);
	marks_release(&marks);
	return ret;
}

/* "<a>..<b>", "<a>..", "..<b>" or "<b>" (from the stable release before it) */
static int
notes_range(const struct release **from, const struct release **to,
    struct ctx *ctx, const struct release_list *l, const char *arg)
{
	const char *dots = arg ? strstr(arg, "..") : NULL;
	int rc = 0;

	*from = *to = NULL;
	if (dots != NULL && dots > arg) {
		char *a = xstrndup(arg, (size_t)(dots - arg));

		rc = release_lookup(from, l, ctx, a);
		free(a);
		if (rc < 0)
			return rc;
	}
	if (dots != NULL && dots[2] != '\0')
		rc = release_lookup(to, l, ctx, dots + 2);
	else if (dots == NULL && arg != NULL)
		rc = release_lookup(to, l, ctx, arg);
	else if ((*to = release_latest(l, 1)) == NULL &&
	    (*to = release_latest(l, 0)) == NULL)
		return error("there is no release yet");
	if (rc < 0)
		return rc;
	if (dots == NULL || dots == arg)
		*from = release_previous_stable(l, *to);
	return 0;
}

/* the release a range names, for its component: <to>, else <from> */
static char *
notes_named(const char *arg)
{
	const char *dots = strstr(arg, "..");

	if (dots == NULL)
		return xstrdup(arg);
	if (dots[2] != '\0')
		return xstrdup(dots + 2);
	return xstrndup(arg, (size_t)(dots - arg));
}

static int
cmd_notes(int argc, const char **argv, struct ctx *ctx)
{
	struct release_list l = RELEASE_LIST_INIT;
	const struct release *from, *to;
	struct strbuf out = STRBUF_INIT;
	const char *component = NULL;
	char *named = NULL;
	int ret;
	const struct option opts[] = {
		OPT__COMPONENT(&component),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, notes_usage, 0);
	if (argc > 1)
		usage_error(notes_usage, opts, "too many arguments");
	if (argc)
		named = notes_named(argv[0]);
	if ((ret = ctx_open(ctx)) < 0 ||
	    (ret = component_select(ctx, component, named,
	    COMPONENT_NEEDED)) < 0 ||
	    (ret = release_list_load(&l, ctx)) < 0 ||
	    (ret = notes_range(&from, &to, ctx, &l,
	    argc ? argv[0] : NULL)) < 0 ||
	    (ret = tag_commit_lines(&out, ctx, from ? &from->commit : NULL,
	    &to->commit, 0)) < 0)
		goto out;
	pager_start(ctx, "release");
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
out:
	free(named);
	strbuf_release(&out);
	release_list_release(&l);
	return ret;
}

/* --- deploy, current, history, yank --- */

static const char *const deploy_usage[] = {
	"git release deploy (<tag> | --latest) [--env <env> [--new-env]] [--component <name>] [-m <msg>] [--force] [--no-hook] [--no-verify] [--rollback-on-failure | --no-rollback-on-failure] [--lift-hold] [--allow-downgrade [--migrate | --ignore-migrations]] [--json] [--push] [--dry-run]",
	NULL
};

static const char *const envs_usage[] = {
	"git release envs [--json] [--no-fetch]",
	NULL
};

static const char *const current_usage[] = {
	"git release current [--env <env>] [--component <name>] [--json] [--no-fetch]",
	NULL
};

static const char *const history_usage[] = {
	"git release history [--env <env>] [--component <name>] [-n <count>] [--json | --format=cdevents] [--no-fetch]",
	NULL
};

static const char *const hold_usage[] = {
	"git release hold [--env <env>] [--component <name>] [-m <reason>] [--push]",
	"git release hold --lift -m <reason> [--env <env>] [--component <name>] [--push]",
	"git release hold --list [--component <name>] [--json]",
	NULL
};

static const char *const yank_usage[] = {
	"git release yank <tag> -m <reason> [--env <env>] [--component <name>] [--json] [--push] [--dry-run]",
	"git release yank --undo <tag> [--env <env>] [-m <reason>] [--component <name>] [--json] [--push] [--dry-run]",
	NULL
};

static int
cmd_deploy(int argc, const char **argv, struct ctx *ctx)
{
	struct deploy_opts o = DEPLOY_OPTS_INIT;
	const char *component = NULL;
	int quiet = 0, migrations = 0, rc;
	const struct option opts[] = {
		OPT__ENV(&o.env),
		OPT__COMPONENT(&component),
		OPT_STRING('m', "message", &o.message, "msg",
		    "why: recorded as the entry's reason"),
		OPT_BOOL(0, "force", &o.force,
		    "deploy a release marked bad (the mark stays)"),
		OPT_BOOL(0, "no-hook", &o.no_hook,
		    "record only: do not run deploy.<env>.command"),
		OPT_BOOL(0, "new-env", &o.new_env,
		    "declare --env <env> by this first deployment"),
		OPT_BOOL(0, "no-verify", &o.no_verify,
		    "do not run deploy.<env>.verifyCommand (recorded)"),
		OPT_SETVAL(0, "rollback-on-failure", &o.rollback,
		    "roll back automatically if it does not verify", 1),
		OPT_SETVAL(0, "no-rollback-on-failure", &o.rollback,
		    "never roll back automatically", -1),
		OPT_BOOL(0, "latest", &o.latest,
		    "the newest good release newer than the running one"),
		OPT_BOOL(0, "lift-hold", &o.lift_hold,
		    "deploy past the environment's hold, lifting it"),
		OPT_BOOL(0, "allow-downgrade", &o.allow_downgrade,
		    "deploy an older release: recorded as a rollback"),
		OPT_CMDMODE(0, "migrate", &migrations,
		    "with --allow-downgrade: undo the migrations between", 1),
		OPT_CMDMODE(0, "ignore-migrations", &migrations,
		    "with --allow-downgrade: leave them applied", 2),
		OPT__JSON(&o.json),
		OPT__PUSH(&o.push),
		OPT__DRY_RUN(&o.dry_run),
		OPT__QUIET(&quiet),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, deploy_usage, 0);
	err_set_quiet(quiet);
	if (argc == 0 && !o.latest)
		usage_error(deploy_usage, opts, "which release? give a tag");
	if (argc > 0 && o.latest)
		usage_error(deploy_usage, opts, "a tag and --latest are "
		    "exclusive");
	if (argc > 1)
		usage_error(deploy_usage, opts, "too many arguments");
	if (o.new_env && strcmp(o.env, DEFAULT_ENV) == 0)
		usage_error(deploy_usage, opts, "--new-env needs --env <env>");
	if (o.message != NULL && str_blank(o.message))
		usage_error(deploy_usage, opts, "the reason is empty");
	if (o.allow_downgrade && o.message == NULL)
		usage_error(deploy_usage, opts, "--allow-downgrade records a "
		    "rollback: a reason is required: -m <reason>");
	if (o.allow_downgrade && o.latest)
		usage_error(deploy_usage, opts, "--latest never deploys an "
		    "older release: --allow-downgrade goes with a tag");
	if (migrations && !o.allow_downgrade)
		usage_error(deploy_usage, opts, "--%s goes with "
		    "--allow-downgrade", migrations == 1 ? "migrate" :
		    "ignore-migrations");
	o.migrate = migrations == 1;
	o.ignore_migrations = migrations == 2;
	if ((rc = deploy_env_check(o.env)) < 0 || (rc = ctx_open(ctx)) < 0 ||
	    (rc = component_select(ctx, component, argc ? argv[0] : NULL,
	    COMPONENT_NEEDED)) < 0)
		return rc;
	return deploy_release(ctx, &o, argc ? argv[0] : NULL);
}

static const char *const verify_usage[] = {
	"git release verify [--env <env>] [--component <name>] [--json] [--no-fetch] [--push]",
	NULL
};

static int
cmd_verify(int argc, const char **argv, struct ctx *ctx)
{
	struct verify_cmd_opts o = { DEFAULT_ENV, 0, 0, 0 };
	const char *component = NULL;
	int quiet = 0, rc;
	const struct option opts[] = {
		OPT__ENV(&o.env),
		OPT__COMPONENT(&component),
		OPT__JSON(&o.json),
		OPT__NO_FETCH(&o.no_fetch),
		OPT__PUSH(&o.push),
		OPT__QUIET(&quiet),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, verify_usage, 0);
	(void)argv;
	err_set_quiet(quiet);
	if (argc > 0)
		usage_error(verify_usage, opts, "too many arguments");
	if ((rc = deploy_env_check(o.env)) < 0 || (rc = ctx_open(ctx)) < 0 ||
	    (rc = component_select(ctx, component, NULL,
	    COMPONENT_NEEDED)) < 0 ||
	    (rc = env_require(ctx, o.env, 0)) < 0)
		return rc;
	return verify_command(ctx, &o);
}

static int
cmd_hold(int argc, const char **argv, struct ctx *ctx)
{
	struct hold_opts o = { DEFAULT_ENV, NULL, 0, 0, 0, 0 };
	const char *component = NULL;
	int quiet = 0, rc;
	const struct option opts[] = {
		OPT__ENV(&o.env),
		OPT__COMPONENT(&component),
		OPT_STRING('m', "message", &o.reason, "reason",
		    "why: recorded with the hold"),
		OPT_BOOL(0, "lift", &o.lift, "lift the hold"),
		OPT_BOOL(0, "list", &o.list, "the environments held"),
		OPT__JSON(&o.json),
		OPT__PUSH(&o.push),
		OPT__QUIET(&quiet),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, hold_usage, 0);
	(void)argv;
	err_set_quiet(quiet);
	if (argc > 0)
		usage_error(hold_usage, opts, "too many arguments");
	if (o.lift && o.list)
		usage_error(hold_usage, opts, "--lift and --list are exclusive");
	if (o.lift && (o.reason == NULL || *o.reason == '\0'))
		usage_error(hold_usage, opts, "a reason is required: -m "
		    "<reason>");
	if (o.json && !o.list)
		usage_error(hold_usage, opts, "--json goes with --list");
	/* a hold is one component's: --list alone covers them all */
	if ((rc = deploy_env_check(o.env)) < 0 || (rc = ctx_open(ctx)) < 0 ||
	    (rc = component_select(ctx, component, NULL, o.list ? 0 :
	    COMPONENT_NEEDED)) < 0 ||
	    (!o.list && (rc = env_require(ctx, o.env, 0)) < 0))
		return rc;
	return hold_command(ctx, &o);
}

static void
envs_json(struct strbuf *sb, struct ctx *ctx, const struct env_row *row)
{
	const struct deploy_entry *e = &row->entry;
	const char *tag = e->tag ? e->tag :
	    row->running ? row->running->tag : NULL;
	struct json j = JSON_INIT;

	json_begin(&j);
	json_str(&j, "env", row->env);
	json_str(&j, "component", component_tag_component(ctx, tag,
	    e->component));
	json_str(&j, "tag", tag);
	json_version(&j, "version", component_tag_version(ctx, tag));
	json_str(&j, "source", e->tag ? "log" : row->running ? "branch" :
	    NULL);
	json_time(&j, "time", e->tag ? e->time : -1);
	json_str(&j, "operator", e->operator);
	json_str(&j, "kind", e->tag ? deploy_kind_name(e->kind) : NULL);
	json_str(&j, "hook", row->hook);
	json_str(&j, "branch", row->branch);
	json_end(&j);
	json_add_line(sb, &j);
	json_release(&j);
}

/*
 * "staging  v1.2.0  2024-01-15 14:30 UTC  Name <email>  hook: <cmd>
 * branch: <b>", the component after the environment when there is one
 */
static void
envs_line(struct strbuf *sb, const struct env_row *row, int envw, int tagw)
{
	const struct deploy_entry *e = &row->entry;
	struct strbuf name = STRBUF_INIT, t = STRBUF_INIT;

	strbuf_addstr(&name, row->env);
	if (e->component != NULL)
		strbuf_addf(&name, " %s", e->component);
	if (e->tag != NULL) {
		deploy_time_human(&t, e->time);
		strbuf_addf(&t, "  %s", e->operator ? e->operator : "");
	} else if (row->running != NULL)
		strbuf_addf(&t, "(from branch %s)", row->branch);
	else
		strbuf_addstr(&t, "(nothing deployed)");
	strbuf_addf(sb, "%-*s  %-*s  %s  hook: %s  branch: %s\n", envw,
	    name.buf, tagw, e->tag ? e->tag : row->running ?
	    row->running->tag : "-", t.buf, row->hook ? row->hook : "none",
	    row->branch ? row->branch : "none");
	strbuf_release(&name);
	strbuf_release(&t);
}

static int
cmd_envs(int argc, const char **argv, struct ctx *ctx)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct env_rows rows = ENV_ROWS_INIT;
	struct strbuf out = STRBUF_INIT;
	int json = 0, no_fetch = 0, envw = 0, tagw = 1, ret;
	size_t i;
	const struct option opts[] = {
		OPT__JSON(&json),
		OPT__NO_FETCH(&no_fetch),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, envs_usage, 0);
	(void)argv;
	if (argc > 0)
		usage_error(envs_usage, opts, "too many arguments");
	if ((ret = ctx_open(ctx)) < 0 ||
	    (!no_fetch && (ret = deploylog_fetch(ctx)) < 0) ||
	    (ret = release_list_load(&l, ctx)) < 0 ||
	    (ret = env_rows_load(&rows, ctx, &l)) < 0)
		goto out;
	for (i = 0; i < rows.nr; i++) {
		const struct env_row *row = &rows.items[i];
		const char *tag = row->entry.tag ? row->entry.tag :
		    row->running ? row->running->tag : "-";
		int w = (int)strlen(row->env);

		if (row->entry.component != NULL)
			w += 1 + (int)strlen(row->entry.component);
		envw = w > envw ? w : envw;
		w = (int)strlen(tag);
		tagw = w > tagw ? w : tagw;
	}
	for (i = 0; i < rows.nr; i++) {
		if (json)
			envs_json(&out, ctx, &rows.items[i]);
		else
			envs_line(&out, &rows.items[i], envw, tagw);
	}
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
out:
	strbuf_release(&out);
	env_rows_release(&rows);
	release_list_release(&l);
	return ret;
}

static void
current_json(struct strbuf *sb, struct ctx *ctx, const char *env,
    const char *tag, const git_oid *commit, const struct deploy_entry *e)
{
	struct json j = JSON_INIT;

	json_begin(&j);
	json_str(&j, "env", env);
	json_str(&j, "component", ctx->set.component ?
	    ctx->set.component->name : NULL);
	json_str(&j, "tag", tag);
	json_version(&j, "version", component_tag_version(ctx, tag));
	json_str(&j, "commit", git_oid_tostr_s(commit));
	json_str(&j, "source", e ? "log" : "branch");
	json_str(&j, "kind", e ? deploy_kind_name(e->kind) : NULL);
	json_time(&j, "time", e ? e->time : -1);
	json_str(&j, "operator", e ? e->operator : NULL);
	json_end(&j);
	json_add_line(sb, &j);
	json_release(&j);
}

static int
cmd_current(int argc, const char **argv, struct ctx *ctx)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct deploy_entry last;
	struct strbuf out = STRBUF_INIT;
	const struct release *r = NULL;
	const char *env = DEFAULT_ENV, *component = NULL;
	int json = 0, no_fetch = 0, found = 0, ret;
	const struct option opts[] = {
		OPT__ENV(&env),
		OPT__COMPONENT(&component),
		OPT__JSON(&json),
		OPT__NO_FETCH(&no_fetch),
		OPT_END()
	};

	memset(&last, 0, sizeof(last));
	argc = parse_options(argc, argv, opts, current_usage, 0);
	(void)argv;
	if (argc > 0)
		usage_error(current_usage, opts, "too many arguments");
	if ((ret = deploy_env_check(env)) < 0 ||
	    (ret = ctx_open(ctx)) < 0 ||
	    (ret = component_select(ctx, component, NULL,
	    COMPONENT_NEEDED)) < 0 ||
	    (!no_fetch && (ret = deploylog_fetch(ctx)) < 0) ||
	    (ret = env_require(ctx, env, 0)) < 0 ||
	    (ret = deploylog_last_in_effect(&last, &found, ctx, env)) < 0)
		goto out;
	if (found) {
		/* the log answers alone: no need to list every tag */
		const struct deploy_entry *e = &last;
		char *ref = xstrfmt("refs/tags/%s", e->tag);
		git_oid id;

		ret = git_reference_name_to_id(&id, ctx->repo, ref);
		free(ref);
		git_error_clear();
		if (ret < 0) {
			ret = error_fatal("'%s' is running on '%s' by the "
			    "deployment log, but there is no such tag",
			    e->tag, env);
			if (remote_exists(ctx, ctx->set.remote))
				hint("git fetch %s tag %s", ctx->set.remote,
				    e->tag);
			goto out;
		}
		if (json)
			current_json(&out, ctx, env, e->tag, &e->commit, e);
		else
			strbuf_addf(&out, "%s\n", e->tag);
	} else {
		if ((ret = release_list_load(&l, ctx)) < 0 ||
		    (ret = deploy_running(&r, ctx, &l, env, NULL)) < 0)
			goto out;
		if (r == NULL) {
			ret = error("nothing is known to run on '%s'", env);
			hint("record a deployment with \"git release deploy "
			    "<tag> --env %s\"", env);
			goto out;
		}
		if (json)
			current_json(&out, ctx, env, r->tag, &r->commit, NULL);
		else
			strbuf_addf(&out, "%s\n", r->tag);
	}
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
out:
	strbuf_release(&out);
	deploy_entry_release(&last);
	release_list_release(&l);
	return ret;
}

static void
history_json(struct strbuf *sb, struct ctx *ctx, const struct deploy_entry *e)
{
	struct json j = JSON_INIT;
	int rb = e->kind == DEPLOY_KIND_ROLLBACK;

	json_begin(&j);
	json_str(&j, "env", e->env);
	json_str(&j, "component", component_tag_component(ctx, e->tag,
	    e->component));
	json_time(&j, "time", e->time);
	json_str(&j, "kind", deploy_kind_name(e->kind));
	json_str(&j, "tag", e->tag);
	json_version(&j, "version", component_tag_version(ctx, e->tag));
	json_str(&j, "commit", git_oid_tostr_s(&e->commit));
	json_str(&j, "operator", e->operator);
	json_str(&j, "reason", e->reason);
	json_str(&j, "from", rb ? e->from : NULL);
	json_str(&j, "to", rb ? e->tag : NULL);
	json_str(&j, "strategy", rb ? e->strategy : NULL);
	json_str(&j, "status", deploy_status_name(e->status));
	json_str(&j, "verify", e->verify);
	json_str(&j, "verify_output", e->verify_output);
	json_int(&j, "verify_attempts", (long long)e->verify_attempts);
	json_int(&j, "verify_ms", (long long)e->verify_ms);
	json_str(&j, "trigger", e->trigger);
	json_str(&j, "entry", git_oid_tostr_s(&e->id));
	json_end(&j);
	json_add_line(sb, &j);
	json_release(&j);
}

/* s, then spaces to w columns (printf's "%-*s" without its cost) */
static void
add_padded(struct strbuf *sb, const char *s, int w)
{
	size_t len = strlen(s);

	strbuf_add(sb, s, len);
	for (; (int)len < w; len++)
		strbuf_addch(sb, ' ');
}

/*
 * deploy_time_human() of a whole record: consecutive entries share
 * their day, whose date is worked out once.
 */
struct human_time {
	int64_t		 day;		/* of date, or INT64_MIN */
	char		 date[32];	/* "2024-01-15 " */
};

static void
add_human_time(struct strbuf *sb, struct human_time *c, int64_t t)
{
	int64_t day = t / 86400, sec = t % 86400;

	if (t < 0) {		/* before 1970: the general way */
		deploy_time_human(sb, t);
		return;
	}
	if (day != c->day) {
		struct strbuf d = STRBUF_INIT;

		deploy_time_human(&d, day * 86400);
		/* "YYYY-MM-DD 00:00 UTC": keep the date and its space */
		if (d.len > 10 && d.len - 10 < sizeof(c->date)) {
			memcpy(c->date, d.buf, d.len - 9);
			c->date[d.len - 9] = '\0';
			c->day = day;
		} else {
			strbuf_add(sb, d.buf, d.len);
			strbuf_release(&d);
			c->day = INT64_MIN;
			return;
		}
		strbuf_release(&d);
	}
	strbuf_addstr(sb, c->date);
	strbuf_addch(sb, (char)('0' + sec / 36000));
	strbuf_addch(sb, (char)('0' + sec / 3600 % 10));
	strbuf_addch(sb, ':');
	strbuf_addch(sb, (char)('0' + sec / 600 % 6));
	strbuf_addch(sb, (char)('0' + sec / 60 % 10));
	strbuf_addstr(sb, " UTC");
}

/*
 * "2024-01-15 14:30 UTC  production  deploy    v1.2.3  Name <email>"
 * then, for a rollback, "  from v1.2.4 (branch)", then "  <reason>",
 * its first line only: --json has all of it.
 */
static void
history_line(struct strbuf *sb, struct human_time *tc,
    const struct deploy_entry *e, int envw, int tagw)
{
	const char *nl;

	add_human_time(sb, tc, e->time);
	strbuf_addstr(sb, "  ");
	add_padded(sb, e->env, envw);
	strbuf_addstr(sb, "  ");
	add_padded(sb, deploy_kind_name(e->kind), 8);
	strbuf_addstr(sb, "  ");
	add_padded(sb, e->tag, tagw);
	strbuf_addstr(sb, "  ");
	if (e->operator != NULL)
		strbuf_addstr(sb, e->operator);
	if (e->kind == DEPLOY_KIND_ROLLBACK)
		strbuf_addf(sb, "  from %s (%s)", e->from ? e->from : "?",
		    e->strategy ? e->strategy : "?");
	if (e->status != DEPLOY_STATUS_SUCCEEDED)
		strbuf_addf(sb, "  [%s]", deploy_status_name(e->status));
	if (e->verify != NULL && strcmp(e->verify, "failed") == 0)
		strbuf_addf(sb, "  verify failed: %s",
		    e->verify_output ? e->verify_output : "?");
	else if (e->verify != NULL && strcmp(e->verify, "skipped") == 0)
		strbuf_addstr(sb, "  verify skipped");
	if (e->reason != NULL && *e->reason != '\0') {
		nl = strchrnul(e->reason, '\n');
		strbuf_addstr(sb, "  ");
		strbuf_add(sb, e->reason, (size_t)(nl - e->reason));
		if (*nl)
			strbuf_addstr(sb, " ...");
	}
	strbuf_addch(sb, '\n');
}

/*
 * history prints while it reads: a record of any length costs one entry
 * of memory.  Lines are aligned on the widest environment and tag of
 * the first HISTORY_ALIGN entries, kept until then; a longer name
 * further down pushes only its own line.
 */
#define HISTORY_ALIGN	1000
#define HISTORY_FLUSH	65536

struct history {
	struct ctx	*ctx;
	struct strbuf	 out;
	struct deploy_log kept;		/* until the widths are known */
	const char	*format;
	char		*repo_name;
	int		 json;
	int		 aligned;	/* widths known, kept printed */
	int		 paged;
	int		 envw, tagw;
	struct human_time time;
};

static void
history_flush(struct history *h)
{
	if (h->out.len == 0)
		return;
	if (!h->paged && !h->json)
		pager_start(h->ctx, "release");
	h->paged = 1;
	fwrite(h->out.buf, 1, h->out.len, stdout);
	strbuf_reset(&h->out);
}

static void
history_print(struct history *h, const struct deploy_entry *e)
{
	if (h->format != NULL)
		cdevents_entry(&h->out, e, h->repo_name,
		    component_tag_version(h->ctx, e->tag));
	else if (h->json)
		history_json(&h->out, h->ctx, e);
	else
		history_line(&h->out, &h->time, e, h->envw, h->tagw);
	if (h->out.len >= HISTORY_FLUSH)
		history_flush(h);
}

/* the widths from the entries kept, which are printed then */
static void
history_align(struct history *h)
{
	size_t i;

	for (i = 0; i < h->kept.nr; i++) {
		int w = (int)strlen(h->kept.items[i].env);

		h->envw = w > h->envw ? w : h->envw;
		w = (int)strlen(h->kept.items[i].tag);
		h->tagw = w > h->tagw ? w : h->tagw;
	}
	h->aligned = 1;
	for (i = 0; i < h->kept.nr; i++)
		history_print(h, &h->kept.items[i]);
	deploylog_release(&h->kept);
}

struct history_walk {
	struct history	*h;
	size_t		 max;
	size_t		 n;
};

static int
history_one(const struct deploy_entry *e, void *payload)
{
	struct history_walk *w = payload;
	struct history *h = w->h;

	/*
	 * holds deploy nothing: hold --list shows them; a verify entry is
	 * a check, shown, but no CDEvent
	 */
	if (!deploy_entry_is_deployment(e) && (e->kind != DEPLOY_KIND_VERIFY ||
	    h->format))
		return 0;
	if (h->aligned)
		history_print(h, e);
	else {
		ALLOC_GROW(h->kept.items, h->kept.nr, h->kept.alloc);
		deploy_entry_copy(&h->kept.items[h->kept.nr++], e);
		if (h->kept.nr >= HISTORY_ALIGN)
			history_align(h);
	}
	return w->max != 0 && ++w->n >= w->max;
}

static int
cmd_history(int argc, const char **argv, struct ctx *ctx)
{
	struct history h = { 0 };
	struct history_walk w = { &h, 0, 0 };
	const char *env = NULL, *component = NULL, *format = NULL;
	int max = 0, json = 0, no_fetch = 0, ret;
	const struct option opts[] = {
		OPT__ENV(&env),
		OPT__COMPONENT(&component),
		OPT_INT('n', NULL, &max, "count", "show at most <count>"),
		OPT__JSON(&json),
		OPT_STRING(0, "format", &format, "format",
		    "cdevents: one CDEvents event a line"),
		OPT__NO_FETCH(&no_fetch),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, history_usage, 0);
	(void)argv;
	if (argc > 0)
		usage_error(history_usage, opts, "too many arguments");
	if (format != NULL && strcmp(format, "cdevents") != 0)
		usage_error(history_usage, opts,
		    "--format takes cdevents, not '%s'", format);
	if (format != NULL && json)
		usage_error(history_usage, opts,
		    "--json and --format are exclusive");
	strbuf_init(&h.out);
	h.time.day = INT64_MIN;
	h.ctx = ctx;
	h.format = format;
	h.json = json;
	/* JSON and CDEvents align nothing: no entry is kept */
	h.aligned = json || format != NULL;
	w.max = max > 0 ? (size_t)max : 0;
	if ((env != NULL && (ret = deploy_env_check(env)) < 0) ||
	    (ret = ctx_open(ctx)) < 0 ||
	    (ret = component_select(ctx, component, NULL, 0)) < 0 ||
	    (!no_fetch && (ret = deploylog_fetch(ctx)) < 0) ||
	    (env != NULL && (ret = env_require(ctx, env, 0)) < 0))
		goto out;
	if (format != NULL)
		h.repo_name = cdevents_repo_name(ctx);
	/* without --component: every entry, whichever component */
	if ((ret = deploylog_walk_merged(ctx, env, component != NULL,
	    history_one, &w)) < 0)
		goto out;
	if (!h.aligned)
		history_align(&h);
	history_flush(&h);
	ret = 0;
out:
	free(h.repo_name);
	strbuf_release(&h.out);
	deploylog_release(&h.kept);
	return ret;
}

static int
cmd_yank(int argc, const char **argv, struct ctx *ctx)
{
	struct yank_opts o = YANK_OPTS_INIT;
	const char *component = NULL;
	int quiet = 0, rc;
	const struct option opts[] = {
		OPT_BOOL(0, "undo", &o.undo,
		    "lift the marks (all, or those --env and -m name)"),
		OPT_STRING('m', "message", &o.reason, "reason",
		    "why the release is bad (required to mark)"),
		OPT_STRING(0, "env", &o.env, "env",
		    "the environment the mark comes from"),
		OPT__COMPONENT(&component),
		OPT__JSON(&o.json),
		OPT__PUSH(&o.push),
		OPT__DRY_RUN(&o.dry_run),
		OPT__QUIET(&quiet),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, yank_usage, 0);
	err_set_quiet(quiet);
	if (argc == 0)
		usage_error(yank_usage, opts, "which release? give a tag");
	if (argc > 1)
		usage_error(yank_usage, opts, "too many arguments");
	if (!o.undo && (o.reason == NULL || str_blank(o.reason)))
		usage_error(yank_usage, opts,
		    "a reason is required: -m <reason>");
	if ((o.env != NULL && (rc = deploy_env_check(o.env)) < 0) ||
	    (rc = ctx_open(ctx)) < 0 ||
	    (rc = component_select(ctx, component, argv[0],
	    COMPONENT_NEEDED)) < 0)
		return rc;
	return yank_release(ctx, &o, argv[0]);
}

/* --- metrics --- */

static const char *const metrics_usage[] = {
	"git release metrics [--env <env>] [--component <name>] [--since <date>] [--until <date>] [--by week|month] [--json]",
	NULL
};

#define METRICS_DEFAULT_DAYS	90

/* the clock; GIT_RELEASE_NOW (any --since form) fixes it for tests */
static int
metrics_now(int64_t *out)
{
	const char *fixed = getenv("GIT_RELEASE_NOW");

	*out = (int64_t)time(NULL);
	if (fixed == NULL || *fixed == '\0')
		return 0;
	return metrics_parse_date(out, fixed, *out, 0);
}

/* may the charts draw with block characters? */
static int
locale_is_utf8(void)
{
	const char *names[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);

		if (v != NULL && *v != '\0')
			return strcasestr(v, "utf-8") != NULL ||
			    strcasestr(v, "utf8") != NULL;
	}
	return 0;
}

static int
cmd_metrics(int argc, const char **argv, struct ctx *ctx)
{
	struct metrics_events ev = METRICS_EVENTS_INIT;
	struct metrics_report r = METRICS_REPORT_INIT;
	struct metrics_opts mo = { 0, 0, METRICS_BY_WEEK };
	struct metrics_scope scope = { DEFAULT_ENV, NULL };
	struct strbuf out = STRBUF_INIT;
	const char *since = NULL, *until = NULL, *by = NULL;
	int json = 0, color, ret;
	int64_t now;
	const struct option opts[] = {
		OPT__ENV(&scope.env),
		OPT__COMPONENT(&scope.component),
		OPT_STRING(0, "since", &since, "date",
		    "from this date (default: 90 days before --until)"),
		OPT_STRING(0, "until", &until, "date",
		    "up to this date (default: now)"),
		OPT_STRING(0, "by", &by, "week|month",
		    "one period a week (default) or a month"),
		OPT__JSON(&json),
		OPT_END()
	};

	argc = parse_options(argc, argv, opts, metrics_usage, 0);
	(void)argv;
	if (argc > 0)
		usage_error(metrics_usage, opts, "too many arguments");
	if (by != NULL && strcmp(by, "week") == 0)
		mo.by = METRICS_BY_WEEK;
	else if (by != NULL && strcmp(by, "month") == 0)
		mo.by = METRICS_BY_MONTH;
	else if (by != NULL)
		usage_error(metrics_usage, opts,
		    "--by takes week or month, not '%s'", by);
	if ((ret = deploy_env_check(scope.env)) < 0 ||
	    (ret = metrics_now(&now)) < 0 ||
	    (ret = metrics_parse_date(&mo.until, until ? until : "now", now,
	    1)) < 0)
		return ret;
	mo.since = mo.until - METRICS_DEFAULT_DAYS * 86400;
	if (since != NULL &&
	    (ret = metrics_parse_date(&mo.since, since, now, 0)) < 0)
		return ret;
	if (mo.since >= mo.until)
		return error_fatal("--since '%s' is not before --until '%s'",
		    since ? since : "(90 days before)", until ? until : "now");
	if ((ret = ctx_open(ctx)) < 0 ||
	    (ret = env_require(ctx, scope.env, 0)) < 0 ||
	    (ret = component_select(ctx, scope.component, NULL, 0)) < 0 ||
	    (ret = metrics_load(&ev, ctx, scope.env)) < 0 ||
	    (ret = metrics_compute(&r, &ev, &mo)) < 0)
		goto out;
	if (json)
		metrics_format_json(&out, &r, &scope);
	else {
		color = want_color(ctx, 1);
		metrics_format_table(&out, &r, &scope, color);
		metrics_format_charts(&out, &r, color, locale_is_utf8());
	}
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
out:
	strbuf_release(&out);
	metrics_report_release(&r);
	metrics_events_release(&ev);
	return ret;
}

/* --- --continue, --abort --- */

enum { RESUME_CONTINUE = 1, RESUME_ABORT };

/* no subcommand: --continue or --abort of a stopped deploy, yank or cut */
static int
cmd_default(int argc, const char **argv, struct ctx *ctx)
{
	int mode = 0, json = 0, rc;
	const struct option opts[] = {
		OPT_CMDMODE(0, "continue", &mode,
		    "finish a stopped deploy, yank or cut", RESUME_CONTINUE),
		OPT_CMDMODE(0, "abort", &mode,
		    "undo what a stopped deploy, yank or cut did",
		    RESUME_ABORT),
		OPT__JSON(&json),
		OPT_END()
	};

	/* after the subcommands, what completes before one */
	if (argc > 1 && strcmp(argv[1], "--git-completion-helper") == 0) {
		printf("--continue --abort --version\n");
		return 0;
	}
	argc = parse_options(argc, argv, opts, release_usage,
	    PARSE_OPT_STOP_AT_NON_OPTION);
	if (mode == 0 && argc > 0)
		usage_error(release_usage, opts, "unknown subcommand: `%s'",
		    argv[0]);
	if (mode == 0 && json)
		usage_error(release_usage, opts, "--json goes with --continue "
		    "or --abort");
	if (mode == 0)
		usage_with_options(release_usage, opts, 0);
	if (argc > 0)
		usage_error(release_usage, opts,
		    "--continue and --abort take no arguments");
	if ((rc = ctx_open(ctx)) < 0)
		return rc;
	return release_resume(ctx, mode == RESUME_ABORT, json);
}

/* --- dispatch --- */

static const struct subcommand subcommands[] = {
	{ "cut", cmd_cut },
	{ "next", cmd_next },
	{ "list", cmd_list },
	{ "current", cmd_current },
	{ "deploy", cmd_deploy },
	{ "envs", cmd_envs },
	{ "history", cmd_history },
	{ "hold", cmd_hold },
	{ "verify", cmd_verify },
	{ "notes", cmd_notes },
	{ "metrics", cmd_metrics },
	{ "yank", cmd_yank },
	{ NULL, NULL }
};

int
main(int argc, const char **argv)
{
	return cmd_main(argc, argv, subcommands, release_usage, cmd_default);
}
