#!/bin/sh

test_description='bash completion: _git_release, _git_rollback, _git_hotfix'

. ./test-lib.sh

GIT_COMPLETION=/usr/share/bash-completion/completions/git
test -f "$GIT_COMPLETION" && command -v bash >/dev/null && test_set_prereq BASH_COMPLETION

# complete "<words>": what bash would offer for the last word
complete_words () {
	bash -c '
		. "$1" && . "$2" || exit 1
		shift 2
		words=("$@"); cword=$((${#words[@]} - 1))
		cur=${words[cword]}; prev=${words[cword - 1]}
		__git_cmd_idx=1
		COMPREPLY=()
		_git_${words[1]}
		printf "%s\n" "${COMPREPLY[@]}" | sed "s/ *$//" | sort
	' complete "$GIT_COMPLETION" \
		"$SHARNESS_BUILD_DIRECTORY/contrib/completion/git-completion.bash" "$@"
}

test_expect_success BASH_COMPLETION 'setup' '
	git init -q repo &&
	(cd repo && test_commit one && git tag v1.0.0 && git tag v1.1.0 &&
	 git tag other)
'

test_expect_success BASH_COMPLETION 'release subcommands' '
	(cd repo && complete_words git release "") >actual &&
	cat >expect <<-\EOF &&
	--version
	current
	cut
	deploy
	history
	list
	notes
	yank
	EOF
	test_cmp expect actual
'

test_expect_success BASH_COMPLETION 'release deploy offers release tags only' '
	(cd repo && complete_words git release deploy "") >actual &&
	printf "v1.0.0\nv1.1.0\n" >expect &&
	test_cmp expect actual
'

test_expect_success BASH_COMPLETION 'the tag prefix is honoured' '
	(cd repo && git tag api/v2.0.0 &&
	 git config release.tagPrefix api/v &&
	 complete_words git release deploy "" &&
	 git config --unset release.tagPrefix) >actual &&
	echo api/v2.0.0 >expect &&
	test_cmp expect actual
'

test_expect_success BASH_COMPLETION 'rollback options' '
	(cd repo && complete_words git rollback --re) >actual &&
	printf "%s\n" --reset --revert >expect &&
	test_cmp expect actual
'

test_expect_success BASH_COMPLETION 'a stopped rollback offers --continue, --skip, --abort' '
	(cd repo && mkdir .git/rollback-state &&
	 complete_words git rollback "" && rmdir .git/rollback-state) >actual &&
	printf "%s\n" --abort --continue --skip >expect &&
	test_cmp expect actual
'

test_expect_success BASH_COMPLETION 'hotfix finish completes open hotfix names' '
	(cd repo && git branch hotfix/payment && git branch hotfix/login &&
	 complete_words git hotfix finish "") >actual &&
	printf "%s\n" login payment >expect &&
	test_cmp expect actual
'

test_done
