/*
 * packed-refs as the release list reads it (a stream, not libgit2's
 * parser): any file is loaded or refused as malformed, and every
 * release loaded has a name that parses as a version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/release.h"
#include "t/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct release_list l = RELEASE_LIST_INIT;
	struct strlist loose = STRLIST_INIT;
	struct semver v;
	FILE *f;
	size_t i;

	if (size == 0 || (f = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	strlist_add(&loose, "v1.0.0");
	if (release_packed_read(&l, &loose, f, "v", "packed-refs") == 0)
		for (i = 0; i < l.nr; i++)
			if (strncmp(l.items[i].tag, "v", 1) != 0 ||
			    strcmp(l.items[i].tag, "v1.0.0") == 0 ||
			    semver_parse(&v, l.items[i].tag + 1) != 0)
				abort();
	fclose(f);
	strlist_release(&loose);
	release_list_release(&l);
	return 0;
}
