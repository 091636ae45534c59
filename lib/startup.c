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
