/*
 * Shared by lib/rollback.c (the steps that change things) and
 * lib/rollback-plan.c (the checks, the plan and the undo line): the
 * state of one rollback.  Not for use outside those two files.
 */
#ifndef LIB_ROLLBACK_INT_H
#define LIB_ROLLBACK_INT_H

#include <stdio.h>

#include <git2.h>

#include "deploylog.h"
#include "journal.h"
#include "plan.h"
#include "push.h"
#include "rollback.h"
#include "target.h"
#include "verify.h"

struct rb {
	struct ctx		*ctx;
	const struct rollback_opts *o;
	struct checklist	 cl;
	const struct release	*from;		/* the running version */
	const struct release	*to;		/* the target */
	char			*reason;
	char			*reflog;	/* "rollback: v1.2.3 -> v1.2.2" */
	char			*refname;	/* the branch created or moved */
	char			*branch;	/* its short name */
	git_oid			 old;		/* refname before (zero: new) */
	git_oid			 new;		/* refname after */
	int			 checked_out;	/* refname is HEAD here */
	int			 pushed;	/* the git change is on the remote */
	int			 recorded;	/* the log entry and mark are made */
	size_t			 migrations_ran; /* down commands that succeeded */
	struct target_branch	 eb;		/* --reset, --revert: the branch */
	char			 to_hex[GIT_OID_HEXSZ + 1];
	struct verify_config	 vc;
	struct verify_attempt	 att;		/* the started entry */
	struct verify_result	 vr;
	int			 verify_failed;
	int			 held;		/* a hold entry was put at to */
	git_oid			 hold;		/* its id */
	/* what a new process needs to finish or undo it (rollback-journal.c) */
	unsigned		 done;		/* RB_* steps made */
	git_oid			 log_old;	/* the env's log before it */
	git_oid			 marks_old;	/* refs/deploy/marks before it */
	int			 deployed_existed; /* deployed-<target> before it */
	int			 saved;		/* the journal is ours, on disk */
	struct journal		 j;
	struct plan		 plan;		/* the run's, lent to j */
	int			 resuming;	/* --continue: steps may be half
						   made by the process killed */
	int			 sequence_ended; /* --revert: by this process */
	int			 retry_told;	/* after_failure() said how */
	int			 stopped;	/* --revert: on a conflict */
	git_oid			 entry;		/* the log entry made */
	git_oid			 marks_new;	/* refs/deploy/marks after it */
};

/*
 * The steps of DESIGN.md's order of effects, as the state records
 * them: a bit when made, RB_STARTED(bit) when begun (what a process
 * killed meanwhile may or may not have made; the step finds out).
 */
#define RB_GIT		0x01	/* the local git change */
#define RB_PUSH		0x02	/* its push */
#define RB_MIGRATE	0x04	/* every down command */
#define RB_HOOK		0x08	/* the deploy hook (and verification) */
#define RB_RECORD	0x10	/* the log entry */
#define RB_MARK		0x20	/* the bad mark */
#define RB_HOLD		0x80	/* the hold at the target */
#define RB_LOG_PUSH	0x40	/* the log's push */
#define RB_STARTED(b)	((b) << 8)

/* a full hex id by value: valid until the end of the full expression */
struct hexid {
	char	 s[GIT_OID_HEXSZ + 1];
};

static inline struct hexid
hexid(const git_oid *id)
{
	struct hexid h;

	git_oid_tostr(h.s, sizeof(h.s), id);
	return h;
}

/* step 1: every check without side effects, and the plan it makes */
int	 rollback_check_all(struct rb *rb);
/* the push of the git change, as a push_ref */
void	 rollback_push_ref(struct rb *rb, struct push_ref *p);
/*
 * The plan as the question on a terminal shows it (the dry run prints
 * the journal's plan: rollback_dry_run); exact: also the log and push
 * plans of the deployment log (stdout)
 */
int	 rollback_print_plan(FILE *fp, struct rb *rb, int exact);
/* the log entry of this rollback (pointers into rb) */
void	 rollback_entry(struct deploy_entry *e, struct rb *rb);
/* the refs to push beside refs/deploy/ (planned: as they will be) */
void	 rollback_log_refs(struct strlist *refs, struct rb *rb, int planned);
/* "<lead>  abc1234 subject" for each commit of b a reset drops */
void	 rollback_list_drops(FILE *fp, const char *lead, struct rb *rb,
	    const struct target_branch *b);
