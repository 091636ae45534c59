/*
 * Long listings (history, list, notes) through the user's pager, as git
 * log does it:
 *
 * - only when standard output is a terminal, and not when a pager runs
 *   already: git starts one itself for "git -p" and pager.release=<cmd>
 *   and then says so in GIT_PAGER_IN_USE;
 * - the pager is git's choice ("git var GIT_PAGER": GIT_PAGER,
 *   core.pager, PAGER, less), run through "sh -c" with LESS=FRX and LV=-c
 *   unless set; "cat" or an empty one means none, which is what
 *   "git --no-pager" and pager.release=false leave (GIT_PAGER=cat);
 *   pager.<command> (false, or a pager after GIT_PAGER as git ranks
 *   them) is read here too, for git-release run directly;
 * - colour stays: want_color() treats a pager in use as a terminal
 *   (color.pager=false turns that off, as in git).
 *
 * The pager's pid is kept in ctx; cmd_main waits for it (pager_finish)
 * after the command, with standard output closed.
 */
#ifndef LIB_PAGER_H
#define LIB_PAGER_H

#include "repo.h"

/* ctx must be open (the configuration); never fails the command */
void	 pager_start(struct ctx *ctx, const char *command);
void	 pager_finish(struct ctx *ctx);
/* is a pager (ours or git's) reading our standard output? */
int	 pager_in_use(void);

#endif
