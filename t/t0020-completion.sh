#!/bin/sh

test_description='completion: generated from the option tables; bash through git'"'"'s own completion, zsh, fish'

. ./test-lib.sh

GIT_COMPLETION=/usr/share/bash-completion/completions/git
test -f "$GIT_COMPLETION" && test -f /usr/share/bash-completion/bash_completion &&
	command -v bash >/dev/null && test_set_prereq BASH_COMPLETION
command -v zsh >/dev/null && zsh -f -c 'zmodload zsh/zpty' 2>/dev/null &&
	test_set_prereq ZSH
command -v fish >/dev/null && test_set_prereq FISH

INST=$TRASH_DIRECTORY/inst
# the installed files, where each shell looks for them
XDG_DATA_DIRS=$INST/usr/share:/usr/share
ZSH_COMPLETION_DIR=$INST/usr/share/zsh/site-functions
export XDG_DATA_DIRS ZSH_COMPLETION_DIR

# test_completion <line> <expect: what is offered at the end of line, any
# order>, bash
test_completion () {
	bash "$SHARNESS_TEST_DIRECTORY/lib-complete.bash" "$1" \
		>"$TRASH_DIRECTORY/out.raw" &&
	sed -e 1d -e "s/ \$//" "$TRASH_DIRECTORY/out.raw" >"$TRASH_DIRECTORY/actual" &&
	sort >"$TRASH_DIRECTORY/expect" &&
	test_cmp "$TRASH_DIRECTORY/expect" "$TRASH_DIRECTORY/actual"
}

# the options a subcommand's -h lists (the parser's table, as printed)
help_options () {
	test_expect_code 129 git $1 -h >"$TRASH_DIRECTORY/help" &&
	sed -n 's/^    \(-., \)\{0,1\}\(--[a-z-]*\)\( <[^>]*>\)\{0,1\}.*/\2\3/p' \
		"$TRASH_DIRECTORY/help" | sed 's/ <.*>/=/' | sort
}

test_expect_success 'the helper prints the options of the parser table' '
	git release deploy --git-completion-helper >out &&
	tr " " "\n" <out | sed "/^--\$/,\$d; /^\$/d" | sort >actual &&
	help_options "release deploy" >expect &&
	test_cmp expect actual &&
	grep -e "--env=" actual && grep -e "^--dry-run\$" actual
'

test_expect_success 'every subcommand: the helper and -h agree' '
	for c in release rollback hotfix
	do
		for s in $(git $c --git-completion-helper)
		do
			case $s in -*) continue ;; esac
			git $c $s --git-completion-helper | tr " " "\n" |
			sed "/^--\$/,\$d; /^\$/d" | sort >actual &&
			help_options "$c $s" >expect &&
			test_cmp expect actual || return 1
		done
	done
'

test_expect_success 'the helper works outside a repository and is hidden' '
	mkdir outside &&
	(cd outside && GIT_CEILING_DIRECTORIES=$TRASH_DIRECTORY \
	 git rollback --git-completion-helper >../out) &&
	grep -e "--reset" out && grep -e "^check revert restore " out &&
	test_expect_code 129 git rollback -h >help &&
	! grep completion-helper help &&
	git hotfix finish --git-completion-helper-args >args &&
	grep -x -e "-m=msg" args && grep -x -e "--version=v" args
'

