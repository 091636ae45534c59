/*
 * Running other programs: the user's git with an argv (push, fetch,
 * signing, identity), and user-configured commands through "sh -c" with
 * their inputs in the environment, never pasted into the string.
 */
#ifndef LIB_SPAWN_H
#define LIB_SPAWN_H

#include <stdint.h>

#include "strbuf.h"

struct child {
	const char	*const *argv;	/* NULL-terminated; argv[0] from PATH */
	const char	*dir;		/* run there; NULL: here */
	const char	*const *env;	/* "NAME=value" to add; NULL-terminated */
	const char	*in;		/* stdin text; NULL: /dev/null */
	struct strbuf	*out;		/* capture stdout; NULL: see out_to_err */
	struct strbuf	*err;		/* capture stderr; NULL: inherit */
	int		 out_to_err;	/* stdout to our stderr (keeps stdout clean) */
	int		 quiet_err;	/* discard stderr (when err is NULL) */
	int		 keep_in;	/* inherit stdin (an editor) when in is NULL */
	int64_t		 timeout_ms;	/* > 0: kill its process group after */
	int		 timed_out;	/* out: it was killed for the timeout */
	/*
	 * Called in the parent with the child's pid before the child may
	 * run its program: the child waits until started() returns, and
	 * exits (127) without running anything when we die first.  What
	 * started() records (push.c: the pid of a push, for a later
	 * command to wait for) is there before the program does anything.
	 */
	void		(*started)(long pid, void *arg);
	void		*started_arg;
};
#define CHILD_INIT { NULL, NULL, NULL, NULL, NULL, NULL, 0, 0 }

/*
 * Run and wait.  Returns the exit status (0-255, 128+signal when killed)
 * or E_FATAL when the program could not be started (message printed).
 * With err set and out_to_err, stdout and stderr go into err together.
 * With timeout_ms, the child leads its own process group, and the whole
 * group is killed (SIGKILL) when the time runs out.
 */
int	 child_run(struct child *c);

/* git with argv (without the leading "git"), stdout captured into out */
int	 run_git(struct strbuf *out, const char *const *args);
/* the same with stderr discarded: for questions whose failure is an answer */
int	 run_git_quiet(struct strbuf *out, const char *const *args);

/* a user-configured command: sh -c cmd, env added, output to stderr */
int	 run_shell(const char *cmd, const char *dir, const char *const *env);

#endif
