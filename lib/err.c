/*
 * Messages in git's form: "fatal: ...", "error: ...", "warning: ...",
 * "hint: ...", lowercase, the subject quoted, on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "err.h"

static int quiet;
static const char *shallow_remote;	/* err_set_shallow() */

static void
vreport(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return E_REFUSED;
}

int
error_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	return E_FATAL;
}

/*
 * Report a failed libgit2 call: our sentence, then libgit2's own reason.
 * code is the suite's code to return (E_FATAL or E_REFUSED).
 */
/*
 * A ".lock" file libgit2 could not create was left by a git process,
 * running or killed: say which file, as git does, and never remove it
 * ourselves (only the user can know no git is running).
 */
static void
hint_lock_file(const char *msg)
{
	const char *p = strstr(msg, "lock file '"), *end;

	if (p == NULL)
		return;
	p += strlen("lock file '");
	if ((end = strchr(p, '\'')) == NULL || end - p < 5 ||
	    strncmp(end - 5, ".lock", 5) != 0)
		return;
	fprintf(stderr, "hint: another git process seems to be running in "
	    "this repository; if none is (one was killed),\n"
	    "hint: remove '%.*s' and run the command again\n",
	    (int)(end - p), p);
}

void
err_set_shallow(const char *remote)
{
	shallow_remote = remote;
}

/*
 * In a shallow repository, an object libgit2 cannot find is history the
 * clone was made without, not a broken repository: say so, with the
 * fetch that brings it.  0 when e is no such error.
 */
static int
shallow_error(const git_error *e, const char *fmt, va_list ap)
{
	const char *id;

	if (shallow_remote == NULL || e == NULL || e->message == NULL ||
	    e->klass != GIT_ERROR_ODB || strstr(e->message, "not found") == NULL)
		return 0;
	fputs("fatal: this is a shallow clone: ", stderr);
	vfprintf(stderr, fmt, ap);
	if ((id = strstr(e->message, "no match for id (")) != NULL &&
	    strlen(id) > strlen("no match for id (") + 12) {
		id += strlen("no match for id (");
		fprintf(stderr, ": %.12s is beyond its depth\n", id);
	} else
		fprintf(stderr, ": %s\n", e->message);
	fprintf(stderr, "hint: git fetch --unshallow --tags%s%s\n",
	    strcmp(shallow_remote, "origin") == 0 ? "" : " ",
	    strcmp(shallow_remote, "origin") == 0 ? "" : shallow_remote);
	return 1;
}

int
error_git(int code, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	va_list ap;
	size_t len;

	fflush(stdout);
	va_start(ap, fmt);
	if (shallow_error(e, fmt, ap)) {
		va_end(ap);
		return E_FATAL;
	}
	va_end(ap);
	fputs(code == E_REFUSED ? "error: " : "fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e != NULL && e->message != NULL) {
		/* libgit2 ends some messages with ": " and no reason */
		len = strlen(e->message);
		while (len > 0 && (e->message[len - 1] == ' ' ||
		    e->message[len - 1] == ':'))
			len--;
		fprintf(stderr, ": %.*s", (int)len, e->message);
	}
	fputc('\n', stderr);
	if (e != NULL && e->message != NULL)
		hint_lock_file(e->message);
	return code;
}

void
warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void
hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("hint: ", fmt, ap);
	va_end(ap);
}

void
info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(128);
}

int
exit_code(int rc)
{
	if (rc >= 0)
		return rc;
	if (rc == E_FATAL)
		return 128;
	if (rc == E_USAGE)
		return 129;
	return 1;
}

void
err_set_quiet(int q)
{
	quiet = q;
}

int
err_quiet(void)
{
	return quiet;
}
