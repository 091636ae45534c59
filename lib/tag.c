/*
 * Creating release tags and writing their annotation.
 *
 * An unsigned tag is written with libgit2 (the tag object, then the ref,
 * refusing to overwrite).  A signed one is made by the user's own
 * "git tag", because libgit2 has no signing and the user's gpg or ssh
 * signing set-up lives in git's config; the message goes on stdin, so
 * nothing of it reaches an argv.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "changes.h"
#include "component.h"
#include "spawn.h"
#include "tag.h"
#include "banned.h"

/* at most this many commit lines in an annotation; the rest is counted */
#define ANNOTATION_MAX_COMMITS	500

/*
 * git 2.39 with gpg.format=ssh and a key it cannot load prints an error
 * and still makes an unsigned tag, exit 0: check, and take it back (the
 * tag object too, which nothing else can reference) rather than publish
 * an unsigned release the user asked to sign.
 */
static int
check_signed(struct ctx *ctx, const char *name, const char *ref,
    const git_oid *id)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	const char *data;
	char hex[GIT_OID_HEXSZ + 1], *path;
	int signed_ = 0;

	if (git_repository_odb(&odb, ctx->repo) == 0 &&
	    git_odb_read(&obj, odb, id) == 0) {
		data = git_odb_object_data(obj);
		signed_ = memmem(data, git_odb_object_size(obj),
		    "\n-----BEGIN ", 12) != NULL;
	}
	git_odb_object_free(obj);
	git_odb_free(odb);
	if (signed_)
		return 0;
	git_error_clear();
	if (git_reference_remove(ctx->repo, ref) < 0)
		return error_git(E_FATAL, "'%s' was made unsigned and could "
		    "not be deleted: delete it with git tag -d %s", name,
		    name);
	git_oid_tostr(hex, sizeof(hex), id);
	path = xstrfmt("%sobjects/%.2s/%s",
	    git_repository_commondir(ctx->repo), hex, hex + 2);
	unlink(path);
	free(path);
	return error("cannot create the signed tag '%s': git tag did not "
	    "sign it", name);
}

static int
create_signed(git_oid *out, struct ctx *ctx, const char *name,
    const git_oid *commit, const char *message, const char *key)
{
	char hex[GIT_OID_HEXSZ + 1];
	char *ref = xstrfmt("refs/tags/%s", name);
	const char *argv[12];
	struct child c = CHILD_INIT;
	size_t n = 0;
	int rc;

	git_oid_tostr(hex, sizeof(hex), commit);
	argv[n++] = "git";
	argv[n++] = "tag";
	argv[n++] = "-a";
	if (key != NULL) {
		argv[n++] = "-u";
		argv[n++] = key;
	} else
		argv[n++] = "-s";
	/* keep "#123" lines: the message is already cleaned */
	argv[n++] = "--cleanup=verbatim";
	argv[n++] = "-F";
	argv[n++] = "-";
	argv[n++] = "--";
	argv[n++] = name;
	argv[n++] = hex;
	argv[n] = NULL;
	c.argv = argv;
	c.in = message;
	c.out_to_err = 1;
	rc = child_run(&c);
	if (rc > 0)
		rc = error("cannot create the signed tag '%s' (git tag "
		    "exited with %d)", name, rc);
	else if (rc == 0 && git_reference_name_to_id(out, ctx->repo, ref) < 0)
		rc = error_git(E_FATAL, "git tag did not create '%s'", name);
	else if (rc == 0)
		rc = check_signed(ctx, name, ref, out);
	free(ref);
	return rc;
}

int
tag_wants_signing(int *out, struct ctx *ctx, const struct tag_sign *sign)
{
	int gpgsign = 0, force = 0, rc;

	*out = 0;
	if ((rc = config_get_bool(&gpgsign, &ctx->cfg, "tag.gpgSign", 0)) < 0 ||
	    (rc = config_get_bool(&force, &ctx->cfg,
	    "tag.forceSignAnnotated", 0)) < 0)
		return rc;
	*out = gpgsign || force ||
	    (sign != NULL && (sign->sign || sign->key != NULL));
	return 0;
}

