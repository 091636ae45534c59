/* Whether to colour, as git would: see color.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "color.h"
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
	return isatty(fd);
}
