/*
 * Semantic Versioning 2.0.0: strict parsing, precedence, bumps.
 * A struct semver points into the string it was parsed from; that string
 * must outlive it.
 */
#ifndef LIB_SEMVER_H
#define LIB_SEMVER_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct semver {
	uint64_t	 major, minor, patch;
	const char	*pre;		/* NULL when stable */
	size_t		 pre_len;
	const char	*build;		/* NULL when absent */
	size_t		 build_len;
};

enum semver_bump {
	BUMP_NONE,
	BUMP_PATCH,
	BUMP_MINOR,
	BUMP_MAJOR,
};

/* 0, or E_FATAL without a message when s is not exactly a version */
int	 semver_parse(struct semver *out, const char *s);
/* the same for s[0..len) */
int	 semver_parse_len(struct semver *out, const char *s, size_t len);
/* precedence: <0, 0, >0; build metadata ignored */
int	 semver_cmp(const struct semver *a, const struct semver *b);
/* MAJOR.MINOR.PATCH[-pre][+build] */
void	 semver_format(struct strbuf *out, const struct semver *v);
/*
 * The next version after v by kind, without pre-release or build:
 * a pre-release of the version the bump would make is completed, so
 * 2.0.0-rc.1 bumped major is 2.0.0, 1.2.4-rc.1 bumped patch is 1.2.4.
 * E_REFUSED, silent, when the number to raise is already UINT64_MAX
 * (out is then v's core): a version never wraps to 0.
 */
int	 semver_bump(struct semver *out, const struct semver *v,
	    enum semver_bump kind);
/*
 * N when v's pre-release is exactly "<id>.N", 0 when it is "<id>",
 * else -1.
 */
long long semver_pre_number(const struct semver *v, const char *id);
int	 semver_is_stable(const struct semver *v);
/* same major, minor and patch */
int	 semver_same_core(const struct semver *a, const struct semver *b);

#endif
