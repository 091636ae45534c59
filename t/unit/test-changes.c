/* Unit tests for lib/changes.c: path patterns and migration ids. */
#include <stdlib.h>

#include "lib/changes.h"
#include "t/unit/tap.h"

static void
under(const char *path, const char *pattern, int want)
{
	struct strlist l = STRLIST_INIT;
	char name[200];

	strlist_add(&l, pattern);
	snprintf(name, sizeof(name), "'%s' %s under '%s'", path,
	    want ? "is" : "is not", pattern);
	is_int(path_under(path, &l), want, name);
	strlist_release(&l);
}

static void
id(const char *path, const char *want)
{
	char *got = migration_id(path);
	char name[200];

	snprintf(name, sizeof(name), "migration id of '%s'", path);
	is_str(got, want, name);
	free(got);
}

int
main(void)
{
	struct strlist two = STRLIST_INIT;

	under("db/migrate/20240115120000_add_users.rb", "db/migrate/", 1);
	under("db/migrate/sub/x.rb", "db/migrate/", 1);
	under("db/migrate", "db/migrate/", 0);
	under("db/migrate/", "db/migrate/", 0);
	under("db/migrated/x.rb", "db/migrate/", 0);
	under("xdb/migrate/x.rb", "db/migrate/", 0);
	under("app/db/migrate/x.rb", "db/migrate/", 0);
	under("app/migrations/0001_initial.py", "*/migrations/", 1);
	under("migrations/0001.sql", "*/migrations/", 0);
	under("a/b/migrations/0001.sql", "*/migrations/", 0);
	under("app/migrations", "*/migrations/", 0);
	under(".hidden/migrations/x.sql", "*/migrations/", 0);
	under("config/app.yml", "config/", 1);
	under("config.yml", "config/", 0);
	under("src/main/resources/db/migration/V1__init.sql",
	    "src/main/resources/db/migration/", 1);
	under("svc-*/migrations/x", "svc-*/migrations/", 1);
	under("svc-a/migrations/x", "svc-*/migrations/", 1);
	under("web/migrations/x", "svc-*/migrations/", 0);
	under("config/app.yml", "config", 1);

	strlist_add(&two, "db/migrate/");
	strlist_add(&two, "alembic/versions/");
	is_int(path_under("alembic/versions/abc_add.py", &two), 1,
	    "second of two patterns");
	is_int(path_under("alembic/env.py", &two), 0, "none of two");
	strlist_release(&two);

	id("db/migrate/20240115120000_add_user_preferences_table.rb",
	    "20240115120000_add_user_preferences_table");
	id("migrations/0001_init.up.sql", "0001_init");
	id("migrations/V1.2__init.sql", "V1.2__init");
	id("prisma/migrations/20240115_add_users/migration.sql",
	    "20240115_add_users");
	id("app/migrations/0002_auto.py", "0002_auto");
	id("noext", "noext");
	id("db/migrate/.keep", ".keep");
	id("migration.sql", "migration");
	return done_testing();
}
