/*
 * The state files of stopped operations, as a crash, a disk or a user
 * may leave them: the revert sequence's state, through the parser its
 * reader uses, and the "key value" line splitter of the state files.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/sequencer.h"
#include "t/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seq_state st;
	char *s = fuzz_string(data, size), *cur, *k, *v;

	for (cur = s; kv_next(&cur, &k, &v);)
		if (strchr(k, '\n') != NULL || strchr(v, '\n') != NULL ||
		    strchr(k, ' ') != NULL)
			abort();
	free(s);
	s = fuzz_string(data, size);
	(void)seq_state_parse(&st, s, "state");
	seq_state_release(&st);
	free(s);
	return 0;
}