int
tag_create(git_oid *out, struct ctx *ctx, const char *name,
    const git_oid *commit, const char *message, const struct tag_sign *sign)
{
	const git_signature *tagger;
	git_object *target = NULL;
	git_reference *ref = NULL;
	git_buf msg = GIT_BUF_INIT;
	git_oid id;
	char *refname = xstrfmt("refs/tags/%s", name);
	char *logmsg = NULL;
	int valid = 0, exists, gpgsign = 0, ret = E_FATAL;

	if (git_tag_name_is_valid(&valid, name) < 0 || !valid) {
		git_error_clear();
		ret = error_fatal("'%s' is not a valid tag name", name);
		goto out;
	}
	if (repo_ref_id(&id, &exists, ctx, refname) < 0)
		goto out;
	if (exists) {
		ret = error("tag '%s' already exists", name);
		goto out;
	}
	if (tag_wants_signing(&gpgsign, ctx, sign) < 0)
		goto out;
	if (git_message_prettify(&msg, message, 0, '#') < 0) {
		error_git(E_FATAL, "cannot clean the tag message");
		goto out;
	}
	if (gpgsign) {
		ret = create_signed(out, ctx, name, commit, msg.ptr,
		    sign != NULL ? sign->key : NULL);
		goto out;
	}
	if (ctx_committer(&tagger, ctx) < 0)
		goto out;
	if (git_object_lookup(&target, ctx->repo, commit,
	    GIT_OBJECT_COMMIT) < 0) {
		error_git(E_FATAL, "cannot read commit %s",
		    git_oid_tostr_s(commit));
		goto out;
	}
	if (git_tag_annotation_create(out, ctx->repo, name, target, tagger,
	    msg.ptr) < 0) {
		error_git(E_FATAL, "cannot write the tag '%s'", name);
		goto out;
	}
	logmsg = xstrfmt("release: tag %s", name);
	if (git_reference_create(&ref, ctx->repo, refname, out, 0,
	    logmsg) < 0) {
		/* the reason (a .lock left by a kill) outlives the look */
		char *why = git_error_last() != NULL ?
		    xstrdup(git_error_last()->message) : NULL;

		if (why != NULL &&
		    repo_ref_id(&id, &exists, ctx, refname) == 0 && exists)
			ret = error("tag '%s' already exists", name);
		else {
			if (why != NULL)
				git_error_set_str(GIT_ERROR_REFERENCE, why);
			error_git(E_FATAL, "cannot create '%s'", refname);
		}
		free(why);
		goto out;
	}
	ret = 0;
out:
	git_reference_free(ref);
	git_object_free(target);
	git_buf_dispose(&msg);
	free(logmsg);
	free(refname);
	return ret;
}

int
tag_commit_lines(struct strbuf *out, struct ctx *ctx, const git_oid *prev,
    const git_oid *commit, size_t max)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_buf abbrev = GIT_BUF_INIT;
	size_t shown = 0, more = 0;
	git_oid id;
	int ret = E_FATAL, rc, mine;

	if (git_revwalk_new(&walk, ctx->repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_TIME) < 0 ||
	    git_revwalk_push(walk, commit) < 0 ||
	    (prev != NULL && git_revwalk_hide(walk, prev) < 0)) {
		error_git(E_FATAL, "cannot walk the history");
		goto out;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		const char *summary;

		if (git_commit_lookup(&c, ctx->repo, &id) < 0) {
			error_git(E_FATAL, "cannot read commit %s",
			    git_oid_tostr_s(&id));
			goto out;
		}
		if (git_commit_parentcount(c) > 1)
			goto next;
		if (component_touches(&mine, ctx, c) < 0)
			goto out;
		if (!mine)
			goto next;
		if (max != 0 && shown == max) {
			more++;
			goto next;
		}
		if (git_object_short_id(&abbrev, (git_object *)c) < 0) {
			error_git(E_FATAL, "cannot abbreviate %s",
			    git_oid_tostr_s(&id));
			goto out;
		}
		summary = git_commit_summary(c);
		strbuf_addf(out, "- %s (%s)\n", summary ? summary : "",
		    abbrev.ptr);
		shown++;
next:
		git_commit_free(c);
		c = NULL;
	}
	if (rc != GIT_ITEROVER) {
		error_git(E_FATAL, "cannot walk the history");
		goto out;
	}
	git_error_clear();
	if (more)
		strbuf_addf(out, "- ... and %zu more\n", more);
	ret = 0;
