/*
 * Pushing with the user's own git: one "git push --atomic --porcelain"
 * with explicit refspecs and leases, never --tags, never a "+" refspec.
 */
#ifndef LIB_PUSH_H
#define LIB_PUSH_H

#include <git2.h>

#include "repo.h"

struct push_ref {
	const char	*src;		/* local ref or object id; NULL: delete */
	const char	*dst;		/* full remote ref name */
	int		 lease;		/* use --force-with-lease=dst:expect */
	git_oid		 expect;	/* zero oid: the ref must not exist */
};

/*
 * Push refs[0..n) to remote in one atomic push.  Returns 0, E_REFUSED
 * when the remote rejected it (a stale lease among them), with the
 * remote's reasons in *why when not NULL ("<dst>: [rejected] (stale
 * info)", one a line), or when it could not be reached (*why left
 * empty).  dry_run: print the command.
 */
int	 push_refs(struct ctx *ctx, const char *remote,
	    const struct push_ref *refs, size_t n, int dry_run,
	    struct strbuf *why);

/*
 * The same with flags: PUSH_DRY_RUN prints the command; PUSH_QUIET_REJECT
 * says nothing when the remote rejected a ref (the caller retries), but
 * still reports a failure to reach the remote.
 */
#define PUSH_DRY_RUN		0x01
#define PUSH_QUIET_REJECT	0x02
int	 push_refs_flags(struct ctx *ctx, const char *remote,
	    const struct push_ref *refs, size_t n, unsigned flags,
	    struct strbuf *why);

/* the argv push_refs would run, for --dry-run plans; free with strlist_release */
void	 push_command(struct strlist *argv, const char *remote,
	    const struct push_ref *refs, size_t n);

/*
 * A push in flight.  Every push_refs() records its git push, before
 * git push can do anything, as "<pid> <start time>" in
 * "release-suite.push" in the common git dir, and removes the record
 * when it has ended.  A run killed meanwhile leaves git push running
 * on its own, and the record: push_refs() and remote_ref() (what an
 * abort reads of the remote) first wait for the process it names to
 * end, at most PUSH_WAIT_MS, then remove it.  0, or E_REFUSED, said,
 * when the push still runs after that.
 */
#define PUSH_WAIT_MS	120000L
int	 push_wait_inflight(struct ctx *ctx);

/* does the remote exist in config? */
int	 remote_exists(struct ctx *ctx, const char *remote);

/* what the remote holds at ref (git ls-remote); *found 0 when absent */
int	 remote_ref(git_oid *out, int *found, struct ctx *ctx,
	    const char *remote, const char *ref);

#endif
