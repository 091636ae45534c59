/* Unit tests for lib/color.c: color.ui and NO_COLOR. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/color.h"
#include "t/unit/tap.h"

static int
with(const char *ui, const char *no_color, int fd)
{
	struct ctx ctx = CTX_INIT;
	int rc;

	if (ui != NULL) {
		strlist_add(&ctx.cfg.keys, "color.ui");
		strlist_add(&ctx.cfg.values, ui);
	}
	if (no_color != NULL)
		setenv("NO_COLOR", no_color, 1);
	else
		unsetenv("NO_COLOR");
	rc = want_color(&ctx, fd);
	config_release(&ctx.cfg);
	return rc;
}

int
main(void)
{
	int null = open("/dev/null", O_WRONLY);

	ok(with("always", NULL, null), "always colours a file");
	ok(with("ALWAYS", "1", null), "always wins over NO_COLOR");
	ok(!with("never", NULL, null), "never");
	ok(!with("false", NULL, null), "false is never");
	ok(!with("off", NULL, null), "off is never");
	ok(!with("0", NULL, null), "0 is never");
	ok(!with("auto", NULL, null), "auto: not a terminal");
	ok(!with("true", NULL, null), "true is auto");
	ok(!with(NULL, NULL, null), "unset is auto");
	ok(!with(NULL, "1", null), "NO_COLOR with auto");
	close(null);
	return done_testing();
}
