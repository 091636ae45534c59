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
	git_libgit2_shutdown();
	return done_testing();
}
