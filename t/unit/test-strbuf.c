/* Unit tests for lib/strbuf.c: the atomic file writer, the quoters. */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "t/unit/tap.h"

static void
json(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	char name[128];

	strbuf_add_json(&sb, in);
	snprintf(name, sizeof(name), "json: %s", want);
	is_str(sb.buf, want, name);
	strbuf_release(&sb);
}

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
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644,
	    "mode 0644, as a file git writes");
	{
		DIR *d = opendir(dir);
		struct dirent *de;
		int n = 0;

		while (d != NULL && (de = readdir(d)) != NULL)
			n += de->d_name[0] != '.';
		if (d != NULL)
			closedir(d);
		is_int(n, 1, "nothing but the file in the directory");
	}

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
	json("plain", "\"plain\"");
	json("a\"b\\c\n\t\x01\x7f", "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\"");
	json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	json("bad\xff", "\"bad\\udcff\"");
	json("latin1 caf\xe9!", "\"latin1 caf\\udce9!\"");
	json("overlong \xc0\xaf", "\"overlong \\udcc0\\udcaf\"");
	json("surrogate \xed\xa0\x80", "\"surrogate \\udced\\udca0\\udc80\"");
	json("cut \xe2\x82", "\"cut \\udce2\\udc82\"");
	json("too big \xf4\x90\x80\x80", "\"too big \\udcf4\\udc90\\udc80\\udc80\"");
	{
		struct strbuf q = STRBUF_INIT;

		strbuf_add_shquoted(&q, "v1.2.3");
		is_str(q.buf, "v1.2.3", "sh: a plain word stays");
		strbuf_reset(&q);
		strbuf_add_shquoted(&q, "$(rm -rf /) it's");
		is_str(q.buf, "'$(rm -rf /) it'\\''s'", "sh: quoted");
		strbuf_reset(&q);
		strbuf_add_shquoted(&q, "");
		is_str(q.buf, "''", "sh: the empty word");
		strbuf_release(&q);
	}
	ok(str_blank(""), "blank: empty");
	ok(str_blank(" \t\n "), "blank: white space");
	ok(!str_blank(" x "), "blank: a word is not");
	return done_testing();
}
