/*
 * Loading the release tags, fast with tens of thousands of them.
 *
 * libgit2's reference iterator parses all of packed-refs into a cache,
 * copies it and allocates a reference per entry: with 20,000 tags that
 * is slower and bigger than git tag -l itself.  The files backend is
 * the only one libgit2 1.5 opens, so we read it: packed-refs as a
 * stream with its peeled ids (an annotated tag costs no object read),
 * then the one loose directory the prefix names (loose refs win); a ref
 * without a peeled id costs a header probe.
 */
#include <sys/types.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "objhead.h"
#include "release.h"
#include "banned.h"

#define TAGS_PREFIX	"refs/tags/"
#define HEXSZ		GIT_OID_HEXSZ
/* annotated: not a tag object, the named object's type still unknown */
#define LIGHT_UNCHECKED	(-2)

/* the tag names live in blocks that never move, so tags point in */
struct name_block {
	struct name_block	*next;
	size_t			 used, size;
	char			 buf[];
};

static char *
name_store(struct release_list *l, const char *s, size_t len)
{
	struct name_block *b = l->names;
	char *p;

	if (b == NULL || b->size - b->used < len + 1) {
		size_t size = len + 1 > 65000 ? len + 1 : 65000;

		b = xmalloc(sizeof(*b) + size);
		b->next = l->names;
		b->used = 0;
		b->size = size;
		l->names = b;
	}
	p = b->buf + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

/* annotated is -1 while we do not know what the ref points at */
static struct release *
add_release(struct release_list *l, const char *name, size_t len,
    size_t plen, const git_oid *target)
{
	struct release *r;

	ALLOC_GROW(l->items, l->nr, l->alloc);
	r = &l->items[l->nr++];
	memset(r, 0, sizeof(*r));
	r->tag = name_store(l, name, len);
	semver_parse_len(&r->v, r->tag + plen, len - plen);
	git_oid_cpy(&r->target, target);
	git_oid_cpy(&r->commit, target);
	r->annotated = -1;
	return r;
}

/*
 * 40 hex digits to an id: git_oid_fromstrn is a tenth of a listing's
 * time, two ids a line over tens of thousands of lines.
 */
/* a hex digit's value plus one, 0 for anything else */
static const unsigned char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
	['E'] = 15, ['F'] = 16,
};

