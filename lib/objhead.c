/*
 * An object's type and first bytes, read without libgit2's object
 * database.  git_odb_read inflates the whole object, checks its hash
 * and caches it: for 25,000 loose tag refs naming packed tag objects
 * that was four fifths of a release listing (zlib set-up and inflate
 * for every one), where the type and the "object"/"type" lines, the
 * first sixty bytes, are all it needs.  Here the packs' .idx (version
 * 2) and .pack files are mapped once, one z_stream is reset for every
 * object, and only the bytes asked for are inflated.  Anything this
 * does not know (a delta, an alternate, a v1 index, a damaged file)
 * answers "not here" and the caller asks libgit2, which reports
 * damage properly.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "objhead.h"
#include "strbuf.h"
#include "banned.h"

#define RAWSZ	GIT_OID_RAWSZ

struct objhead_pack {
	const unsigned char	*idx, *pack;
	size_t			 idx_size, pack_size;
	uint32_t		 nr;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static const unsigned char *
map_file(const char *path, size_t *size)
{
	struct stat st;
	void *p;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	*size = (size_t)st.st_size;
	return p;
}

/* a version 2 index and its pack, both looking whole */
static int
pack_open(struct objhead_pack *p, const char *idx_path)
{
	size_t len = strlen(idx_path);
	char *pack_path;

	memset(p, 0, sizeof(*p));
	if ((p->idx = map_file(idx_path, &p->idx_size)) == NULL)
		return -1;
	if (p->idx_size < 8 + 256 * 4 + 2 * RAWSZ ||
	    memcmp(p->idx, "\377tOc\0\0\0\2", 8) != 0)
		goto fail;
	p->nr = be32(p->idx + 8 + 255 * 4);
	if ((p->idx_size - 8 - 256 * 4 - 2 * RAWSZ) / (RAWSZ + 8) < p->nr)
		goto fail;
	pack_path = xstrfmt("%.*s.pack", (int)(len - 4), idx_path);
	p->pack = map_file(pack_path, &p->pack_size);
	free(pack_path);
	if (p->pack == NULL)
		goto fail;
	if (p->pack_size < 12 + RAWSZ || memcmp(p->pack, "PACK", 4) != 0)
		goto fail;
	return 0;
fail:
	if (p->pack != NULL)
		munmap((void *)p->pack, p->pack_size);
	munmap((void *)p->idx, p->idx_size);
	memset(p, 0, sizeof(*p));
	return -1;
}

static void
read_packs(struct objhead *oh)
{
	struct strbuf path = STRBUF_INIT;
	struct dirent *de;
	size_t alloc = 0, base;
	DIR *d;

	oh->packs_read = 1;
	strbuf_addf(&path, "%spack/", oh->objdir);
	base = path.len;
	if ((d = opendir(path.buf)) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 4, ".idx") != 0)
			continue;
		strbuf_setlen(&path, base);
		strbuf_addstr(&path, de->d_name);
		ALLOC_GROW(oh->packs, oh->nr_packs, alloc);
		if (pack_open(&oh->packs[oh->nr_packs], path.buf) == 0)
			oh->nr_packs++;
	}
	closedir(d);
out:
	strbuf_release(&path);
}