test_expect_success 'setup: a remote, a clone, releases, environments' '
	git init -q --bare remote.git &&
	git clone -q remote.git work 2>/dev/null &&
	(cd work &&
	 test_commit one && git tag -a -m v1.0.0 v1.0.0 &&
	 git tag -a -m deployed deployed-v1.0.0 &&
	 test_commit two && git tag v1.2.0 &&
	 test_commit three && git tag v1.2.1 &&
	 test_commit four && git tag v1.10.0 &&
	 test_commit five && git tag v2.0.0-rc.1 &&
	 git tag other && git tag v1-old && git tag vendor &&
	 git tag api/v0.3.0 &&
	 git config release.component.api.tagPrefix api/v &&
	 git config release.component.api.path services/api &&
	 git config deploy.staging.command true &&
	 git config deploy.staging.branch staging &&
	 git config "deploy.\$(touch pwned).command" true &&
	 git update-ref refs/deploy/log/qa HEAD &&
	 git update-ref refs/deploy/log/production HEAD &&
	 git branch hotfix/payment && git branch hotfix/login &&
	 test_commit broken && git revert --no-edit HEAD >/dev/null &&
	 git rev-parse --short HEAD >../revert-id &&
	 git push -q origin main --tags) &&
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s -C "$SHARNESS_BUILD_DIRECTORY" install DESTDIR="$INST" \
		prefix=/usr >make.out 2>&1 &&
	test -f "$INST/usr/share/bash-completion/completions/git-release" &&
	test -f "$INST/usr/share/zsh/site-functions/_git_release_suite" &&
	test -f "$INST/usr/share/fish/vendor_conf.d/git-release.fish"
'
cd work 2>/dev/null

releases="v1.0.0
v1.10.0
v1.2.0
v1.2.1
v2.0.0-rc.1
api/v0.3.0"

test_expect_success BASH_COMPLETION 'release: the subcommands of the table' '
	git release --git-completion-helper | tr " " "\n" | sort >expect &&
	bash "$SHARNESS_TEST_DIRECTORY/lib-complete.bash" "git release " |
	sed -e 1d -e "s/ \$//" >actual &&
	test_cmp expect actual &&
	grep -x deploy actual && grep -x cut actual && grep -x -e --version actual
'

test_expect_success BASH_COMPLETION 'release d' '
	test_completion "git release d" <<-\EOF
	deploy
	EOF
'

test_expect_success BASH_COMPLETION 'release c: cut and current' '
	test_completion "git release c" <<-\EOF
	current
	cut
	EOF
'

# no subcommand of git release starts with "ch" (check is rollback'"'"'s):
# nothing, not files, not tags
test_expect_success BASH_COMPLETION 'release ch: nothing' '
	git release --git-completion-helper | tr " " "\n" >../subcommands &&
	! grep "^ch" ../subcommands &&
	git tag changes-v1 && >changelog.txt &&
	test_when_finished "git tag -d changes-v1 && rm changelog.txt" &&
	test_completion "git release ch" </dev/null
'

test_expect_success BASH_COMPLETION 'release deploy: release tags only, every component' '
	echo "$releases" | test_completion "git release deploy "
'

test_expect_success BASH_COMPLETION 'release deploy v1: not vv1, not v1-old' '
	test_completion "git release deploy v1" <<-\EOF
	v1.0.0
	v1.10.0
	v1.2.0
	v1.2.1
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy v1.2' '
	test_completion "git release deploy v1.2" <<-\EOF
	v1.2.0
	v1.2.1
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy v1.2.1: one' '
	test_completion "git release deploy v1.2.1" <<-\EOF
	v1.2.1
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy api: the component prefix' '
	test_completion "git release deploy api" <<-\EOF
	api/v0.3.0
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy --component: the components' '
	test_completion "git release deploy --component " <<-\EOF
	api
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy --component=a' '
	test_completion "git release deploy --component=a" <<-\EOF
	api
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy --component api: its tags alone' '
	test_completion "git release deploy --component api " <<-\EOF
	api/v0.3.0
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy d: no deployed-* tags' '
	test_completion "git release deploy d" </dev/null
'

test_expect_success BASH_COMPLETION 'release deploy --e' '
	test_completion "git release deploy --e" <<-\EOF
	--env=
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy --env=: known environments, once each' '
	test_completion "git release deploy --env=" <<-\EOF &&
	$(touch pwned)
	production
	qa
	staging
	EOF
	test_path_is_missing pwned
'

