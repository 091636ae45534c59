/*
 * Unit tests for lib/startup.c: libgit2 starts without parsing the CA
 * bundle, and the parse still works when asked for afterwards.
 */
#include <dlfcn.h>
#include <unistd.h>

#include <git2.h>

#include "lib/startup.h"
#include "t/unit/tap.h"

int	 mbedtls_x509_crt_parse_file(void *chain, const char *path);

#ifdef STARTUP_WRAP_HASH_BUF
#include <stdlib.h>
#include <string.h>

/* libgit2's internal file checksum, and what it was before the wrap */
int	 git_hash_buf(unsigned char *out, const void *data, size_t len,
	    int algorithm);
int	 __real_git_hash_buf(unsigned char *out, const void *data, size_t len,
	    int algorithm);

/* OpenSSL's digest is libgit2's, at every length around a block */
static void
test_hash_buf(void)
{
	static const size_t lens[] = { 0, 1, 55, 56, 63, 64, 65, 119, 120,
	    128, 1000, 65536, 1048577 };
	unsigned char *buf = malloc(1048577), a[20], b[20];
	size_t i, same = 0;
	unsigned x = 12345;

	for (i = 0; i < 1048577; i++)
		buf[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(a, 0, sizeof(a));
		memset(b, 1, sizeof(b));
		if (git_hash_buf(a, buf, lens[i], 1) == 0 &&
		    __real_git_hash_buf(b, buf, lens[i], 1) == 0 &&
		    memcmp(a, b, sizeof(a)) == 0)
			same++;
		else
			printf("# length %zu: the digests differ\n", lens[i]);
	}
	is_int((int)same, (int)(sizeof(lens) / sizeof(lens[0])),
	    "a file checksum by OpenSSL is libgit2's own, at every length");
	free(buf);
}
#endif

int
main(void)
{
	const char *bundle = "/etc/ssl/certs/ca-certificates.crt";
	void *ours = dlsym(RTLD_DEFAULT, "mbedtls_x509_crt_parse_file");
	void *theirs = dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file");
	int mbedtls;

	is_int(libgit2_start(), 1, "libgit2 starts");
#ifdef STARTUP_WRAP_MBEDTLS
	/* linked statically: the linker sends libgit2's call to us */
	(void)ours;
	(void)theirs;
	mbedtls = 1;
#else
	/* shared: the dynamic linker finds ours first */
	ok(ours == (void *)mbedtls_x509_crt_parse_file,
	    "libgit2 finds our mbedtls_x509_crt_parse_file first");
	mbedtls = theirs != NULL && theirs != ours;
#endif
	if (!mbedtls) {
		printf("# libgit2 is not linked with mbedTLS here\n");
	} else {
		is_int(libgit2_start_skipped(), 1,
		    "start-up answered the one CA bundle parse with nothing");
		is_int(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS,
		    "/nonexistent/ca.pem", NULL), -1,
		    "after start-up a bundle is parsed for real: a missing one fails");
		git_error_clear();
		if (access(bundle, R_OK) == 0)
			is_int(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS,
			    bundle, NULL), 0,
			    "and the system bundle loads");
		is_int(libgit2_start_skipped(), 1,
		    "and no parse after start-up is skipped");
	}
#ifdef STARTUP_WRAP_HASH_BUF
	test_hash_buf();
#endif
	git_libgit2_shutdown();
	return done_testing();
}
