# Helpers for the revert engine's tests (t025x-t029x).
#
# Test hook: GIT_ROLLBACK_TEST_KILL=<step> makes the engine send itself
# SIGKILL right after that step of its write phase (state, checkout,
# ref, conflict, stopped), to prove that --abort and --continue recover
# from a crash at any point (t0253).

# compare_with_git <args>...: revert <args> with git revert --no-edit on
# a scratch branch and with git rollback revert on another, both from
# HEAD; the trees after every step must be equal, and so must the
# messages.  Leaves HEAD as it was.
compare_with_git () {
	_start=$(git symbolic-ref --short HEAD) &&
	_tip=$(git rev-parse HEAD) &&
	git checkout -q -B cmp-git "$_tip" &&
	git revert --no-edit "$@" >/dev/null &&
	git log --format="%T %s" "$_tip..HEAD" >expect.trees &&
	git log --format="%B" "$_tip..HEAD" >expect.msgs &&
	git checkout -q -B cmp-ours "$_tip" &&
	git rollback revert "$@" >/dev/null &&
	git log --format="%T %s" "$_tip..HEAD" >actual.trees &&
	git log --format="%B" "$_tip..HEAD" >actual.msgs &&
	git status --porcelain >actual.status &&
	git checkout -q "$_start" &&
	test_cmp expect.trees actual.trees &&
	test_cmp expect.msgs actual.msgs &&
	test_must_be_empty actual.status
}

# worktree_state: what --abort must restore exactly (refs aside)
worktree_state () {
	git rev-parse HEAD &&
	git symbolic-ref -q HEAD &&
	git ls-files -s &&
	git status --porcelain --untracked-files=all &&
	git ls-files -o --exclude-standard &&
	git ls-files -z | xargs -0 cat 2>/dev/null; true
}

# ignore_scratch: the tests' own files (out, err, expect...) are not the
# repository's business: keep them out of status and state checks
ignore_scratch () {
	cat >>.git/info/exclude <<-\EOF
	out
	err
	expect*
	actual*
	subject
	reflog
	msg*
	unmerged
	status
	tmp
	t
	*.state
	EOF
}
