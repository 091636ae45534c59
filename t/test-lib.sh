# The suite's test library: sharness, plus an isolated git environment
# and the helpers git's own tests taught us to want.  Every t/tNNNN-*.sh
# sources this file first, from the t/ directory.

SHARNESS_BUILD_DIRECTORY=$(cd "$(dirname "$0")/.." && pwd)
export SHARNESS_BUILD_DIRECTORY

# a predictable world: no user or system config, fixed identity and time
unset GIT_DIR GIT_WORK_TREE GIT_COMMON_DIR GIT_INDEX_FILE GIT_CONFIG_PARAMETERS \
	GIT_CONFIG_COUNT GIT_CEILING_DIRECTORIES EMAIL VISUAL EDITOR \
	XDG_CONFIG_HOME NO_COLOR GIT_PAGER PAGER
TZ=UTC LC_ALL=C LANG=C
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_NAME='A U Thor' GIT_AUTHOR_EMAIL='author@example.com'
GIT_COMMITTER_NAME='C O Mitter' GIT_COMMITTER_EMAIL='committer@example.com'
GIT_EDITOR=false GIT_MERGE_AUTOEDIT=no GIT_TERMINAL_PROMPT=0
export TZ LC_ALL LANG GIT_CONFIG_NOSYSTEM GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_EDITOR GIT_MERGE_AUTOEDIT \
	GIT_TERMINAL_PROMPT

. /usr/share/sharness/sharness.sh

# make valgrind: the commands run under valgrind through t/valgrind/
if test -n "$TEST_VALGRIND"
then
	PATH=$SHARNESS_BUILD_DIRECTORY/t/valgrind:$PATH
	export PATH
fi

# sharness moved HOME into the trash directory: give it a git config
git config --global init.defaultBranch main
git config --global advice.detachedHead false

# test_tick: advance the fake clock a minute (dates start 2005-04-07)
test_tick () {
	if test -z "${test_tick+set}"
	then
		test_tick=1112911993
	else
		test_tick=$(($test_tick + 60))
	fi
	GIT_COMMITTER_DATE="$test_tick +0000"
	GIT_AUTHOR_DATE="$test_tick +0000"
	export GIT_COMMITTER_DATE GIT_AUTHOR_DATE
}

# test_commit <message> [<file> [<contents>]]: one commit, file defaults
# to the message with spaces and colons folded
test_commit () {
	_file=${2:-$(echo "$1" | tr ' :/!()' '______').t}
	mkdir -p "$(dirname "$_file")" &&
	printf '%s\n' "${3:-$1}" >"$_file" &&
	git add -- "$_file" &&
	test_tick &&
	git commit -q -m "$1"
}

# test_cmp_rev <rev> <rev>: both name the same object
test_cmp_rev () {
	git rev-parse --verify "$1" >expect.rev &&
	git rev-parse --verify "$2" >actual.rev &&
	test_cmp expect.rev actual.rev
}

# test_line_count <op> <n> <file>: wc -l of file compares so
test_line_count () {
	test "$(wc -l <"$3")" "$1" "$2" ||
	{ echo "test_line_count: $3 has $(wc -l <"$3") lines, want $1 $2"; cat "$3"; false; }
}

test_path_is_file () {
	test -f "$1" || { echo "File $1 doesn't exist"; false; }
}

test_path_is_dir () {
	test -d "$1" || { echo "Directory $1 doesn't exist"; false; }
}

test_path_is_missing () {
	test ! -e "$1" || { echo "Path $1 exists"; false; }
}

# repo_state: everything a command could change, as text: refs, HEAD,
# index, worktree, reflogs, config, the git dir's top level, objects
repo_state () {
	_gd=$(git rev-parse --git-dir) &&
	git for-each-ref --format='%(refname) %(objectname)' &&
	echo "HEAD $(git symbolic-ref -q HEAD || git rev-parse -q --verify HEAD)" &&
	git ls-files -s &&
	git status --porcelain --untracked-files=all &&
	(cd "$_gd" &&
	 find logs -type f 2>/dev/null | sort | while read f
	 do
		echo "$f $(wc -l <"$f")"
	 done &&
	 cat config &&
	 ls -a | grep -v -e '^index$' -e '^\.*$' -e '^release-suite\.lock$' &&
	 echo "objects $(find objects -type f | wc -l)")
}

