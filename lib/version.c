/* The suite's version, from git describe at build time. */
#include "opts.h"

#ifndef SUITE_VERSION
#define SUITE_VERSION "unknown"
#endif

const char suite_version[] = SUITE_VERSION;
