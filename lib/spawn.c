/*
 * fork and exec with pipes; poll so that a child that writes a lot while
 * we still feed it stdin cannot deadlock.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"
#include "banned.h"

extern char **environ;

static void
close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/*
 * The child's side of started(): the parent's byte, or EOF when the
 * parent died before it was written (then run nothing)
 */
static void
wait_gate(int gate[2])
{
	char b;
	ssize_t r;

	if (gate[0] < 0)
		return;
	close(gate[1]);
	while ((r = read(gate[0], &b, 1)) < 0 && errno == EINTR)
		;
	if (r != 1)
		_exit(127);
	close(gate[0]);
}

static __attribute__((noreturn)) void
exec_child(struct child *c, int in[2], int out[2], int err[2], int gate[2])
{
	size_t i;
	int fd;

	wait_gate(gate);
	if (c->in != NULL)
		dup2(in[0], 0);
	else if (!c->keep_in && (fd = open("/dev/null", O_RDONLY)) >= 0)
		dup2(fd, 0);
	if (c->err != NULL)
		dup2(err[1], 2);
	else if (c->quiet_err && (fd = open("/dev/null", O_WRONLY)) >= 0)
		dup2(fd, 2);
	if (c->out != NULL)
		dup2(out[1], 1);
	else if (c->out_to_err)
		dup2(2, 1);
	if (c->timeout_ms > 0)
		setpgid(0, 0);
	if (c->dir != NULL && chdir(c->dir) < 0) {
		fprintf(stderr, "fatal: cannot change to '%s': %s\n", c->dir,
		    strerror(errno));
		_exit(127);
	}
	for (i = 0; c->env != NULL && c->env[i] != NULL; i++)
		putenv((char *)c->env[i]);
	signal(SIGPIPE, SIG_DFL);
	execvp(c->argv[0], (char *const *)c->argv);
	fprintf(stderr, "fatal: cannot run '%s': %s\n", c->argv[0],
	    strerror(errno));
	_exit(127);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll's timeout until the deadline (-1: none), 0 once it has passed */
static int
poll_timeout(int64_t deadline)
{
	int64_t left;

	if (deadline == 0)
		return -1;
	left = deadline - now_ms();
	if (left <= 0)
		return 0;
	return left > 60000 ? 60000 : (int)left;
}

int
child_run(struct child *c)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int gate[2] = { -1, -1 };
	size_t inlen = c->in ? strlen(c->in) : 0, inoff = 0;
	int64_t deadline = 0;
	pid_t pid;
	int status;

	c->timed_out = 0;
	if ((c->in != NULL && pipe2(in, O_CLOEXEC) < 0) ||
	    (c->out != NULL && pipe2(out, O_CLOEXEC) < 0) ||
	    (c->err != NULL && pipe2(err, O_CLOEXEC) < 0) ||
	    (c->started != NULL && socketpair(AF_UNIX, SOCK_STREAM |
	    SOCK_CLOEXEC, 0, gate) < 0)) {
		close_pair(in);
		close_pair(out);
		close_pair(err);
		close_pair(gate);
		return error_fatal("cannot create a pipe: %s", strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		close_pair(in);
		close_pair(out);
		close_pair(err);
		close_pair(gate);
		return error_fatal("cannot fork: %s", strerror(errno));
	}
	if (pid == 0)
		exec_child(c, in, out, err, gate);
	if (gate[1] >= 0) {
		close(gate[0]);
		gate[0] = -1;
		c->started((long)pid, c->started_arg);
		/* the child runs now (a socket: no SIGPIPE if it is gone) */
		while (send(gate[1], "g", 1, MSG_NOSIGNAL) < 0 &&
		    errno == EINTR)
			;
		close_pair(gate);
	}
	if (c->timeout_ms > 0) {
		/* both sides, so the group exists whoever runs first */
		setpgid(pid, pid);
		deadline = now_ms() + c->timeout_ms;
	}

	if (in[0] >= 0) {
		close(in[0]);
		in[0] = -1;
		fcntl(in[1], F_SETFL, O_NONBLOCK);
	}
	if (out[1] >= 0) {
		close(out[1]);
		out[1] = -1;
	}
	if (err[1] >= 0) {
		close(err[1]);
		err[1] = -1;
	}
	if (in[1] >= 0 && inlen == 0)
		close_pair(in);
	while (in[1] >= 0 || out[0] >= 0 || err[0] >= 0) {
		struct pollfd p[3];
		nfds_t n = 0;
		char buf[8192];
		ssize_t r;

		if (in[1] >= 0)
			p[n++] = (struct pollfd){ in[1], POLLOUT, 0 };
		if (out[0] >= 0)
			p[n++] = (struct pollfd){ out[0], POLLIN, 0 };
		if (err[0] >= 0)
			p[n++] = (struct pollfd){ err[0], POLLIN, 0 };
		int pr = poll(p, n, poll_timeout(deadline));

		if (pr < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pr == 0 && deadline != 0 && now_ms() >= deadline) {
			/* the group: sh -c and whatever it started */
			kill(-pid, SIGKILL);
			c->timed_out = 1;
			break;
		}
		for (nfds_t i = 0; i < n; i++) {
			if (p[i].revents == 0)
				continue;
			if (p[i].fd == in[1]) {
				r = write(in[1], c->in + inoff, inlen - inoff);
				if (r > 0)
					inoff += (size_t)r;
				if ((r < 0 && errno != EAGAIN &&
				    errno != EINTR) || inoff == inlen)
					close_pair(in);
				continue;
			}
			r = read(p[i].fd, buf, sizeof(buf));
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0) {
				if (p[i].fd == out[0])
					close_pair(out);
				else
					close_pair(err);
				continue;
			}
			strbuf_add(p[i].fd == out[0] ? c->out : c->err, buf,
			    (size_t)r);
		}
	}
	close_pair(in);
	close_pair(out);
	close_pair(err);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_fatal("waitpid: %s", strerror(errno));
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 128;
}

static int
git_argv_run(struct strbuf *out, const char *const *args, int quiet)
{
	struct child c = CHILD_INIT;
	const char **argv;
	size_t n, i;
	int rc;

	for (n = 0; args[n] != NULL; n++)
		;
	argv = xcalloc(n + 2, sizeof(*argv));
	argv[0] = "git";
	for (i = 0; i < n; i++)
		argv[i + 1] = args[i];
	c.argv = argv;
	c.out = out;
	c.quiet_err = quiet;
	if (out == NULL)
		c.out_to_err = 1;
	rc = child_run(&c);
	free(argv);
	return rc;
}

int
run_git(struct strbuf *out, const char *const *args)
{
	return git_argv_run(out, args, 0);
}

int
run_git_quiet(struct strbuf *out, const char *const *args)
{
	return git_argv_run(out, args, 1);
}

int
run_shell(const char *cmd, const char *dir, const char *const *env)
{
	const char *argv[] = { "sh", "-c", cmd, NULL };
	struct child c = CHILD_INIT;

	c.argv = argv;
	c.dir = dir;
	c.env = env;
	c.out_to_err = 1;
	return child_run(&c);
}
