/*
 * The revert engine's new objects: an in-memory object backend with the
 * highest priority takes every write while the engine runs (and hands
 * writes to the repository's own writer otherwise), and flushing writes
 * them to the repository as one pack of exactly those objects (one file
 * instead of hundreds of loose objects, written here without a delta
 * search), or drops them after a dry run.  The pack stands in for the
 * loose objects git revert writes, so it is compressed as those are:
 * core.looseCompression, else core.compression, else zlib's fastest
 * level (git's default for loose objects); git gc repacks it later.
 * (libgit2's mempack cannot do this: its dump packs each commit's whole
 * tree again.)
 */
#include <sys/stat.h>

#include <errno.h>
#include <sha1.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <zlib.h>
#include <git2/sys/odb_backend.h>

#include "sequencer.h"
#include "banned.h"

struct held_obj {
	git_oid		 id;
	git_object_t	 type;
	size_t		 len;
	char		*data;		/* NULL: free slot */
};

struct held {
	git_odb_backend	 parent;
	struct held_obj	*tab;
	size_t		 cap, nr;	/* cap a power of two */
	int		 active;	/* else writes go to next */
	int		 level;		/* zlib's, for the pack */
	git_odb_backend	*next;		/* the repository's loose writer */
};

static size_t
slot_of(const struct held *h, const git_oid *id)
{
	size_t i, hash = 0;

	for (i = 0; i < sizeof(size_t); i++)
		hash = hash << 8 | id->id[i];
	for (i = hash & (h->cap - 1); h->tab[i].data != NULL;
	    i = (i + 1) & (h->cap - 1))
		if (git_oid_equal(&h->tab[i].id, id))
			break;
	return i;
}

static struct held_obj *
find(struct held *h, const git_oid *id)
{
	struct held_obj *o;

	if (h->cap == 0)
		return NULL;
	o = &h->tab[slot_of(h, id)];
	return o->data ? o : NULL;
}

static void
grow(struct held *h)
{
	struct held_obj *old = h->tab;
	size_t i, oldcap = h->cap;

	h->cap = oldcap ? oldcap * 2 : 1024;
	h->tab = xcalloc(h->cap, sizeof(*h->tab));
	for (i = 0; i < oldcap; i++)
		if (old[i].data != NULL)
			h->tab[slot_of(h, &old[i].id)] = old[i];
	free(old);
}

static int
held_read(void **out, size_t *len, git_object_t *type, git_odb_backend *b,
    const git_oid *id)
{
	struct held_obj *o = find((struct held *)b, id);

	if (o == NULL)
		return GIT_ENOTFOUND;
	if ((*out = git_odb_backend_data_alloc(b, o->len ? o->len : 1)) == NULL)
		return -1;
	memcpy(*out, o->data, o->len);
	*len = o->len;
	*type = o->type;
	return 0;
}

static int
held_read_header(size_t *len, git_object_t *type, git_odb_backend *b,
    const git_oid *id)
{
	struct held_obj *o = find((struct held *)b, id);

	if (o == NULL)
		return GIT_ENOTFOUND;
	*len = o->len;
	*type = o->type;
	return 0;
}

static int
held_exists(git_odb_backend *b, const git_oid *id)
{
	return find((struct held *)b, id) != NULL;
}

static int
held_write(git_odb_backend *b, const git_oid *id, const void *data,
    size_t len, git_object_t type)
{
	struct held *h = (struct held *)b;
	struct held_obj *o;

	/* libgit2 1.5 stops at the first backend that can write */
	if (!h->active)
		return h->next->write(h->next, id, data, len, type);
	if (find(h, id) != NULL)
		return 0;
	if (2 * (h->nr + 1) > h->cap)
		grow(h);
	o = &h->tab[slot_of(h, id)];
	o->id = *id;
	o->type = type;
	o->len = len;
	o->data = xmalloc(len ? len : 1);
	memcpy(o->data, data, len);
	h->nr++;
	return 0;
}

static void
held_clear(struct held *h)
{
	size_t i;

	for (i = 0; i < h->cap; i++) {
		free(h->tab[i].data);
		h->tab[i].data = NULL;
	}
	h->nr = 0;
}

