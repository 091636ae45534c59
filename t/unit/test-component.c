/* Unit tests for lib/component.c: declaring, choosing, owning. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "lib/component.h"
#include "lib/config.h"
#include "lib/repo.h"
#include "t/unit/tap.h"

/* a config holding only "git -c" values, as GIT_CONFIG_PARAMETERS says */
static int
load(struct component_set *set, const char *params)
{
	struct config cfg = CONFIG_INIT;
	int rc;

	if (config_parse_parameters(&cfg.keys, &cfg.values, params) < 0)
		return -1000;
	rc = component_set_load(set, &cfg);
	config_release(&cfg);
	return rc;
}

int
main(void)
{
	struct component_set set = COMPONENT_SET_INIT;
	struct ctx ctx = CTX_INIT;
	const char *rel;

	git_libgit2_init();
	ok(load(&set, "") == 0 && set.nr == 0, "nothing declared");
	component_set_release(&set);

	ok(load(&set, "'release.component.web.tagPrefix'='web/v' "
	    "'release.component.web.path'='./assets/' "
	    "'release.component.web.path'='services/web' "
	    "'release.component.api.tagprefix'='api/v' "
	    "'release.component.api.path'='services/api/'") == 0,
	    "two components load");
	is_int(set.nr, 2, "two of them");
	is_str(set.items[0].name, "api", "in name order");
	is_str(set.items[0].tag_prefix, "api/v", "variable names fold case");
	is_int(set.items[0].paths.nr, 1, "api has one path");
	is_str(set.items[0].paths.items[0], "services/api",
	    "trailing slash dropped");
	is_int(set.items[1].paths.nr, 2, "web has two paths");
	is_str(set.items[1].paths.items[0], "assets", "leading ./ dropped");

	ok(component_find(&set, "web") == &set.items[1], "find by name");
	ok(component_find(&set, "Web") == NULL, "names are exact");
	ok(component_for_tag(&set, "api/v1.2.3") == &set.items[0],
	    "a tag names its component");
	ok(component_for_tag(&set, "refs/tags/web/v2.0.0-rc.1") ==
	    &set.items[1], "a full ref name too");
	ok(component_for_tag(&set, "api/v1.2") == NULL,
	    "no SemVer after the prefix: no component");
	ok(component_for_tag(&set, "v1.2.3") == NULL, "another prefix");
	ok(component_for_tag(&set, "1.2.3") == NULL, "no prefix at all");

	/* owning log entries and paths, through a context */
	ctx.set.tag_prefix = "api/v";
	ctx.set.component = &set.items[0];
	ok(component_owns_entry(&ctx, "api/v1.0.0", NULL),
	    "an entry without Component: its tag decides");
	ok(component_owns_entry(&ctx, "api/v1.0.0", "api"),
	    "an entry of this component");
	ok(!component_owns_entry(&ctx, "api/v1.0.0", "web"),
	    "a Component that disagrees with the tag");
	ok(!component_owns_entry(&ctx, "web/v1.0.0", NULL),
	    "another component's tag");
	ok(component_has_path(&ctx, "services/api/db/x.sql", &rel) &&
	    strcmp(rel, "db/x.sql") == 0, "a file under the path, relative");
	ok(!component_has_path(&ctx, "services/apiary/x", &rel),
	    "a longer name is not under the path");
	ok(!component_has_path(&ctx, "services/web/x", &rel),
	    "another component's file");
	ctx.set.component = &set.items[1];
	ok(component_has_path(&ctx, "assets", &rel),
	    "a path that is a file is the component's");

	/* the default component: the prefix alone decides */
	ctx.set.component = NULL;
	ctx.set.tag_prefix = "v";
	ok(component_owns_entry(&ctx, "v1.0.0", NULL), "a v tag is the default's");
	ok(!component_owns_entry(&ctx, "api/v1.0.0", NULL),
	    "a prefixed tag is not");
	ok(component_has_path(&ctx, "anything/at/all", &rel) &&
	    strcmp(rel, "anything/at/all") == 0, "every path is the default's");
	component_set_release(&set);

	ok(load(&set, "'release.component.db.path'='db'") == E_FATAL,
	    "a component without a prefix is fatal");
	component_set_release(&set);
	ok(load(&set, "'release.component.a.tagPrefix'='x/v' "
	    "'release.component.b.tagPrefix'='x/v'") == E_FATAL,
	    "two components sharing a prefix is fatal");
	component_set_release(&set);
	ok(load(&set, "'release.component.a b.tagPrefix'='x/v'") == E_FATAL,
	    "a name with a space is fatal");
	component_set_release(&set);
	return done_testing();
}