/* the command that undoes the git change ("" for none), quoted for sh */
void	 rollback_undo_git(struct strbuf *sb, struct rb *rb);
/* the same as if pushed or not; new: the revert's tip (NULL: rb->new) */
void	 rollback_undo_git_as(struct strbuf *sb, struct rb *rb, int pushed,
	    const char *new);
/*
 * The undo line from the steps of p that took effect (all of them with
 * as_planned, for the dry run): the git change and its push taken
 * back, and the release rolled back from deployed again once the hook
 * or the record took effect (lifting the hold when one was put).
 */
void	 rollback_undo_line(struct strbuf *sb, struct rb *rb,
	    const struct plan *p, int as_planned);
/*
 * --json of --continue and --abort: the journal's plan as the run left
 * it (aborted: the steps put back marked undone), its "undo" the undo
 * line (or "git rollback --abort" while it is stopped), taken from rb
 * (the caller frees it); NULL when there is none.
 */
struct plan *rollback_take_plan(struct rb *rb, int rc, int aborted);
/* --json after a run: its journal's plan as the run left it, undo given */
void	 rollback_print_run_json(FILE *fp, struct rb *rb, const char *undo);
/* the undo line of what this run's steps did (its journal's) */
void	 rollback_undo_done(struct strbuf *sb, struct rb *rb);
/* --dry-run: the plan the run would journal, as text or JSON */
int	 rollback_dry_run(struct rb *rb);
/*
 * This rollback as one shell line ("git rollback <target> -m ..."),
 * every word quoted for sh; with ignore_migrations the migrations are
 * left alone (they ran already) whatever was given.
 */
void	 rollback_command(struct strbuf *sb, struct rb *rb,
	    int ignore_migrations);

/*
 * The rollback's state is the journal, op "rollback" (rollback-journal.c):
 * the plan built before the first side effect, a step per part.
 */
struct rollback_saved {
	struct rollback_opts o;		/* its strings owned */
	char		*from;		/* the tag rolled back from */
	char		*refname;
	char		*branch;
	git_oid		 old, new, log_old, marks_old;
	int		 checked_out, deployed_existed, held;
	git_oid		 hold;
	unsigned	 done;
	size_t		 migrations_ran;
};

/* the plan of this rollback, every step pending (the checks done) */
void	 rollback_plan_build(struct plan *p, struct rb *rb);
/* the plan written as the journal (none inside another's plan) */
int	 rollback_journal_begin(struct rb *rb);
/* the journal written again from rb; a part made, marked done */
int	 rollback_state_save(struct rb *rb);
int	 rollback_state_made(struct rb *rb, unsigned bit);
/*
 * 0 read (j holds the journal), 1 none, 2 the journal is another
 * operation's (j holds it), <0 unreadable (said)
 */
int	 rollback_state_load(struct rollback_saved *out, struct journal *j,
	    struct ctx *ctx);
void	 rollback_saved_release(struct rollback_saved *s);
/* the rollback is over: its journal and the files beside it go */
void	 rollback_state_remove(struct rb *rb);
/* the ref's id now, zero when it does not exist */
void	 rollback_ref_id(git_oid *out, struct ctx *ctx, const char *refname);

/* rollback.c: steps 2 to 5 from the first one not made, then the end */
int	 rollback_steps(struct rb *rb);
void	 rollback_init(struct rb *rb, struct ctx *ctx,
	    const struct rollback_opts *o);
void	 rollback_release(struct rb *rb);
/*
 * After a kill: put the paths that differ between commits from and to
 * as to has them, forced (the tree was clean; the differences are our
 * own half-made checkout), removing what to does not have.
 */
int	 rollback_checkout_recover(struct rb *rb, const git_oid *from,
	    const git_oid *to);
/* rollback_check_all() for a rollback resumed from its state */
int	 rollback_check_resumed(struct rb *rb, const struct rollback_saved *s);

#endif
