/*
 * A plan: what a mutating command is going to do, as data.  The command
 * checks, then builds its plan without a side effect; the dry run prints
 * the plan (plan_print, plan_print_json), the executor runs it
 * (plan_execute) with every step journalled (journal.h), and the undo
 * line is derived from the steps that were done (plan_undo_line).
 *
 *	struct plan p = PLAN_INIT;
 *	struct plan_step *s;
 *
 *	plan_begin(&p, "cut", "git release cut --minor");
 *	s = plan_add(&p, PLAN_TAG);
 *	plan_set(&s->attrs, "ref", "refs/tags/v1.3.0");
 *	plan_set_oid(&s->attrs, "target", head);
 *	...
 *	if (dry_run)
 *		plan_print(stdout, &p);
 *	else
 *		plan_execute(ctx, &j, &cut_ops, NULL, 0);
 *
 * A step is a kind, a status and "key value" attributes, in the order
 * they were set; what a kind's keys mean is below.  Keys are lower-case
 * words ([a-z0-9-]+), values any bytes but NUL; object ids are full hex.
 * Every kind may carry:
 *
 *	what	the step for people, when the kind's own line says too
 *		little (a check's "release v1.2.3 is not marked bad")
 *	note	more lines for the dry run, printed under the step's line
 *
 * and the kinds:
 *
 *	check		a check that ran while planning; nothing to undo
 *	ref		ref moved: "ref", "old" (absent: created), "new"
 *			(absent: deleted), "reflog" the reflog message;
 *			"config" repeated ("<key> <value>"), config the
 *			step removed, which the undo line sets again
 *	tag		annotated tag made: "ref" refs/tags/<name>, "target",
 *			"message", "sign" (a key id, or "default"), and,
 *			once made, "new" the tag object
 *	merge		a merge commit on "ref": "old", "new", "from";
 *			"worktree": ref is checked out, the undo line
 *			resets it (git reset --keep) rather than moves it;
 *			"head": HEAD before, when the merge checked ref
 *			out (the undo line switches back to it)
 *	checkout	"ref" the branch checked out, "old" HEAD's ref before
 *			(or its commit, detached), undone by git switch
 *	push		one atomic push to "remote": "refspec" repeated
 *			("src:dst", src empty to delete), "lease" repeated
 *			("dst:id", id empty: must not exist); once pushed,
 *			"pushed" repeated ("dst old new" as the remote moved)
 *	migration	a migration's down command: "id", "version"
 *	hook		the deploy hook of "env" for "tag" ("commit",
 *			"kind" deploy|rollback, "command"; "skip" no-hook
 *			or none when it is not run), "previous" the tag
 *			that ran before (the undo deploys it again)
 *	log		an entry on a deployment log: "ref", "old", "new",
 *			"env", "tag", "entry" (kind of entry)
 *	mark		a bad mark: "ref" (refs/deploy/marks), "old",
 *			"new", "tag", "env", "reason", "action" add|lift
 *	deployed-tag	"ref" refs/tags/deployed-<tag>, "target" (the log
 *			entry), "new" once made
 *	revert		a revert range, one step whatever its length: "ref",
 *			"old", "new", "range"; its own progress (which
 *			commit is next) is the revert engine's, kept beside
 *			the journal (journal_file_path)
 *
 * Statuses: pending (not started), done, stopped (started and stopped
 * for the user, e.g. a conflict; --continue runs it again, --abort
 * undoes what it did), undone (--abort put it back).
 */
#ifndef LIB_PLAN_H
#define LIB_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include <git2.h>

#include "repo.h"
#include "strbuf.h"

enum plan_kind {
	PLAN_CHECK,
	PLAN_REF,
	PLAN_TAG,
	PLAN_MERGE,
	PLAN_CHECKOUT,
	PLAN_PUSH,
	PLAN_MIGRATION,
	PLAN_HOOK,
	PLAN_LOG,
	PLAN_MARK,
	PLAN_DEPLOYED_TAG,
	PLAN_REVERT,
};

enum plan_status {
	PLAN_PENDING,
	PLAN_DONE,
	PLAN_STOPPED,
	PLAN_UNDONE,
};

struct plan_attr {
	char		*key;
	char		*value;
};