static int
hex_oid(git_oid *out, const char *hex)
{
	const unsigned char *p = (const unsigned char *)hex;
	size_t i;

	for (i = 0; i < GIT_OID_RAWSZ; i++, p += 2) {
		unsigned hi = hexval[p[0]], lo;

		if (hi == 0 || (lo = hexval[p[1]]) == 0)
			return -1;
		out->id[i] = (unsigned char)((hi - 1) << 4 | (lo - 1));
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Loose refs first: a release tag is exactly refs/tags/<prefix><semver>
 * and a version holds no slash, so they all sit in the one directory
 * the prefix names.  Their names go to *loose: they hide packed ones.
 */
static int
load_loose(struct release_list *l, struct strlist *loose, struct ctx *ctx)
{
	const char *prefix = ctx->set.tag_prefix;
	const char *slash = strrchr(prefix, '/');
	const char *fprefix = slash != NULL ? slash + 1 : prefix;
	size_t dlen = slash != NULL ? (size_t)(slash - prefix + 1) : 0;
	size_t plen = strlen(prefix), flen = strlen(fprefix);
	struct strbuf path = STRBUF_INIT, buf = STRBUF_INIT;
	struct strbuf name = STRBUF_INIT;
	struct release *r;
	struct dirent *de;
	struct semver v;
	DIR *dir;

	strbuf_addf(&path, "%s" TAGS_PREFIX "%.*s",
	    git_repository_commondir(ctx->repo), (int)dlen, prefix);
	if ((dir = opendir(path.buf)) == NULL) {
		strbuf_release(&path);
		return 0;
	}
	while ((de = readdir(dir)) != NULL) {
		char text[GIT_OID_HEXSZ + 2];
		ssize_t n = -1;
		git_oid id;
		int fd;

		if (strncmp(de->d_name, fprefix, flen) != 0 ||
		    semver_parse(&v, de->d_name + flen) < 0)
			continue;
		/* "<hex>\n" read here: libgit2's lookup stats thrice a ref */
		if ((fd = openat(dirfd(dir), de->d_name, O_RDONLY |
		    O_CLOEXEC)) >= 0) {
			n = read(fd, text, sizeof(text));
			close(fd);
		}
		if (n < 0)
			continue;	/* a directory, or gone */
		strbuf_reset(&name);
		strbuf_add(&name, prefix, dlen);
		strbuf_addstr(&name, de->d_name);
		if (n < HEXSZ || hex_oid(&id, text) < 0 ||
		    (n > HEXSZ && text[HEXSZ] != '\n')) {
			/* a symbolic ref, or something odd: ask libgit2 */
			strbuf_reset(&buf);
			strbuf_addf(&buf, TAGS_PREFIX "%s", name.buf);
			if (git_reference_name_to_id(&id, ctx->repo,
			    buf.buf) < 0) {
				git_error_clear();
				continue;
			}
		}
		r = add_release(l, name.buf, name.len, plen, &id);
		/* the name where the release keeps it: no copy to free */
		ALLOC_GROW(loose->items, loose->nr, loose->alloc);
		loose->items[loose->nr++] = (char *)r->tag;
	}
	closedir(dir);
	if (loose->nr > 1)
		qsort(loose->items, loose->nr, sizeof(*loose->items),
		    cmp_str);
	strbuf_release(&path);
	strbuf_release(&buf);
	strbuf_release(&name);
	return 0;
}

/*
 * packed-refs, read as a stream: "<id> refs/tags/<name>" lines, each
 * annotated tag followed by "^<commit id>", its peeled id, which saves
 * reading the tag object.  When the header promises peeled tags ("peeled"
 * covers refs/tags/, "fully-peeled" every ref), a tag without that line
 * names its object directly, so it needs no probe either (probing 2,000
 * lightweight tags costs more time and memory than the rest of the
 * listing): only the object's type is still to check, since a
 * lightweight tag may name a tree or a blob, and that is no release.
 */
/*
 * A packed-refs line as git writes it: a "#" header, "^<id>", or
 * "<id> <name>" with nothing in the name below a space (a CR from an
 * editor or a checkout with autocrlf included).
 */
static int
packed_line_ok(const char *line, size_t len)
{
	size_t i;

	if (line[0] == '#')
		return line[len - 1] != '\r';
	if (line[0] == '^')
		return len == HEXSZ + 1 &&
		    strspn(line + 1, "0123456789abcdefABCDEF") == HEXSZ;
	if (len < HEXSZ + 2 || line[HEXSZ] != ' ' ||
	    strspn(line, "0123456789abcdefABCDEF") != HEXSZ)
		return 0;
	for (i = HEXSZ + 1; i < len; i++)
		if ((unsigned char)line[i] < ' ' || line[i] == 0x7f)
			return 0;
	return 1;
}

/* line with its control characters shown, for the message */
static const char *
printable(struct strbuf *sb, const char *line)
{
	const unsigned char *p;

	strbuf_reset(sb);
	for (p = (const unsigned char *)line; *p != '\0'; p++)
		if (*p == '\r')
			strbuf_addstr(sb, "\\r");
		else if (*p < ' ' || *p == 0x7f)
			strbuf_addf(sb, "\\x%02x", *p);
		else
			strbuf_addch(sb, *p);
	return sb->buf;
}

int
release_packed_read(struct release_list *l, const struct strlist *loose,
    FILE *f, const char *prefix, const char *path)
{
	size_t plen = strlen(prefix), tlen = strlen(TAGS_PREFIX);
	char *line = NULL, *key;
	size_t cap = 0, last = SIZE_MAX;
	struct strbuf bad = STRBUF_INIT;
	int peeled = 0, ret;
	struct semver v;
	ssize_t len;
	git_oid id;

	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!packed_line_ok(line, (size_t)len)) {
			/* git dies on it too: the repository needs repair */
			ret = error_fatal("unexpected line in '%s': %s", path,
			    printable(&bad, line));
			goto out;
		}
		if (line[0] == '#') {
			if (strncmp(line, "# pack-refs with:", 17) == 0 &&
			    (strstr(line, " peeled") != NULL ||
			    strstr(line, " fully-peeled") != NULL))
				peeled = 1;
			continue;
		}
		if (line[0] == '^') {
			if (last != SIZE_MAX && len >= HEXSZ + 1 &&
			    hex_oid(&id, line + 1) == 0) {
				git_oid_cpy(&l->items[last].commit, &id);
				l->items[last].annotated = 1;
			}
			last = SIZE_MAX;
			continue;
		}
		last = SIZE_MAX;
		if ((size_t)len < HEXSZ + 1 + tlen + plen ||
		    line[HEXSZ] != ' ' ||
		    memcmp(line + HEXSZ + 1, TAGS_PREFIX, tlen) != 0 ||
		    memcmp(line + HEXSZ + 1 + tlen, prefix, plen) != 0)
			continue;
		key = line + HEXSZ + 1 + tlen;
		if (semver_parse_len(&v, key + plen,
		    (size_t)len - HEXSZ - 1 - tlen - plen) < 0 ||
		    hex_oid(&id, line) < 0)
			continue;
		if (loose->nr && bsearch(&key, loose->items, loose->nr,
		    sizeof(*loose->items), cmp_str) != NULL)
			continue;
		add_release(l, key, (size_t)len - HEXSZ - 1 - tlen, plen,
		    &id)->annotated = peeled ? LIGHT_UNCHECKED : -1;
		last = l->nr - 1;
	}
	ret = 0;
out:
	strbuf_release(&bad);
	free(line);
	return ret;
}