out:
	git_buf_dispose(&abbrev);
	git_commit_free(c);
	git_revwalk_free(walk);
	return ret;
}

/*
 * "key: value\n" with value on one line whatever the file name holds:
 * a name with a newline would otherwise write a trailer of its own.
 * Such a value is quoted as git quotes paths ("a\nb", octal for other
 * control bytes), as is one that starts with a double quote.
 */
static void
add_trailer(struct strbuf *out, const char *key, const char *value)
{
	const unsigned char *p;

	strbuf_addf(out, "%s: ", key);
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			break;
	if (*p == '\0' && *value != '"') {
		strbuf_addstr(out, value);
		strbuf_addch(out, '\n');
		return;
	}
	strbuf_addch(out, '"');
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		switch (*p) {
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		case '\r': strbuf_addstr(out, "\\r"); break;
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				strbuf_addf(out, "\\%03o", *p);
			else
				strbuf_addch(out, *p);
		}
	strbuf_addstr(out, "\"\n");
}

int
tag_annotation(struct strbuf *out, struct ctx *ctx, const char *tag,
    const char *message, const git_oid *prev, const git_oid *commit)
{
	struct changes ch = CHANGES_INIT;
	struct strlist ids = STRLIST_INIT;
	struct strbuf body = STRBUF_INIT;
	size_t i;
	int ret = E_FATAL;

	strbuf_addf(out, "Release %s\n", tag);
	if (message != NULL && *message != '\0') {
		strbuf_addf(out, "\n%s", message);
		strbuf_rtrim(out);
		strbuf_addch(out, '\n');
	}
	if (tag_commit_lines(&body, ctx, prev, commit,
	    ANNOTATION_MAX_COMMITS) < 0)
		goto out;
	if (body.len)
		strbuf_addf(out, "\n%s", body.buf);
	if (changes_between(&ch, ctx, prev, commit) < 0)
		goto out;
	for (i = 0; i < ch.migrations_added.nr; i++) {
		char *id = migration_id(ch.migrations_added.items[i]);

		if (strlist_has(&ids, id))
			free(id);
		else
			strlist_add_nodup(&ids, id);
	}
	if (ids.nr || ch.config_changed.nr)
		strbuf_addch(out, '\n');
	for (i = 0; i < ids.nr; i++)
		add_trailer(out, "Migration", ids.items[i]);
	for (i = 0; i < ch.config_changed.nr; i++)
		add_trailer(out, "Config", ch.config_changed.items[i]);
	ret = 0;
out:
	strbuf_release(&body);
	strlist_release(&ids);
	changes_release(&ch);
	return ret;
}

/* is the paragraph [p, end) made of "Key: value" lines only? */
static int
is_trailer_block(const char *p, const char *end)
{
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t key = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-");

		if (key == 0 || p[key] != ':' || p[key + 1] != ' ')
			return 0;
		p = nl ? nl + 1 : end;
	}
	return 1;
}

void
tag_add_trailer(struct strbuf *msg, const char *key, const char *value)
{
	const char *last;

	strbuf_rtrim(msg);
	last = msg->buf + msg->len;
	while (last > msg->buf && !(last[-1] == '\n' && last - 1 > msg->buf &&
	    last[-2] == '\n'))
		last--;
	if (last == msg->buf || !is_trailer_block(last, msg->buf + msg->len))
		strbuf_addch(msg, '\n');
	strbuf_addf(msg, "\n%s: %s\n", key, value);
}
