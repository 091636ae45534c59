/*
 * Pushing with the user's own git, so that credential helpers, ssh
 * config, pre-push hooks and a real --force-with-lease all apply.  The
 * remote's verdict is read from --porcelain, per ref: git's exit status
 * alone cannot tell a rejected ref from a network failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "push.h"
#include "spawn.h"
#include "banned.h"

/* --- a push in flight: recorded before it runs, waited for --- */

#define INFLIGHT_FILE	"release-suite.push"
#define INFLIGHT_POLL_MS	20

static char *
inflight_path(struct ctx *ctx)
{
	return xstrfmt("%s" INFLIGHT_FILE,
	    git_repository_commondir(ctx->repo));
}

/*
 * The start time of process pid (field 22 of /proc/<pid>/stat, clock
 * ticks since boot) into buf: with the pid it names one process, never
 * a later one given the same pid.  0 with buf set; 1 when the process
 * is gone or a zombie (it ran to its end: nobody reaped it yet); -1
 * when /proc cannot say (buf "-").
 */
static int
proc_start(char *buf, size_t size, long pid)
{
	char path[64], stat[1024];
	const char *p;
	ssize_t n;
	int fd, field;

	strlcpy(buf, "-", size);
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 1 : -1;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	stat[n] = '\0';
	/* "pid (comm) S ppid ...": comm may hold anything, even ") " */
	if ((p = strrchr(stat, ')')) == NULL || p[1] != ' ')
		return -1;
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return 1;
	for (field = 3; field < 22 && *p != '\0'; field++) {
		p = strchr(p, ' ');
		if (p == NULL)
			return -1;
		p++;
	}
	if (field != 22)
		return -1;
	snprintf(buf, size, "%.*s", (int)strcspn(p, " \n"), p);
	return 0;
}

/* child_run's started(): "<pid> <start time>" before git push runs */
static void
inflight_record(long pid, void *arg)
{
	const char *path = arg;
	char start[32], line[64];
	int fd, len;

	(void)proc_start(start, sizeof(start), pid);
	len = snprintf(line, sizeof(line), "%ld %s\n", pid, start);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		warning("cannot record the push in '%s': %s", path,
		    strerror(errno));
		return;
	}
	if (write(fd, line, (size_t)len) != len)
		warning("cannot record the push in '%s': %s", path,
		    strerror(errno));
	close(fd);
}

