/*
 * The impact assessment: each strategy's outcome predicted from the
 * repository as it is, and the seed's choice among them.  Read only:
 * the revert prediction holds its objects in memory and drops them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "impact.h"
#include "revert.h"
#include "banned.h"

#define DEFAULT_WINDOW	(30 * 60)

void
impact_init(struct impact *imp)
{
	memset(imp, 0, sizeof(*imp));
	imp->eb = (struct target_branch)TARGET_BRANCH_INIT;
	imp->drop_subjects = (struct strlist)STRLIST_INIT;
	imp->revert_subjects = (struct strlist)STRLIST_INIT;
	imp->conflict_paths = (struct strlist)STRLIST_INIT;
}

static void
verdict_release(struct impact_verdict *v)
{
	free(v->text);
	v->text = NULL;
}

void
impact_release(struct impact *imp)
{
	verdict_release(&imp->deploy_only);
	verdict_release(&imp->branch);
	verdict_release(&imp->reset);
	verdict_release(&imp->revert);
	free(imp->new_branch);
	target_branch_release(&imp->eb);
	strlist_release(&imp->drop_subjects);
	free(imp->reverts);
	strlist_release(&imp->revert_subjects);
	strlist_release(&imp->conflict_paths);
	free(imp->recommended_text);
	free(imp->command);
	free(imp->fix_forward);
	impact_init(imp);
}

int
impact_parse_window(int64_t *out, const char *s)
{
	const char *err = NULL;
	char num[32];
	size_t len = strlen(s);
	int64_t unit = 1;
	long long n;

	if (len > 0 && strchr("smhd", s[len - 1]) != NULL) {
		unit = s[len - 1] == 'm' ? 60 : s[len - 1] == 'h' ? 3600 :
		    s[len - 1] == 'd' ? 86400 : 1;
		len--;
	}
	if (len == 0 || len >= sizeof(num))
		return error_fatal("bad rollback.recentWindow '%s': a number "
		    "of seconds, or with s, m, h or d", s);
	memcpy(num, s, len);
	num[len] = '\0';
	n = strtonum(num, 0, INT32_MAX, &err);
	if (err != NULL)
		return error_fatal("bad rollback.recentWindow '%s': the "
		    "number is %s", s, err);
	*out = (int64_t)n * unit;
	return 0;
}

static void
verdict(struct impact_verdict *v, int possible, const char *code,
    char *text)
{
	v->possible = possible;
	v->code = code;
	free(v->text);
	v->text = text;
}

static int
subject_of(struct strlist *out, struct ctx *ctx, const git_oid *id)
{
	git_commit *c = NULL;

	if (git_commit_lookup(&c, ctx->repo, id) < 0)
		return error_git(E_FATAL, "cannot read commit %s",
		    git_oid_tostr_s(id));
	strlist_add_nodup(out, message_subject(git_commit_message(c)));
	git_commit_free(c);
	return 0;
}

static void
assess_deploy_only(struct impact *imp, struct ctx *ctx,
    const struct checklist *c)
{
	imp->hook = hook_command(ctx, c->range.env);
	if (imp->hook != NULL)
		verdict(&imp->deploy_only, 1, "hook", xstrfmt("redeploys %s "
		    "with deploy.%s.command; no git change",
		    c->range.target->tag, c->range.env));
	else
		verdict(&imp->deploy_only, 0, "no-hook", xstrfmt("no deploy "
		    "hook (deploy.%s.command) to deploy %s with",
		    c->range.env, c->range.target->tag));
}

static int
assess_branch(struct impact *imp, struct ctx *ctx, const struct checklist *c)
{
	int rc;

	rc = rollback_branch_name(&imp->new_branch, ctx, c->range.env,
	    c->range.running->tag, 0);
	if (rc == E_FATAL) {
		verdict(&imp->branch, 0, "invalid-name", xstrfmt("'%s%s' is "
		    "not a valid branch name", ctx->set.rollback_prefix,
		    c->range.running->tag));
		return 0;
	}
	if (rc < 0) {
		verdict(&imp->branch, 0, "no-free-name", xstrfmt("no free "
		    "branch name for %s", c->range.running->tag));
		return 0;
	}
	verdict(&imp->branch, 1, "new-branch", xstrfmt("creates %s at %s; "
	    "no branch moves", imp->new_branch, c->range.target->tag));
	return 0;
}

/* no branch, or a missing one: neither --reset nor --revert can work */
static int
no_branch(struct impact *imp, const struct checklist *c)
{
	const struct target_branch *b = &imp->eb;
	char *why;

	if (b->name != NULL && b->exists)
		return 0;
	why = b->name == NULL ? xstrfmt("environment '%s' has no branch",
	    c->range.env) : xstrfmt("branch '%s' does not exist", b->name);
	verdict(&imp->reset, 0, "no-branch", xstrdup(why));
	verdict(&imp->revert, 0, "no-branch", why);
	return 1;
}