test_expect_success BASH_COMPLETION 'release deploy --env=st' '
	test_completion "git release deploy --env=st" <<-\EOF
	staging
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy --env <space>' '
	test_completion "git release deploy --env " <<-\EOF
	$(touch pwned)
	production
	qa
	staging
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy --env staging v1.2: the tag after the value' '
	test_completion "git release deploy --env staging v1.2" <<-\EOF
	v1.2.0
	v1.2.1
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy -m: a message, nothing offered' '
	test_completion "git release deploy -m " </dev/null
'

test_expect_success BASH_COMPLETION 'release deploy -m msg v1.1' '
	test_completion "git release deploy -m msg v1.1" <<-\EOF
	v1.10.0
	EOF
'

test_expect_success BASH_COMPLETION 'release deploy v1.2.1 <space>: one tag only' '
	test_completion "git release deploy v1.2.1 " </dev/null
'

test_expect_success BASH_COMPLETION 'release yank v2' '
	test_completion "git release yank v2" <<-\EOF
	v2.0.0-rc.1
	EOF
'

test_expect_success BASH_COMPLETION 'release yank --: the options of its table' '
	help_options "release yank" >expect &&
	bash "$SHARNESS_TEST_DIRECTORY/lib-complete.bash" "git release yank --" |
	sed -e 1d -e "s/ \$//" | grep -v -e "^--no-\.\.\.\$" >actual &&
	test_cmp expect actual &&
	grep -x -e --undo actual
'

test_expect_success BASH_COMPLETION 'release cut --p' '
	test_completion "git release cut --p" <<-\EOF
	--patch
	--pre=
	--push
	EOF
'

test_expect_success BASH_COMPLETION 'release cut --no-: the negations' '
	bash "$SHARNESS_TEST_DIRECTORY/lib-complete.bash" "git release cut --no-" |
	sed -e 1d -e "s/ \$//" >actual &&
	grep -x -e --no-sign actual && grep -x -e --no-push actual
'

test_expect_success BASH_COMPLETION 'release notes v1.0.0..v1.2' '
	test_completion "git release notes v1.0.0..v1.2" <<-\EOF
	v1.0.0..v1.2.0
	v1.0.0..v1.2.1
	EOF
'

test_expect_success BASH_COMPLETION 'release history --env=q' '
	test_completion "git release history --env=q" <<-\EOF
	qa
	EOF
'

test_expect_success BASH_COMPLETION 'release current --e' '
	test_completion "git release current --e" <<-\EOF
	--env=
	EOF
'

test_expect_success BASH_COMPLETION 'rollback: subcommands and release tags' '
	{ echo "$releases" && echo check && echo restore && echo revert; } |
	test_completion "git rollback "
'

test_expect_success BASH_COMPLETION 'rollback ch' '
	test_completion "git rollback ch" <<-\EOF
	check
	EOF
'

test_expect_success BASH_COMPLETION 'rollback --re' '
	test_completion "git rollback --re" <<-\EOF
	--reset
	--revert
	EOF
'

test_expect_success BASH_COMPLETION 'rollback --env=p' '
	test_completion "git rollback --env=p" <<-\EOF
	production
	EOF
'

test_expect_success BASH_COMPLETION 'rollback -m reason v1.2' '
	test_completion "git rollback -m reason v1.2" <<-\EOF
	v1.2.0
	v1.2.1
	EOF
'

test_expect_success BASH_COMPLETION 'rollback check v1.2' '
	test_completion "git rollback check v1.2" <<-\EOF
	v1.2.0
	v1.2.1
	EOF
'

test_expect_success BASH_COMPLETION 'rollback check --: the table of check' '
	help_options "rollback check" >expect.opts &&
	bash "$SHARNESS_TEST_DIRECTORY/lib-complete.bash" "git rollback check --" |
	sed -e 1d -e "s/ \$//" | grep -v -e "^--no-\.\.\.\$" >actual &&
	test_cmp expect.opts actual
'

test_expect_success BASH_COMPLETION 'rollback revert --m' '
	test_completion "git rollback revert --m" <<-\EOF
	--mainline=
	--message=
	EOF
