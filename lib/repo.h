/*
 * The repository a command works on, with its configuration and the
 * suite's settings: one struct passed down instead of global state.
 */
#ifndef LIB_REPO_H
#define LIB_REPO_H

#include <git2.h>

#include "config.h"

struct ctx {
	git_repository	*repo;
	struct config	 cfg;
	struct settings	 set;
	git_signature	*committer;	/* cached by ctx_committer() */
	git_signature	*author;	/* cached by ctx_author() */
	int		 lock_fd;	/* held by repo_lock(), else -1 */
	char		*cmdline;	/* as sh reads it, for the lock */
	int		 read_only;	/* a dry run: not even a cache is written */
	int		 pager_pid;	/* pager_start()'s, waited by cmd_main */
	/*
	 * release.branch unset: the branch chosen in its place (set's
	 * release_branch points here) and why, for plans; else NULL.
	 */
	char		*release_branch;
	char		*release_branch_why;
	int		 journal_active; /* this process runs the journal's plan */
};
#define CTX_INIT { NULL, CONFIG_INIT, { 0 }, NULL, NULL, -1, NULL, 0, 0, NULL, NULL, 0 }

/* open the repository git would use here (GIT_DIR, GIT_WORK_TREE, -C) */
int	 ctx_open(struct ctx *ctx);
void	 ctx_release(struct ctx *ctx);

/*
 * Identity from "git var", so GIT_AUTHOR_*, GIT_COMMITTER_*, EMAIL and
 * every date format behave as in git (libgit2 1.5 reads none of them).
 * The signature is owned by ctx.
 */
int	 ctx_committer(const git_signature **out, struct ctx *ctx);
/* the same, E_FATAL without a word when there is no identity */
int	 ctx_committer_quiet(const git_signature **out, struct ctx *ctx);
int	 ctx_author(const git_signature **out, struct ctx *ctx);

/*
 * Refusals, each with the message that says what to do (E_REFUSED):
 * what is the verb for the message ("cut a release").
 */
int	 repo_require_worktree(struct ctx *ctx, const char *what);
/*
 * No staged or unstaged change to a tracked file (untracked files and
 * submodules do not count).  When the index matches HEAD and every
 * tracked file's stat data matches its entry, none racily clean, the
 * answer costs one stat per file; otherwise libgit2's status decides.
 */
int	 repo_require_clean(struct ctx *ctx, const char *what);
/*
 * Before an abort or skip puts paths back (git reset --merge's rule):
 * E_REFUSED, said, naming the first of paths whose worktree file has
 * changes its index entry does not have, unless it is conflicted (the
 * conflict is the operation's, resolving it is what is thrown away).
 * what: "abort the revert".
 */
int	 repo_require_paths_unchanged(struct ctx *ctx, const struct strlist *paths,
	    const char *what, const char *again);
/* no merge, rebase, cherry-pick, revert, bisect or operation of ours */
int	 repo_require_no_operation(struct ctx *ctx, const char *what);

/*
 * One of our commands at a time per repository: flock(2) on
 * "release-suite.lock" in the common git dir, held until ctx_release()
 * (or the process's death: the kernel releases it, kill -9 included).
 * The file holds the holder's command line and pid for the refusal's
 * message, never for a decision.  repo_lock() also fixes the identity
 * of every reflog entry the command writes (ctx_committer).
 */
int	 repo_lock(struct ctx *ctx);
void	 repo_unlock(struct ctx *ctx);

/*
 * The suite's state directory, per worktree, for stopped operations:
 * STATE_DIR, the journal and the files of its steps (journal.h).
 * STATE_ROLLBACK_OLD and STATE_HOTFIX_OLD are where versions before the
 * journal kept a stopped rollback or revert and a stopped hotfix
 * finish: refused, named, never removed (git-rollback(1),
 * git-hotfix(1)).
 */
#define STATE_DIR	"release-state"	/* the journal's: journal.h */
#define STATE_ROLLBACK_OLD	"rollback-state"
#define STATE_HOTFIX_OLD	"hotfix-state"
char	*repo_state_path(struct ctx *ctx, const char *state, const char *file);
int	 repo_state_exists(struct ctx *ctx, const char *state);
/* write file of state whole (write_file_atomic), the directory made first */
int	 repo_state_write(struct ctx *ctx, const char *state, const char *file,
	    const struct strbuf *text);
/* remove file of state (and its temporary file), then the directory */
void	 repo_state_remove(struct ctx *ctx, const char *state, const char *file);

/* after a failure: name index.lock when a killed process left it */
void	 repo_hint_index_lock(struct ctx *ctx);

/* resolve a commit-ish to a commit (E_FATAL "not a valid commit") */
int	 repo_lookup_commit(git_commit **out, struct ctx *ctx, const char *spec);

/*
 * The id ref points to now: *found 1 and *out set, or *found 0 when
 * there is no such ref; E_FATAL, said naming the ref, when it cannot be
 * read.
 */
int	 repo_ref_id(git_oid *out, int *found, struct ctx *ctx, const char *ref);

/* the current branch's full ref name, or NULL when HEAD is detached */
char	*repo_head_branch(struct ctx *ctx);

/*
 * After "nothing found" where a shallow clone may lack it: the hints
 * that say so, with the fetch (nothing when the repository is whole).
 * what: "releases".
 */
void	 repo_hint_shallow(struct ctx *ctx, const char *what);

/* 1 when stdin and stderr are terminals: we may ask and show progress */
int	 interactive(void);

#endif
