/*
 * CDEvents 0.3.0 from deployment log entries.  The context says which
 * event (its id is the log entry's commit, unique in any repository;
 * its source the log ref), the subject which service in which
 * environment and which artifact (a package URL naming the release),
 * and customData the rest of the entry, so nothing is lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "cdevents.h"
#include "banned.h"

void
cdevents_purl_encode(struct strbuf *out, const char *s)
{
	static const char keep[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._~-";

	for (; *s; s++) {
		if (strchr(keep, *s) != NULL)
			strbuf_addch(out, *s);
		else
			strbuf_addf(out, "%%%02X", (unsigned char)*s);
	}
}

static void
add_field(struct strbuf *out, const char *key, const char *value)
{
	strbuf_addf(out, ",\"%s\":", key);
	strbuf_add_json(out, value);
}

int
cdevents_entry(struct strbuf *out, const struct deploy_entry *e,
    const char *repo_name)
{
	const char *name = e->component ? e->component : repo_name;
	struct strbuf t = STRBUF_INIT, src = STRBUF_INIT, purl = STRBUF_INIT;
	char id[GIT_OID_HEXSZ + 1], commit[GIT_OID_HEXSZ + 1];
	int rb = e->kind == DEPLOY_KIND_ROLLBACK;

	if (e->status != DEPLOY_STATUS_SUCCEEDED)
		return 1;
	git_oid_tostr(id, sizeof(id), &e->id);
	git_oid_tostr(commit, sizeof(commit), &e->commit);
	deploy_time_format(&t, e->time);
	strbuf_addstr(&src, "/refs/deploy/log/");
	cdevents_purl_encode(&src, e->env);
	strbuf_addstr(&purl, "pkg:generic/");
	cdevents_purl_encode(&purl, name);
	strbuf_addch(&purl, '@');
	cdevents_purl_encode(&purl, e->tag);

	strbuf_addstr(out, "{\"context\":{\"version\":\""
	    CDEVENTS_SPEC_VERSION "\"");
	add_field(out, "id", id);
	add_field(out, "source", src.buf);
	add_field(out, "type", rb ? CDEVENTS_ROLLEDBACK : CDEVENTS_DEPLOYED);
	add_field(out, "timestamp", t.buf);
	strbuf_addstr(out, "},\"subject\":{\"id\":");
	strbuf_add_json(out, name);
	strbuf_addstr(out, ",\"type\":\"service\",\"content\":"
	    "{\"environment\":{\"id\":");
	strbuf_add_json(out, e->env);
	strbuf_addstr(out, "}");
	add_field(out, "artifactId", purl.buf);
	strbuf_addstr(out, "}},\"customDataContentType\":"
	    "\"application/json\",\"customData\":{\"version\":");
	strbuf_add_json(out, e->tag);
	add_field(out, "commit", commit);
	add_field(out, "component", e->component);
	add_field(out, "kind", deploy_kind_name(e->kind));
	add_field(out, "operator", e->operator);
	add_field(out, "reason", e->reason);
	add_field(out, "from", rb ? e->from : NULL);
	add_field(out, "strategy", rb ? e->strategy : NULL);
	strbuf_addstr(out, "}}\n");
	strbuf_release(&t);
	strbuf_release(&src);
	strbuf_release(&purl);
	return 0;
}

/* the last part of a path or URL, without a trailing "/" or ".git" */
static char *
last_part(const char *s)
{
	size_t end = strlen(s), start;

	while (end > 0 && s[end - 1] == '/')
		end--;
	if (end >= 4 && strncmp(s + end - 4, ".git", 4) == 0)
		end -= 4;
	while (end > 0 && s[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && s[start - 1] != '/' && s[start - 1] != ':')
		start--;
	return start < end ? xstrndup(s + start, end - start) : NULL;
}

char *
cdevents_repo_name(struct ctx *ctx)
{
	char *key = xstrfmt("remote.%s.url", ctx->set.remote);
	const char *url = config_get(&ctx->cfg, key), *dir;
	char *name = NULL;

	free(key);
	if (url != NULL)
		name = last_part(url);
	if (name == NULL) {
		dir = git_repository_workdir(ctx->repo);
		if (dir == NULL)
			dir = git_repository_path(ctx->repo);
		name = last_part(dir);
	}
	return name ? name : xstrdup("repository");
}
