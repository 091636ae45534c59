/*
 * Internals shared by the revert engine (revert.c) and the stopped-state
 * commands (sequencer.c): the state file of a revert sequence and the
 * engine's entry points.  Not for commands: use revert.h.
 *
 * The state lives beside the journal of the operation the sequence is
 * a step of (a revert's own, or a rollback's), in
 * <git dir>/release-state/revert (per worktree; journal_file_path(),
 * removed with the journal by journal_remove()), one file written whole
 * to a temporary name and renamed, so a crash leaves either the old
 * state or the new one.  Its phase says what a crash may
 * have interrupted:
 *
 *	write	   the worktree, the branch and the conflict are being
 *		   written: --continue redoes the writes, --abort undoes
 *	stopped	   stopped on a conflict: the user resolves, then
 *		   --continue, --skip or --abort
 */
#ifndef LIB_SEQUENCER_H
#define LIB_SEQUENCER_H

#include <git2.h>

#include "revert.h"

enum seq_phase { SEQ_WRITE = 1, SEQ_STOPPED = 2 };

/* the state file, beside the journal (journal_file_path) */
#define SEQ_STATE_FILE	"revert"

struct seq_state {
	enum seq_phase	 phase;
	char		*branch;	/* full ref name */
	char		*command;	/* for messages: "git rollback" */
	git_oid		 orig;		/* the branch before the command */
	git_oid		 before;	/* the branch before this write phase */
	git_oid		 tip;		/* the branch after this write phase */
	git_oid		 start_tree;	/* what the worktree held before it */
	git_oid		 ours_tree;	/* the tree the conflict merged onto */
	int		 has_current;	/* stopped on current */
	struct revert_item current;
	struct revert_plan todo;	/* after current */
	git_oid		*done;		/* squash: reverted so far */
	size_t		 done_nr, done_alloc;
	size_t		 committed, skipped;
	git_oid		 safety;	/* the branch when it stopped */
	struct revert_opts opts;	/* strings owned by the state */
	git_odb_backend	*mempack;	/* new objects, until written out */
	int		 writing;	/* the write phase began: keep them */
	int		 clean;		/* this run found the worktree clean
					   (not kept in the state) */
};

void	 seq_state_init(struct seq_state *st);
void	 seq_state_release(struct seq_state *st);
/* 0 read, 1 no state, <0 unreadable */
int	 seq_state_read(struct seq_state *st, struct ctx *ctx);
/* the same from text (changed in place); path for the messages */
int	 seq_state_parse(struct seq_state *st, char *text, const char *path);
int	 seq_state_write(const struct seq_state *st, struct ctx *ctx);
void	 seq_state_remove(struct ctx *ctx);
/* unlink REVERT_HEAD and MERGE_MSG when REVERT_HEAD names id */
void	 seq_git_state_remove(struct ctx *ctx, const git_oid *id);

/*
 * New objects are kept in memory (a mempack backend added to the
 * repository's odb) and written out as one pack: a range revert makes
 * hundreds of small objects, and a dry run must write none.
 */
int	 engine_objects_hold(struct seq_state *st, struct ctx *ctx);
int	 engine_objects_flush(struct seq_state *st, git_repository *repo);
void	 engine_objects_drop(struct seq_state *st);
/* flush (or drop after a dry run) and stop holding writes */
int	 engine_objects_release(struct seq_state *st, git_repository *repo);

/* the engine, from revert.c */
int	 engine_run(struct revert_result *out, struct ctx *ctx,
	    struct seq_state *st, const git_oid *tip, const git_oid *tree,
	    const struct revert_plan *plan, int in_memory);
/* APPLY_WORKTREE: checkout, branch, conflict; APPLY_RECOVER: the same
 * after a crash (forced, idempotent); APPLY_MEMORY: the branch only */
enum apply_mode { APPLY_WORKTREE, APPLY_RECOVER, APPLY_MEMORY };
int	 engine_apply(struct revert_result *out, struct ctx *ctx,
	    struct seq_state *st, enum apply_mode mode);
int	 engine_item_message(struct strbuf *out, git_repository *repo,
	    const struct revert_item *item, const struct revert_opts *opts);
/* the revert of one commit onto ours: 0 clean, 1 conflict (*conflict) */
int	 engine_revert_one(git_oid *tree_out, git_index **conflict,
	    git_repository *repo, const struct revert_item *item,
	    const git_oid *ours);

#endif