'

test_expect_success BASH_COMPLETION 'rollback revert v1.0: commits and ranges' '
	bash "$SHARNESS_TEST_DIRECTORY/lib-complete.bash" "git rollback revert v1.0" |
	sed -e 1d -e "s/ \$//" >actual &&
	grep -x "v1.0.0" actual
'

test_expect_success BASH_COMPLETION 'rollback restore: the revert commits' '
	test_completion "git rollback restore " <../revert-id
'

test_expect_success BASH_COMPLETION 'a stopped rollback: its modes' '
	mkdir .git/release-state &&
	printf "journal 1\nop rollback\n" >.git/release-state/journal &&
	test_when_finished "rm -r .git/release-state" &&
	test_completion "git rollback " <<-\EOF
	--abort
	--continue
	--json
	--no-...
	--quiet
	--skip
	EOF
'

test_expect_success BASH_COMPLETION 'hotfix: its subcommands' '
	git hotfix --git-completion-helper | tr " " "\n" | sort >expect &&
	bash "$SHARNESS_TEST_DIRECTORY/lib-complete.bash" "git hotfix " |
	sed -e 1d -e "s/ \$//" >actual &&
	test_cmp expect actual && grep -x start actual
'

test_expect_success BASH_COMPLETION 'hotfix start <name>: a new name, nothing offered' '
	test_completion "git hotfix start " </dev/null
'

test_expect_success BASH_COMPLETION 'hotfix start name v1.2: the base' '
	test_completion "git hotfix start fix-x v1.2" <<-\EOF
	v1.2.0
	v1.2.1
	EOF
'

test_expect_success BASH_COMPLETION 'hotfix finish: hotfix branches, not tags' '
	test_completion "git hotfix finish " <<-\EOF
	login
	payment
	EOF
'

test_expect_success BASH_COMPLETION 'hotfix finish --k' '
	test_completion "git hotfix finish --k" <<-\EOF
	--keep
	EOF
'

test_expect_success BASH_COMPLETION 'hotfix.branchPrefix' '
	git branch fix/db &&
	git config hotfix.branchPrefix fix/ &&
	test_when_finished "git config --unset hotfix.branchPrefix" &&
	test_completion "git hotfix finish " <<-\EOF
	db
	EOF
'

test_expect_success BASH_COMPLETION 'release.tagPrefix' '
	git tag rel-1.0.0 && git tag rel-x &&
	git config release.tagPrefix rel- &&
	test_when_finished "git config --unset release.tagPrefix" &&
	test_completion "git release deploy rel" <<-\EOF
	rel-1.0.0
	EOF
'

test_expect_success BASH_COMPLETION 'the helper runs once per shell session' '
	mkdir -p spy &&
	write_spy () {
		printf "#!/bin/sh\necho \"\$*\" >>\"%s\"\nexec \"%s\" \"\$@\"\n" \
			"$TRASH_DIRECTORY/spy.log" "$SHARNESS_BUILD_DIRECTORY/$1" \
			>spy/$1 && chmod +x spy/$1
	} &&
	write_spy git-release &&
	PATH=$PWD/spy:$PATH bash "$SHARNESS_TEST_DIRECTORY/lib-complete.bash" \
		"git release deploy --" "git release deploy --e" \
		"git release deploy --env=" "git release deploy --env=q" >out &&
	grep -c -x "deploy --git-completion-helper" ../spy.log >count &&
	echo 1 >expect && test_cmp expect count &&
	grep -c -x "deploy --git-completion-helper-args" ../spy.log >count &&
	test_cmp expect count &&
	grep -c -x -e "--git-completion-helper" ../spy.log >count &&
	test_cmp expect count &&
	grep "^qa \$" out
'

# zsh: its own completion system (compinit, _git) on a pseudo-terminal
test_zsh () {
	zsh -f "$SHARNESS_TEST_DIRECTORY/lib-complete.zsh" \
		"$TRASH_DIRECTORY/zsh.out" "$@"
}