struct plan_attrs {
	struct plan_attr *items;	/* in the order set */
	size_t		 nr;
	size_t		 alloc;
};
#define PLAN_ATTRS_INIT { NULL, 0, 0 }

struct plan_step {
	enum plan_kind	 kind;
	enum plan_status status;
	struct plan_attrs attrs;
};

/*
 * op names the operation ("deploy", "yank", "cut", "rollback",
 * "hotfix-finish"...): the command that owns it reads it back to know
 * its steps are its own.  cmdline is what the user ran, as sh reads it.
 * attrs are the operation's own (the options --continue needs).
 */
struct plan {
	char		*op;
	char		*cmdline;
	struct plan_attrs attrs;
	struct plan_step *steps;
	size_t		 nr;
	size_t		 alloc;
};
#define PLAN_INIT { NULL, NULL, PLAN_ATTRS_INIT, NULL, 0, 0 }

void	 plan_begin(struct plan *p, const char *op, const char *cmdline);
void	 plan_release(struct plan *p);
/* a new pending step at the end; the pointer lasts until the next add */
struct plan_step *plan_add(struct plan *p, enum plan_kind kind);

/* "check", "deployed-tag"... and back (-1 when unknown) */
const char *plan_kind_name(enum plan_kind k);
int	 plan_kind_parse(const char *name);
const char *plan_status_name(enum plan_status s);
int	 plan_status_parse(const char *name);

/*
 * Attributes.  plan_set replaces the first value of key (value NULL:
 * removes every value of key); plan_add_attr adds one more (the
 * repeated keys of a push).  plan_get: the first value, or NULL.
 */
void	 plan_set(struct plan_attrs *a, const char *key, const char *value);
void	 plan_setf(struct plan_attrs *a, const char *key, const char *fmt, ...)
	    PRINTF_LIKE(3, 4);
void	 plan_add_attr(struct plan_attrs *a, const char *key, const char *value);
/* id NULL removes key */
void	 plan_set_oid(struct plan_attrs *a, const char *key, const git_oid *id);
const char *plan_get(const struct plan_attrs *a, const char *key);
/* 1 with *out set when key holds an object id, else 0 */
int	 plan_get_oid(git_oid *out, const struct plan_attrs *a, const char *key);
/* every value of key, in order, appended to out */
void	 plan_get_all(struct strlist *out, const struct plan_attrs *a,
	    const char *key);
void	 plan_attrs_release(struct plan_attrs *a);

/* the number of steps with status st */
size_t	 plan_count(const struct plan *p, enum plan_status st);

/*
 * The undo line: the commands that put back what the done (and stopped)
 * steps did, newest first, joined by " && ", each word quoted with
 * strbuf_add_shquoted so the line can be pasted into sh whatever a tag
 * or reason holds.  A done hook with "previous" undoes by deploying it
 * again (which also records it): the log entry, its tag and its push
 * are not undone by hand then.  Empty when nothing was done.
 */
void	 plan_undo_line(struct strbuf *out, const struct plan *p);

/*
 * The dry run: the plan and nothing else, one "would ..." line per
 * step (checks as "checked ..."), each step's notes under it, then the
 * undo line the plan would leave ("undo: ...").
 */
void	 plan_print(FILE *fp, const struct plan *p);

/*
 * The plan as one JSON object (lib/json.c), for --dry-run --json and
 * for --json after a run: "schema", "op", "command", "dry_run",
 * "status" (planned, complete, stopped, aborted), "steps" (each
 * "n", "kind", "status" and its attributes, a repeated key as an array),
 * "refs" (every ref a done step moved: "ref", "old", "new"; null for
 * absent) and "undo" (the undo line; null when nothing was done).
 * A plan built after the run by a command that is not run as a plan
 * (plan_done_step) carries the undo line its text output prints as
 * its own attribute "undo" ("" for none): that one is printed as is.
 */
void	 plan_print_json(FILE *fp, const struct plan *p, int dry_run);

/* a --dry-run: the plan as plan_print_json (json) or plan_print shows it */
void	 plan_print_dry_run(FILE *fp, const struct plan *p, int json);
/* the same fields added to an object the caller has open */
struct json;
void	 plan_json_fields(struct json *j, const struct plan *p, int dry_run);
/*
 * For a plan that describes a run after the fact: a new step at the
 * end with status st, its "what" set when what is not NULL.
 */