/* is the push that file names still running? */
static int
inflight_running(long pid, const char *start)
{
	char now[32];
	int rc;

	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return 0;
	rc = proc_start(now, sizeof(now), pid);
	if (rc == 1)
		return 0;
	/* another process has its pid now */
	if (rc == 0 && strcmp(start, "-") != 0 && strcmp(start, now) != 0)
		return 0;
	return 1;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int
push_wait_inflight(struct ctx *ctx)
{
	char *path = inflight_path(ctx);
	char buf[128], start[32] = "-";
	long pid = 0, waited = 0;
	ssize_t n;
	int fd, ret = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		goto out;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	/* torn: its writer died before the push was let run */
	if (sscanf(buf, "%ld %31s", &pid, start) < 1 || pid <= 0)
		goto done;
	while (inflight_running(pid, start)) {
		if (waited == 0)
			info("waiting for git push (pid %ld) of an interrupted "
			    "run to end", pid);
		if (waited >= PUSH_WAIT_MS) {
			ret = error("git push (pid %ld) of an interrupted run "
			    "is still running after %ld seconds", pid,
			    (long)(PUSH_WAIT_MS / 1000));
			hint("what it pushes is not known until it ends: let "
			    "it end (or kill it), then run the command again");
			goto out;
		}
		sleep_ms(INFLIGHT_POLL_MS);
		waited += INFLIGHT_POLL_MS;
	}
done:
	/* a dry run changes no file: the next real command removes it */
	if (!ctx->read_only && unlink(path) < 0 && errno != ENOENT)
		warning("cannot remove '%s': %s", path, strerror(errno));
out:
	free(path);
	return ret;
}

void
push_command(struct strlist *argv, const char *remote,
    const struct push_ref *refs, size_t n)
{
	size_t i;

	strlist_add(argv, "git");
	strlist_add(argv, "push");
	strlist_add(argv, "--porcelain");
	strlist_add(argv, "--atomic");
	for (i = 0; i < n; i++) {
		char hex[GIT_OID_HEXSZ + 1] = "";

		if (!refs[i].lease)
			continue;
		if (!git_oid_is_zero(&refs[i].expect))
			git_oid_tostr(hex, sizeof(hex), &refs[i].expect);
		strlist_add_nodup(argv, xstrfmt("--force-with-lease=%s:%s",
		    refs[i].dst, hex));
	}
	strlist_add(argv, "--end-of-options");
	strlist_add(argv, remote);
	for (i = 0; i < n; i++)
		strlist_add_nodup(argv, xstrfmt("%s:%s",
		    refs[i].src ? refs[i].src : "", refs[i].dst));
}

/*
 * One porcelain line: "<flag>\t<from>:<to>\t<summary>".  A "!" flag is a
 * rejection; the summary says why ("[rejected] (stale info)").
 */
static void
parse_porcelain(const char *out, int *rejected, struct strbuf *why)
{
	const char *p = out;

	while (*p != '\0') {
		const char *eol = strchrnul(p, '\n');
		const char *tab1 = memchr(p, '\t', (size_t)(eol - p));

		if (p[0] == '!' && tab1 != NULL) {
			const char *ref = tab1 + 1;
			const char *tab2 = memchr(ref, '\t',
			    (size_t)(eol - ref));
			const char *colon;

			*rejected = 1;
			if (tab2 == NULL)
				tab2 = eol;
			colon = memchr(ref, ':', (size_t)(tab2 - ref));
			if (colon != NULL)
				ref = colon + 1;
			if (why->len)
				strbuf_addch(why, '\n');
			strbuf_add(why, ref, (size_t)(tab2 - ref));
			if (tab2 < eol) {
				strbuf_addstr(why, ": ");
				strbuf_add(why, tab2 + 1,
				    (size_t)(eol - tab2 - 1));
			}
		}
		p = *eol ? eol + 1 : eol;
	}
}

/* the remote's own words ("remote: ..." lines), e.g. from a hook */
static void
add_remote_lines(struct strbuf *sb, const char *err)
{
	const char *p = err;

	while (*p != '\0') {
		const char *eol = strchrnul(p, '\n');

		if (strncmp(p, "remote: ", 8) == 0) {
			strbuf_addch(sb, '\n');
			strbuf_add(sb, p, (size_t)(eol - p));
		}
		p = *eol ? eol + 1 : eol;
	}
}

int
push_refs(struct ctx *ctx, const char *remote, const struct push_ref *refs,
    size_t n, int dry_run, struct strbuf *why)
{
	return push_refs_flags(ctx, remote, refs, n,
	    dry_run ? PUSH_DRY_RUN : 0, why);
}

/* an object id as a source: an undo puts a ref back where it was */
static int
is_full_hex(const char *s)
{
	return strlen(s) == GIT_OID_HEXSZ &&
	    strspn(s, "0123456789abcdef") == GIT_OID_HEXSZ;
}

int
push_refs_flags(struct ctx *ctx, const char *remote,
    const struct push_ref *refs, size_t n, unsigned flags,
    struct strbuf *why)
{
	struct strlist argv = STRLIST_INIT;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, reason = STRBUF_INIT;
	struct child c = CHILD_INIT;
	const char *env[] = { "GIT_TERMINAL_PROMPT=0", NULL };
	char *inflight = NULL;
	int ret = -1, rc, rejected = 0, valid = 0;
	size_t i;

	if (git_remote_name_is_valid(&valid, remote) < 0 || !valid)
		return error_fatal("'%s' is not a valid remote name", remote);
	if (n == 0) {
		/* "git push <remote>" alone would push what push.default says */
		if (flags & PUSH_DRY_RUN)
			printf("nothing to push to '%s'\n", remote);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (git_reference_name_is_valid(&valid, refs[i].dst) < 0 ||
		    !valid || (refs[i].src != NULL && !is_full_hex(refs[i].src) &&
		    (git_reference_name_is_valid(&valid, refs[i].src) < 0 ||
		    !valid)))
			return error_fatal("'%s' is not a valid ref name",
			    refs[i].dst);
	}
	push_command(&argv, remote, refs, n);
	if (flags & PUSH_DRY_RUN) {
		struct strbuf line = STRBUF_INIT;

		for (i = 0; i < argv.nr; i++)
			strbuf_addf(&line, "%s%s", i ? " " : "",
			    argv.items[i]);
		printf("would run: %s\n", line.buf);
		strbuf_release(&line);
		ret = 0;
		goto out;
	}
	/* what a killed run's push makes must be known before ours */
	if ((ret = push_wait_inflight(ctx)) < 0)
		goto out;
	ret = -1;
	inflight = inflight_path(ctx);
	c.argv = (const char *const *)argv.items;
	c.out = &out;
	c.err = &err;
	if (!interactive())
		c.env = env;
	c.started = inflight_record;
	c.started_arg = inflight;
	rc = child_run(&c);
	/* ended and reaped: nobody has to wait for it */
	if (unlink(inflight) < 0 && errno != ENOENT)
		warning("cannot remove '%s': %s", inflight, strerror(errno));
	if (rc < 0) {
		ret = rc;
		goto out;
	}
	parse_porcelain(out.buf, &rejected, &reason);
	if (rc == 0 && !rejected) {
		ret = 0;
		goto out;
	}
	if (reason.len == 0)
		strbuf_addf(&reason, "git push exited with status %d", rc);
	if (!(flags & PUSH_QUIET_REJECT) || !rejected) {
		/* git's own explanation (hints, "fatal: ...") */
		fputs(err.buf, stderr);
		error("push to '%s' was rejected: %s", remote, reason.buf);
	}
	/* why stays empty when the remote could not be reached */
	if (why != NULL && rejected) {
		strbuf_addstr(why, reason.buf);
		if (flags & PUSH_QUIET_REJECT)
			add_remote_lines(why, err.buf);
	}
	ret = E_REFUSED;
out:
	free(inflight);
	strlist_release(&argv);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&reason);
	return ret;
}

