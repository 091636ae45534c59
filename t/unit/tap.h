/*
 * A tiny TAP producer for the C unit tests: ok(), is_int(), is_str(),
 * then "return done_testing();" from main.
 */
#ifndef T_UNIT_TAP_H
#define T_UNIT_TAP_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int tap_count, tap_failed;

static int
tap_ok(int cond, const char *file, int line, const char *name)
{
	tap_count++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, name);
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

#define ok(cond, name) tap_ok(!!(cond), __FILE__, __LINE__, (name))

#define is_int(got, want, name) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (!ok(g_ == w_, (name)))					\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)

#define is_str(got, want, name) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (!ok(g_ != NULL && w_ != NULL ? strcmp(g_, w_) == 0 :	\
	    g_ == w_, (name)))						\
		printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)",	\
		    w_ ? w_ : "(null)");				\
} while (0)

#define like(got, want, name) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (!ok(strstr(g_, w_) != NULL, (name)))			\
		printf("#   got '%s', want it to contain '%s'\n", g_, w_);	\
} while (0)

/*
 * What a call says on stderr, captured so that make test shows none of
 * it and the test can check it: capture_stderr(); call; then
 * captured_stderr() gives the text (until the next capture).
 */
static FILE *tap_capture;
static int tap_saved_fd = -1;

__attribute__((unused)) static void
capture_stderr(void)
{
	fflush(stderr);
	tap_capture = tmpfile();
	tap_saved_fd = dup(2);
	if (tap_capture == NULL || tap_saved_fd < 0 ||
	    dup2(fileno(tap_capture), 2) < 0) {
		printf("Bail out! cannot capture stderr\n");
		_exit(1);
	}
}

__attribute__((unused)) static const char *
captured_stderr(void)
{
	static char text[8192];
	size_t n;

	fflush(stderr);
	dup2(tap_saved_fd, 2);
	close(tap_saved_fd);
	rewind(tap_capture);
	n = fread(text, 1, sizeof(text) - 1, tap_capture);
	text[n] = '\0';
	fclose(tap_capture);
	return text;
}

static int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

#endif