static void
held_free(git_odb_backend *b)
{
	struct held *h = (struct held *)b;

	held_clear(h);
	free(h->tab);
	free(h);
}

/* git's rule: core.looseCompression, core.compression, then 1 */
static int
compression_level(int *out, struct ctx *ctx)
{
	static const char *const keys[] = { "core.looseCompression",
	    "core.compression" };
	const char *v, *why = NULL;
	size_t i;

	*out = Z_BEST_SPEED;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if ((v = config_get(&ctx->cfg, keys[i])) == NULL)
			continue;
		*out = (int)strtonum(v, -1, 9, &why);
		if (why != NULL)
			return error_fatal("bad zlib compression level '%s' "
			    "in %s: %s (-1 to 9)", v, keys[i], why);
		break;
	}
	return 0;
}

int
engine_objects_hold(struct seq_state *st, struct ctx *ctx)
{
	git_repository *repo = ctx->repo;
	struct held *h;
	git_odb *odb = NULL;
	size_t i;
	int rc, level;

	if (st->mempack != NULL)
		return 0;
	if ((rc = compression_level(&level, ctx)) < 0)
		return rc;
	/* one per repository: an earlier run in this process left it */
	if ((rc = git_repository_odb(&odb, repo)) < 0)
		return error_git(E_FATAL, "cannot open the object store");
	for (i = 0; i < git_odb_num_backends(odb); i++) {
		git_odb_backend *b = NULL;

		if (git_odb_get_backend(&b, odb, i) == 0 &&
		    b->read == held_read) {
			held_clear((struct held *)b);
			((struct held *)b)->active = 1;
			((struct held *)b)->level = level;
			st->mempack = b;
			git_odb_free(odb);
			return 0;
		}
	}
	h = xcalloc(1, sizeof(*h));
	h->level = level;
	for (i = 0; i < git_odb_num_backends(odb) && h->next == NULL; i++)
		if (git_odb_get_backend(&h->next, odb, i) < 0 ||
		    h->next->write == NULL)
			h->next = NULL;
	if (h->next == NULL) {
		free(h);
		git_odb_free(odb);
		return error_fatal("the object store has no writable backend");
	}
	git_odb_init_backend(&h->parent, GIT_ODB_BACKEND_VERSION);
	h->parent.read = held_read;
	h->parent.read_header = held_read_header;
	h->parent.exists = held_exists;
	h->parent.write = held_write;
	h->parent.free = held_free;
	rc = git_odb_add_backend(odb, &h->parent, 1000);
	git_odb_free(odb);
	if (rc < 0) {
		held_free(&h->parent);
		return error_git(E_FATAL, "cannot prepare the object store");
	}
	/* the odb owns the backend from here on */
	h->active = 1;
	st->mempack = &h->parent;
	return 0;
}

/* --- one pack of the held objects, written as it is: no delta search --- */

struct packout {
	FILE		*f;
	SHA1_CTX	 sha;
	uint64_t	 off;
	int		 failed;
};

static void
pack_put(struct packout *p, const void *data, size_t len)
{
	if (len == 0 || p->failed)
		return;
	if (fwrite(data, 1, len, p->f) != len)
		p->failed = 1;
	SHA1Update(&p->sha, data, len);
	p->off += len;
}

static void
put_be32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

/* one object: the type and size header, then its zlib stream; its crc */
static uint32_t
pack_object(struct packout *p, const struct held_obj *o, z_stream *zs,
    unsigned char **zbuf, size_t *zcap)
{
	unsigned char hdr[16];
	size_t n = 0, size = o->len, bound;
	uint32_t crc;

	hdr[n] = (unsigned char)((o->type << 4) | (size & 15));
	size >>= 4;
	while (size != 0) {
		hdr[n++] |= 0x80;
		hdr[n] = size & 0x7f;
		size >>= 7;
	}
	n++;
	bound = deflateBound(zs, (uLong)o->len);
	if (bound > *zcap) {
		free(*zbuf);
		*zcap = bound;
		*zbuf = xmalloc(bound);
	}
	deflateReset(zs);
	zs->next_in = (Bytef *)o->data;
	zs->avail_in = (uInt)o->len;
	zs->next_out = *zbuf;
	zs->avail_out = (uInt)*zcap;
	if (deflate(zs, Z_FINISH) != Z_STREAM_END) {
		p->failed = 1;
		return 0;
	}
	crc = (uint32_t)crc32(0, hdr, (uInt)n);
	crc = (uint32_t)crc32(crc, *zbuf, (uInt)zs->total_out);
	pack_put(p, hdr, n);
	pack_put(p, *zbuf, zs->total_out);
	return crc;
}

