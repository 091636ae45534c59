/*
 * The pre-rollback checklist: everything a release engineer must know
 * before rolling an environment back, gathered once, printed for people
 * or as JSON, and used by the rollback itself for its migration gate.
 */
#ifndef LIB_CHECKLIST_H
#define LIB_CHECKLIST_H

#include <stdio.h>

#include "json.h"
#include "migrate.h"
#include "target.h"

struct checklist {
	struct rollback_range	 range;
	struct strlist		 commit_ids;	/* full hex, newest first */
	struct strlist		 subjects;	/* one per commit */
	struct migration_list	 migrations;	/* newest first */
	struct strlist		 migrations_modified;	/* paths: warnings */
	struct strlist		 config_changed;	/* paths */
	struct strlist		 config_stat;	/* diffstat lines */
	struct strlist		 config_notes;	/* "<tag> <path>", newest first */
	struct strlist		 blockers;	/* one sentence each */
	struct strlist		 blocker_codes;	/* one per blocker, a stable
						   code (git-rollback(1)) */
};
#define CHECKLIST_INIT { ROLLBACK_RANGE_INIT, STRLIST_INIT, STRLIST_INIT, \
	MIGRATION_LIST_INIT, STRLIST_INIT, STRLIST_INIT, STRLIST_INIT, \
	STRLIST_INIT, STRLIST_INIT, STRLIST_INIT }

/* rollback_range_load() (same flags and refusals), then the rest */
int	 checklist_load(struct checklist *out, struct ctx *ctx,
	    const char *env, const char *target, int flags);
void	 checklist_release(struct checklist *c);

/*
 * "MIGRATION_ID=x MIGRATION_VERSION=y sh -c '<cmd>'": what the rollback
 * runs for m, every word quoted so that the line can be pasted into sh
 */
void	 checklist_down_command(struct strbuf *out, const struct migration *m,
	    const char *cmd);

void	 checklist_print(FILE *fp, const struct checklist *c,
	    struct ctx *ctx);
/* the checklist's members of the --json object j (opened by the caller) */
void	 checklist_json(struct json *j, const struct checklist *c,
	    struct ctx *ctx);

/* the first line of a commit or tag message */
char	*message_subject(const char *msg);
/* a word for sh: as is when safe, else single-quoted */
void	 sh_quote(struct strbuf *out, const char *s);

#endif
