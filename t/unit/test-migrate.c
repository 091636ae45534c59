/* Unit tests for lib/migrate.c: trailer forms, matching, ordering. */
#include <stdlib.h>

#include "lib/migrate.h"
#include "t/unit/tap.h"

static void
parses(const char *value, const char *id, const char *version)
{
	char *gid, *gver, name[200];

	snprintf(name, sizeof(name), "trailer '%s'", value);
	ok(migration_parse_trailer(&gid, &gver, value) == 0, name);
	is_str(gid, id, name);
	is_str(gver, version, name);
	free(gid);
	free(gver);
}

/* the list as "id/version/path/release" lines, one string */
static char *
dump(const struct migration_list *l)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < l->nr; i++)
		strbuf_addf(&sb, "%s/%s/%s/%s;", l->items[i].id,
		    l->items[i].version,
		    l->items[i].path ? l->items[i].path : "-",
		    l->items[i].release ? l->items[i].release : "-");
	return strbuf_detach(&sb, NULL);
}

static void
check(struct migration_list *l, const char *want, const char *name)
{
	char *got;

	migrations_sort(l);
	got = dump(l);
	is_str(got, want, name);
	free(got);
	migration_list_release(l);
}

int
main(void)
{
	struct migration_list l = MIGRATION_LIST_INIT;
	char *id, *ver;

	parses("20240115120000_add_user_preferences_table",
	    "20240115120000_add_user_preferences_table", "20240115120000");
	parses("add_user_preferences_table (timestamp: 20240115120000)",
	    "add_user_preferences_table", "20240115120000");
	parses("  add_index(version 7) ", "add_index", "7");
	parses("003_add_index", "003_add_index", "003");
	parses("create_users", "create_users", "");
	parses("create_users (no number)", "create_users", "");
	ok(migration_parse_trailer(&id, &ver, "   ") < 0,
	    "an empty trailer is rejected");

	/* the seed's free form matches the file by its timestamp */
	migrations_add_file(&l,
	    "db/migrate/20240115120000_add_user_preferences_table.rb",
	    "20240115120000_add_user_preferences_table", 0);
	migrations_add_trailer(&l,
	    "add_user_preferences_table (timestamp: 20240115120000)",
	    "v1.2.3", 0);
	check(&l, "20240115120000_add_user_preferences_table/20240115120000/"
	    "db/migrate/20240115120000_add_user_preferences_table.rb/v1.2.3;",
	    "free-form trailer and file are one migration");

	/* the suite's form matches by id; the same trailer twice is once */
	migrations_add_file(&l, "db/migrate/20240101000000_a.rb",
	    "20240101000000_a", 0);
	migrations_add_trailer(&l, "20240101000000_a", "v1.3.0", 0);
	migrations_add_trailer(&l, "20240101000000_a", "v1.3.0-rc.1", 1);
	check(&l, "20240101000000_a/20240101000000/db/migrate/"
	    "20240101000000_a.rb/v1.3.0;", "each migration exactly once");

	/* a trailer whose id is only in the file name matches too */
	migrations_add_file(&l, "migrations/0007_add_index.py",
	    "0007_add_index", 0);
	migrations_add_trailer(&l, "add_index", "v2.0.0", 0);
	check(&l, "0007_add_index/0007/migrations/0007_add_index.py/v2.0.0;",
	    "the file name contains the trailer's id");

	/* trailer only: its id and its version */
	migrations_add_trailer(&l, "drop_legacy (timestamp: 20231201000000)",
	    "v1.1.0", 2);
	check(&l, "drop_legacy/20231201000000/-/v1.1.0;",
	    "a trailer with no file keeps its own id");

	/* newest first by version, numerically, whatever the width */
	migrations_add_file(&l, "db/migrate/9_b.rb", "9_b", 0);
	migrations_add_file(&l, "db/migrate/10_c.rb", "10_c", 0);
	migrations_add_file(&l, "db/migrate/20240301000000_d.rb",
	    "20240301000000_d", 0);
	migrations_add_trailer(&l, "x (timestamp: 20240201000000)", "v3.0.0",
	    0);
	check(&l, "20240301000000_d/20240301000000/db/migrate/"
	    "20240301000000_d.rb/-;x/20240201000000/-/v3.0.0;"
	    "10_c/10/db/migrate/10_c.rb/-;9_b/9/db/migrate/9_b.rb/-;",
	    "newest first by MIGRATION_VERSION, as numbers");

	/* no version: by release order, newest release first */
	migrations_add_trailer(&l, "old_one", "v1.0.1", 3);
	migrations_add_trailer(&l, "new_one", "v1.0.3", 1);
	migrations_add_trailer(&l, "mid_one", "v1.0.2", 2);
	migrations_add_trailer(&l, "versioned (timestamp: 1)", "v1.0.1", 3);
	check(&l, "versioned/1/-/v1.0.1;new_one//-/v1.0.3;mid_one//-/v1.0.2;"
	    "old_one//-/v1.0.1;",
	    "without a version: by release order after versioned ones");

	/* leading zeros do not make a number bigger */
	migrations_add_trailer(&l, "0002_x", "v1", 0);
	migrations_add_trailer(&l, "10_y", "v1", 0);
	check(&l, "10_y/10/-/v1;0002_x/0002/-/v1;", "leading zeros ignored");

	/* the same file twice is kept once */
	migrations_add_file(&l, "db/migrate/1_a.rb", "1_a", 0);
	migrations_add_file(&l, "db/migrate/1_a.rb", "1_a", 0);
	is_int(l.nr, 1, "a file is added once");
	migration_list_release(&l);

	id = migration_leading_version("20240115_x");
	is_str(id, "20240115", "leading version");
	free(id);
	id = migration_leading_version("x_2024");
	is_str(id, "", "no leading version");
	free(id);
	return done_testing();
}