struct idx_ent {
	const struct held_obj *o;
	uint64_t	 off;
	uint32_t	 crc;
};

static int
idx_cmp(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct idx_ent *)a)->o->id,
	    &((const struct idx_ent *)b)->o->id);
}

/* the version 2 index of the pack: fan-out, ids, crcs, offsets, sums */
static int
write_idx(FILE *f, struct idx_ent *e, size_t nr,
    const unsigned char packsum[SHA1_DIGEST_LENGTH])
{
	struct packout p;
	unsigned char b[8], sum[SHA1_DIGEST_LENGTH];
	size_t i, fan = 0, large = 0;
	int c;

	memset(&p, 0, sizeof(p));
	p.f = f;
	SHA1Init(&p.sha);
	pack_put(&p, "\377tOc", 4);
	put_be32(b, 2);
	pack_put(&p, b, 4);
	for (c = 0; c < 256; c++) {
		while (fan < nr && e[fan].o->id.id[0] == c)
			fan++;
		put_be32(b, (uint32_t)fan);
		pack_put(&p, b, 4);
	}
	for (i = 0; i < nr; i++)
		pack_put(&p, e[i].o->id.id, GIT_OID_RAWSZ);
	for (i = 0; i < nr; i++) {
		put_be32(b, e[i].crc);
		pack_put(&p, b, 4);
	}
	for (i = 0; i < nr; i++) {
		if (e[i].off < 0x80000000u)
			put_be32(b, (uint32_t)e[i].off);
		else
			put_be32(b, 0x80000000u | (uint32_t)large++);
		pack_put(&p, b, 4);
	}
	for (i = 0; i < nr; i++)
		if (e[i].off >= 0x80000000u) {
			put_be32(b, (uint32_t)(e[i].off >> 32));
			put_be32(b + 4, (uint32_t)e[i].off);
			pack_put(&p, b, 8);
		}
	pack_put(&p, packsum, SHA1_DIGEST_LENGTH);
	SHA1Final(sum, &p.sha);
	if (!p.failed && fwrite(sum, 1, sizeof(sum), f) != sizeof(sum))
		p.failed = 1;
	return p.failed ? -1 : 0;
}

/*
 * Write the held objects as objects/pack/pack-<sum>.{pack,idx}, each
 * object whole (zlib, as in a loose object): libgit2's packbuilder
 * would search deltas among them and index the pack again, most of a
 * long revert's time.  A later git gc finds the deltas.
 */
