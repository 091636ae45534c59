/*
 * deploy_entry_parse(): a log entry's message, as any clone may have
 * pushed it.  What parses formats again, and that text parses too.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/deploylog.h"
#include "t/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct deploy_entry e, again;
	struct strbuf sb = STRBUF_INIT, json = STRBUF_INIT;
	int64_t t;

	memset(&e, 0, sizeof(e));
	memset(&again, 0, sizeof(again));
	if (deploy_entry_parse(&e, s) == 0) {
		deploy_entry_format(&sb, &e);
		if (deploy_entry_parse(&again, sb.buf) != 0)
			abort();
		strbuf_add_json(&json, e.reason);
		strbuf_add_json(&json, e.tag);
		deploy_entry_release(&again);
	}
	deploy_entry_release(&e);
	(void)deploy_time_parse(&t, s);
	strbuf_release(&sb);
	strbuf_release(&json);
	free(s);
	return 0;
}
