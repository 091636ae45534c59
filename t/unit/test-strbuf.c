/* Unit tests for lib/strbuf.c: the atomic file writer. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "t/unit/tap.h"

int
main(void)
{
	char dir[] = "/tmp/test-strbuf.XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	char *path, *tmp, *missing;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	path = xstrfmt("%s/file", dir);
	tmp = xstrfmt("%s/file.tmp", dir);
	missing = xstrfmt("%s/no/such/dir/file", dir);

	is_int(write_file_atomic(path, "one\ntwo\n", 8), 0, "writes a file");
	is_int(strbuf_read_file(&sb, path), 0, "reads it back");
	is_str(sb.buf, "one\ntwo\n", "with the text given");
	ok(stat(tmp, &st) < 0, "and no temporary file left");

	is_int(write_file_atomic(path, "a\0b", 3), 0, "replaces it, NUL kept");
	strbuf_reset(&sb);
	strbuf_read_file(&sb, path);
	is_int(sb.len, 3, "the whole length is written");

	fprintf(stderr, "# an error message is expected next\n");
	is_int(write_file_atomic(missing, "x", 1), E_FATAL,
	    "a path that cannot be written is fatal");

	unlink(path);
	rmdir(dir);
	strbuf_release(&sb);
	free(path);
	free(tmp);
	free(missing);
	return done_testing();
}
