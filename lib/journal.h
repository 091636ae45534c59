/*
 * The journal: a plan (plan.h) written down before its first side
 * effect, with each step marked as it ends, so that a stopped, killed or
 * crashed operation can be finished (--continue) or undone (--abort)
 * from a new process.  There is one journal per worktree, in the
 * suite's one state directory, STATE_DIR in the worktree's git dir
 * (repo_state_path): "<git dir>/release-state/journal".  Beside it, a
 * step may keep its own progress (the revert engine's todo list) in
 * files named by journal_file_path(); journal_remove() removes them all.
 *
 * The format, one line each, documented in git-release(1) JOURNAL:
 *
 *	journal 1			the format's version, first
 *	op <name>			the operation (deploy, cut...)
 *	command <text>			what the user ran
 *	<key> <value>			the operation's attributes
 *	step <n> <kind> <status>	a step (n from 1, in order)
 *	<key> <value>			the step's attributes
 *
 * Values are escaped so that each is one line: "\\" for a backslash,
 * "\n" for a newline, "\t" a tab, "\r" a carriage return, "\xHH" for any
 * other control byte; everything else, UTF-8 included, as it is.  Lines
 * starting with "#" are comments; a reader keeps attributes it does not
 * know.  Every change rewrites the file whole (write_file_atomic:
 * mkstemp, fsync, rename), so a reader sees the journal before or after
 * the change, never half of it.
 */
#ifndef LIB_JOURNAL_H
#define LIB_JOURNAL_H

#include "plan.h"
#include "repo.h"

#define JOURNAL_VERSION	1
#define JOURNAL_FILE	"journal"

struct journal {
	struct ctx	*ctx;		/* lent */
	struct plan	*plan;		/* lent by journal_begin, owned after
					   journal_load */
	int		 owned;
};
#define JOURNAL_INIT { NULL, NULL, 0 }

/*
 * One "<key> <value>" line of the format, the value escaped as above
 * (nothing when value is NULL), and the value of such a line unescaped
 * into out (reset first; -1 on a malformed escape).  Every state file of
 * the suite writes its values this way.
 */
void	 journal_add_line(struct strbuf *sb, const char *key,
	    const char *value);
int	 journal_unescape(struct strbuf *out, const char *s);
/* *field = the unescaped value (the old one freed); -1 when malformed */
int	 journal_set_value(char **field, const char *s);

/* the pure part, unit-tested: the plan as the file holds it, and back */
void	 journal_format(struct strbuf *out, const struct plan *p);
/* E_FATAL, said naming the line, when text is not a journal */
int	 journal_parse(struct plan *out, const char *text, const char *path);

/* 1 when a journal is there, 0 when not */
int	 journal_exists(struct ctx *ctx);

/*
 * Write plan p as the journal, before the first side effect; the caller
 * holds the repository lock and keeps p alive while j is used.
 * E_REFUSED, said (naming the operation and how to finish it), when a
 * journal is there already.
 */
int	 journal_begin(struct journal *j, struct ctx *ctx, struct plan *p);

/*
 * Read the journal (j owns the plan then).  E_REFUSED, said, when there
 * is none ("no operation to continue"); E_FATAL when it is malformed.
 */
int	 journal_load(struct journal *j, struct ctx *ctx);

/* write the plan again, whole (after a step recorded what it made) */
int	 journal_save(struct journal *j);

/*
 * Set step i's status and write the journal.  This is also where the
 * kill matrix stops a test: with GIT_RELEASE_TEST_KILL_AFTER set to
 * the step's number (from 1), to its kind, or to "<op>:<n>", the
 * process SIGKILLs itself right after the journal says so ("0" right
 * after journal_begin).  The variable is read here and nowhere else.
 */
int	 journal_mark(struct journal *j, size_t i, enum plan_status st);

/* the operation is complete or aborted: the journal and its files go */
void	 journal_remove(struct journal *j);
void	 journal_release(struct journal *j);

/* a file of a step's own beside the journal (free it) */
char	*journal_file_path(struct ctx *ctx, const char *name);

/*
 * Which command finishes op ("git release" for deploy, yank and cut,
 * "git rollback", "git hotfix finish"), for messages.
 */
const char *journal_finish_command(const char *op);

/*
 * E_REFUSED, said, while a journal is there: what is the verb of the
 * message ("deploy").  repo_require_no_operation() asks it.  Not while
 * this process runs the journal's plan (ctx->journal_active, set by
 * journal_begin and journal_load, cleared by journal_remove and
 * journal_release): a step may run another command's work, as deploy's
 * automatic rollback runs a rollback, which is then part of the outer
 * plan and has no journal of its own (journal_begin refuses a second).
 */
int	 journal_require_none(struct ctx *ctx, const char *what);

#endif