static int
assess_reset(struct impact *imp, struct ctx *ctx, const struct checklist *c)
{
	const struct target_branch *b = &imp->eb;
	const char *running = c->range.running->tag;
	size_t i;
	int rc;

	for (i = 0; i < b->drops_nr; i++)
		if ((rc = subject_of(&imp->drop_subjects, ctx,
		    &b->drops[i])) < 0)
			return rc;
	if (b->drops_nr > 0)
		verdict(&imp->reset, 0, "drops-commits", xstrfmt("would drop "
		    "%zu commit%s on %s that %s does not have (--force drops "
		    "them)", b->drops_nr, b->drops_nr == 1 ? "" : "s",
		    b->name, running));
	else if (!b->contains_running)
		verdict(&imp->reset, 1, "lacks-running", xstrfmt("moves %s "
		    "to %s; %s does not contain %s", b->name,
		    c->range.target->tag, b->name, running));
	else
		verdict(&imp->reset, 1, "moves-branch", xstrfmt("moves %s "
		    "to %s; nothing else is lost", b->name,
		    c->range.target->tag));
	return 0;
}

static int
tree_of_commit(git_oid *out, struct ctx *ctx, const git_oid *commit)
{
	git_commit *c = NULL;

	if (git_commit_lookup(&c, ctx->repo, commit) < 0)
		return error_git(E_FATAL, "cannot read commit %s",
		    git_oid_tostr_s(commit));
	*out = *git_commit_tree_id(c);
	git_commit_free(c);
	return 0;
}

static void
revert_verdict(struct impact *imp, const struct checklist *c,
    const struct revert_prediction *p)
{
	const char *branch = imp->eb.name, *target = c->range.target->tag;
	struct strbuf paths = STRBUF_INIT;
	size_t i;

	if (p->conflict) {
		for (i = 0; i < p->conflict_paths.nr; i++)
			strbuf_addf(&paths, "%s%s", i ? ", " : "",
			    p->conflict_paths.items[i]);
		verdict(&imp->revert, 0, "conflict", xstrfmt("would stop at "
		    "%.7s on a conflict in %s%s", git_oid_tostr_s(
		    &p->conflict_commit), paths.buf, imp->eb.drops_nr > 0 ?
		    " (commits built on it since changed them)" : ""));
		strbuf_release(&paths);
		return;
	}
	if (imp->exact_target_tree)
		verdict(&imp->revert, 1, "clean", xstrfmt("reverts %zu "
		    "commit%s on %s cleanly and ends exactly on the tree of %s",
		    imp->reverts_nr, imp->reverts_nr == 1 ? "" : "s", branch,
		    target));
	else
		verdict(&imp->revert, 1, "clean-other-tree", xstrfmt("reverts "
		    "%zu commit%s on %s cleanly; the result keeps what %s "
		    "has beyond %s, not the tree of %s", imp->reverts_nr,
		    imp->reverts_nr == 1 ? "" : "s", branch, branch,
		    c->range.running->tag, target));
}

