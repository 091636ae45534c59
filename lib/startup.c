/*
 * Setting up libgit2 for a command that starts and ends in milliseconds.
 *
 * Debian's libgit2 1.5 is built with mbedTLS, whose set-up inside
 * git_libgit2_init() parses the whole system CA bundle (some 140
 * certificates, 56 million instructions: most of an empty "release
 * list").  No option or environment variable skips it: the path is
 * built in, and GIT_OPT_SET_SSL_CERT_LOCATIONS can only replace the
 * bundle after init has parsed it.  The suite never uses libgit2's
 * network transports (push and fetch run the user's git), so while
 * git_libgit2_init() runs, the one mbedTLS call that reads the bundle
 * is answered here with an empty chain; at any other time it is passed
 * to mbedTLS itself.  Should libgit2 ever open an HTTPS connection for
 * us, it would find no trusted certificate and refuse: it fails closed.
 *
 * The build links libgit2 statically where it can (the Makefile says
 * why); the interception is then the linker's --wrap, not the dynamic
 * linker's search order.
 *
 * Object reads skip libgit2's re-hash of every object, as git's own do.
 *
 * The checksum of a whole file (the index's trailer, which libgit2
 * verifies on every read, and its change checks of config files and the
 * commit-graph) goes to OpenSSL's SHA-1 where libgit2 and libcrypto are
 * linked statically: the same digest, without the collision detection
 * of libgit2's SHA-1, which is three times slower and protects object
 * ids, not a checksum of a file of our own repository.  Object ids never
 * come through here (libgit2 hashes them with its own context).  git
 * does the same since 2.47 (its "unsafe" SHA-1 for file checksums), and
 * does not verify the index's checksum on a read at all.
 *
 * libgit2 1.5 opens the commit-graph at the first revision walk, hashes
 * the whole file (5 MB on git/git), and only then rejects it when it
 * holds a chunk it does not know, as every graph of git 2.31 and later
 * does (the generation data chunks): a walk then reads the commits
 * themselves.  The chunk table is read first here; a graph libgit2 would
 * reject is rejected with libgit2's own error, unread; any other goes
 * to libgit2.  (libgit2's odb then has no graph, as when there is none.)
 */
#include <dlfcn.h>

#include <git2.h>

#include "startup.h"
#include "banned.h"

/*
 * The only state outside a ctx: it must be seen from inside libgit2's
 * init, which calls back into us through the dynamic linker.
 */
static int in_init;
/* how many CA bundle parses were answered with nothing */
static int skipped;

/* the mbedTLS 2.28 prototype (mbedtls/x509_crt.h); the chain is opaque here */
int	 mbedtls_x509_crt_parse_file(void *chain, const char *path);

#ifdef STARTUP_WRAP_MBEDTLS
/*
 * libgit2 and mbedTLS linked statically (see the Makefile): the linker
 * sends libgit2's call here (ld --wrap), __real_ is mbedTLS's own.
 */
int	 __real_mbedtls_x509_crt_parse_file(void *chain, const char *path);
int	 __wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path);

int
__wrap_mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	if (in_init) {
		skipped++;
		return 0;	/* nothing parsed, nothing trusted */
	}
	return __real_mbedtls_x509_crt_parse_file(chain, path);
}
#endif

#ifdef STARTUP_WRAP_LIBSSH2
/*
 * libssh2 linked statically: its set-up (OpenSSL's, with every error
 * string loaded) is left to its first use, libssh2 starts itself when
 * a session is opened; git_libgit2_init() no longer pays it.
 */
int	 __real_libssh2_init(int flags);
int	 __wrap_libssh2_init(int flags);

int
__wrap_libssh2_init(int flags)
{
	if (in_init)
		return 0;
	return __real_libssh2_init(flags);
}
#endif

#ifdef STARTUP_WRAP_HASH_BUF
/* the low-level calls: SHA1() would fetch a provider (5M instructions) */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

/* libgit2 1.5's src/util/hash.h; 1 is GIT_HASH_ALGORITHM_SHA1 */
int	 __real_git_hash_buf(unsigned char *out, const void *data, size_t len,
	    int algorithm);
int	 __wrap_git_hash_buf(unsigned char *out, const void *data, size_t len,
	    int algorithm);

int
__wrap_git_hash_buf(unsigned char *out, const void *data, size_t len,
    int algorithm)
{
	SHA_CTX c;

	if (algorithm != 1)
		return __real_git_hash_buf(out, data, len, algorithm);
	if (!SHA1_Init(&c) || !SHA1_Update(&c, data, len) ||
	    !SHA1_Final(out, &c))
		return __real_git_hash_buf(out, data, len, algorithm);
	return 0;
}
#endif

#ifdef STARTUP_WRAP_COMMIT_GRAPH
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * libgit2 1.5's src/libgit2/commit_graph.h: the odb asks for its graph
 * (open_file 0: opened at the first walk) once per objects directory,
 * until one is there.
 */
int	 __real_git_commit_graph_new(void **out, const char *objects_dir,
	    int open_file);
int	 __wrap_git_commit_graph_new(void **out, const char *objects_dir,
	    int open_file);

/* the chunks libgit2 1.5's commit_graph.c accepts */
static int
known_chunk(const unsigned char *id)
{
	static const char known[][5] = { "OIDF", "OIDL", "CDAT", "EDGE",
	    "BIDX", "BDAT" };
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (memcmp(id, known[i], 4) == 0)
			return 1;
	return 0;
}

/* 1 when the graph's chunk table holds a chunk libgit2 rejects */
static int
graph_rejected(const char *objects_dir)
{
	/* "CGPH", version 1, SHA-1, the chunk count, the base count */
	unsigned char hdr[8 + 256 * 12];
	char path[4096];
	ssize_t n = -1;
	size_t i, chunks = 0;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/info/commit-graph",
	    objects_dir) >= sizeof(path) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = pread(fd, hdr, sizeof(hdr), 0);
	close(fd);
	if (n >= 8 && memcmp(hdr, "CGPH\1\1", 6) == 0)
		chunks = hdr[6];
	if (chunks == 0 || (size_t)n < 8 + chunks * 12)
		return 0;	/* libgit2 says what is wrong */
	for (i = 0; i < chunks; i++)
		if (!known_chunk(hdr + 8 + i * 12))
			return 1;
	return 0;
}

int
__wrap_git_commit_graph_new(void **out, const char *objects_dir,
    int open_file)
{
	if (!open_file && objects_dir != NULL && graph_rejected(objects_dir)) {
		*out = NULL;	/* no graph: the commits are read */
		return 0;
	}
	return __real_git_commit_graph_new(out, objects_dir, open_file);
}
#endif

#ifndef STARTUP_WRAP_MBEDTLS
/* shared libraries: ours comes first, the dynamic linker finds mbedTLS's */
int
mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	int (*real)(void *, const char *);

	if (in_init) {
		skipped++;
		return 0;	/* nothing parsed, nothing trusted */
	}
	*(void **)&real = dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file");
	return real != NULL ? real(chain, path) : -1;
}
#endif

int
libgit2_start(void)
{
	int rc;

	in_init = 1;
	rc = git_libgit2_init();
	in_init = 0;
	/*
	 * Every object read is hashed again by default; git does not do
	 * that on its everyday reads either (git fsck does), and it is a
	 * third of the cost of reading a small object.
	 */
	if (rc >= 0)
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (rc >= 0)
		git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
		    (size_t)1 << 20);
	return rc;
}

int
libgit2_start_skipped(void)
{
	return skipped;
}
