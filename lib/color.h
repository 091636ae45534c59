/*
 * Colour on a terminal, as git decides it: color.ui (auto, always,
 * never, or a boolean; git -c included), auto meaning a terminal, and
 * NO_COLOR (non-empty) turning auto off.
 */
#ifndef LIB_COLOR_H
#define LIB_COLOR_H

#include "repo.h"

#define COLOR_RED	"\033[31m"
#define COLOR_GREEN	"\033[32m"
#define COLOR_YELLOW	"\033[33m"
#define COLOR_BOLD	"\033[1m"
#define COLOR_RESET	"\033[m"

/* should output to fd be coloured? */
int	 want_color(struct ctx *ctx, int fd);

#endif
