/* Whether to colour, as git would: see color.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "color.h"
#include "pager.h"
#include "banned.h"

int
want_color(struct ctx *ctx, int fd)
{
	const char *v = config_get(&ctx->cfg, "color.ui");
	const char *no = getenv("NO_COLOR");

	if (v != NULL && strcasecmp(v, "always") == 0)
		return 1;
	/* a false boolean is never; a true one means auto, as in git */
	if (v != NULL && (strcasecmp(v, "never") == 0 ||
	    strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
	    strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0))
		return 0;
	if (no != NULL && *no != '\0')
		return 0;
	/* a pager reading stdout keeps the colour, unless color.pager=false */
	if (fd == 1 && pager_in_use()) {
		int b = 1;

		if (config_get_bool(&b, &ctx->cfg, "color.pager", 1) < 0)
			git_error_clear();
		return b;
	}
	return isatty(fd);
}