static int
assess_revert(struct impact *imp, struct ctx *ctx, const struct checklist *c)
{
	struct revert_plan plan = REVERT_PLAN_INIT;
	struct revert_prediction p;
	git_oid target_tree;
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	if (!imp->eb.contains_running) {
		verdict(&imp->revert, 0, "lacks-running", xstrfmt("%s does "
		    "not contain %s: nothing of it to revert there",
		    imp->eb.name, c->range.running->tag));
		return 0;
	}
	if ((rc = revert_plan_rollback(&plan, ctx->repo,
	    &c->range.target->commit, &c->range.running->commit)) < 0)
		goto out;
	imp->reverts = xreallocarray(NULL, plan.nr ? plan.nr : 1,
	    sizeof(*imp->reverts));
	for (i = 0; i < plan.nr; i++) {
		imp->reverts[imp->reverts_nr++] = plan.items[i].id;
		if ((rc = subject_of(&imp->revert_subjects, ctx,
		    &plan.items[i].id)) < 0)
			goto out;
	}
	if ((rc = revert_predict(&p, ctx, &plan, &imp->eb.tip)) < 0 ||
	    (rc = tree_of_commit(&target_tree, ctx,
	    &c->range.target->commit)) < 0)
		goto out;
	imp->conflict = p.conflict;
	if (p.conflict) {
		imp->conflict_commit = p.conflict_commit;
		for (i = 0; i < p.conflict_paths.nr; i++)
			strlist_add(&imp->conflict_paths,
			    p.conflict_paths.items[i]);
	} else
		imp->exact_target_tree = git_oid_equal(&p.tree, &target_tree);
	revert_verdict(imp, c, &p);
	rc = 0;
out:
	revert_prediction_release(&p);
	revert_plan_release(&plan);
	return rc;
}

static int
assess_window(struct impact *imp, struct ctx *ctx, const struct checklist *c)
{
	const char *w = config_get(&ctx->cfg, "rollback.recentWindow");
	const git_signature *me;
	int64_t age;
	int rc;

	imp->window = DEFAULT_WINDOW;
	if (w != NULL && (rc = impact_parse_window(&imp->window, w)) < 0)
		return rc;
	if (!c->range.running_logged)
		return 0;
	/* "now" as the log records it: the committer's time */
	if ((rc = ctx_committer(&me, ctx)) < 0)
		return rc;
	age = (int64_t)me->when.time - c->range.running_time;
	imp->recent = age >= 0 && age < imp->window;
	return 0;
}

static void
recommend(struct impact *imp, struct ctx *ctx, const struct checklist *c)
{
	const struct rollback_range *r = &c->range;
	struct strbuf cmd = STRBUF_INIT, name = STRBUF_INIT;

	if (imp->recent && imp->deploy_only.possible) {
		imp->recommended = ROLLBACK_DEPLOY_ONLY;
		imp->recommended_code = "recent-deploy";
		imp->recommended_text = xstrfmt("%s was deployed less than "
		    "rollback.recentWindow ago and a hook redeploys: roll "
		    "back the deployment only", r->running->tag);
	} else if (imp->revert.possible) {
		imp->recommended = ROLLBACK_REVERT;
		imp->recommended_code = "clean-revert";
		imp->recommended_text = xstrfmt("the revert applies cleanly "
		    "on %s and keeps its history", imp->eb.name);
	} else {
		imp->recommended = ROLLBACK_BRANCH;
		imp->recommended_code = "fix-forward";
		imp->recommended_text = xstrfmt("no clean revert: roll back "
		    "on a branch of its own, then fix forward with a hotfix");
		strbuf_addstr(&name, "fix-");
		semver_format(&name, &r->running->v);
		strbuf_addstr(&cmd, "git hotfix start ");
		sh_quote(&cmd, name.buf);
		imp->fix_forward = strbuf_detach(&cmd, NULL);
	}
	strbuf_addstr(&cmd, "git rollback ");
	sh_quote(&cmd, r->target->tag);
	strbuf_addf(&cmd, " --%s", rollback_strategy_name(imp->recommended));
	if (strcmp(r->env, DEFAULT_ENV) != 0) {
		strbuf_addstr(&cmd, " --env ");
		sh_quote(&cmd, r->env);
	}
	if (c->migrations.nr > 0)
		strbuf_addstr(&cmd, " --migrate");
	if (r->target_bad != NULL)
		strbuf_addstr(&cmd, " --force");
	imp->command = strbuf_detach(&cmd, NULL);
	strbuf_release(&name);
	(void)ctx;
}

int
impact_assess(struct impact *out, struct ctx *ctx, const struct checklist *c)
{
	int rc;

	assess_deploy_only(out, ctx, c);
	if ((rc = assess_branch(out, ctx, c)) < 0 ||
	    (rc = target_branch_load(&out->eb, ctx, c->range.env,
	    c->range.running)) < 0 ||
	    (rc = assess_window(out, ctx, c)) < 0)
		return rc;
	if (!no_branch(out, c) &&
	    ((rc = assess_reset(out, ctx, c)) < 0 ||
	    (rc = assess_revert(out, ctx, c)) < 0))
		return rc;
	recommend(out, ctx, c);
	return 0;
}

/* --- output --- */

