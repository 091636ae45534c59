/*
 * Talking to the person at the terminal: a yes/no question before a
 * dangerous step, and a text typed in the editor git would use.  Both
 * only make sense when interactive() says a person is there.
 */
#ifndef LIB_ASK_H
#define LIB_ASK_H

#include "repo.h"

/* print question on stderr, read a line; 1 for y/yes, 0 otherwise */
int	 ask_yes(const char *question);

/*
 * Write template to <git dir>/<file>, open it in the editor git would
 * use (git var GIT_EDITOR: GIT_EDITOR, core.editor, VISUAL, EDITOR),
 * read it back with lines starting with '#' dropped and blank lines
 * trimmed, remove the file.  *out is allocated (may be "").
 */
int	 edit_text(char **out, struct ctx *ctx, const char *file,
	    const char *template);

#endif
