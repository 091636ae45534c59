/*
 * What every libFuzzer target of the suite shares: the input as a
 * NUL-terminated string.  Each target feeds one parser from memory.
 */
#ifndef T_FUZZ_FUZZ_H
#define T_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data[0..size) with a NUL after it; free() it */
char	*fuzz_string(const uint8_t *data, size_t size);

#endif
