/*
 * The option parser.  It knows nothing of the commands: each passes its
 * table and its usage array, which is the man page's SYNOPSIS.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "strbuf.h"
#include "banned.h"

#define HELP_COLUMN 26

static void
print_usage(FILE *f, const char *const *usage, const struct option *opts)
{
	const struct option *o;
	size_t i;

	for (i = 0; usage[i] != NULL; i++)
		fprintf(f, "%s%s\n", i == 0 ? "usage: " : "   or: ", usage[i]);
	fputc('\n', f);
	for (o = opts; o != NULL && o->type != OPT_T_END; o++) {
		struct strbuf sb = STRBUF_INIT;

		if (o->type == OPT_T_GROUP) {
			fprintf(f, "\n%s\n", o->help);
			continue;
		}
		strbuf_addstr(&sb, "    ");
		if (o->short_name)
			strbuf_addf(&sb, "-%c", o->short_name);
		if (o->short_name && o->long_name)
			strbuf_addstr(&sb, ", ");
		if (o->long_name)
			strbuf_addf(&sb, "--%s", o->long_name);
		if (o->argh)
			strbuf_addf(&sb, " <%s>", o->argh);
		if (sb.len + 2 > HELP_COLUMN) {
			fprintf(f, "%s\n%*s%s\n", sb.buf, HELP_COLUMN, "",
			    o->help);
		} else
			fprintf(f, "%-*s%s\n", HELP_COLUMN, sb.buf, o->help);
		strbuf_release(&sb);
	}
	fputc('\n', f);
}

void
usage_with_options(const char *const *usage, const struct option *opts,
    int to_stdout)
{
	print_usage(to_stdout ? stdout : stderr, usage, opts);
	exit(129);
}

void
usage_error(const char *const *usage, const struct option *opts,
    const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_with_options(usage, opts, 0);
}

static int
takes_arg(const struct option *o)
{
	return o->type == OPT_T_STRING || o->type == OPT_T_INT ||
	    o->type == OPT_T_STRLIST;
}

static void
set_value(const struct option *o, const char *arg, int unset,
    const char *const *usage, const struct option *opts,
    const char *shown)
{
	const char *errstr;

	switch (o->type) {
	case OPT_T_BOOL:
		*(int *)o->value = unset ? 0 : 1;
		break;
	case OPT_T_SETVAL:
		*(int *)o->value = o->defval;
		break;
	case OPT_T_CMDMODE: {
		int *mode = o->value;

		if (*mode != 0 && *mode != o->defval) {
			const struct option *other;

			for (other = opts; other->type != OPT_T_END; other++)
				if (other->value == o->value &&
				    other->defval == *mode)
					break;
			usage_error(usage, opts,
			    "option '%s' cannot be used with '--%s'", shown,
			    other->long_name ? other->long_name : "?");
		}
		*mode = o->defval;
		break;
	}
	case OPT_T_STRING:
		*(const char **)o->value = arg;
		break;
	case OPT_T_INT:
		*(int *)o->value = (int)strtonum(arg, 0, 1000000000, &errstr);
		if (errstr != NULL)
			usage_error(usage, opts,
			    "option '%s' expects a non-negative number, not '%s'",
			    shown, arg);
		break;
	case OPT_T_STRLIST:
		strlist_add(o->value, arg);
		break;
	default:
		break;
	}
}

/*
 * --git-completion-helper, as git's builtins have it: the long options
 * of this table on one line, "=" after those that take a value, then
 * "--" and the negated forms (git's completion shows those on "--no").
 * --git-completion-helper-args: one "<option>=<argh>" per option that
 * takes a value, short and long, so that a completion knows what to
 * offer after it.  Both are generated from the table the parser uses;
 * neither appears in the usage.
 */
static void
print_completion(const struct option *opts, const char *which)
{
	const struct option *o;
	const char *sep = "";
	int negations = 0;

	for (o = opts; o->type != OPT_T_END; o++) {
		if (o->type == OPT_T_GROUP)
			continue;
		if (strcmp(which, "args") == 0) {
			if (!takes_arg(o))
				continue;
			if (o->short_name)
				printf("-%c=%s\n", o->short_name, o->argh);
			if (o->long_name)
				printf("--%s=%s\n", o->long_name, o->argh);
			continue;
		}
		if (o->long_name == NULL)
			continue;
		printf("%s--%s%s", sep, o->long_name, takes_arg(o) ? "=" : "");
		sep = " ";
		if (o->type == OPT_T_BOOL && strncmp(o->long_name, "no-", 3))
			negations++;
	}
	if (strcmp(which, "args") == 0)
		goto out;
	if (negations > 0)
		printf("%s--", sep);
	for (o = opts; negations > 0 && o->type != OPT_T_END; o++)
		if (o->type == OPT_T_BOOL && o->long_name != NULL &&
		    strncmp(o->long_name, "no-", 3))
			printf(" --no-%s", o->long_name);
	putchar('\n');
out:
	exit(0);
}

