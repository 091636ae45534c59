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

	capture_stderr();
	is_int(write_file_atomic(missing, "x", 1), E_FATAL,
	    "a path that cannot be written is fatal");
	like(captured_stderr(), "fatal: cannot write '", "and says so");

	unlink(path);
	rmdir(dir);
	strbuf_release(&sb);
	free(path);
	free(tmp);
	free(missing);
	{
		char text[] = "phase stopped\nnospace\n\nreason two words\nlast x";
		char *cur = text, *k, *v;

		ok(kv_next(&cur, &k, &v), "kv: first line");
		is_str(k, "phase", "kv: key");
		is_str(v, "stopped", "kv: value");
		ok(kv_next(&cur, &k, &v), "kv: a line without a space is skipped");
		is_str(k, "reason", "kv: key after skipped lines");
		is_str(v, "two words", "kv: value keeps its spaces");
		ok(kv_next(&cur, &k, &v), "kv: last line without newline");
		is_str(v, "x", "kv: last value");
		ok(!kv_next(&cur, &k, &v), "kv: end");
		ok(!kv_next(&cur, &k, &v), "kv: end stays the end");
	}
	return done_testing();
}