struct plan_step *plan_done_step(struct plan *p, enum plan_kind kind,
	    enum plan_status st, const char *what);
/*
 * --json after a run: the real stdout kept for the one JSON object, and
 * fd 1 pointed at stderr, so that the text of the run (and what hooks
 * print) goes there.  stdout itself when that cannot be done; give
 * the stream back with plan_json_stdout_close().
 */
FILE	*plan_json_stdout(void);
void	 plan_json_stdout_close(FILE *fp);


/* --- the executor (lib/plan-run.c) --- */

struct journal;

/* what the step functions get */
struct plan_exec {
	struct ctx	*ctx;
	struct plan	*plan;
	struct journal	*journal;	/* save it after changing attributes */
	size_t		 index;		/* of the step, from 0 */
	unsigned	 flags;		/* PLAN_EXEC_* as given */
	void		*payload;	/* the command's own */
};

/* a step function's answers besides 0 and the E_* codes */
#define PLAN_DEFAULT	1	/* do what plan_step_default_* does */
#define PLAN_STOP	2	/* stopped for the user: status stopped */

/*
 * An operation's steps.  run() does step s (its attributes may be
 * completed: the ids it made) and returns 0 when done, PLAN_STOP when
 * it stopped for the user (a conflict), PLAN_DEFAULT for the built-in
 * action, or an E_* code, said, when it failed: its effects must then
 * be none, or recorded in its attributes for undo().  undo() puts back
 * a done or stopped step; both may be NULL (always the default).
 */
struct plan_ops {
	const char	*op;
	int		(*run)(struct plan_exec *x, struct plan_step *s);
	int		(*undo)(struct plan_exec *x, struct plan_step *s);
	/* what --continue and --abort are called, for messages */
	const char	*finish;	/* "git release" */
};

/* run() is called for a stopped step by --continue / --skip */
#define PLAN_EXEC_CONTINUE	0x01
#define PLAN_EXEC_SKIP		0x02
/* the caller says what a failure leaves (it may abort at once) */
#define PLAN_EXEC_NO_HINT	0x04

/*
 * Run the journal's plan from its first step not done, in order, the
 * journal marked as each step ends.  All done: the journal is removed
 * and 0 returned.  A step that fails or stops ends the run with the
 * journal in place (the step pending or stopped), said, with a hint
 * naming "<finish> --continue" and "--abort" (unless PLAN_EXEC_NO_HINT).  The caller holds the
 * repository lock.
 */
int	 plan_execute(struct ctx *ctx, struct journal *j,
	    const struct plan_ops *ops, void *payload, unsigned flags);

/*
 * Undo the done and stopped steps newest first, each marked undone as
 * it is, then remove the journal.  An undo that cannot be done (a ref
 * moved since by someone else) stops the abort, said, the journal
 * kept, so that it can be run again once that is sorted out.
 */
int	 plan_abort(struct ctx *ctx, struct journal *j,
	    const struct plan_ops *ops, void *payload);

/*
 * The built-in actions.  run: ref (moved from old to new, compared),
 * check (nothing), push (the refspecs with their leases, one atomic
 * push).  undo: ref, log, mark, merge, revert (the ref put back from
 * new to old, compared: a ref at old already is fine, anywhere else is
 * refused), tag and deployed-tag (deleted when still at new), push
 * (each pushed ref put back on the remote with a lease on what we
 * pushed), check, hook, migration (nothing: said when it cannot be
 * taken back).  E_FATAL, said, for a kind with no built-in action.
 */
int	 plan_step_default_run(struct plan_exec *x, struct plan_step *s);
int	 plan_step_default_undo(struct plan_exec *x, struct plan_step *s);

/*
 * plan_abort undoes the steps done or stopped, and the steps pending
 * with a "started" attribute: killed after they began.
 *
 * A push step's own run: "started" saved in the journal before git push
 * runs (an abort then takes back from the remote what landed of the
 * "pushed" lines), dropped again when the push failed.
 */
int	 plan_push_begin(struct plan_exec *x, struct plan_step *s);
void	 plan_push_failed(struct plan_step *s);

#endif
