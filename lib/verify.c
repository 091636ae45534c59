/*
 * Verified deploys.  The verify command is the user's, run like the
 * deploy hook (sh -c, inputs in the environment only), as often as it
 * takes to see it pass verifyPasses times in a row, within a budget.
 * The attempt's log entries make a crash between the hook and the
 * record visible: a "started" entry first, replaced by the outcome.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "verify.h"
#include "verify-int.h"
#include "spawn.h"
#include "banned.h"

#define DEFAULT_INTERVAL_MS	(10 * 1000)
#define DEFAULT_TIMEOUT_MS	(5 * 60 * 1000)
#define MAX_DURATION_MS		(366LL * 24 * 3600 * 1000)
#define MAX_PASSES		1000
#define FIRST_LINE_MAX		200

int
verify_duration_parse(int64_t *out, const char *s)
{
	static const struct {
		const char *unit;
		int64_t ms;
	} units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60 * 1000 },
		{ "h", 3600 * 1000 },
	};
	const char *errstr = NULL;
	size_t n, i;
	char *digits;
	long long v;

	if (s == NULL)
		return E_FATAL;
	n = strspn(s, "0123456789");
	if (n == 0 || n > 12)
		return E_FATAL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(s + n, units[i].unit) == 0)
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return E_FATAL;
	digits = xstrndup(s, n);
	v = strtonum(digits, 0, MAX_DURATION_MS / units[i].ms, &errstr);
	free(digits);
	if (errstr != NULL)
		return E_FATAL;
	*out = (int64_t)v * units[i].ms;
	return 0;
}

void
verify_duration_format(struct strbuf *out, int64_t ms)
{
	if (ms < 1000)
		strbuf_addf(out, "%lldms", (long long)ms);
	else if (ms < 60 * 1000)
		strbuf_addf(out, "%lld.%llds", (long long)(ms / 1000),
		    (long long)(ms % 1000 / 100));
	else
		strbuf_addf(out, "%lldm%02llds", (long long)(ms / 60000),
		    (long long)(ms % 60000 / 1000));
}

static int
duration_key(int64_t *out, struct ctx *ctx, const char *env,
    const char *name, int64_t def, int64_t min)
{
	char *key = xstrfmt("deploy.%s.%s", env, name);
	const char *v = config_get(&ctx->cfg, key);
	int ret = 0;

	*out = def;
	if (v != NULL && (verify_duration_parse(out, v) < 0 || *out < min))
		ret = error_fatal("bad duration '%s' for %s: a number of "
		    "ms, s, m or h%s, such as 500ms or 5m", v, key,
		    min > 0 ? ", above zero" : "");
	free(key);
	return ret;
}

int
verify_config_load(struct verify_config *out, struct ctx *ctx,
    const char *env)
{
	const char *errstr = NULL, *v;
	char *key;
	int rc;

	memset(out, 0, sizeof(*out));
	key = xstrfmt("deploy.%s.verifyCommand", env);
	out->command = config_get(&ctx->cfg, key);
	free(key);
	if (out->command != NULL && *out->command == '\0')
		out->command = NULL;
	if ((rc = duration_key(&out->interval_ms, ctx, env, "verifyInterval",
	    DEFAULT_INTERVAL_MS, 0)) < 0 ||
	    (rc = duration_key(&out->timeout_ms, ctx, env, "verifyTimeout",
	    DEFAULT_TIMEOUT_MS, 1)) < 0 ||
	    (rc = duration_key(&out->rollback_timeout_ms, ctx, env,
	    "rollbackTimeout", out->timeout_ms, 1)) < 0)
		return rc;
	key = xstrfmt("deploy.%s.verifyPasses", env);
	out->passes = 1;
	if ((v = config_get(&ctx->cfg, key)) != NULL) {
		out->passes = (int)strtonum(v, 1, MAX_PASSES, &errstr);
		if (errstr != NULL) {
			rc = error_fatal("bad number '%s' for %s: a whole "
			    "number from 1 to %d", v, key, MAX_PASSES);
			free(key);
			return rc;
		}
	}
	free(key);
	key = xstrfmt("deploy.%s.rollbackOnFailure", env);
	rc = config_get_bool(&out->rollback_on_failure, &ctx->cfg, key, 0);
	free(key);
	if (rc < 0)
		return rc;
	key = xstrfmt("deploy.%s.rollbackOnFailureMigrate", env);
	rc = config_get_bool(&out->rollback_migrate, &ctx->cfg, key, 0);
	free(key);
	return rc;
}

void
verify_result_release(struct verify_result *r)
{
	free(r->first_line);
	memset(r, 0, sizeof(*r));
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* the first non-blank line of what a failed attempt said, or its status */
static char *
first_line(const struct strbuf *output, int status, int timed_out,
    int64_t limit_ms)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = output->buf;

	while (*p != '\0') {
		size_t len = strcspn(p, "\n");
		size_t lead = strspn(p, " \t\r");

		if (lead < len) {
			size_t n = len - lead;

			while (n > 0 && strchr(" \t\r", p[lead + n - 1]))
				n--;
			if (n > FIRST_LINE_MAX)
				n = FIRST_LINE_MAX;
			strbuf_add(&sb, p + lead, n);
			break;
		}
		p += len + (p[len] != '\0');
	}
	if (timed_out) {
		strbuf_addstr(&sb, sb.len ? " (killed after " : "killed after ");
		verify_duration_format(&sb, limit_ms);
		strbuf_addstr(&sb, sb.buf[0] == 'k' ? "" : ")");
	} else if (sb.len == 0)
		strbuf_addf(&sb, "exit %d", status);
	return strbuf_detach(&sb, NULL);
}