# save_state [name] ... test_state_unchanged [name]: prove a refusal or a
# dry run changed nothing at all
# skip_unless_jq: a file whose tests read JSON with jq skips them all
# without it (make deps installs it)
skip_unless_jq () {
	if ! command -v jq >/dev/null 2>&1
	then
		skip_all='jq is needed to read the JSON'
		test_done
	fi
}

save_state () {
	repo_state >"${TRASH_DIRECTORY:-.}/.state-${1:-default}.before"
}

test_state_unchanged () {
	repo_state >"${TRASH_DIRECTORY:-.}/.state-${1:-default}.after" &&
	test_cmp "${TRASH_DIRECTORY:-.}/.state-${1:-default}.before" \
		"${TRASH_DIRECTORY:-.}/.state-${1:-default}.after"
}

# the repository lock (flock(2) on release-suite.lock, which stays in
# place and is not part of the state above: opening it creates it)
lock_file () {
	echo "$(git rev-parse --git-common-dir)/release-suite.lock"
}

# hold_lock <command line>: hold the lock as a running command of ours
# would, its line written in the file, until release_lock
hold_lock () {
	_lf=$(lock_file) &&
	rm -f "$TRASH_DIRECTORY/.lock-held" &&
	{ flock -o -x "$_lf" sh -c 'printf "%s\npid %s\n" "$1" $$ >"$2" &&
		: >"$3" && exec sleep 60' - "$1" "$_lf" \
		"$TRASH_DIRECTORY/.lock-held" </dev/null >/dev/null 2>&1 & } &&
	_i=0 &&
	while ! test -f "$TRASH_DIRECTORY/.lock-held"
	do
		_i=$(($_i + 1)) && test $_i -lt 600 || return 1
		sleep 0.1
	done
}

release_lock () {
	_lf=$(lock_file) &&
	kill $(sed -n "s/^pid //p" "$_lf") &&
	_i=0 &&
	while ! flock -n -x "$_lf" true
	do
		_i=$(($_i + 1)) && test $_i -lt 600 || return 1
		sleep 0.1
	done
}

# test_lock_free: nobody holds the repository lock
test_lock_free () {
	flock -n -x "$(lock_file)" true ||
	{ echo "the repository lock is held: $(cat "$(lock_file)")"; false; }
}

# a terminal for commands that ask or show progress: script(1)
if command -v script >/dev/null 2>&1
then
	test_set_prereq TTY
fi

# on_terminal <input> <command>: run the command with a terminal as its
# stdin and stderr, <input> typed into it; its exit status is kept
on_terminal () {
	printf "%s" "$1" | SHELL=/bin/sh script -qec "$2" /dev/null
}

# signing with ssh keys, as a user's own git set-up would: the
# SSH_SIGN prerequisite, and setup_ssh_signing to give the repository in
# the current directory two keys (key1 the default) that git tag -v
# trusts
if command -v ssh-keygen >/dev/null 2>&1
then
	test_set_prereq SSH_SIGN
fi

setup_ssh_signing () {
	ssh-keygen -q -t ed25519 -N "" -C one -f key1 &&
	ssh-keygen -q -t ed25519 -N "" -C two -f key2 &&
	{
		echo "* namespaces=\"git\" $(cat key1.pub)" &&
		echo "* namespaces=\"git\" $(cat key2.pub)"
	} >allowed &&
	git config gpg.format ssh &&
	git config user.signingKey "$(pwd)/key1" &&
	git config gpg.ssh.allowedSignersFile "$(pwd)/allowed"
}

# man_text <page>: a man page of the suite as plain text
man_text () {
	mandoc -T ascii -O width=1000 "$SHARNESS_BUILD_DIRECTORY/man/$1" |
	sed "s/.$(printf '\b')//g"
}

# synopsis_is_usage <command>: the SYNOPSIS forms of git-<command>(1)
# are exactly the usage lines of "git <command> -h" (mandoc drops <>)
synopsis_is_usage () {
	man_text "git-$1.1" |
	sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | sed "1d;\$d" |
	sed -e "s/^ *//" -e "/^\$/d" -e "s/  */ /g" >synopsis.actual &&
	test_expect_code 129 git "$1" -h >usage.raw &&
	sed -e "/^\$/q" usage.raw |
	sed -e "s/^usage: //" -e "s/^   or: //" -e "/^\$/d" \
		-e "s/[<>]//g" -e "s/  */ /g" >synopsis.expect &&
	test_cmp synopsis.expect synopsis.actual
}

TRASH_DIRECTORY=$(pwd)
export TRASH_DIRECTORY
