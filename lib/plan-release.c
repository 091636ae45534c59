/*
 * git release --continue and --abort: finish or undo a deploy, yank or
 * cut that stopped or was killed, from its journal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "cut.h"
#include "deploy-int.h"
#include "journal.h"
#include "plan-release.h"
#include "push.h"
#include "banned.h"

static const struct plan_ops *const release_ops[] = {
	&deploy_ops, &yank_ops, &cut_ops, NULL,
};

static const struct plan_ops *
find_ops(const char *op)
{
	size_t i;

	for (i = 0; release_ops[i] != NULL; i++)
		if (strcmp(release_ops[i]->op, op) == 0)
			return release_ops[i];
	return NULL;
}

/*
 * --json: the journal's plan as the run left it, one object on the real
 * stdout; a continue that stopped again says that its undo is the abort
 */
static void
print_json(FILE *fp, struct plan *p, int rc)
{
	if (fp == NULL)
		return;
	if (rc < 0 && (plan_count(p, PLAN_DONE) > 0 ||
	    plan_count(p, PLAN_STOPPED) > 0))
		plan_set(&p->attrs, "undo", "git release --abort");
	plan_print_json(fp, p, 0);
	plan_set(&p->attrs, "undo", NULL);
}

int
release_resume(struct ctx *ctx, int abort, int json)
{
	struct journal j = JOURNAL_INIT;
	struct strbuf undo = STRBUF_INIT;
	const struct plan_ops *ops;
	const char *comp, *what;
	FILE *fp = NULL;
	int ret;

	if ((ret = repo_lock(ctx)) < 0 || (ret = journal_load(&j, ctx)) < 0)
		goto out;
	/*
	 * A push the killed run started may still be running (git push is
	 * not killed with it): what it makes is part of what there is to
	 * finish or undo, so it ends first.
	 */
	if ((ret = push_wait_inflight(ctx)) < 0)
		goto out;
	what = j.plan->cmdline ? j.plan->cmdline : j.plan->op;
	if ((ops = find_ops(j.plan->op)) == NULL) {
		const char *finish = journal_finish_command(j.plan->op);

		ret = error("%s is in progress, not a deploy, yank or cut",
		    what);
		hint("finish it with \"%s --continue\" or \"%s --abort\"",
		    finish, finish);
		goto out;
	}
	/* the steps read releases of the component the command chose */
	comp = plan_get(&j.plan->attrs, "component");
	if ((ret = component_select(ctx, comp, NULL, 0)) < 0)
		goto out;
	/* from here on the text of the run (and a hook's) is stderr's */
	if (json)
		fp = plan_json_stdout();
	if (abort) {
		if ((ret = plan_abort(ctx, &j, ops, NULL)) == 0)
			printf("aborted %s: every step done was undone\n",
			    what);
		print_json(fp, j.plan, ret);
		goto out;
	}
	ret = plan_execute(ctx, &j, ops, NULL, PLAN_EXEC_CONTINUE);
	if (ret == 0) {
		printf("finished %s\n", what);
		plan_undo_line(&undo, j.plan);
		if (undo.len)
			printf("undo: %s\n", undo.buf);
	}
	print_json(fp, j.plan, ret);
out:
	if (fp != NULL)
		plan_json_stdout_close(fp);
	strbuf_release(&undo);
	journal_release(&j);
	return ret;
}
