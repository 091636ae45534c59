/*
 * One error convention for the whole suite.
 *
 * Library functions return 0 on success or a negative code and never exit.
 * The code says how the command should end:
 *
 *	E_REFUSED  (-1)   refused or stopped for a reason the user can act on
 *	E_FATAL    (-128) bad input, unknown object, broken repository
 *	E_USAGE    (-129) the command line itself is wrong
 *
 * error() and error_fatal() print the message and return the code, so a
 * caller writes "return error(...)".  Only commands call die() and
 * exit_code().
 */
#ifndef LIB_ERR_H
#define LIB_ERR_H

#include <stdarg.h>

#define E_REFUSED	(-1)
#define E_FATAL		(-128)
#define E_USAGE		(-129)

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

int	 error(const char *fmt, ...) PRINTF_LIKE(1, 2);	/* E_REFUSED */
int	 error_fatal(const char *fmt, ...) PRINTF_LIKE(1, 2);	/* E_FATAL */
int	 error_git(int code, const char *fmt, ...) PRINTF_LIKE(2, 3);
void	 warning(const char *fmt, ...) PRINTF_LIKE(1, 2);
void	 hint(const char *fmt, ...) PRINTF_LIKE(1, 2);
void	 info(const char *fmt, ...) PRINTF_LIKE(1, 2);	/* stderr, no prefix */
__attribute__((noreturn))
void	 die(const char *fmt, ...) PRINTF_LIKE(1, 2);
int	 exit_code(int rc);

/*
 * Set when the repository is shallow (remote: the one to fetch from;
 * NULL: not shallow): error_git() then reports an object libgit2 cannot
 * find as history the clone lacks, fatal, with the fetch that brings it.
 */
void	 err_set_shallow(const char *remote);

/* set by -q: silences info() and progress, never errors */
void	 err_set_quiet(int quiet);
int	 err_quiet(void);

#endif
