/*
 * Pushing with the user's own git: one "git push --atomic --porcelain"
 * with explicit refspecs and leases, never --tags, never a "+" refspec.
 */
#ifndef LIB_PUSH_H
#define LIB_PUSH_H

#include <git2.h>

#include "repo.h"

struct push_ref {
	const char	*src;		/* full local ref name; NULL: delete dst */
	const char	*dst;		/* full remote ref name */
	int		 lease;		/* use --force-with-lease=dst:expect */
	git_oid		 expect;	/* zero oid: the ref must not exist */
};

/*
 * Push refs[0..n) to remote in one atomic push.  Returns 0, E_REFUSED
 * when the remote rejected it (a stale lease among them), with the
 * remote's message in *why when not NULL.  dry_run: print the command.
 */
int	 push_refs(struct ctx *ctx, const char *remote,
	    const struct push_ref *refs, size_t n, int dry_run,
	    struct strbuf *why);

/* the argv push_refs would run, for --dry-run plans; free with strlist_release */
void	 push_command(struct strlist *argv, const char *remote,
	    const struct push_ref *refs, size_t n);

/* does the remote exist in config? */
int	 remote_exists(struct ctx *ctx, const char *remote);

/* what the remote holds at ref (git ls-remote); *found 0 when absent */
int	 remote_ref(git_oid *out, int *found, struct ctx *ctx,
	    const char *remote, const char *ref);

#endif
