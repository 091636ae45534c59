/*
 * The trailer parsers: a Migration: value in either form, a revert's
 * "This reverts commit" lines, the subject of a message.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "lib/checklist.h"
#include "lib/migrate.h"
#include "lib/revert.h"
#include "t/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *id = NULL, *version = NULL;
	struct migration_list l = MIGRATION_LIST_INIT;
	git_oid orig, parent;
	int has_parent;

	if (migration_parse_trailer(&id, &version, s) == 0 &&
	    (id == NULL || version == NULL))
		abort();
	free(id);
	free(version);
	migrations_add_trailer(&l, s, "v1.0.0", 0);
	migrations_add_trailer(&l, s, "v1.0.0", 1);
	migrations_sort(&l);
	migration_list_release(&l);
	(void)revert_parse_reverted(&orig, &parent, &has_parent, s);
	free(message_subject(s));
	free(s);
	return 0;
}
