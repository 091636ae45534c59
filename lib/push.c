/*
 * Pushing with the user's own git, so that credential helpers, ssh
 * config, pre-push hooks and a real --force-with-lease all apply.  The
 * remote's verdict is read from --porcelain, per ref: git's exit status
 * alone cannot tell a rejected ref from a network failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "push.h"
#include "spawn.h"
#include "banned.h"

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
	int ret = -1, rc, rejected = 0, valid = 0;
	size_t i;

	(void)ctx;
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
	c.argv = (const char *const *)argv.items;
	c.out = &out;
	c.err = &err;
	if (!interactive())
		c.env = env;
	rc = child_run(&c);
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

	(void)ctx;
	*found = 0;
	memset(out, 0, sizeof(*out));
	if (git_remote_name_is_valid(&valid, remote) < 0 || !valid)
		return error_fatal("'%s' is not a valid remote name", remote);
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
