/*
 * git release --continue | --abort: the journal of a stopped or killed
 * deploy, yank or cut (journal.h) finished or undone.
 */
#ifndef LIB_PLAN_RELEASE_H
#define LIB_PLAN_RELEASE_H

#include "repo.h"

/*
 * Continue (abort 0) or abort the journal's operation; json: print the
 * plan with each step's status afterwards.  E_REFUSED, said, when there
 * is no journal or it is another command's (a rollback, a hotfix).
 */
int	 release_resume(struct ctx *ctx, int abort, int json);

#endif