static int
load_packed(struct release_list *l, const struct strlist *loose,
    struct ctx *ctx)
{
	char *path = xstrfmt("%spacked-refs",
	    git_repository_commondir(ctx->repo));
	FILE *f;
	int ret = 0;

	if ((f = fopen(path, "r")) != NULL) {
		ret = release_packed_read(l, loose, f, ctx->set.tag_prefix,
		    path);
		fclose(f);
	}
	free(path);
	return ret;
}

/*
 * What a ref without a peeled id points at: a commit (a lightweight
 * tag), or a tag whose "object" and "type" header lines name a commit
 * (annotated; only those first bytes are inflated, from the loose file
 * or the pack, lib/objhead.c, so that 20,000 loose tags are neither
 * read whole, hashed nor cached); a tag of a tag is peeled by libgit2;
 * anything else is no release.
 */
static int
probe(struct release *r, git_repository *repo, git_odb *odb,
    struct objhead *oh)
{
	git_odb_object *raw = NULL;
	git_object *obj = NULL;
	git_tag *tag = NULL;
	git_object_t type;
	char head[7 + HEXSZ + 13];
	const char *data;
	size_t len = sizeof(head);
	int rc = 1;

	if (objhead_read(oh, &r->target, &type, head, &len) == 0) {
		data = head;
	} else {
		if (git_odb_read(&raw, odb, &r->target) < 0)
			goto out;	/* dangling: not a release */
		type = git_odb_object_type(raw);
		data = git_odb_object_data(raw);
		len = git_odb_object_size(raw);
	}
	switch (type) {
	case GIT_OBJECT_COMMIT:
		r->annotated = 0;
		rc = 0;
		goto out;
	case GIT_OBJECT_TAG:
		break;
	default:
		goto out;
	}
	if (len >= 7 + HEXSZ + 13 && memcmp(data, "object ", 7) == 0 &&
	    data[7 + HEXSZ] == '\n' &&
	    memcmp(data + 8 + HEXSZ, "type commit\n", 12) == 0 &&
	    hex_oid(&r->commit, data + 7) == 0) {
		r->annotated = 1;
		rc = 0;
		goto out;
	}
	if (git_tag_lookup(&tag, repo, &r->target) == 0 &&
	    git_tag_peel(&obj, tag) == 0 &&
	    git_object_type(obj) == GIT_OBJECT_COMMIT) {
		git_oid_cpy(&r->commit, git_object_id(obj));
		r->annotated = 1;
		rc = 0;
	}
out:
	git_error_clear();
	git_object_free(obj);
	git_tag_free(tag);
	git_odb_object_free(raw);
	return rc;
}

