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

#ifdef STARTUP_WRAP_COMMIT_GRAPH
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* libgit2 1.5's internals (src/libgit2/commit_graph.h, util/hash.h) */
int	 git_commit_graph_new(void **out, const char *objects_dir, int open_file);
int	 git_commit_graph_file_open(void **out, const char *path);
void	 git_commit_graph_free(void *cgraph);
void	 git_commit_graph_file_free(void *file);
int	 git_hash_buf(unsigned char *out, const void *data, size_t len,
	    int algorithm);

/* a graph of one chunk, its checksum right: what libgit2 sees first */
static void
write_graph(const char *dir, const char *chunk)
{
	unsigned char g[60] = "CGPH\1\1\1\0";
	char path[512];
	FILE *f;

	memcpy(g + 8, chunk, 4);
	g[19] = 32;		/* its offset, after the table */
	g[31] = 40;		/* the terminator's: the trailer */
	git_hash_buf(g + 40, g, 40, 1);
	snprintf(path, sizeof(path), "%s/info", dir);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/info/commit-graph", dir);
	f = fopen(path, "wb");
	fwrite(g, 1, sizeof(g), f);
	fclose(f);
}

static void
test_commit_graph(void)
{
	char dir[] = "/tmp/test-startup-XXXXXX", path[512];
	void *g = NULL, *file = NULL;
	const git_error *e;

	if (mkdtemp(dir) == NULL) {
		ok(0, "a temporary directory");
		return;
	}
	snprintf(path, sizeof(path), "%s/info/commit-graph", dir);
	ok(git_commit_graph_new(&g, dir, 0) == 0 && g != NULL,
	    "no graph file: libgit2's graph, to be opened at the first walk");
	git_commit_graph_free(g);
	g = NULL;

	/* git 2.31 and later write generation data (GDA2) */
	write_graph(dir, "GDA2");
	is_int(git_commit_graph_file_open(&file, path), -1,
	    "libgit2 rejects a graph with a chunk it does not know");
	e = git_error_last();
	ok(e != NULL && strstr(e->message, "unrecognized chunk ID") != NULL,
	    "after hashing it: unrecognized chunk ID");
	git_error_clear();
	ok(git_commit_graph_new(&g, dir, 0) == 0 && g == NULL,
	    "so the odb gets no graph for it, unread");

	/* a graph of chunks libgit2 knows is libgit2's to judge */
	write_graph(dir, "OIDF");
	ok(git_commit_graph_new(&g, dir, 0) == 0 && g != NULL,
	    "a graph of known chunks goes to libgit2");
	git_commit_graph_free(g);
	unlink(path);
	snprintf(path, sizeof(path), "%s/info", dir);
	rmdir(path);
	rmdir(dir);
}
#endif

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
#ifdef STARTUP_WRAP_COMMIT_GRAPH
	test_commit_graph();
#endif
	git_libgit2_shutdown();
	return done_testing();
}
