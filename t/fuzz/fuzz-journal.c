/*
 * The journal (lib/journal.c), as a crash, a disk or a user may leave
 * it: whatever parses must format to a text that parses again to the
 * same text, so that a journal rewritten after a step says what the one
 * before it said.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/journal.h"
#include "t/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p = PLAN_INIT, q = PLAN_INIT;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	char *s = fuzz_string(data, size);

	if (journal_parse(&p, s, "journal") == 0) {
		journal_format(&a, &p);
		if (journal_parse(&q, a.buf, "journal") != 0)
			abort();	/* what we write, we read */
		journal_format(&b, &q);
		if (strcmp(a.buf, b.buf) != 0)
			abort();	/* and it says the same */
	}
	plan_release(&p);
	plan_release(&q);
	strbuf_release(&a);
	strbuf_release(&b);
	free(s);
	return 0;
}
