/*
 * semver_parse(): any input parses or is refused; what parses formats
 * back to the same text, compares equal to itself, and bumps upward or
 * is refused at the 64-bit limit.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/semver.h"
#include "t/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct strbuf sb = STRBUF_INIT;
	struct semver v, w, b;
	int kind;

	if (semver_parse(&v, s) == 0) {
		semver_format(&sb, &v);
		if (strcmp(sb.buf, s) != 0 || semver_parse(&w, sb.buf) != 0 ||
		    semver_cmp(&v, &w) != 0)
			abort();
		for (kind = BUMP_PATCH; kind <= BUMP_MAJOR; kind++)
			if (semver_bump(&b, &v, kind) == 0 &&
			    semver_cmp(&b, &v) < 0)
				abort();
		(void)semver_pre_number(&v, "rc");
	}
	if (size > 0)
		(void)semver_parse_len(&v, s, size - 1);
	strbuf_release(&sb);
	free(s);
	return 0;
}
