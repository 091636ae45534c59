# Fixtures shared by the git rollback tests (t02xx): a shop with five
# releases, two database migrations and a config file, its production
# branch, and a bare remote on disk that it pushes to.
#
#	v1.2.0	feat: app
#	v1.2.1	fix: typo
#	v1.2.2	feat: users (migration 20240101000000_create_users),
#		feat: config (config/app.yml)
#	v1.2.3	feat: user preferences (migration, in the seed's free form),
#		fix: port (config/app.yml)
#	v1.2.4	fix: crash on login		<- main, production

# release <tag> [<trailer>...]: an annotated release tag on HEAD
release () {
	_msg="Release $1" &&
	_tag=$1 &&
	shift &&
	if test $# -gt 0
	then
		_msg="$_msg
" &&
		for _t
		do
			_msg="$_msg
$_t"
		done
	fi &&
	test_tick &&
	git tag -a -m "$_msg" "$_tag"
}

# setup_shop: remote.git (bare) and work (its clone, the current dir)
setup_shop () {
	git init -q --bare remote.git &&
	git init -q work &&
	cd work &&
	git remote add origin ../remote.git &&
	printf "%s\n" out err expect actual "*.out" "*.rev" "log.*" >.git/info/exclude &&
	test_commit "feat: app" app.txt "app 1" &&
	release v1.2.0 &&
	test_commit "fix: typo" app.txt "app 2" &&
	release v1.2.1 &&
	test_commit "feat: users" db/migrate/20240101000000_create_users.rb \
		"create users" &&
	test_commit "feat: config" config/app.yml "port: 80" &&
	release v1.2.2 "Migration: 20240101000000_create_users" \
		"Config: config/app.yml" &&
	test_commit "feat: user preferences" \
		db/migrate/20240115120000_add_user_preferences_table.rb \
		"add preferences" &&
	test_commit "fix: port" config/app.yml "port: 8080" &&
	release v1.2.3 \
		"Migration: add_user_preferences_table (timestamp: 20240115120000)" \
		"Config: config/app.yml" &&
	test_commit "fix: crash on login" app.txt "app 3" &&
	release v1.2.4 &&
	git branch production &&
	git push -q origin main production "refs/tags/*:refs/tags/*"
}

# short <rev>: the 7-character id the checklist prints
short () {
	git rev-parse --short=7 "$1^{commit}"
}

full () {
	git rev-parse "$1^{commit}"
}

# log_entry [<env>]: the newest deployment log entry's message, holds
# aside (every rollback puts one on top: held_at asserts it)
log_entry () {
	git log -1 --format=%B --invert-grep --grep="^Kind: hold\$" \
		--grep="^Kind: unhold\$" "refs/deploy/log/${1:-production}"
}

# held_at [<env>]: the version <env> is held at by its newest hold or
# unhold entry ("" when not held)
held_at () {
	_h=$(git log -1 --format=%B -E --grep="^Kind: (un)?hold\$" \
		"refs/deploy/log/${1:-production}") &&
	if printf "%s\n" "$_h" | grep -q "^Kind: hold\$"
	then
		printf "%s\n" "$_h" | sed -n "s/^Version: //p"
	fi
}

# mark_of <tag>: the reasons a release is marked bad, one a line (first
# lines only)
mark_of () {
	_mark=$(git cat-file -p "refs/deploy/marks:$1") &&
	printf "%s\n" "$_mark" | sed -n "s/^Reason: //p"
}

# remote_rev <ref>: what the bare remote holds
remote_rev () {
	git --git-dir=../remote.git rev-parse --verify -q "$1"
}

# test_config <key> <value>: set for this test only
test_config () {
	git config "$1" "$2" &&
	test_when_finished "git config --unset-all '$1'"
}

# fetched: the deployment log fetched once, so that the fetch every
# reading command starts with changes nothing in a later save_state
fetched () {
	git rollback check >/dev/null 2>&1
	true
}
