/*
 * Verified deploys: deploy.<env>.verifyCommand, run after the deploy
 * hook until it passes verifyPasses times in a row or verifyTimeout
 * runs out, and the log entries around an attempt (a local "started"
 * entry before the hook, replaced by the outcome).
 */
#ifndef LIB_VERIFY_H
#define LIB_VERIFY_H

#include <stdint.h>

#include "deploylog.h"
#include "hook.h"
#include "repo.h"

/* "250ms", "10s", "5m", "1h" into milliseconds; E_FATAL, silent, if not */
int	 verify_duration_parse(int64_t *out, const char *s);
/* milliseconds for people: "250ms", "1.5s", "2m30s" */
void	 verify_duration_format(struct strbuf *out, int64_t ms);

struct verify_config {
	const char	*command;	/* NULL: nothing to verify */
	int64_t		 interval_ms;	/* verifyInterval (10s) */
	int64_t		 timeout_ms;	/* verifyTimeout (5m) */
	int64_t		 rollback_timeout_ms; /* rollbackTimeout (the above) */
	int		 passes;	/* verifyPasses (1) */
	int		 rollback_on_failure;	/* rollbackOnFailure (false) */
	int		 rollback_migrate;	/* rollbackOnFailureMigrate */
};

/*
 * deploy.<env>.verify* and rollback* with their defaults; E_FATAL naming
 * the key when one is malformed (before anything has happened).
 */
int	 verify_config_load(struct verify_config *out, struct ctx *ctx,
	    const char *env);

struct verify_result {
	int		 passed;
	int64_t		 attempts;
	int64_t		 elapsed_ms;
	char		*first_line;	/* of the last failure's output, or NULL */
	int		 hook_ran;	/* the deploy hook ran and succeeded */
};
#define VERIFY_RESULT_INIT { 0, 0, 0, NULL, 0 }
void	 verify_result_release(struct verify_result *r);

/*
 * Run vc->command in the worktree's top directory with the hook's
 * variables, VERIFY_ATTEMPT (1, 2...) and VERIFY_ELAPSED (milliseconds
 * since the first attempt), every interval until it has exited 0
 * passes times in a row, within timeout_ms (an attempt still running
 * then is killed).  Its output goes to stderr.  0 whether it passed or
 * not (out->passed says); E_FATAL when it cannot be run at all.
 */
int	 verify_run(struct verify_result *out, struct ctx *ctx,
	    const struct verify_config *vc, const struct hook_vars *vars,
	    int64_t timeout_ms);

/* fill e's verification fields from r (copies) */
void	 verify_result_to_entry(struct deploy_entry *e,
	    const struct verify_result *r);

/*
 * One attempt's entries.  start() writes e, status started, at the tip
 * of its log (a started entry left there by a process that died is
 * first recorded as failed, "interrupted"); finish() writes the outcome
 * in its place, so the started entry is never pushed.  Without a hook
 * or a verify command to wait for, start() writes nothing and finish()
 * appends.
 */
struct verify_attempt {
	git_oid		 started;
	int		 has_started;
};
#define VERIFY_ATTEMPT_INIT { { { 0 } }, 0 }

int	 verify_attempt_start(struct verify_attempt *a, struct ctx *ctx,
	    const struct deploy_entry *e, int waits);
int	 verify_attempt_finish(git_oid *out, struct ctx *ctx,
	    struct verify_attempt *a, const struct deploy_entry *e,
	    int *created_tag);


/*
 * A deploy's attempt from the hook on: the started entry, the hook,
 * verification, the outcome entry (and, with rollback on failure, the
 * automatic rollback: lib/verify-rollback.c).
 */
enum verify_outcome_kind {
	VERIFY_OUTCOME_NONE,		/* nothing to verify, or --no-verify */
	VERIFY_OUTCOME_VERIFIED,
	VERIFY_OUTCOME_ROLLED_BACK,	/* failed, rolled back and verified */
	VERIFY_OUTCOME_ROLLBACK_FAILED,
	VERIFY_OUTCOME_MIGRATIONS_BLOCK,
	VERIFY_OUTCOME_NOT_ROLLED_BACK,
};
/* "verified", "failed-rolled-back"... as deploy --json says */
const char *verify_outcome_name(enum verify_outcome_kind k);

struct verify_deploy_opts {
	const struct verify_config *vc;
	int		 no_hook;
	int		 no_verify;
	int		 rollback;	/* roll back when verification fails */
	const char	*previous;	/* what ran before: the rollback's target */
	int		 json;
};

struct verify_outcome {
	enum verify_outcome_kind kind;
	int		 failed;	/* the deploy did not verify */
	git_oid		 entry;		/* the deploy's outcome entry */
	int		 created_tag;	/* deployed-<tag> made */
	struct verify_result vr;
	/* the automatic rollback, when one ran */
	int		 rolled;
	char		*rollback_to;
	git_oid		 rollback_entry;
	struct verify_result rvr;
	int		 held;		/* env is held at rollback_to */
	git_oid		 hold_entry;	/* that hold's entry */
	struct strlist	 extra_refs;	/* to push beside refs/deploy/ */
};
void	 verify_outcome_release(struct verify_outcome *out);

/*
 * Run the hook and verify e (a deploy, filled but for its outcome).
 * 0 when the entry is recorded, whatever verification said
 * (out->failed); E_REFUSED when the hook failed (recorded as failed only
 * when a verify command waited for it; without one nothing is written).
 */
int	 verify_deploy(struct verify_outcome *out, struct ctx *ctx,
	    const struct verify_deploy_opts *o, struct deploy_entry *e,
	    const struct hook_vars *hv);

/* git release verify: what runs on env checked again, and recorded */
struct verify_cmd_opts {
	const char	*env;
	int		 json;
	int		 no_fetch;
	int		 push;
};
/* 0 verified, E_REFUSED when it did not (recorded) or cannot be run */
int	 verify_command(struct ctx *ctx, const struct verify_cmd_opts *o);

#endif
