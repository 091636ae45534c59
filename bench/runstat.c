/*
 * runstat: run a command N times and print the median wall time in
 * seconds, the peak resident memory in KiB and the median cpu time (user
 * and system, with the children it waited for) in seconds, for the
 * benchmarks:
 *
 *	runstat N command [args...]  ->  "0.0123 4567 0.0110"
 *
 * stdout and stderr of the command go to /dev/null.
 */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	double *t, *c;
	long maxrss = 0;
	int n, i;

	if (argc < 3 || (n = atoi(argv[1])) < 1) {
		fputs("usage: runstat <count> <command> [<arg>...]\n", stderr);
		return 129;
	}
	if ((t = calloc((size_t)n, sizeof(*t))) == NULL ||
	    (c = calloc((size_t)n, sizeof(*c))) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		struct timespec a, b;
		struct rusage ru;
		int status, fd;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if ((pid = fork()) == 0) {
			fd = open("/dev/null", O_WRONLY);
			dup2(fd, 1);
			dup2(fd, 2);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
			fprintf(stderr, "runstat: '%s' failed\n", argv[2]);
			return 1;
		}
		t[i] = (double)(b.tv_sec - a.tv_sec) +
		    (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		c[i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	qsort(c, (size_t)n, sizeof(*c), cmp_double);
	printf("%.4f %ld %.4f\n", t[n / 2], maxrss, c[n / 2]);
	free(t);
	free(c);
	return 0;
}
