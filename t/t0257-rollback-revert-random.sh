#!/bin/sh

test_description='git rollback revert against git revert on generated histories

A fixed pseudo-random history of edits, additions, deletions, renames
and mode changes; every suffix range must revert step by step exactly as
git revert does, and single commits must either give the same tree or
stop on a conflict at the same commit as git.'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY/lib-revert.sh"

seed=20261129
# rand <n>: a number in 0..n-1 in $r, from a fixed sequence
rand () {
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	r=$(( seed / 65536 % $1 ))
}

# pick: a random tracked file in $f
pick () {
	git ls-files >../files &&
	_n=$(wc -l <../files) &&
	rand $_n &&
	f=$(sed -n "$(($r + 1))p" ../files)
}

# commit_step <i> <op>: commit what step i did; a step that changed
# nothing appends to a random file instead, so every step is a commit
commit_step () {
	git add -A &&
	if git diff --cached --quiet
	then
		pick && echo "instead $1" >>"$f" && git add -A
	fi &&
	test_tick && git commit -q -m "step $1 (op $2)"
}

edit_line () {
	pick &&
	_lines=$(wc -l <"$f") &&
	rand $(($_lines + 1)) &&
	awk -v n=$(($r + 1)) -v c="$1" \
		"NR == n { print \"changed \" c; next } { print }" "$f" >../tmp &&
	cat ../tmp >"$f"
}

test_expect_success 'setup: 40 generated commits' '
	git init -q repo &&
	(cd repo &&
	ignore_scratch &&
	mkdir -p a b c/d &&
	for p in a/1 a/2 b/3 b/4 c/5 c/d/6 7
	do
		for l in 1 2 3 4 5 6 7 8; do echo "$p line $l"; done >$p.txt
	done &&
	git add . && test_tick && git commit -q -m base &&
	i=1 &&
	while test $i -le 40
	do
		rand 7
		op=$r
		case $op in
		0|6) edit_line $i && edit_line $i.b ;;
		1) pick && echo "appended $i" >>"$f" ;;
		2) rand 3 && d=$(echo a b c/d | cut -d" " -f$(($r + 1))) &&
		   printf "new $i\nsecond\nthird\n" >$d/n$i.txt && git add $d/n$i.txt ;;
		3) pick && if test $(wc -l <../files) -gt 3
		   then git rm -q "$f"
		   else echo "kept $i" >>"$f"
		   fi ;;
		4) pick && git mv "$f" "$(dirname "$f")/r$i.txt" ;;
		5) pick && if test -x "$f"
		   then chmod -x "$f" && git update-index --chmod=-x "$f"
		   else chmod +x "$f" && git update-index --chmod=+x "$f"
		   fi ;;
		esac &&
		commit_step $i $op || return 1
		i=$(($i + 1))
	done &&
	git tag tip &&
	test $(git rev-list --count HEAD) = 41)
'

for k in 1 3 8 20 40
do
	test_expect_success "the last $k commits, step by step as git" '
		(cd repo && compare_with_git tip~'$k'..tip)
	'
done

# revert_one_like_git <rev>: the same tree as git, or a conflict at the
# same commit in both
revert_one_like_git () {
	git checkout -q -B one-git tip &&
	if git revert --no-edit "$1" >/dev/null 2>&1
	then
		git rev-parse HEAD^{tree} >../expect.one
	elif git rev-parse -q --verify REVERT_HEAD >/dev/null
	then
		echo conflict >../expect.one &&
		git revert --abort
	else
		# git refuses an empty revert; we skip it: the tree stays
		git rev-parse HEAD^{tree} >../expect.one
	fi &&
	git checkout -q -B one-ours tip &&
	worktree_state >../before.state &&
	if git rollback revert -q "$1" 2>/dev/null
	then
		git rev-parse HEAD^{tree} >../actual.one
	else
		echo conflict >../actual.one &&
		git rollback --abort -q &&
		worktree_state >../after.state &&
		test_cmp ../before.state ../after.state
	fi &&
	test_cmp ../expect.one ../actual.one &&
	test_must_be_empty "$(git status --porcelain)"
}

# like_git <rev>...: the same commits (trees) as git revert, and the same
# stop (REVERT_HEAD) when git stops on a conflict; then --abort
like_git () {
	git checkout -q -B many-git tip &&
	git revert --no-edit "$@" >/dev/null 2>&1
	git log --format=%T tip..HEAD >../expect.many &&
	{ git rev-parse -q --verify REVERT_HEAD || echo none; } >>../expect.many &&
	{ git revert --abort 2>/dev/null; git reset -q --hard; } &&
	git checkout -q -B many-ours tip &&
	worktree_state >../before.state &&
	git rollback revert -q "$@" 2>/dev/null
	git log --format=%T tip..HEAD >../actual.many &&
	{ git rev-parse -q --verify REVERT_HEAD || echo none; } >>../actual.many &&
	if test -f .git/release-state/revert
	then
		git rollback --abort -q &&
		worktree_state >../after.state &&
		test_cmp ../before.state ../after.state
	fi &&
	test_cmp ../expect.many ../actual.many
}

test_expect_success 'sets of commits: the same commits and stops as git' '
	(cd repo &&
	for set in "1 5" "2 9 14" "3 4 6 30" "7 12 20 25 33" "10 11" "15 16 17 18"
	do
		args= &&
		for n in $set; do args="$args tip~$n"; done &&
		like_git $args || { echo "differs for $set"; return 1; }
	done)
'

test_expect_success 'every single commit: same tree or same conflict as git' '
	(cd repo &&
	for n in $(seq 1 39)
	do
		revert_one_like_git tip~$n || { echo "differs at tip~$n"; return 1; }
	done)
'

test_expect_success 'squash of every suffix: the tree of its base' '
	(cd repo &&
	for k in 5 17 40
	do
		git checkout -q -B sq tip &&
		git rollback revert -q --squash tip~$k..tip &&
		test "$(git rev-parse HEAD^{tree})" = \
			"$(git rev-parse tip~$k^{tree})" || return 1
	done)
'

test_expect_success 'a second history (another seed): single commits and suffixes' '
	seed=4242 &&
	git init -q repo2 &&
	(cd repo2 &&
	ignore_scratch &&
	mkdir -p x/y z &&
	for p in x/1 x/y/2 z/3 4
	do
		for l in 1 2 3 4 5 6; do echo "$p line $l"; done >$p.txt
	done &&
	git add . && test_tick && git commit -q -m base &&
	i=1 &&
	while test $i -le 30
	do
		rand 6
		op=$r
		case $op in
		0) edit_line $i ;;
		1) pick && echo "appended $i" >>"$f" ;;
		2) mkdir -p z && printf "new $i\nsecond\n" >z/n$i.txt &&
		   git add z/n$i.txt ;;
		3) pick && if test $(wc -l <../files) -gt 3
		   then git rm -q "$f"
		   else echo "kept $i" >>"$f"
		   fi ;;
		4) pick && git mv "$f" "$(dirname "$f")/r$i.txt" ;;
		5) edit_line $i && pick && echo "also $i" >>"$f" ;;
		esac &&
		commit_step $i $op || return 1
		i=$(($i + 1))
	done &&
	git tag tip &&
	compare_with_git tip~30..tip &&
	for n in $(seq 1 29)
	do
		revert_one_like_git tip~$n || { echo "differs at tip~$n"; return 1; }
	done)
'

test_done
