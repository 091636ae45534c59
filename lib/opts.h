/*
 * One option parser for the three commands, after git's parse-options:
 * a table of struct option, one usage array written as the man page's
 * SYNOPSIS, -h prints the usage and exits 129, an unknown option is an
 * error and exits 129.  Long options may be abbreviated to any unique
 * prefix; "--" ends the options; options and arguments may be mixed.
 */
#ifndef LIB_OPTS_H
#define LIB_OPTS_H

enum opt_type {
	OPT_T_END,
	OPT_T_GROUP,
	OPT_T_BOOL,		/* int, set to 1; --no-x sets 0 */
	OPT_T_STRING,		/* const char *, the argv string itself */
	OPT_T_INT,		/* int, non-negative */
	OPT_T_CMDMODE,		/* int, set to defval; two different modes conflict */
	OPT_T_STRLIST,		/* struct strlist, each use appends */
	OPT_T_SETVAL,		/* int, set to defval; several may share one int */
};

struct option {
	enum opt_type	 type;
	int		 short_name;
	const char	*long_name;
	void		*value;
	const char	*argh;
	const char	*help;
	int		 defval;
};

#define OPT_END()			{ OPT_T_END, 0, NULL, NULL, NULL, NULL, 0 }
#define OPT_GROUP(h)			{ OPT_T_GROUP, 0, NULL, NULL, NULL, (h), 0 }
#define OPT_BOOL(s, l, v, h)		{ OPT_T_BOOL, (s), (l), (v), NULL, (h), 1 }
#define OPT_STRING(s, l, v, a, h)	{ OPT_T_STRING, (s), (l), (v), (a), (h), 0 }
#define OPT_INT(s, l, v, a, h)		{ OPT_T_INT, (s), (l), (v), (a), (h), 0 }
#define OPT_CMDMODE(s, l, v, h, i)	{ OPT_T_CMDMODE, (s), (l), (v), NULL, (h), (i) }
#define OPT_STRLIST(s, l, v, a, h)	{ OPT_T_STRLIST, (s), (l), (v), (a), (h), 0 }
#define OPT_SETVAL(s, l, v, h, i)	{ OPT_T_SETVAL, (s), (l), (v), NULL, (h), (i) }

/* the options every command shares, defined once */
#define OPT__QUIET(v)	OPT_BOOL('q', "quiet", (v), "say nothing but errors")
#define OPT__DRY_RUN(v)	OPT_BOOL('n', "dry-run", (v), "print the plan, change nothing")
#define OPT__JSON(v)	OPT_BOOL(0, "json", (v), "one JSON object a line")
#define OPT__YES(v)	OPT_BOOL('y', "yes", (v), "do not ask before acting")
#define OPT__ENV(v)	OPT_STRING(0, "env", (v), "env", \
			    "deployment environment (default: production)")
#define OPT__PUSH(v)	OPT_BOOL(0, "push", (v), "push what changed, atomically")
#define OPT__COMPONENT(v) OPT_STRING(0, "component", (v), "name", \
			    "the component (release.component.<name>)")
#define OPT__NO_FETCH(v) OPT_BOOL(0, "no-fetch", (v), \
			    "do not fetch the deployment log first")

#define PARSE_OPT_STOP_AT_NON_OPTION	0x01

/*
 * Parse argv[1..argc-1] in place.  Returns the number of arguments
 * left, moved to argv[0..]; never returns on -h, --version or a usage
 * error (exit 129, or 0 for --version).
 */
int	 parse_options(int argc, const char **argv, const struct option *opts,
	    const char *const *usage, int flags);
__attribute__((noreturn))
void	 usage_with_options(const char *const *usage,
	    const struct option *opts, int to_stdout);
__attribute__((noreturn))
void	 usage_error(const char *const *usage, const struct option *opts,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* the suite's version, for --version */
extern const char suite_version[];

#endif