# zsh_section <line>: what zsh offered for it, sorted
zsh_section () {
	awk -v l="== $1" '$0 == l { p = 1; next } /^== / { p = 0 } p' \
		"$TRASH_DIRECTORY/zsh.out" | sort -u
}

test_expect_success ZSH 'zsh: through compinit and _git' '
	test_zsh "git release " "git release d" "git release deploy v1" \
		"git release deploy v1.2" "git release deploy --e" \
		"git release deploy --env=" "git release deploy --env st" \
		"git rollback ch" "git rollback --re" "git hotfix finish " \
		"git rollback restore " "git release deploy -m " \
		"git release deploy --component api " &&
	zsh_section "git release " >actual &&
	git release --git-completion-helper | tr " " "\n" | sort >expect &&
	test_cmp expect actual &&
	zsh_section "git release d" >actual && echo deploy >expect &&
	test_cmp expect actual &&
	zsh_section "git release deploy v1" >actual &&
	printf "%s\n" v1.0.0 v1.10.0 v1.2.0 v1.2.1 >expect &&
	test_cmp expect actual &&
	zsh_section "git release deploy v1.2" >actual &&
	printf "%s\n" v1.2.0 v1.2.1 >expect && test_cmp expect actual &&
	zsh_section "git release deploy --e" >actual &&
	echo --env= >expect && test_cmp expect actual &&
	zsh_section "git release deploy --env=" >actual &&
	printf "%s\n" "\$(touch pwned)" production qa staging >expect &&
	test_cmp expect actual &&
	zsh_section "git release deploy --env st" >actual &&
	echo staging >expect && test_cmp expect actual &&
	zsh_section "git rollback ch" >actual && echo check >expect &&
	test_cmp expect actual &&
	zsh_section "git rollback --re" >actual &&
	printf "%s\n" --reset --revert >expect && test_cmp expect actual &&
	zsh_section "git hotfix finish " >actual &&
	printf "%s\n" login payment >expect && test_cmp expect actual &&
	zsh_section "git rollback restore " >actual &&
	test_cmp ../revert-id actual &&
	zsh_section "git release deploy -m " >actual &&
	test_must_be_empty actual &&
	zsh_section "git release deploy --component api " >actual &&
	echo api/v0.3.0 >expect && test_cmp expect actual &&
	test_path_is_missing pwned
'

# fish: its own completion, the installed vendor_conf.d file
test_fish () {
	HOME=$TRASH_DIRECTORY XDG_CONFIG_HOME=$TRASH_DIRECTORY/.config \
	fish -c "complete -C '$1'" | cut -f1 | sort
}

test_expect_success FISH 'fish: subcommands, tags, environments, options' '
	test_fish "git release " >actual &&
	git release --git-completion-helper | tr " " "\n" | sort >expect &&
	test_cmp expect actual &&
	test_fish "git release deploy v1.2" >actual &&
	printf "%s\n" v1.2.0 v1.2.1 >expect && test_cmp expect actual &&
	test_fish "git release deploy --env=st" >actual &&
	echo --env=staging >expect && test_cmp expect actual &&
	test_fish "git release deploy --env " >actual &&
	printf "%s\n" "\$(touch pwned)" production qa staging >expect &&
	test_cmp expect actual &&
	test_fish "git rollback ch" >actual &&
	echo check >expect && test_cmp expect actual &&
	test_fish "git-hotfix finish " >actual &&
	printf "%s\n" login payment >expect && test_cmp expect actual &&
	test_fish "git rollback --re" >actual &&
	printf "%s\n" --reset --revert >expect && test_cmp expect actual &&
	test_fish "git release deploy --component=" >actual &&
	echo --component=api >expect && test_cmp expect actual &&
	test_fish "git release deploy --component api " >actual &&
	echo api/v0.3.0 >expect && test_cmp expect actual &&
	test_path_is_missing pwned
'

test_done
