# bash completion for git release, git rollback and git hotfix.
#
# git's own completion calls _git_release, _git_rollback and _git_hotfix;
# bash-completion loads this file on demand when it is installed as
# .../bash-completion/completions/git-release (and -rollback, -hotfix).
# Or source it from ~/.bashrc after git's completion.

__git_release_tags ()
{
	local prefix
	prefix=$(__git config --get release.tagPrefix 2>/dev/null)
	__gitcomp_nl "$(__git_tags "" "${prefix:-v}$cur")"
}

__git_release_envs ()
{
	__gitcomp_nl "production
$(__git for-each-ref --format='%(refname:strip=3)' refs/deploy/log 2>/dev/null)"
}

_git_release ()
{
	local subcommands="cut list current deploy history notes yank"
	local sub
	sub=$(__git_find_on_cmdline "$subcommands")
	if [ -z "$sub" ]; then
		__gitcomp "$subcommands --version"
		return
	fi
	case "$prev" in
	--env) __git_release_envs; return ;;
	-m|--message|-u|--pre|-n) return ;;
	esac
	case "$sub,$cur" in
	cut,-*)
		__gitcomp "--major --minor --patch --pre= --message= --sign
			--local-user= --push --dry-run --quiet" ;;
	list,-*) __gitcomp "--pre --json -n" ;;
	current,-*) __gitcomp "--env= --json --no-fetch" ;;
	deploy,-*)
		__gitcomp "--env= --message= --force --no-hook --push
			--dry-run --quiet" ;;
	deploy,*|yank,*) __git_release_tags ;;
	history,-*) __gitcomp "--env= --json -n --no-fetch" ;;
	notes,*) __git_complete_revlist ;;
	yank,-*) __gitcomp "--undo --message= --push --dry-run --quiet" ;;
	esac
}

_git_rollback ()
{
	local subcommands="check revert restore"
	local sub
	if [ -d "$(__gitdir)/rollback-state" ]; then
		__gitcomp "--continue --skip --abort"
		return
	fi
	sub=$(__git_find_on_cmdline "$subcommands")
	case "$prev" in
	--env) __git_release_envs; return ;;
	-m|--message|--mainline) return ;;
	esac
	case "$sub,$cur" in
	,-*)
		__gitcomp "--message= --branch --reset --revert --squash
			--deploy-only --env= --migrate --ignore-migrations
			--no-hook --push --yes --dry-run --force --no-fetch" ;;
	,*) __gitcomp "$subcommands"; __git_release_tags ;;
	check,-*) __gitcomp "--env= --json --no-fetch" ;;
	check,*) __git_release_tags ;;
	revert,-*) __gitcomp "--message= --squash --mainline= --first-parent
			--dry-run --quiet" ;;
	revert,*|restore,*) __git_complete_refs ;;
	restore,-*) __gitcomp "--message= --dry-run" ;;
	esac
}

_git_hotfix ()
{
	local subcommands="start finish list"
	local sub
	sub=$(__git_find_on_cmdline "$subcommands")
	if [ -z "$sub" ]; then
		__gitcomp "$subcommands"
		return
	fi
	case "$prev" in
	-m|--message|--version|-u) return ;;
	esac
	case "$sub,$cur" in
	start,-*) __gitcomp "--no-fetch --dry-run" ;;
	start,*) __git_release_tags ;;
	finish,-*)
		__gitcomp "--version= --message= --sign --local-user= --keep
			--no-merge --push --yes --dry-run --continue --abort
			--drop-tag" ;;
	finish,*)
		local prefix
		prefix=$(__git config --get hotfix.branchPrefix 2>/dev/null)
		__gitcomp_nl "$(__git for-each-ref \
			--format='%(refname:strip=2)' \
			"refs/heads/${prefix:-hotfix/}" |
			sed "s|^${prefix:-hotfix/}||")" ;;
	list,-*) __gitcomp "--json" ;;
	esac
}
