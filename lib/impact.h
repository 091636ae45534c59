/*
 * The impact assessment of "git rollback check": for each strategy,
 * whether it would work and what it would do, computed without writing
 * anything (the revert prediction runs the revert engine in memory),
 * and the recommendation by the seed's scenarios: just deployed and a
 * hook to redeploy with: --deploy-only; else a revert that applies
 * cleanly: --revert; else --branch, with a hotfix as the way forward.
 * A reset is never recommended when it would drop commits.
 */
#ifndef LIB_IMPACT_H
#define LIB_IMPACT_H

#include <stdint.h>
#include <stdio.h>

#include <git2.h>

#include "checklist.h"
#include "rollback.h"
#include "target.h"

/* will a strategy work, and a reason: a stable code and a sentence */
struct impact_verdict {
	int		 possible;
	const char	*code;		/* "hook", "no-hook", "conflict"... */
	char		*text;
};

struct impact {
	struct impact_verdict	 deploy_only, branch, reset, revert;
	const char		*hook;		/* deploy.<env>.command or NULL */
	char			*new_branch;	/* what --branch would create */
	struct target_branch	 eb;		/* what --reset/--revert move */
	struct strlist		 drop_subjects;	/* parallel to eb.drops */
	git_oid			*reverts;	/* what --revert reverts, in order */
	size_t			 reverts_nr;
	struct strlist		 revert_subjects;
	int			 conflict;	/* the revert would stop */
	git_oid			 conflict_commit;
	struct strlist		 conflict_paths;
	int			 exact_target_tree;
	int64_t			 window;	/* rollback.recentWindow, seconds */
	int			 recent;	/* running deployed within it */
	enum rollback_strategy	 recommended;
	const char		*recommended_code;
	char			*recommended_text;
	char			*command;	/* git rollback ... */
	char			*fix_forward;	/* git hotfix start ..., or NULL */
};

void	 impact_init(struct impact *imp);
void	 impact_release(struct impact *imp);

/* assess c's rollback; E_FATAL on a repository error (printed) */
int	 impact_assess(struct impact *out, struct ctx *ctx,
	    const struct checklist *c);

/* the "strategies:" section and the "recommended:" line */
void	 impact_print(FILE *fp, const struct impact *imp,
	    const struct checklist *c);
/* the members "strategies" and "recommended" of the --json object j */
void	 impact_json(struct json *j, const struct impact *imp);

/*
 * "30m", "2h", "90s", "1d" or a number of seconds; E_FATAL naming the
 * setting when it is none of those.
 */
int	 impact_parse_window(int64_t *out, const char *s);

#endif
