#!/bin/sh

test_description='the libFuzzer targets: one per parser, a short run each

make fuzz builds them with clang (address and undefined-behaviour
sanitizers); here each runs a few thousand inputs from its seed corpus,
so that a parser change that crashes, leaks or trips a sanitizer on
them fails the suite.  Long runs: make fuzz-run FUZZ_RUNS=10000000.'

. ./test-lib.sh

cat >fuzz-probe.c <<\PROBE
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
PROBE
if command -v clang >/dev/null 2>&1 &&
	clang -fsanitize=fuzzer,address,undefined -o fuzz-probe fuzz-probe.c 2>/dev/null
then
	test_set_prereq FUZZ
else
	skip_all='clang with libFuzzer is missing (apt-get install clang libclang-rt-14-dev)'
	test_done
fi

# a make of its own: under "make -j2 test" MAKEFLAGS names a jobserver
# whose descriptors prove did not pass on
test_expect_success FUZZ 'make fuzz builds every target' '
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s -C "$SHARNESS_BUILD_DIRECTORY" fuzz >build.out 2>&1 ||
	{ cat build.out; false; }
'

for f in semver deploy-entry trailers state journal packed-refs options
do
	test_expect_success FUZZ "fuzz-$f: 5000 inputs, no crash or sanitizer report" '
		mkdir -p work-$f &&
		LSAN_OPTIONS=suppressions=$SHARNESS_BUILD_DIRECTORY/t/fuzz/lsan.supp \
		"$SHARNESS_BUILD_DIRECTORY/t/fuzz/bin/fuzz-$f" -runs=5000 -seed=1 \
			-close_fd_mask=3 -artifact_prefix=crash-$f- \
			work-$f "$SHARNESS_BUILD_DIRECTORY/t/fuzz/corpus/$f" \
			>log-$f 2>&1 ||
		{ tail -40 log-$f; false; } &&
		grep "^Done 5000 runs" log-$f
	'
done

test_done
