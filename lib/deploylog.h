/*
 * The deployment log: an append-only record of every deploy and rollback,
 * per environment, kept in git under refs/deploy/ so it travels with push
 * and fetch and never touches branches or tags.
 *
 *	refs/deploy/log/<env>	one commit per entry, parent the previous
 *				entry, the empty tree, the entry in the
 *				message (format in git-release(1))
 *	refs/deploy/marks	releases marked bad: a commit whose tree holds
 *				one file per marked tag (path = tag name,
 *				content = reason), one commit per change
 *
 * The first deployment of a version to production also creates the
 * annotated tag deployed-<tag>.
 */
#ifndef LIB_DEPLOYLOG_H
#define LIB_DEPLOYLOG_H

#include <stdint.h>

#include <git2.h>

#include "release.h"
#include "repo.h"

#define DEPLOY_REF_PREFIX	"refs/deploy/"
#define DEPLOY_LOG_PREFIX	"refs/deploy/log/"
#define DEPLOY_MARKS_REF	"refs/deploy/marks"
#define DEFAULT_ENV		"production"

enum deploy_kind {
	DEPLOY_KIND_DEPLOY,
	DEPLOY_KIND_ROLLBACK,
};

struct deploy_entry {
	char		*env;
	char		*tag;		/* the version deployed */
	git_oid		 commit;	/* its peeled commit */
	enum deploy_kind kind;
	int64_t		 time;		/* seconds since the epoch, UTC */
	char		*operator;	/* "Name <email>" */
	char		*reason;	/* may be NULL */
	char		*from;		/* rollbacks: the tag rolled back from */
	char		*strategy;	/* rollbacks: branch, reset, revert, deploy-only */
	git_oid		 id;		/* the log commit holding this entry */
};

struct deploy_log {
	struct deploy_entry	*items;	/* newest first */
	size_t			 nr;
	size_t			 alloc;
};
#define DEPLOY_LOG_INIT { NULL, 0, 0 }

/* a valid environment name is a valid ref component (E_FATAL otherwise) */
int	 deploy_env_check(const char *env);

/* entries of env (every environment when NULL), newest first, at most max (0: all) */
int	 deploylog_read(struct deploy_log *out, struct ctx *ctx, const char *env,
	    size_t max);
void	 deploylog_release(struct deploy_log *log);
void	 deploy_entry_release(struct deploy_entry *e);

/*
 * Append e to its environment's log (time and operator from the
 * committer identity when unset) with a reflog entry; on the first
 * deployment of e->tag to production, create deployed-<tag>.
 * *created_tag is set to 1 when that tag was made.  dry_run: print only.
 */
int	 deploylog_append(git_oid *out, struct ctx *ctx,
	    const struct deploy_entry *e, int *created_tag);

/*
 * The running version of env: its newest log entry's release; without
 * one, the newest stable release reachable from the production branch
 * (local, else <remote>/<branch>, else the release branch).  *out NULL
 * when there is none at all.  *entry (may be NULL) gets the log entry.
 */
int	 deploy_running(const struct release **out, struct ctx *ctx,
	    const struct release_list *l, const char *env,
	    struct deploy_entry *entry);

/* did tag ever get deployed to env? */
int	 deploy_ever_deployed(int *out, struct ctx *ctx, const char *env,
	    const char *tag);

/* bad marks */
struct marks {
	struct strlist	 tags;
	struct strlist	 reasons;
};
#define MARKS_INIT { STRLIST_INIT, STRLIST_INIT }

int	 marks_load(struct marks *out, struct ctx *ctx);
void	 marks_release(struct marks *m);
/* the reason tag is marked bad, or NULL */
const char *marks_reason(const struct marks *m, const char *tag);
/* mark (reason) or unmark (reason NULL) a tag, with a reflog entry */
int	 marks_set(struct ctx *ctx, const char *tag, const char *reason);

/*
 * Sharing through the remote: fetch refs/deploy/* from ctx->set.remote
 * and fold it into ours (fast-forward, or replay our newer entries on
 * top); a failure is a warning naming the remote.  Nothing is done when
 * the remote does not exist.
 */
int	 deploylog_fetch(struct ctx *ctx);
/*
 * Push our refs/deploy/ refs (and extra refspecs, e.g. a deployed-* tag)
 * in one atomic push; a rejection fetches, replays and retries (bounded).
 */
int	 deploylog_push(struct ctx *ctx, const char *const *extra_refspecs);

#endif
