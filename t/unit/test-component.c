/* Unit tests for lib/component.c: declaring, choosing, owning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/component.h"
#include "lib/config.h"
#include "lib/deploylog.h"
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

static int
sh(const char *cmd)
{
	return system(cmd);
}

/*
 * In a repository: which commits a component owns, and the running
 * version of each component whatever the command selected.
 */
static void
test_repository(void)
{
	struct ctx ctx = CTX_INIT;
	struct deploy_entry e, got;
	git_commit *c = NULL;
	char dir[] = "/tmp/test-component.XXXXXX", cwd[4096], *tag = NULL;
	git_oid id;
	int rc, mine;

	if (mkdtemp(dir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL ||
	    chdir(dir) < 0) {
		ok(0, "repository: temporary directory");
		return;
	}
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C O Mitter", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_CONFIG_PARAMETERS");
	rc = sh("git init -q -b main . && mkdir -p s/api s/web &&"
	    " echo 1 >s/api/f && git add s && git commit -q -m api &&"
	    " git tag -a -m r api/v1.0.0 &&"
	    " echo 1 >s/web/f && git add s && git commit -q -m web &&"
	    " git tag -a -m r web/v1.0.0 &&"
	    " git config release.component.api.tagPrefix api/v &&"
	    " git config release.component.api.path s/api &&"
	    " git config release.component.web.tagPrefix web/v &&"
	    " git config release.component.web.path s/web");
	is_int(rc, 0, "repository: made");
	if (rc != 0 || (rc = ctx_open(&ctx)) < 0) {
		ok(0, "repository: opened");
		goto out;
	}

	component_use(&ctx, component_find(&ctx.set.components, "api"));
	repo_lookup_commit(&c, &ctx, "HEAD");
	ok(component_touches(&mine, &ctx, c) == 0 && !mine,
	    "a web commit is not api's");
	git_commit_free(c);
	repo_lookup_commit(&c, &ctx, "HEAD~1");
	ok(component_touches(&mine, &ctx, c) == 0 && mine,
	    "the root commit adding s/api is api's");
	git_commit_free(c);
	c = NULL;
	git_reference_name_to_id(&id, ctx.repo, "HEAD");
	ok(component_any_commit(&mine, &ctx, NULL, &id) == 0 && mine,
	    "api has a commit in all history");
	repo_lookup_commit(&c, &ctx, "HEAD~1");
	ok(component_any_commit(&mine, &ctx, git_commit_id(c), &id) == 0 &&
	    !mine, "none since api/v1.0.0: web's commit only");
	git_commit_free(c);
	c = NULL;

	/* api runs by the log, web from the release branch */
	memset(&e, 0, sizeof(e));
	e.env = "production";
	e.tag = "api/v1.0.0";
	e.kind = DEPLOY_KIND_DEPLOY;
	e.component = "api";
	repo_lookup_commit(&c, &ctx, "api/v1.0.0");
	git_oid_cpy(&e.commit, git_commit_id(c));
	git_commit_free(c);
	c = NULL;
	ok(deploylog_append(&id, &ctx, &e, NULL) == 0, "api deployed");

	component_use(&ctx, component_find(&ctx.set.components, "web"));
	rc = deploy_running_component(&tag, &got, &ctx, "production",
	    component_find(&ctx.set.components, "api"));
	ok(rc == 0 && tag != NULL && strcmp(tag, "api/v1.0.0") == 0,
	    "api's running version, with web selected");
	ok(got.tag != NULL && got.component != NULL &&
	    strcmp(got.component, "api") == 0, "from its log entry");
	is_str(ctx.set.tag_prefix, "web/v", "the selection is put back");
	ok(ctx.set.component == component_find(&ctx.set.components, "web"),
	    "the selected component too");
	free(tag);
	deploy_entry_release(&got);
	rc = deploy_running_component(&tag, &got, &ctx, "production",
	    component_find(&ctx.set.components, "web"));
	ok(rc == 0 && tag != NULL && strcmp(tag, "web/v1.0.0") == 0,
	    "web's running version: from the release branch");
	ok(got.tag == NULL, "no log entry for web");
	free(tag);
	deploy_entry_release(&got);
out:
	ctx_release(&ctx);
	if (chdir(cwd) == 0 && getenv("KEEP") == NULL) {
		char *rm = xstrfmt("rm -rf '%s'", dir);

		sh(rm);
		free(rm);
	}
}

int
main(void)
{
	struct component_set set = COMPONENT_SET_INIT;
	struct ctx ctx = CTX_INIT;
	const char *rel;
	int rc;

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

	capture_stderr();
	rc = load(&set, "'release.component.db.path'='db'");
	is_str(captured_stderr(), "fatal: component 'db' has no tag prefix\n"
	    "hint: set it: git config release.component.db.tagPrefix db/v\n",
	    "a component without a prefix: the message and the fix");
	ok(rc == E_FATAL, "a component without a prefix is fatal");
	component_set_release(&set);
	capture_stderr();
	rc = load(&set, "'release.component.a.tagPrefix'='x/v' "
	    "'release.component.b.tagPrefix'='x/v'");
	is_str(captured_stderr(), "fatal: components 'a' and 'b' share the "
	    "tag prefix 'x/v'\n", "a shared prefix: both named");
	ok(rc == E_FATAL, "two components sharing a prefix is fatal");
	component_set_release(&set);
	capture_stderr();
	rc = load(&set, "'release.component.a b.tagPrefix'='x/v'");
	is_str(captured_stderr(), "fatal: 'a b' is not a valid component "
	    "name\n", "a bad name: quoted");
	ok(rc == E_FATAL, "a name with a space is fatal");
	component_set_release(&set);
	test_repository();
	return done_testing();
}
