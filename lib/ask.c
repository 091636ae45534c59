/*
 * Questions and the editor.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ask.h"
#include "spawn.h"
#include "banned.h"

int
ask_yes(const char *question)
{
	char line[64];

	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	return strcmp(line, "y\n") == 0 || strcmp(line, "yes\n") == 0 ||
	    strcmp(line, "Y\n") == 0;
}

/* drop '#' lines, trim blank lines and trailing space */
static char *
clean_text(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *line, *nl;

	for (line = text; *line != '\0'; line = nl) {
		size_t len;

		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		nl = nl ? nl + 1 : line + len;
		if (*line == '#')
			continue;
		if (sb.len == 0 && strspn(line, " \t") == len)
			continue;
		strbuf_add(&sb, line, len);
		strbuf_rtrim(&sb);
		strbuf_addch(&sb, '\n');
	}
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
}

int
edit_text(char **out, struct ctx *ctx, const char *file,
    const char *template)
{
	const char *var[] = { "var", "GIT_EDITOR", NULL };
	struct strbuf editor = STRBUF_INIT, text = STRBUF_INIT;
	struct child c = CHILD_INIT;
	char *path = xstrfmt("%s%s", git_repository_path(ctx->repo), file);
	char *script = NULL;
	const char *argv[6];
	FILE *fp;
	int rc;

	*out = NULL;
	if (run_git(&editor, var) != 0) {
		rc = error_fatal("cannot tell which editor to use");
		goto out;
	}
	strbuf_rtrim(&editor);
	if ((fp = fopen(path, "w")) == NULL ||
	    fputs(template, fp) == EOF || fclose(fp) == EOF) {
		rc = error_fatal("cannot write '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	/* the editor command is the user's; the file goes in as $1 */
	script = xstrfmt("%s \"$@\"", editor.buf);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = script;
	argv[3] = editor.buf;
	argv[4] = path;
	argv[5] = NULL;
	c.argv = argv;
	c.keep_in = 1;
	if ((rc = child_run(&c)) != 0) {
		rc = error("the editor '%s' failed (exit %d)", editor.buf, rc);
		goto out;
	}
	if (strbuf_read_file(&text, path) < 0) {
		rc = error_fatal("cannot read '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	*out = clean_text(text.buf);
	rc = 0;
out:
	unlink(path);
	free(path);
	free(script);
	strbuf_release(&editor);
	strbuf_release(&text);
	return rc;
}