int
verify_run(struct verify_result *out, struct ctx *ctx,
    const struct verify_config *vc, const struct hook_vars *vars,
    int64_t timeout_ms)
{
	const char *argv[] = { "sh", "-c", vc->command, NULL };
	struct strbuf output = STRBUF_INIT, t = STRBUF_INIT,
	    last = STRBUF_INIT;
	int64_t start = now_ms(), in_a_row = 0;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	verify_duration_format(&t, timeout_ms);
	info("verifying %s on '%s' (up to %s)", vars->tag, vars->env, t.buf);
	for (;;) {
		struct strlist env = STRLIST_INIT;
		struct child c = CHILD_INIT;
		int64_t elapsed = now_ms() - start, left;
		int rc;

		left = timeout_ms - elapsed;
		out->attempts++;
		hook_env(&env, ctx, vars);
		strlist_add_nodup(&env, xstrfmt("VERIFY_ATTEMPT=%lld",
		    (long long)out->attempts));
		strlist_add_nodup(&env, xstrfmt("VERIFY_ELAPSED=%lld",
		    (long long)elapsed));
		strbuf_reset(&output);
		c.argv = argv;
		c.dir = git_repository_workdir(ctx->repo);
		c.env = (const char *const *)env.items;
		c.err = &output;
		c.out_to_err = 1;
		c.timeout_ms = left > 0 ? left : 1;
		rc = child_run(&c);
		strlist_release(&env);
		/* the same words every attempt are said once */
		if (output.len != last.len ||
		    memcmp(output.buf, last.buf, output.len) != 0)
			fwrite(output.buf, 1, output.len, stderr);
		strbuf_reset(&last);
		strbuf_add(&last, output.buf, output.len);
		if (rc < 0) {
			ret = rc;
			break;
		}
		if (rc == 0 && !c.timed_out) {
			if (++in_a_row >= vc->passes) {
				out->passed = 1;
				break;
			}
		} else if (c.timed_out && out->first_line != NULL) {
			/* the budget ran out: the last real failure says why */
			in_a_row = 0;
		} else {
			in_a_row = 0;
			free(out->first_line);
			out->first_line = first_line(&output, rc,
			    c.timed_out, timeout_ms);
			info("verify attempt %lld failed: %s",
			    (long long)out->attempts, out->first_line);
		}
		/* the next attempt must start within the budget */
		if (now_ms() - start + vc->interval_ms >= timeout_ms) {
			if (out->first_line == NULL)
				out->first_line = xstrfmt("passed %lld of %d "
				    "times in a row when the time ran out",
				    (long long)in_a_row, vc->passes);
			break;
		}
		sleep_ms(vc->interval_ms);
	}
	out->elapsed_ms = now_ms() - start;
	if (out->passed) {
		free(out->first_line);
		out->first_line = NULL;
	}
	strbuf_release(&output);
	strbuf_release(&last);
	strbuf_release(&t);
	return ret;
}

void
verify_result_to_entry(struct deploy_entry *e, const struct verify_result *r)
{
	e->verify = xstrdup(r->passed ? "passed" : "failed");
	e->verify_output = r->first_line ? xstrdup(r->first_line) : NULL;
	e->verify_attempts = r->attempts;
	e->verify_ms = r->elapsed_ms;
}

/* a started entry at the tip, left by a process that died: say so */
int
verify_record_interrupted(struct ctx *ctx, const char *env)
{
	struct deploy_log log = DEPLOY_LOG_INIT;
	struct deploy_entry *e;
	git_oid id;
	int ret = 0;

	if ((ret = deploylog_read(&log, ctx, env, 1)) < 0 || log.nr == 0 ||
	    log.items[0].status != DEPLOY_STATUS_STARTED)
		goto out;
	e = &log.items[0];
	e->status = DEPLOY_STATUS_FAILED;
	free(e->verify_output);
	e->verify_output = xstrdup("interrupted: the attempt stopped before "
	    "its outcome was recorded");
	if (e->verify == NULL)
		e->verify = xstrdup("failed");
	if ((ret = deploylog_replace(&id, ctx, e, &e->id, NULL)) < 0)
		goto out;
	warning("the attempt to deploy %s to '%s' (entry %.7s) was "
	    "interrupted; it is recorded as failed (%.7s)", e->tag, env,
	    git_oid_tostr_s(&e->id), git_oid_tostr_s(&id));
out:
	deploylog_release(&log);
	return ret;
}

int
verify_attempt_start(struct verify_attempt *a, struct ctx *ctx,
    const struct deploy_entry *e, int waits)
{
	struct deploy_entry s = *e;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((rc = verify_record_interrupted(ctx, e->env)) < 0 || !waits)
		return rc;
	s.status = DEPLOY_STATUS_STARTED;
	s.verify = NULL;
	s.verify_output = NULL;
	s.verify_attempts = 0;
	if ((rc = deploylog_append(&a->started, ctx, &s, NULL)) < 0)
		return rc;
	a->has_started = 1;
	return 0;
}

int
verify_attempt_finish(git_oid *out, struct ctx *ctx, struct verify_attempt *a,
    const struct deploy_entry *e, int *created_tag)
{
	int rc;

	if (!a->has_started)
		return deploylog_append(out, ctx, e, created_tag);
	rc = deploylog_replace(out, ctx, e, &a->started, created_tag);
	if (rc == 0)
		a->has_started = 0;
	return rc;
}
