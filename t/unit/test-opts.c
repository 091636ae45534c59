/* Unit tests for lib/opts.c: the option parser every command uses. */
#include <sys/wait.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/opts.h"
#include "lib/strbuf.h"
#include "t/unit/tap.h"

static const char *const usage[] = { "test-opts [<options>]", NULL };

struct vals {
	int		 flag, mode, n, set;
	const char	*msg;
	struct strlist	 list;
};

static int
parse(struct vals *v, int argc, const char **argv)
{
	const struct option opts[] = {
		OPT_BOOL('f', "flag", &v->flag, "a flag"),
		OPT_STRING('m', "message", &v->msg, "msg", "a message"),
		OPT_INT('n', "count", &v->n, "n", "a count"),
		OPT_CMDMODE(0, "continue", &v->mode, "go on", 'c'),
		OPT_CMDMODE(0, "abort", &v->mode, "stop", 'a'),
		OPT_STRLIST(0, "path", &v->list, "path", "paths"),
		OPT_SETVAL(0, "branch", &v->set, "branch", 1),
		OPT_SETVAL(0, "reset", &v->set, "reset", 2),
		OPT_END()
	};

	return parse_options(argc, argv, opts, usage, 0);
}

/* run parse in a child, return its exit status (stdout/stderr muted) */
static int
count(const char **argv)
{
	int n = 0;

	while (argv[n] != NULL)
		n++;
	return n;
}

static int
status_of(const char **argv)
{
	int argc = count(argv);
	pid_t pid = fork();
	int st, fd;

	if (pid == 0) {
		struct vals v = { 0 };

		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		parse(&v, argc, argv);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define ARGV(...) (const char *[]){ "prog", __VA_ARGS__, NULL }

int
main(void)
{
	struct vals v = { 0 };
	const char **a;
	int n;

	a = ARGV("-f", "one", "--message=hi", "two", "-n", "3");
	n = parse(&v, count(a), a);
	is_int(n, 2, "two arguments left");
	is_str(a[0], "one", "first argument kept in order");
	is_str(a[1], "two", "second argument kept in order");
	ok(a[2] == NULL, "argument list NULL-terminated");
	is_int(v.flag, 1, "-f sets the flag");
	is_str(v.msg, "hi", "--message=value");
	is_int(v.n, 3, "-n 3");

	memset(&v, 0, sizeof(v));
	a = ARGV("-fmtext", "--no-flag", "--mess", "x", "--", "-f");
	n = parse(&v, count(a), a);
	is_int(v.flag, 0, "--no-flag clears");
	is_str(v.msg, "x", "unique prefix --mess accepted");
	is_int(n, 1, "-- ends options");
	is_str(a[0], "-f", "after -- an option is an argument");

	memset(&v, 0, sizeof(v));
	a = ARGV("-mtext");
	parse(&v, count(a), a);
	is_str(v.msg, "text", "-mtext glued value");

	memset(&v, 0, sizeof(v));
	a = ARGV("--path", "a", "--path=b", "--continue", "--reset");
	parse(&v, count(a), a);
	is_int(v.list.nr, 2, "string list collects");
	is_str(v.list.items[1], "b", "string list order");
	is_int(v.mode, 'c', "cmdmode set");
	is_int(v.set, 2, "setval set");
	strlist_release(&v.list);

	is_int(status_of(ARGV("-h")), 129, "-h exits 129");
	is_int(status_of(ARGV("--help")), 129, "--help exits 129");
	is_int(status_of(ARGV("--bogus")), 129, "unknown long option 129");
	is_int(status_of(ARGV("-z")), 129, "unknown short option 129");
	is_int(status_of(ARGV("-m")), 129, "missing value 129");
	is_int(status_of(ARGV("--message")), 129, "missing long value 129");
	is_int(status_of(ARGV("--flag=1")), 129, "value to a flag 129");
	is_int(status_of(ARGV("-n", "x")), 129, "non-number 129");
	is_int(status_of(ARGV("-n", "-1")), 129, "negative number 129");
	is_int(status_of(ARGV("--continue", "--abort")), 129,
	    "two command modes 129");
	is_int(status_of(ARGV("--continue", "--continue")), 0,
	    "the same mode twice is fine");
	is_int(status_of(ARGV("--version")), 0, "--version exits 0");
	return done_testing();
}