/* where id sits in p's pack, or 0 */
static uint64_t
pack_find(const struct objhead_pack *p, const git_oid *id)
{
	const unsigned char *fanout = p->idx + 8, *sha = fanout + 256 * 4;
	const unsigned char *off32 = sha + (size_t)p->nr * RAWSZ + p->nr * 4;
	uint32_t lo = id->id[0] ? be32(fanout + (id->id[0] - 1) * 4) : 0;
	uint32_t hi = be32(fanout + id->id[0] * 4), o;
	const unsigned char *large;

	if (hi > p->nr || lo > hi)
		return 0;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(sha + (size_t)mid * RAWSZ, id->id, RAWSZ);

		if (c == 0) {
			o = be32(off32 + (size_t)mid * 4);
			if (!(o & 0x80000000))
				return o;
			large = off32 + (size_t)p->nr * 4 +
			    (size_t)(o & 0x7fffffff) * 8;
			if (large + 8 > p->idx + p->idx_size - 2 * RAWSZ)
				return 0;
			return (uint64_t)be32(large) << 32 | be32(large + 4);
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* inflate up to want bytes of [in, in + in_len) into out */
static int
inflate_head(struct objhead *oh, const unsigned char *in, size_t in_len,
    char *out, size_t want, size_t *got)
{
	int rc;

	if (!oh->z_ready) {
		memset(&oh->z, 0, sizeof(oh->z));
		if (inflateInit(&oh->z) != Z_OK)
			return -1;
		oh->z_ready = 1;
	} else if (inflateReset(&oh->z) != Z_OK)
		return -1;
	oh->z.next_in = (unsigned char *)(uintptr_t)in;
	oh->z.avail_in = in_len > UINT32_MAX ? UINT32_MAX : (uInt)in_len;
	oh->z.next_out = (unsigned char *)out;
	oh->z.avail_out = (uInt)want;
	rc = inflate(&oh->z, Z_SYNC_FLUSH);
	if (rc != Z_OK && rc != Z_STREAM_END)
		return -1;
	*got = want - oh->z.avail_out;
	return rc == Z_STREAM_END ? 1 : 0;
}

static int
from_pack(struct objhead *oh, const struct objhead_pack *p, uint64_t off,
    git_object_t *type, char *buf, size_t *len)
{
	const unsigned char *end = p->pack + p->pack_size - RAWSZ, *c;
	uint64_t size;
	size_t want, got;
	unsigned shift = 4;
	int t, rc;

	if (off < 12 || off >= (uint64_t)(end - p->pack))
		return 1;
	c = p->pack + off;
	t = (*c >> 4) & 7;
	size = *c & 15;
	while (*c & 0x80) {
		if (++c >= end || shift > 57)
			return 1;
		size |= (uint64_t)(*c & 0x7f) << shift;
		shift += 7;
	}
	c++;
	if (t < GIT_OBJECT_COMMIT || t > GIT_OBJECT_TAG)
		return 1;	/* a delta: libgit2 resolves it */
	want = size < *len ? (size_t)size : *len;
	if (want > 0) {
		rc = inflate_head(oh, c, (size_t)(end - c), buf, want, &got);
		if (rc < 0 || got != want)
			return 1;
	}
	*type = (git_object_t)t;
	*len = want;
	return 0;
}

static int
from_loose(struct objhead *oh, const git_oid *id, git_object_t *type,
    char *buf, size_t *len)
{
	unsigned char in[4096];
	char hex[GIT_OID_HEXSZ + 1], out[64 + 512], *nul, *p;
	char path[4096];
	size_t want = *len > 512 ? 512 : *len, got, hdr;
	unsigned long long size;
	ssize_t n;
	int fd, rc;

	git_oid_tostr(hex, sizeof(hex), id);
	if ((size_t)snprintf(path, sizeof(path), "%s%.2s/%s", oh->objdir,
	    hex, hex + 2) >= sizeof(path))
		return 1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 1;
	n = read(fd, in, sizeof(in));
	close(fd);
	if (n <= 0)
		return 1;
	rc = inflate_head(oh, in, (size_t)n, out, 64 + want, &got);
	if (rc < 0 || (nul = memchr(out, '\0', got)) == NULL)
		return 1;
	hdr = (size_t)(nul - out) + 1;
	if ((p = memchr(out, ' ', hdr)) == NULL)
		return 1;
	*p = '\0';
	if (strcmp(out, "commit") == 0)
		*type = GIT_OBJECT_COMMIT;
	else if (strcmp(out, "tree") == 0)
		*type = GIT_OBJECT_TREE;
	else if (strcmp(out, "blob") == 0)
		*type = GIT_OBJECT_BLOB;
	else if (strcmp(out, "tag") == 0)
		*type = GIT_OBJECT_TAG;
	else
		return 1;
	size = strtoull(p + 1, NULL, 10);
	if (size < want)
		want = (size_t)size;
	if (got - hdr < want)
		return 1;	/* cut short: let libgit2 see why */
	if (want > 0)
		memcpy(buf, out + hdr, want);
	*len = want;
	return 0;
}

void
objhead_init(struct objhead *oh, const char *objdir)
{
	memset(oh, 0, sizeof(*oh));
	oh->objdir = xstrdup(objdir);
}

int
objhead_read(struct objhead *oh, const git_oid *id, git_object_t *type,
    char *buf, size_t *len)
{
	size_t i;
	uint64_t off;

	if (!oh->packs_read)
		read_packs(oh);
	for (i = 0; i < oh->nr_packs; i++)
		if ((off = pack_find(&oh->packs[i], id)) != 0)
			return from_pack(oh, &oh->packs[i], off, type, buf,
			    len);
	return from_loose(oh, id, type, buf, len);
}

void
objhead_release(struct objhead *oh)
{
	size_t i;

	for (i = 0; i < oh->nr_packs; i++) {
		munmap((void *)oh->packs[i].idx, oh->packs[i].idx_size);
		munmap((void *)oh->packs[i].pack, oh->packs[i].pack_size);
	}
	free(oh->packs);
	free(oh->objdir);
	if (oh->z_ready)
		inflateEnd(&oh->z);
	memset(oh, 0, sizeof(*oh));
}
