/*
 * parse_options(): an argv cut from the input at NUL bytes, against a
 * table with every kind of option.  A usage error exits 129 by design;
 * exit is wrapped (-Wl,--wrap=exit) so that it returns here instead.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "lib/opts.h"
#include "lib/strbuf.h"
#include "t/fuzz/fuzz.h"

void	 __real_exit(int status) __attribute__((noreturn));
void	 __wrap_exit(int status) __attribute__((noreturn));

/*
 * A usage error leaves the strings it was printing behind when it
 * "exits" back here; that is no leak of the parser's.
 */
int	 __lsan_is_turned_off(void);

int
__lsan_is_turned_off(void)
{
	return 1;
}

static jmp_buf back;
static int in_parse;

void
__wrap_exit(int status)
{
	if (in_parse)
		longjmp(back, 1);
	__real_exit(status);
}

static const char *const usage[] = {
	"fuzz [-q] [--env <env>] [-n <count>] [--continue | --abort] [<arg>...]",
	NULL
};

#define MAXARGS	16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *argv[MAXARGS + 2];
	static char *s;
	static struct strlist list;
	static const char *env, *msg;
	static int quiet, count, mode, strategy, json;
	const struct option opts[] = {
		OPT__QUIET(&quiet),
		OPT__JSON(&json),
		OPT__ENV(&env),
		OPT_STRING('m', "message", &msg, "msg", "why"),
		OPT_INT('n', "count", &count, "count", "how many"),
		OPT_CMDMODE(0, "continue", &mode, "go on", 1),
		OPT_CMDMODE(0, "abort", &mode, "give up", 2),
		OPT_STRLIST(0, "path", &list, "path", "a path"),
		OPT_SETVAL(0, "reset", &strategy, "reset", 1),
		OPT_SETVAL(0, "revert", &strategy, "revert", 2),
		OPT_END()
	};
	size_t i;
	int argc = 1, left;

	free(s);
	s = fuzz_string(data, size);
	argv[0] = "fuzz";
	for (i = 0; i < size && argc <= MAXARGS; i++)
		if (i == 0 || s[i - 1] == '\0')
			argv[argc++] = s + i;
	argv[argc] = NULL;
	env = msg = NULL;
	quiet = count = mode = strategy = json = 0;
	strlist_release(&list);
	in_parse = 1;
	if (setjmp(back) == 0) {
		left = parse_options(argc, argv, opts, usage, 0);
		if (left < 0 || left > argc)
			abort();
		for (i = 0; i < (size_t)left; i++)
			if (argv[i] == NULL)
				abort();
	}
	in_parse = 0;
	return 0;
}
