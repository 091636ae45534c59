#!/bin/sh

test_description='git release cut: Migration: and Config: trailers'

. ./test-lib.sh

trailers () {
	git cat-file tag "$1" | sed "1,/^\$/d" |
	git interpret-trailers --parse
}

test_expect_success 'setup' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" out err expect actual >.git/info/exclude &&
	test_commit "initial" &&
	git release cut 1.0.0 >/dev/null
'

test_expect_success 'an added Rails migration is a Migration: trailer' '
	test_commit "feat: users" db/migrate/20240115120000_add_users.rb &&
	git release cut &&
	trailers v1.1.0 >actual &&
	echo "Migration: 20240115120000_add_users" >expect &&
	test_cmp expect actual
'

test_expect_success 'a modified migration is no trailer; a config change is' '
	echo more >>db/migrate/20240115120000_add_users.rb &&
	mkdir -p config &&
	printf "a: 1\nb: 2\n" >config/app.yml &&
	git add . && test_tick && git commit -q -m "fix: tune" &&
	git release cut &&
	trailers v1.1.1 >actual &&
	echo "Config: config/app.yml" >expect &&
	test_cmp expect actual
'

test_expect_success 'a deleted config file is a Config: trailer too' '
	git rm -q config/app.yml && test_tick && git commit -q -m "fix: drop" &&
	git release cut &&
	trailers v1.1.2 >actual &&
	echo "Config: config/app.yml" >expect &&
	test_cmp expect actual
'

test_expect_success 'every framework layout, package markers left out' '
	test_commit "fix: a" app/migrations/0002_add_email.py &&
	test_commit "fix: b" app/migrations/__init__.py &&
	test_commit "fix: c" alembic/versions/3f2a_add_index.py &&
	test_commit "fix: d" prisma/migrations/20240201_init/migration.sql &&
	test_commit "fix: e" prisma/migrations/migration_lock.toml &&
	test_commit "fix: f" migrations/0003_x.up.sql &&
	test_commit "fix: g" migrations/0003_x.down.sql &&
	test_commit "fix: h" migrations/.keep &&
	test_commit "fix: i" src/main/resources/db/migration/V4__seed.sql &&
	test_commit "fix: j" a/b/migrations/nested.sql &&
	test_commit "fix: j2" docs/migrations/upgrading-to-2.0.md &&
	test_commit "fix: j3" app/migrations/README.md &&
	test_commit "fix: j4" svc/migrations/V5__seed_more.sql &&
	test_commit "fix: k" docs/migrations.md &&
	git release cut &&
	trailers v1.1.3 >actual &&
	cat >expect <<-\EOF &&
	Migration: 3f2a_add_index
	Migration: 0002_add_email
	Migration: 0003_x
	Migration: 20240201_init
	Migration: V4__seed
	Migration: V5__seed_more
	EOF
	test_cmp expect actual
'

test_expect_success 'the commit lines stay above the trailers' '
	git cat-file tag v1.1.3 | sed "1,/^\$/d" >msg &&
	head -n 3 msg >actual &&
	printf "Release v1.1.3\n\n- fix: k (%s)\n" "$(git rev-parse --short HEAD)" >expect &&
	test_cmp expect actual
'

test_expect_success 'a configured wildcard takes every file, documentation too' '
	test_commit "fix: k2" docs/migrations/upgrading-to-3.0.md &&
	git -c release.migrationsPath="*/migrations/" release cut --dry-run >out &&
	grep "Migration: upgrading-to-3.0" out &&
	git release cut --dry-run >out &&
	! grep "Migration:" out
'

test_expect_success 'release.migrationsPath replaces the defaults (git -c)' '
	test_commit "fix: l" sql/001_init.sql &&
	test_commit "fix: m" db/migrate/20240301000000_more.rb &&
	git -c release.migrationsPath=sql release cut &&
	trailers v1.1.4 >actual &&
	echo "Migration: 001_init" >expect &&
	test_cmp expect actual
'

test_expect_success 'release.migrationsPath and configPath are multi-valued' '
	test_commit "fix: n" sql/002.sql &&
	test_commit "fix: o" schema/003.sql &&
	test_commit "fix: p" deploy/values.yaml &&
	test_commit "fix: q" config/db.yml &&
	git config --add release.migrationsPath sql/ &&
	git config --add release.migrationsPath schema &&
	git -c release.configPath=deploy/ -c release.configPath=config \
		release cut &&
	trailers v1.1.5 >actual &&
	cat >expect <<-\EOF &&
	Migration: 003
	Migration: 002
	Config: config/db.yml
	Config: deploy/values.yaml
	EOF
	test_cmp expect actual &&
	git config --unset-all release.migrationsPath
'

test_expect_success 'a wildcard component in release.migrationsPath' '
	test_commit "fix: r" svc-a/schema/10_a.sql &&
	test_commit "fix: s" svc-b/schema/11_b.sql &&
	test_commit "fix: t" svc-b/other/12_c.sql &&
	git -c "release.migrationsPath=svc-*/schema/" release cut &&
	trailers v1.1.6 >actual &&
	printf "Migration: 10_a\nMigration: 11_b\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the first release counts migrations from the empty tree' '
	git init -q ../first &&
	(cd ../first &&
	 test_commit "initial" db/migrate/20200101000000_create.rb &&
	 test_commit "config" config/app.yml &&
	 git release cut &&
	 trailers v0.1.0 >../repo/actual) &&
	printf "Migration: 20200101000000_create\nConfig: config/app.yml\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--dry-run shows the trailers' '
	test_commit "fix: u" db/migrate/20240401000000_last.rb &&
	save_state &&
	git release cut --dry-run >out &&
	test_state_unchanged &&
	grep "^    Migration: 20240401000000_last\$" out
'

test_done
