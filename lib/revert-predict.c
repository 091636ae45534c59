/*
 * What a revert would do, without doing it: the engine's own in-memory
 * revert of every planned commit onto a branch's tree, its new objects
 * held in memory and dropped, so that "git rollback check" can say
 * whether a --revert would stop on a conflict and where, and which tree
 * it would end on, and write nothing at all.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "revert.h"
#include "sequencer.h"
#include "banned.h"

void
revert_prediction_release(struct revert_prediction *p)
{
	strlist_release(&p->conflict_paths);
	p->conflict = 0;
}

/* the paths of the conflicts in idx, in index order, each once */
static int
conflict_paths(struct strlist *out, git_index *idx)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *anc, *ours, *theirs;
	int rc;

	if (git_index_conflict_iterator_new(&it, idx) < 0)
		return error_git(E_FATAL, "cannot read the conflicts");
	while ((rc = git_index_conflict_next(&anc, &ours, &theirs, it)) == 0) {
		const git_index_entry *e = ours ? ours : theirs ? theirs : anc;

		if (out->nr == 0 || strcmp(out->items[out->nr - 1],
		    e->path) != 0)
			strlist_add(out, e->path);
	}
	git_index_conflict_iterator_free(it);
	if (rc != GIT_ITEROVER)
		return error_git(E_FATAL, "cannot read the conflicts");
	git_error_clear();
	return 0;
}

int
revert_predict(struct revert_prediction *out, struct ctx *ctx,
    const struct revert_plan *plan, const git_oid *onto)
{
	struct seq_state st;
	git_commit *c = NULL;
	git_index *conflict = NULL;
	git_oid tree, next;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->conflict_paths = (struct strlist)STRLIST_INIT;
	seq_state_init(&st);
	st.opts.dry_run = 1;	/* every object made here is dropped */
	if (git_commit_lookup(&c, ctx->repo, onto) < 0) {
		rc = error_git(E_FATAL, "cannot read commit %s",
		    git_oid_tostr_s(onto));
		goto out;
	}
	tree = *git_commit_tree_id(c);
	if ((rc = engine_objects_hold(&st, ctx)) < 0)
		goto out;
	for (i = 0; i < plan->nr; i++) {
		rc = engine_revert_one(&next, &conflict, ctx->repo,
		    &plan->items[i], &tree);
		if (rc < 0) {
			rc = error_git(E_FATAL, "cannot revert a commit");
			goto out;
		}
		if (rc == 1) {
			out->conflict = 1;
			out->conflict_commit = plan->items[i].id;
			if ((rc = conflict_paths(&out->conflict_paths,
			    conflict)) < 0)
				goto out;
			break;
		}
		if (git_oid_equal(&next, &tree))
			out->skipped++;
		else
			out->reverted++;
		tree = next;
	}
	out->tree = tree;
	rc = 0;
out:
	if (engine_objects_release(&st, ctx->repo) < 0 && rc == 0)
		rc = E_FATAL;
	git_index_free(conflict);
	git_commit_free(c);
	seq_state_release(&st);
	return rc;
}
