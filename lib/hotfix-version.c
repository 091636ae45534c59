/*
 * The version a hotfix takes: pure arithmetic over versions, kept apart
 * from the repository code so the unit tests can reach it alone.
 *
 * Why one above the highest stable patch of the line and not the first
 * gap: a gap is usually a version that was tagged and deleted (and may
 * still live in an artifact registry or a deployment log), and a hotfix
 * numbered below an existing release of its line would never be picked
 * by "the newest 1.2.x" rules of package managers and of rollback.
 */
#include <stdint.h>

#include "hotfix.h"
#include "banned.h"

int
hotfix_next_patch(struct semver *out, const struct semver *base,
    const struct semver *versions, size_t n)
{
	uint64_t patch;
	size_t i;

	/* above the base: 1.2.2 -> 1.2.3; 1.3.0-rc.1 -> 1.3.0 */
	if (semver_is_stable(base)) {
		if (base->patch == UINT64_MAX)
			return error("no patch version is left above '%llu.%llu."
			    "%llu'", (unsigned long long)base->major,
			    (unsigned long long)base->minor,
			    (unsigned long long)base->patch);
		patch = base->patch + 1;
	} else
		patch = base->patch;

	/* above every stable version of the line */
	for (i = 0; i < n; i++) {
		const struct semver *v = &versions[i];

		if (v->major != base->major || v->minor != base->minor ||
		    !semver_is_stable(v) || v->patch < patch)
			continue;
		if (v->patch == UINT64_MAX)
			return error("no patch version is left on the line "
			    "'%llu.%llu'", (unsigned long long)v->major,
			    (unsigned long long)v->minor);
		patch = v->patch + 1;
	}
	out->major = base->major;
	out->minor = base->minor;
	out->patch = patch;
	out->pre = out->build = NULL;
	out->pre_len = out->build_len = 0;
	return 0;
}
