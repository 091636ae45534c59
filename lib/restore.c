/*
 * git rollback restore: the revert of a revert, after checking that the
 * commit is one: its "This reverts commit <id>" line, and a change that
 * is exactly the inverse of <id>'s (same patch id).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "revert.h"
#include "banned.h"

/* is the change of r exactly the inverse of orig's against parent p? */
static int
is_exact_revert(git_repository *repo, git_commit *r, git_commit *orig,
    unsigned int p)
{
	git_commit *rp = NULL, *op = NULL;
	git_tree *t[4] = { NULL, NULL, NULL, NULL };
	git_diff *d1 = NULL, *d2 = NULL;
	git_oid id1, id2;
	int i, same = 0;

	if (git_commit_parent(&rp, r, 0) < 0 ||
	    git_commit_parent(&op, orig, p) < 0 ||
	    git_commit_tree(&t[0], rp) < 0 || git_commit_tree(&t[1], r) < 0 ||
	    git_commit_tree(&t[2], orig) < 0 ||
	    git_commit_tree(&t[3], op) < 0 ||
	    git_diff_tree_to_tree(&d1, repo, t[0], t[1], NULL) < 0 ||
	    git_diff_tree_to_tree(&d2, repo, t[2], t[3], NULL) < 0 ||
	    git_diff_patchid(&id1, d1, NULL) < 0 ||
	    git_diff_patchid(&id2, d2, NULL) < 0)
		goto out;
	same = git_oid_equal(&id1, &id2) && git_diff_num_deltas(d1) > 0;
out:
	git_error_clear();
	git_diff_free(d1);
	git_diff_free(d2);
	for (i = 0; i < 4; i++)
		git_tree_free(t[i]);
	git_commit_free(rp);
	git_commit_free(op);
	return same;
}

int
revert_restore(struct revert_result *out, struct ctx *ctx, const char *spec,
    const struct revert_opts *opts)
{
	struct revert_plan plan = REVERT_PLAN_INIT;
	struct revert_opts o = *opts;
	struct strbuf subject = STRBUF_INIT;
	git_commit *r = NULL, *orig = NULL;
	git_oid orig_id, parent_id;
	unsigned int p = 0, i;
	char hex[GIT_OID_HEXSZ + 1], rhex[GIT_OID_HEXSZ + 1];
	int rc, has_parent;

	memset(out, 0, sizeof(*out));
	if ((rc = repo_lookup_commit(&r, ctx, spec)) < 0)
		goto out;
	git_oid_tostr(rhex, sizeof(rhex), git_commit_id(r));
	rc = revert_parse_reverted(&orig_id, &parent_id, &has_parent,
	    git_commit_message(r));
	if (rc != 0 || git_commit_parentcount(r) != 1) {
		rc = error_fatal("commit %.7s is not a revert (no \"This "
		    "reverts commit <id>\" line)", rhex);
		goto out;
	}
	git_oid_tostr(hex, sizeof(hex), &orig_id);
	if (git_commit_lookup(&orig, ctx->repo, &orig_id) < 0) {
		git_error_clear();
		rc = error_fatal("commit %.7s reverts %s, which is not in "
		    "this repository", rhex, hex);
		goto out;
	}
	for (i = 0; has_parent && i < git_commit_parentcount(orig); i++)
		if (git_oid_equal(git_commit_parent_id(orig, i), &parent_id))
			p = i;
	if (git_commit_parentcount(orig) == 0 ||
	    !is_exact_revert(ctx->repo, r, orig, p)) {
		rc = error("commit %.7s does not undo %.7s exactly; not "
		    "restoring it", rhex, hex);
		hint("revert it with \"git rollback revert %.7s\" instead",
		    rhex);
		goto out;
	}
	revert_subject_line(&subject, git_commit_message(orig));
	if (!opts->quiet && !opts->dry_run)
		printf("restoring %.7s %s (reverted by %.7s)\n", hex,
		    subject.buf, rhex);
	o.restore = 1;
	o.squash = 0;
	ALLOC_GROW(plan.items, plan.nr, plan.alloc);
	plan.items[plan.nr].id = *git_commit_id(r);
	plan.items[plan.nr++].mainline = 0;
	rc = revert_run(out, ctx, &plan, &o);
out:
	revert_plan_release(&plan);
	strbuf_release(&subject);
	git_commit_free(orig);
	git_commit_free(r);
	return rc;
}
