/*
 * The journal file: a plan in "key value" lines in the one state
 * directory, rewritten whole at every change (see journal.h).
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "banned.h"

/* --- the format --- */

static void
add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\')
			strbuf_addstr(sb, "\\\\");
		else if (c == '\n')
			strbuf_addstr(sb, "\\n");
		else if (c == '\t')
			strbuf_addstr(sb, "\\t");
		else if (c == '\r')
			strbuf_addstr(sb, "\\r");
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(sb, "\\x%02x", c);
		else
			strbuf_addch(sb, c);
	}
}

void
journal_add_line(struct strbuf *sb, const char *key, const char *value)
{
	if (value == NULL)
		return;
	strbuf_addf(sb, "%s ", key);
	add_escaped(sb, value);
	strbuf_addch(sb, '\n');
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
journal_unescape(struct strbuf *out, const char *s)
{
	strbuf_reset(out);
	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			strbuf_addch(out, *s);
			continue;
		}
		switch (*++s) {
		case '\\': strbuf_addch(out, '\\'); break;
		case 'n': strbuf_addch(out, '\n'); break;
		case 't': strbuf_addch(out, '\t'); break;
		case 'r': strbuf_addch(out, '\r'); break;
		case 'x':
			if (hexval(s[1]) < 0 || hexval(s[2]) < 0 ||
			    (hexval(s[1]) == 0 && hexval(s[2]) == 0))
				return -1;
			strbuf_addch(out, hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
journal_set_value(char **field, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	if (journal_unescape(&sb, s) < 0) {
		strbuf_release(&sb);
		return -1;
	}
	free(*field);
	*field = strbuf_detach(&sb, NULL);
	return 0;
}

static void
format_attrs(struct strbuf *out, const struct plan_attrs *a)
{
	size_t i;

	for (i = 0; i < a->nr; i++) {
		strbuf_addf(out, "%s ", a->items[i].key);
		add_escaped(out, a->items[i].value);
		strbuf_addch(out, '\n');
	}
}

void
journal_format(struct strbuf *out, const struct plan *p)
{
	size_t i;

	strbuf_addf(out, "journal %d\n", JOURNAL_VERSION);
	strbuf_addstr(out, "# finish with: ");
	strbuf_addstr(out, journal_finish_command(p->op));
	strbuf_addstr(out, " --continue | --abort\n");
	strbuf_addstr(out, "op ");
	add_escaped(out, p->op ? p->op : "");
	strbuf_addch(out, '\n');
	if (p->cmdline != NULL) {
		strbuf_addstr(out, "command ");
		add_escaped(out, p->cmdline);
		strbuf_addch(out, '\n');
	}
	format_attrs(out, &p->attrs);
	for (i = 0; i < p->nr; i++) {
		strbuf_addf(out, "step %zu %s %s\n", i + 1,
		    plan_kind_name(p->steps[i].kind),
		    plan_status_name(p->steps[i].status));
		format_attrs(out, &p->steps[i].attrs);
	}
}

static int
valid_key(const char *k)
{
	if (*k == '\0')
		return 0;
	for (; *k != '\0'; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		    *k == '-'))
			return 0;
	return 1;
}

static int
parse_step(struct plan *out, const char *v)
{
	char kind[32], status[32];
	unsigned long n;
	struct plan_step *s;
	int k, st;

	if (sscanf(v, "%lu %31s %31s", &n, kind, status) != 3 ||
	    n != out->nr + 1 || (k = plan_kind_parse(kind)) < 0 ||
	    (st = plan_status_parse(status)) < 0)
		return -1;
	s = plan_add(out, (enum plan_kind)k);
	s->status = (enum plan_status)st;
	return 0;
}

int
journal_parse(struct plan *out, const char *text, const char *path)
{
	struct strbuf val = STRBUF_INIT;
	char *copy = xstrdup(text), *line, *next, *sp;
	int lineno = 0, ret = E_FATAL, version = 0;

	memset(out, 0, sizeof(*out));
	for (line = copy; *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (*line == '#' || *line == '\0')
			continue;
		if ((sp = strchr(line, ' ')) == NULL)
			goto bad;
		*sp++ = '\0';
		if (journal_unescape(&val, sp) < 0)
			goto bad;
		if (!version) {
			if (strcmp(line, "journal") != 0 ||
			    strcmp(sp, "1") != 0)
				goto bad;
			version = 1;
		} else if (strcmp(line, "op") == 0 && out->op == NULL &&
		    out->nr == 0) {
			out->op = xstrdup(val.buf);
		} else if (strcmp(line, "command") == 0 &&
		    out->cmdline == NULL && out->nr == 0) {
			out->cmdline = xstrdup(val.buf);
		} else if (strcmp(line, "step") == 0) {
			if (out->op == NULL || parse_step(out, sp) < 0)
				goto bad;
		} else if (valid_key(line) && strcmp(line, "journal") &&
		    strcmp(line, "op")) {
			plan_add_attr(out->nr ? &out->steps[out->nr - 1].attrs :
			    &out->attrs, line, val.buf);
		} else {
			goto bad;
		}
	}
	if (out->op == NULL) {
		lineno++;
		goto bad;
	}
	ret = 0;
	goto out;
bad:
	error_fatal("malformed journal '%s' at line %d", path ? path :
	    "(text)", lineno);
	plan_release(out);
out:
	strbuf_release(&val);
	free(copy);
	return ret;
}

/* --- the file --- */

char *
journal_file_path(struct ctx *ctx, const char *name)
{
	return repo_state_path(ctx, STATE_DIR, name);
}

int
journal_exists(struct ctx *ctx)
{
	char *path = journal_file_path(ctx, JOURNAL_FILE);
	struct stat st;
	int rc = stat(path, &st) == 0;

	free(path);
	return rc;
}

const char *
journal_finish_command(const char *op)
{
	if (op == NULL)
		return "git release";
	if (strncmp(op, "rollback", 8) == 0 || strcmp(op, "revert") == 0 ||
	    strcmp(op, "restore") == 0)
		return "git rollback";
	if (strncmp(op, "hotfix", 6) == 0)
		return "git hotfix finish";
	return "git release";
}

static int
write_journal(struct journal *j)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	journal_format(&sb, j->plan);
	rc = repo_state_write(j->ctx, STATE_DIR, JOURNAL_FILE, &sb);
	strbuf_release(&sb);
	return rc;
}

/*
 * The kill matrix's switch, for tests only: after the journal says a
 * step is done, die as kill -9 would.  Read here and nowhere else.
 */
static void
test_kill_point(const struct plan *p, size_t n)
{
	const char *v = getenv("GIT_RELEASE_TEST_KILL_AFTER");
	char num[32];
	const char *colon;

	if (v == NULL || *v == '\0')
		return;
	snprintf(num, sizeof(num), "%zu", n);
	if ((colon = strchr(v, ':')) != NULL) {
		if (p->op == NULL || strlen(p->op) != (size_t)(colon - v) ||
		    strncmp(v, p->op, (size_t)(colon - v)) != 0)
			return;
		v = colon + 1;
	}
	if (strcmp(v, num) == 0 || (n > 0 &&
	    strcmp(v, plan_kind_name(p->steps[n - 1].kind)) == 0)) {
		fflush(stdout);
		fflush(stderr);
		raise(SIGKILL);
	}
}

int
journal_begin(struct journal *j, struct ctx *ctx, struct plan *p)
{
	int rc;

	if (ctx->journal_active)
		return error("cannot start %s inside another journalled "
		    "operation", p->op);
	if ((rc = journal_require_none(ctx, p->op)) < 0)
		return rc;
	j->ctx = ctx;
	j->plan = p;
	j->owned = 0;
	if ((rc = write_journal(j)) < 0)
		return rc;
	ctx->journal_active = 1;
	test_kill_point(p, 0);
	return 0;
}

int
journal_load(struct journal *j, struct ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = journal_file_path(ctx, JOURNAL_FILE);
	struct plan *p = xcalloc(1, sizeof(*p));
	int rc;

	if (strbuf_read_file(&sb, path) < 0) {
		if (errno == ENOENT)
			rc = error("no operation to continue or abort: "
			    "there is no journal");
		else
			rc = error_fatal("cannot read '%s': %s", path,
			    strerror(errno));
		free(p);
		goto out;
	}
	if ((rc = journal_parse(p, sb.buf, path)) < 0) {
		free(p);
		goto out;
	}
	j->ctx = ctx;
	j->plan = p;
	j->owned = 1;
	ctx->journal_active = 1;
out:
	strbuf_release(&sb);
	free(path);
	return rc;
}

int
journal_save(struct journal *j)
{
	return write_journal(j);
}

int
journal_mark(struct journal *j, size_t i, enum plan_status st)
{
	int rc;

	j->plan->steps[i].status = st;
	if ((rc = write_journal(j)) < 0)
		return rc;
	if (st == PLAN_DONE)
		test_kill_point(j->plan, i + 1);
	return 0;
}

void
journal_remove(struct journal *j)
{
	char *dir = journal_file_path(j->ctx, NULL);
	struct dirent *de;
	DIR *d;

	/* the journal last: a step's files never outlive it unnamed */
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' &&
			    strcmp(de->d_name, JOURNAL_FILE) != 0)
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	repo_state_remove(j->ctx, STATE_DIR, JOURNAL_FILE);
	j->ctx->journal_active = 0;
	free(dir);
}