int
remote_exists(struct ctx *ctx, const char *remote)
{
	char *url, *pushurl;
	int valid = 0, found;

	if (remote == NULL || git_remote_name_is_valid(&valid, remote) < 0 ||
	    !valid)
		return 0;
	/*
	 * From our config reader rather than git_remote_lookup(): it sees
	 * "git -c remote.x.url=..." too, and libgit2 1.5 leaks a regex
	 * match on every lookup.
	 */
	url = xstrfmt("remote.%s.url", remote);
	pushurl = xstrfmt("remote.%s.pushurl", remote);
	found = config_get(&ctx->cfg, url) != NULL ||
	    config_get(&ctx->cfg, pushurl) != NULL;
	free(url);
	free(pushurl);
	return found;
}

int
remote_ref(git_oid *out, int *found, struct ctx *ctx, const char *remote,
    const char *ref)
{
	const char *args[] = { "ls-remote", "--end-of-options", remote, ref,
	    NULL };
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	int ret = -1, rc, valid = 0;

	*found = 0;
	memset(out, 0, sizeof(*out));
	if (git_remote_name_is_valid(&valid, remote) < 0 || !valid)
		return error_fatal("'%s' is not a valid remote name", remote);
	/* the remote as a killed run's push leaves it, not before */
	if ((rc = push_wait_inflight(ctx)) < 0)
		return rc;
	rc = run_git(&sb, args);
	if (rc != 0) {
		ret = rc < 0 ? rc : error("cannot read '%s' from remote '%s'",
		    ref, remote);
		goto out;
	}
	/* "<hex>\t<ref>" lines; a pattern also matches longer names */
	for (p = sb.buf; *p != '\0';) {
		const char *eol = strchrnul(p, '\n');
		const char *tab = memchr(p, '\t', (size_t)(eol - p));

		if (tab != NULL && (size_t)(eol - tab - 1) == strlen(ref) &&
		    memcmp(tab + 1, ref, strlen(ref)) == 0 &&
		    tab - p == GIT_OID_HEXSZ &&
		    git_oid_fromstrn(out, p, GIT_OID_HEXSZ) == 0) {
			*found = 1;
			break;
		}
		p = *eol ? eol + 1 : eol;
	}
	ret = 0;
out:
	strbuf_release(&sb);
	return ret;
}
