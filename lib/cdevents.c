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
#include "json.h"
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

int
cdevents_entry(struct strbuf *out, const struct deploy_entry *e,
    const char *repo_name, const char *version)
{
	const char *name = e->component ? e->component : repo_name;
	struct strbuf src = STRBUF_INIT, purl = STRBUF_INIT;
	struct json j = JSON_INIT;
	char id[GIT_OID_HEXSZ + 1], commit[GIT_OID_HEXSZ + 1];
	int rb = e->kind == DEPLOY_KIND_ROLLBACK;

	if (e->status != DEPLOY_STATUS_SUCCEEDED)
		return 1;
	git_oid_tostr(id, sizeof(id), &e->id);
	git_oid_tostr(commit, sizeof(commit), &e->commit);
	strbuf_addstr(&src, "/refs/deploy/log/");
	cdevents_purl_encode(&src, e->env);
	strbuf_addstr(&purl, "pkg:generic/");
	cdevents_purl_encode(&purl, name);
	strbuf_addch(&purl, '@');
	cdevents_purl_encode(&purl, e->tag);

	/* the specification's objects have its fields alone: no schema */
	json_begin_plain(&j);
	json_object_begin_plain(&j, "context");
	json_str(&j, "version", CDEVENTS_SPEC_VERSION);
	json_str(&j, "id", id);
	json_str(&j, "source", src.buf);
	json_str(&j, "type", rb ? CDEVENTS_ROLLEDBACK : CDEVENTS_DEPLOYED);
	json_time(&j, "timestamp", e->time);
	json_object_end(&j);
	json_object_begin_plain(&j, "subject");
	json_str(&j, "id", name);
	json_str(&j, "type", "service");
	json_object_begin_plain(&j, "content");
	json_object_begin_plain(&j, "environment");
	json_str(&j, "id", e->env);
	json_object_end(&j);
	json_str(&j, "artifactId", purl.buf);
	json_object_end(&j);
	json_object_end(&j);
	json_str(&j, "customDataContentType", "application/json");
	/* ours: the suite's contract */
	json_object_begin(&j, "customData");
	json_str(&j, "tag", e->tag);
	json_version(&j, "version", version);
	json_str(&j, "commit", commit);
	json_str(&j, "component", e->component);
	json_str(&j, "kind", deploy_kind_name(e->kind));
	json_str(&j, "operator", e->operator);
	json_str(&j, "reason", e->reason);
	json_str(&j, "from", rb ? e->from : NULL);
	json_str(&j, "strategy", rb ? e->strategy : NULL);
	json_object_end(&j);
	json_end(&j);
	json_add_line(out, &j);
	json_release(&j);
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
