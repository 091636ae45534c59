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

#include "marks.h"
#include "release.h"
#include "repo.h"

#define DEPLOY_REF_PREFIX	"refs/deploy/"
#define DEPLOY_LOG_PREFIX	"refs/deploy/log/"
#define DEPLOY_MARKS_REF	"refs/deploy/marks"
#define DEFAULT_ENV		"production"
#define DEPLOYED_TAG_PREFIX	"deployed-"
/* where deploylog_fetch keeps the remote's copy: <this><remote>/... */
#define DEPLOY_TRACKING_PREFIX	"refs/deploy-remotes/"

/*
 * hold and unhold entries record a hold put on or lifted from an
 * environment (and component), verify entries a later check of what
 * runs; they deploy nothing, so readers of the running version pass
 * over them, and readers that predate them skip them as entries of an
 * unknown kind.
 */
enum deploy_kind {
	DEPLOY_KIND_DEPLOY,
	DEPLOY_KIND_ROLLBACK,
	DEPLOY_KIND_HOLD,
	DEPLOY_KIND_UNHOLD,
	DEPLOY_KIND_VERIFY,	/* git release verify: a check, no deploy */
};

/* an entry without a Status field has succeeded (logs written before it) */
enum deploy_status {
	DEPLOY_STATUS_SUCCEEDED,
	DEPLOY_STATUS_STARTED,
	DEPLOY_STATUS_FAILED,
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
	char		*component;	/* NULL: the default component */
	enum deploy_status status;
	/* verification; verify NULL: none configured */
	char		*verify;	/* passed, failed, skipped */
	char		*verify_output;	/* failed: the first line it printed */
	int64_t		 verify_attempts;
	int64_t		 verify_ms;	/* from the first attempt to the last */
	char		*trigger;	/* automatic rollbacks: the failed entry */
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

/*
 * The storage format (the pure part, unit-tested): an entry is the
 * message of its log commit, "Key: value" lines after a subject line.
 * deploy_entry_parse() fills everything but id; E_FATAL without a
 * message when a required key (Version, Commit, Environment, Kind,
 * Time) is missing or malformed.
 */
const char *deploy_kind_name(enum deploy_kind kind);
/*
 * A deploy or rollback, whatever its status: not a hold or unhold.  Every
 * reader that wants deployments (the running version, history, metrics,
 * the undo line, "ever deployed") asks this, or the one below.
 */
int	 deploy_entry_is_deployment(const struct deploy_entry *e);
/* a succeeded deploy or rollback: what the running version is made of */
int	 deploy_entry_in_effect(const struct deploy_entry *e);
const char *deploy_status_name(enum deploy_status status);
void	 deploy_entry_format(struct strbuf *out, const struct deploy_entry *e);
int	 deploy_entry_parse(struct deploy_entry *out, const char *msg);
/* "2024-01-15T14:30:00Z" and back */
void	 deploy_time_format(struct strbuf *out, int64_t t);
int	 deploy_time_parse(int64_t *out, const char *s);
/* "2024-01-15 14:30 UTC", for people */
void	 deploy_time_human(struct strbuf *out, int64_t t);
/* the deployed-<tag> annotation: "Deployed to production at 2024-01-15 14:30 UTC" */
void	 deploy_tag_message(struct strbuf *out, const char *env, int64_t t);

/*
 * The selected component's entries of env (every environment when
 * NULL), newest first, at most max (0: all): those whose tag is a
 * release of ctx->set.tag_prefix and whose Component, when recorded, is
 * the selected component (component_owns_entry).
 */
int	 deploylog_read(struct deploy_log *out, struct ctx *ctx, const char *env,
	    size_t max);
/* the same, every component's */
int	 deploylog_read_all(struct deploy_log *out, struct ctx *ctx,
	    const char *env, size_t max);
void	 deploylog_release(struct deploy_log *log);
void	 deploy_entry_release(struct deploy_entry *e);
/* a deep copy of src into out */
void	 deploy_entry_copy(struct deploy_entry *out,
	    const struct deploy_entry *src);

/*
 * Append e to its environment's log (time and operator from the
 * committer identity when unset) with a reflog entry; on the first
 * deployment of e->tag to production, create deployed-<tag>.
 * *created_tag is set to 1 when that tag was made (may be NULL).  The
 * reflog message names the command: "deploy: v1.2.3 to production",
 * "rollback: v1.2.3 -> v1.2.2 on production".
 */
int	 deploylog_append(git_oid *out, struct ctx *ctx,
	    const struct deploy_entry *e, int *created_tag);
/*
 * The same in two steps, for a journalled deploy: the entry alone, then
 * (first deployment to production) the deployed-<tag> tag, *out its id.
 */
int	 deploylog_append_untagged(git_oid *out, struct ctx *ctx,
	    const struct deploy_entry *e);
int	 deploylog_tag_deployed(git_oid *out, struct ctx *ctx,
	    const struct deploy_entry *e);
/*
 * Before the hook runs: can env's log ref be updated now?  Takes the
 * ref's lock and lets it go; E_REFUSED, said (with the .lock file to
 * remove when one was left behind), when it cannot.
 */
int	 deploylog_can_record(struct ctx *ctx, const char *env);
/*
 * What deploylog_append would do, printed as "would ..." lines (the
 * ref with its old and new ids, the tag): changes nothing.
 */
int	 deploylog_plan(struct ctx *ctx, const struct deploy_entry *e);
/* the id of the entry deploylog_append would write now: writes nothing */
int	 deploylog_entry_id(git_oid *out, struct ctx *ctx,
	    const struct deploy_entry *e);

/*
 * The newest entry of env that is in effect (deploy_entry_in_effect),
 * walking past started and failed attempts and holds; *found 0 when
 * there is none.
 */
int	 deploylog_last_in_effect(struct deploy_entry *out, int *found,
	    struct ctx *ctx, const char *env);

/*
 * Append e in place of the entry replaced (a started attempt at the
 * log's tip, or its copy replayed there by a fetch): e's parent is the
 * started entry's parent, so an attempt in progress is never shared.
 * E_REFUSED when the tip is neither.
 */
int	 deploylog_replace(git_oid *out, struct ctx *ctx,
	    const struct deploy_entry *e, const git_oid *replaced,
	    int *created_tag);

/*
 * The running version of env: its newest log entry in effect; without
 * one, the newest stable release not marked bad reachable from env's
 * branch (env_branch(): local, else <remote>/<branch>; for production,
 * else the release branch).  *out NULL when there is none at all, or
 * when env has no branch.  *entry (may be NULL) gets the log entry.
 */
int	 deploy_running(const struct release **out, struct ctx *ctx,
	    const struct release_list *l, const char *env,
	    struct deploy_entry *entry);

/*
 * The running version of env for component c (NULL: the default
 * component), whichever the command selected: *tag (owned; NULL when
 * nothing runs), *entry (may be NULL; zeroed when the version does not
 * come from the log).  For listings that cover every component.
 */
int	 deploy_running_component(char **tag, struct deploy_entry *entry,
	    struct ctx *ctx, const char *env, const struct component *c);

/*
 * Walk env's log from the newest entry, calling fn on each until it
 * returns non-zero: > 0 stops the walk (deploylog_walk returns 0), < 0
 * is an error returned as it is.  The entry is only lent to fn.  A
 * question about the record answers from the newest entries this way,
 * reading no more of a long log than it needs.
 */
typedef int (*deploylog_walk_fn)(const struct deploy_entry *e, void *payload);
int	 deploylog_walk(struct ctx *ctx, const char *env, deploylog_walk_fn fn,
	    void *payload);
/*
 * The entries deploylog_read() (mine) or deploylog_read_all() would
 * give, in the same order, lent to fn one at a time as deploylog_walk
 * does: memory is one entry per environment however long the logs.
 */
/*
 * deploylog_walk() of env's hold and unhold entries only, newest first:
 * a long log's older ones come from the cache beside it (see
 * deploy_ever_deployed), the rest of it is not read again.
 */
int	 deploylog_walk_holds(struct ctx *ctx, const char *env,
	    deploylog_walk_fn fn, void *payload);
int	 deploylog_walk_merged(struct ctx *ctx, const char *env, int mine,
	    deploylog_walk_fn fn, void *payload);

/*
 * Did tag ever get deployed to env?  For production a deployed-<tag>
 * tag answers yes alone; otherwise the log is walked until the tag or
 * the entry a cache beside the log (deploy-cache/<env> in the common
 * git dir, rebuilt from the log when stale) was made for.  The cache
 * is written unless ctx->read_only.
 */
int	 deploy_ever_deployed(int *out, struct ctx *ctx, const char *env,
	    const char *tag);

/* bad marks: marks.h */

/*
 * Sharing through the remote: fetch the refs under refs/deploy/ (and
 * the deployed-* tags) from ctx->set.remote into DEPLOY_TRACKING_PREFIX
 * and fold them into ours (fast-forward, or replay our newer entries on
 * top); a failure is a warning naming the remote.  Nothing is done when
 * the remote does not exist.
 */
int	 deploylog_fetch(struct ctx *ctx);
/*
 * Push our refs/deploy/ refs (and extra refspecs, e.g. a deployed-* tag)
 * in one atomic push; a rejection fetches, replays and retries (bounded).
 */
int	 deploylog_push(struct ctx *ctx, const char *const *extra_refspecs);
/*
 * Add refs/tags/<tag> to refs when the remote lacks it (git ls-remote),
 * so that a deployment's push carries the release it names: a
 * colleague's clone can then read the log.  An unreachable remote adds
 * nothing (the push will say so).
 */
int	 deploylog_add_missing_tag(struct strlist *refs, struct ctx *ctx,
	    const char *tag);
/* print the push deploylog_push would run first (extra: refs it will hold) */
int	 deploylog_push_plan(struct ctx *ctx, const char *const *extra);

#endif