static const struct option *
find_long(const char *name, size_t len, const struct option *opts,
    const char *const *usage, int *unset)
{
	const struct option *o, *found = NULL;
	int ambiguous = 0, exact;

	*unset = 0;
	for (o = opts; o->type != OPT_T_END; o++) {
		if (o->long_name == NULL)
			continue;
		exact = strlen(o->long_name) == len;
		if (strncmp(o->long_name, name, len) == 0) {
			if (exact)
				return o;
			if (found != NULL && found != o)
				ambiguous = 1;
			found = o;
		}
	}
	if (found == NULL && len > 3 && strncmp(name, "no-", 3) == 0) {
		for (o = opts; o->type != OPT_T_END; o++)
			if (o->type == OPT_T_BOOL && o->long_name != NULL &&
			    strlen(o->long_name) == len - 3 &&
			    strncmp(o->long_name, name + 3, len - 3) == 0) {
				*unset = 1;
				return o;
			}
	}
	if (ambiguous)
		usage_error(usage, opts, "ambiguous option: %.*s", (int)len,
		    name);
	return found;
}

static int
has_long(const struct option *opts, const char *name)
{
	const struct option *o;

	for (o = opts; o->type != OPT_T_END; o++)
		if (o->long_name != NULL && strcmp(o->long_name, name) == 0)
			return 1;
	return 0;
}

int
parse_options(int argc, const char **argv, const struct option *opts,
    const char *const *usage, int flags)
{
	int i, nr = 0, unset;
	const struct option *o;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0') {
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION) {
				while (i < argc)
					argv[nr++] = argv[i++];
				break;
			}
			argv[nr++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			while (++i < argc)
				argv[nr++] = argv[i];
			break;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			struct strbuf shown = STRBUF_INIT;

			if (strcmp(name, "git-completion-helper") == 0 ||
			    strcmp(name, "git-completion-helper-all") == 0)
				print_completion(opts, "options");
			if (strcmp(name, "git-completion-helper-args") == 0)
				print_completion(opts, "args");
			if (strcmp(name, "help-all") == 0 ||
			    (len == 4 && strncmp(name, "help", 4) == 0 &&
			    eq == NULL))
				usage_with_options(usage, opts, 1);
			/* a command's own --version <v> wins over ours */
			if (strcmp(name, "version") == 0 &&
			    !has_long(opts, "version")) {
				printf("%s version %s\n", getprogname(),
				    suite_version);
				exit(0);
			}
			o = find_long(name, len, opts, usage, &unset);
			if (o == NULL)
				usage_error(usage, opts, "unknown option `%.*s'",
				    (int)len, name);
			strbuf_addf(&shown, "--%s", o->long_name);
			if (takes_arg(o)) {
				const char *arg = eq ? eq + 1 : argv[++i];

				if (arg == NULL || i >= argc)
					usage_error(usage, opts,
					    "option `%s' requires a value",
					    o->long_name);
				set_value(o, arg, 0, usage, opts, shown.buf);
			} else {
				if (eq != NULL)
					usage_error(usage, opts,
					    "option `%s' takes no value",
					    o->long_name);
				set_value(o, NULL, unset, usage, opts,
				    shown.buf);
			}
			strbuf_release(&shown);
			continue;
		}
		/* a cluster of short options: -qn, -mtext, -m text */
		for (a++; *a != '\0'; a++) {
			char shown[3] = { '-', *a, '\0' };

			if (*a == 'h')
				usage_with_options(usage, opts, 1);
			for (o = opts; o->type != OPT_T_END; o++)
				if (o->short_name == *a)
					break;
			if (o->type == OPT_T_END)
				usage_error(usage, opts, "unknown switch `%c'",
				    *a);
			if (takes_arg(o)) {
				const char *arg = a[1] ? a + 1 : argv[++i];

				if (i >= argc || arg == NULL)
					usage_error(usage, opts,
					    "switch `%c' requires a value", *a);
				set_value(o, arg, 0, usage, opts, shown);
				break;
			}
			set_value(o, NULL, 0, usage, opts, shown);
		}
	}
	argv[nr] = NULL;
	return nr;
}
