/*
 * Progress on long work, as git shows it: on stderr, only when stderr is
 * a terminal and not quiet, only once the work has taken longer than a
 * delay (2 seconds, or GIT_PROGRESS_DELAY seconds, as in git), as
 *
 *	Reverting commits:  45% (90/200)
 *	Reverting commits: 100% (200/200), done.
 *
 * redrawn in place when the percentage changes.
 */
#ifndef LIB_PROGRESS_H
#define LIB_PROGRESS_H

#include <stdint.h>
#include <time.h>

struct progress {
	const char	*title;
	uint64_t	 total;
	uint64_t	 n;
	int		 enabled;
	int		 shown;
	int		 last_pct;
	double		 delay;		/* seconds */
	struct timespec	 start;
};
#define PROGRESS_INIT { NULL, 0, 0, 0, 0, -1, 2.0, { 0, 0 } }

/* enabled: the caller is not quiet; the terminal test is made here */
void	 progress_start(struct progress *p, const char *title, uint64_t total,
	    int enabled);
void	 progress_update(struct progress *p, uint64_t n);
/* ", done." when it was shown (with the count reached) */
void	 progress_stop(struct progress *p);

#endif
