/* The helpers of fuzz.h, linked into every target. */
#include <stdlib.h>
#include <string.h>

#include "t/fuzz/fuzz.h"

char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
