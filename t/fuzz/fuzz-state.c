/*
 * The state files of stopped operations, as a crash, a disk or a user
 * may leave them: the revert sequence's state and the hotfix finish's
 * plan, through the parsers their readers use, and the "key value" line
 * splitter they share.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/hotfix-merge.h"
#include "lib/sequencer.h"
#include "t/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seq_state st;
	struct hotfix_state hs = HOTFIX_STATE_INIT;
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
	s = fuzz_string(data, size);
	(void)hotfix_state_parse(&hs, s, "plan");
	hotfix_state_release(&hs);
	free(s);
	return 0;
}