static void
print_verdict(struct strbuf *sb, const char *name,
    const struct impact_verdict *v)
{
	strbuf_addf(sb, "  %s: %s: %s\n", name, v->possible ? "possible" :
	    "not possible", v->text);
}

void
impact_print(FILE *fp, const struct impact *imp, const struct checklist *c)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)c;
	strbuf_addstr(&sb, "strategies:\n");
	print_verdict(&sb, "deploy-only", &imp->deploy_only);
	print_verdict(&sb, "branch", &imp->branch);
	print_verdict(&sb, "reset", &imp->reset);
	for (i = 0; i < imp->eb.drops_nr; i++)
		strbuf_addf(&sb, "    drops %.7s %s\n",
		    git_oid_tostr_s(&imp->eb.drops[i]),
		    imp->drop_subjects.items[i]);
	print_verdict(&sb, "revert", &imp->revert);
	for (i = 0; i < imp->reverts_nr; i++) {
		int stop = imp->conflict && git_oid_equal(&imp->reverts[i],
		    &imp->conflict_commit);

		strbuf_addf(&sb, "    %s %.7s %s\n", stop ? "stops at" :
		    "reverts", git_oid_tostr_s(&imp->reverts[i]),
		    imp->revert_subjects.items[i]);
		if (stop)
			break;
	}
	for (i = 0; i < imp->conflict_paths.nr; i++)
		strbuf_addf(&sb, "    conflict %s\n",
		    imp->conflict_paths.items[i]);
	strbuf_addf(&sb, "recommended: %s\n", imp->command);
	strbuf_addf(&sb, "  why: %s\n", imp->recommended_text);
	if (imp->fix_forward != NULL)
		strbuf_addf(&sb, "  fix forward: %s\n", imp->fix_forward);
	fputs(sb.buf, fp);
	strbuf_release(&sb);
}

static void
json_verdict_begin(struct json *j, const char *name,
    const struct impact_verdict *v)
{
	json_object_begin(j, name);
	json_bool(j, "possible", v->possible);
	json_reason(j, "why", v->code, v->text);
}

static void
json_commits(struct json *j, const char *key, const git_oid *ids,
    size_t nr, const struct strlist *subjects)
{
	size_t i;

	json_array_begin(j, key);
	for (i = 0; i < nr; i++) {
		json_object_begin(j, NULL);
		json_str(j, "commit", git_oid_tostr_s(&ids[i]));
		json_str(j, "subject", subjects->items[i]);
		json_object_end(j);
	}
	json_array_end(j);
}

static void
json_branch(struct json *j, const struct impact *imp)
{
	json_str(j, "branch", imp->eb.exists ? imp->eb.name : NULL);
	json_bool(j, "contains_running", imp->eb.exists &&
	    imp->eb.contains_running);
}

void
impact_json(struct json *j, const struct impact *imp)
{
	json_object_begin(j, "strategies");
	json_verdict_begin(j, "deploy-only", &imp->deploy_only);
	json_str(j, "hook", imp->hook);
	json_object_end(j);
	json_verdict_begin(j, "branch", &imp->branch);
	json_str(j, "branch", imp->new_branch);
	json_object_end(j);
	json_verdict_begin(j, "reset", &imp->reset);
	json_branch(j, imp);
	json_commits(j, "drops", imp->eb.drops, imp->eb.drops_nr,
	    &imp->drop_subjects);
	json_object_end(j);
	json_verdict_begin(j, "revert", &imp->revert);
	json_branch(j, imp);
	json_commits(j, "commits", imp->reverts, imp->reverts_nr,
	    &imp->revert_subjects);
	if (imp->conflict) {
		json_object_begin(j, "conflicts");
		json_str(j, "commit", git_oid_tostr_s(&imp->conflict_commit));
		json_strlist(j, "paths", &imp->conflict_paths);
		json_object_end(j);
	} else
		json_null(j, "conflicts");
	json_bool(j, "exact_target_tree", imp->exact_target_tree);
	json_object_end(j);
	json_object_end(j);
	json_object_begin(j, "recommended");
	json_str(j, "strategy", rollback_strategy_name(imp->recommended));
	json_str(j, "command", imp->command);
	json_reason(j, "why", imp->recommended_code, imp->recommended_text);
	json_str(j, "fix_forward", imp->fix_forward);
	json_bool(j, "recent", imp->recent);
	json_int(j, "recent_window", (long long)imp->window);
	json_object_end(j);
}