/* a peeled lightweight tag: a release when it names a commit */
static int
names_commit(struct release *r, git_odb *odb, struct objhead *oh)
{
	git_object_t type;
	size_t len = 0;

	if (objhead_read(oh, &r->target, &type, NULL, &len) != 0 &&
	    git_odb_read_header(&len, &type, odb, &r->target) < 0) {
		git_error_clear();
		return 0;
	}
	r->annotated = 0;
	return type == GIT_OBJECT_COMMIT;
}

int
release_cmp_newest_first(const void *a, const void *b)
{
	const struct release *ra = a, *rb = b;
	int c = semver_cmp(&rb->v, &ra->v);

	return c != 0 ? c : strcmp(ra->tag, rb->tag);
}

/*
 * Loose refs first, so that they hide their packed copies; then the
 * probes for what is still unknown (dropping what is no commit); then
 * the order.
 */
int
release_list_load(struct release_list *out, struct ctx *ctx)
{
	struct strlist loose = STRLIST_INIT;
	struct objhead oh;
	git_odb *odb = NULL;
	size_t i, kept = 0;
	int ret = E_FATAL;
	char *objdir = xstrfmt("%sobjects/",
	    git_repository_commondir(ctx->repo));

	objhead_init(&oh, objdir);
	free(objdir);
	if (git_repository_odb(&odb, ctx->repo) < 0) {
		error_git(E_FATAL, "cannot list tags");
		goto out;
	}
	if (load_loose(out, &loose, ctx) < 0 || load_packed(out, &loose,
	    ctx) < 0)
		goto out;
	for (i = 0; i < out->nr; i++) {
		if (out->items[i].annotated == LIGHT_UNCHECKED) {
			if (!names_commit(&out->items[i], odb, &oh))
				continue;
		} else if (out->items[i].annotated < 0 &&
		    probe(&out->items[i], ctx->repo, odb, &oh) != 0)
			continue;
		out->items[kept++] = out->items[i];
	}
	out->nr = kept;
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items),
		    release_cmp_newest_first);
	ret = 0;
out:
	free(loose.items);	/* the names are the releases' */
	objhead_release(&oh);
	git_odb_free(odb);
	return ret;
}

void
release_list_release(struct release_list *l)
{
	struct name_block *b = l->names, *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(l->items);
	l->items = NULL;
	l->names = NULL;
	l->nr = l->alloc = 0;
}

int
release_refs_under(struct strlist *out, struct ctx *ctx, const char *dir)
{
	const char *common = git_repository_commondir(ctx->repo);
	size_t dlen = strlen(dir), i, kept;
	struct strbuf path = STRBUF_INIT;
	struct dirent *de;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int sorted = 0;
	FILE *f;
	DIR *d;

	strbuf_addf(&path, "%s%s", common, dir);
	if ((d = opendir(path.buf)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' ||
			    strstr(de->d_name, ".lock") != NULL)
				continue;
			strlist_add_nodup(out, xstrfmt("%s%s", dir,
			    de->d_name));
		}
		closedir(d);
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%spacked-refs", common);
	if ((f = fopen(path.buf, "r")) != NULL) {
		while ((len = getline(&line, &cap, f)) > 0) {
			const char *name = line + HEXSZ + 1;
			int c;

			if (line[len - 1] == '\n')
				line[--len] = '\0';
			if (line[0] == '#') {
				sorted = strstr(line, " sorted") != NULL;
				continue;
			}
			if (line[0] == '^' || (size_t)len <= HEXSZ + 1 + dlen)
				continue;
			c = strncmp(name, dir, dlen);
			if (c > 0 && sorted)
				break;	/* the rest sorts after dir */
			if (c == 0 && strchr(name + dlen, '/') == NULL)
				strlist_add(out, name);
		}
		free(line);
		fclose(f);
	}
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), cmp_str);
	for (i = kept = 0; i < out->nr; i++) {
		if (kept && strcmp(out->items[kept - 1], out->items[i]) == 0) {
			free(out->items[i]);
			continue;
		}
		out->items[kept++] = out->items[i];
	}
	out->nr = kept;
	strbuf_release(&path);
	return 0;
}
