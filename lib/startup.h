/*
 * git_libgit2_init() without the work the suite never needs: the CA
 * bundle parse of an mbedTLS build, the re-hash of every object read
 * (see startup.c).
 */
#ifndef LIB_STARTUP_H
#define LIB_STARTUP_H

/* git_libgit2_init()'s return value; git_libgit2_shutdown() undoes it */
int	 libgit2_start(void);
/* how many CA bundle parses libgit2_start() answered with nothing */
int	 libgit2_start_skipped(void);

#endif