static int
write_pack(struct held *h, git_repository *repo)
{
	struct packout p;
	struct idx_ent *e = NULL;
	z_stream zs;
	unsigned char b[12], sum[SHA1_DIGEST_LENGTH], *zbuf = NULL;
	char hex[2 * SHA1_DIGEST_LENGTH + 1];
	char *dir = xstrfmt("%sobjects/pack", git_repository_path(repo));
	char *tmp_pack = xstrfmt("%s/tmp_pack_XXXXXX", dir);
	char *tmp_idx = xstrfmt("%s/tmp_idx_XXXXXX", dir);
	char *pack = NULL, *idx = NULL;
	FILE *fi = NULL;
	size_t i, nr = 0, zcap = 0;
	int fd, ret = -1, zok = 0;

	memset(&p, 0, sizeof(p));
	memset(&zs, 0, sizeof(zs));
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		goto out;
	if ((fd = mkstemp(tmp_pack)) < 0) {
		free(tmp_pack);
		tmp_pack = NULL;
		goto out;
	}
	if ((p.f = fdopen(fd, "wb")) == NULL) {
		close(fd);
		goto out;
	}
	/*
	 * A hash table of 8,192 entries (memLevel 6, zlib's default is 8):
	 * the objects are commits and trees of a few KiB, and every one
	 * clears the table again (a quarter of the pack's cost at 8).
	 */
	if (deflateInit2(&zs, h->level, Z_DEFLATED, 15, 6,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		goto out;
	zok = 1;
	SHA1Init(&p.sha);
	memcpy(b, "PACK", 4);
	put_be32(b + 4, 2);
	put_be32(b + 8, (uint32_t)h->nr);
	pack_put(&p, b, 12);
	e = xreallocarray(NULL, h->nr ? h->nr : 1, sizeof(*e));
	for (i = 0; i < h->cap; i++) {
		if (h->tab[i].data == NULL)
			continue;
		e[nr].o = &h->tab[i];
		e[nr].off = p.off;
		e[nr].crc = pack_object(&p, &h->tab[i], &zs, &zbuf, &zcap);
		nr++;
	}
	SHA1Final(sum, &p.sha);
	if (p.failed || fwrite(sum, 1, sizeof(sum), p.f) != sizeof(sum) ||
	    fclose(p.f) != 0) {
		p.f = NULL;
		goto out;
	}
	p.f = NULL;
	qsort(e, nr, sizeof(*e), idx_cmp);
	if ((fd = mkstemp(tmp_idx)) < 0) {
		free(tmp_idx);
		tmp_idx = NULL;
		goto out;
	}
	if ((fi = fdopen(fd, "wb")) == NULL) {
		close(fd);
		goto out;
	}
	if (write_idx(fi, e, nr, sum) < 0 || fclose(fi) != 0) {
		fi = NULL;
		goto out;
	}
	fi = NULL;
	for (i = 0; i < SHA1_DIGEST_LENGTH; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	pack = xstrfmt("%s/pack-%s.pack", dir, hex);
	idx = xstrfmt("%s/pack-%s.idx", dir, hex);
	/* read-only as git makes them; the pack first, then its index */
	if (chmod(tmp_pack, 0444) < 0 || chmod(tmp_idx, 0444) < 0 ||
	    rename(tmp_pack, pack) < 0)
		goto out;
	free(tmp_pack);
	tmp_pack = NULL;
	if (rename(tmp_idx, idx) < 0)
		goto out;
	free(tmp_idx);
	tmp_idx = NULL;
	ret = 0;
out:
	if (p.f != NULL)
		fclose(p.f);
	if (fi != NULL)
		fclose(fi);
	if (tmp_pack != NULL)
		unlink(tmp_pack);
	if (tmp_idx != NULL)
		unlink(tmp_idx);
	if (zok)
		deflateEnd(&zs);
	free(zbuf);
	free(e);
	free(dir);
	free(tmp_pack);
	free(tmp_idx);
	free(pack);
	free(idx);
	return ret;
}

int
engine_objects_flush(struct seq_state *st, git_repository *repo)
{
	struct held *h = (struct held *)st->mempack;
	git_odb *odb = NULL;
	int rc = 0;

	if (h == NULL || h->nr == 0)
		return 0;
	if (write_pack(h, repo) < 0) {
		rc = error("cannot write the new objects: %s", strerror(errno));
		goto out;
	}
	if (git_repository_odb(&odb, repo) < 0 || git_odb_refresh(odb) < 0) {
		rc = error_git(E_FATAL, "cannot write the new objects");
		goto out;
	}
	held_clear(h);
out:
	git_odb_free(odb);
	return rc < 0 ? E_FATAL : 0;
}

void
engine_objects_drop(struct seq_state *st)
{
	if (st->mempack != NULL)
		held_clear((struct held *)st->mempack);
}

int
engine_objects_release(struct seq_state *st, git_repository *repo)
{
	int rc = 0;

	if (st->mempack == NULL)
		return 0;
	/* a dry run or a refusal before any write leaves no object */
	if (st->opts.dry_run || !st->writing)
		engine_objects_drop(st);
	else
		rc = engine_objects_flush(st, repo);
	/* writes after the engine (the deployment log...) go to disk */
	((struct held *)st->mempack)->active = 0;
	st->mempack = NULL;
	return rc;
}
