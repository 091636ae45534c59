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
};

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
/* exact: also the log and push plans of the deployment log (stdout) */
int	 rollback_print_plan(FILE *fp, struct rb *rb, int exact);
/* the log entry of this rollback (pointers into rb) */
void	 rollback_entry(struct deploy_entry *e, struct rb *rb);
/* the refs to push beside refs/deploy/ (planned: as they will be) */
void	 rollback_log_refs(struct strlist *refs, struct rb *rb, int planned);
/* "<lead>  abc1234 subject" for each commit of b a reset drops */
void	 rollback_list_drops(FILE *fp, const char *lead, struct rb *rb,
	    const struct target_branch *b);
/* the command that undoes the git change ("" for none) */
void	 rollback_undo_git(struct strbuf *sb, struct rb *rb);
/*
 * This rollback as one shell line ("git rollback <target> -m ..."),
 * every word quoted for sh; with ignore_migrations the migrations are
 * left alone (they ran already) whatever was given.
 */
void	 rollback_command(struct strbuf *sb, struct rb *rb,
	    int ignore_migrations);

#endif