void
journal_release(struct journal *j)
{
	if (j->ctx != NULL && j->plan != NULL)
		j->ctx->journal_active = 0;
	if (j->owned && j->plan != NULL) {
		plan_release(j->plan);
		free(j->plan);
	}
	j->plan = NULL;
	j->owned = 0;
}

/*
 * Is the journal another process's, running now?  It holds the lock:
 * repo_lock() then says who it is, and the journal is not stopped.
 */
static int
held_elsewhere(struct ctx *ctx)
{
	char *path;
	int fd, held = 0;

	if (ctx->lock_fd >= 0)
		return 0;
	path = xstrfmt("%srelease-suite.lock",
	    git_repository_commondir(ctx->repo));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		held = flock(fd, LOCK_SH | LOCK_NB) < 0 &&
		    errno == EWOULDBLOCK;
		close(fd);
	}
	free(path);
	return held;
}

int
journal_require_none(struct ctx *ctx, const char *what)
{
	struct journal j = JOURNAL_INIT;
	const char *finish;

	/* a step of our own plan running another command's work */
	if (ctx->journal_active || !journal_exists(ctx) ||
	    held_elsewhere(ctx))
		return 0;
	if (journal_load(&j, ctx) < 0) {
		char *dir = journal_file_path(ctx, NULL);

		hint("remove %s once you know what it was doing", dir);
		free(dir);
		return E_REFUSED;
	}
	finish = journal_finish_command(j.plan->op);
	error("cannot %s: %s is in progress (stopped)", what,
	    j.plan->cmdline ? j.plan->cmdline : j.plan->op);
	hint("finish it with \"%s --continue\" or undo it with \"%s "
	    "--abort\"", finish, finish);
	journal_release(&j);
	return E_REFUSED;
}
