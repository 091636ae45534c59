# bash completion for git release, git rollback and git hotfix.
#
# git's own completion calls _git_release, _git_rollback and _git_hotfix.
# bash-completion loads this file on demand when it is installed as
# .../bash-completion/completions/git-release (and -rollback, -hotfix) in
# a directory it searches: $BASH_COMPLETION_USER_DIR/completions, then
# ~/.local/share/bash-completion/completions, then <dir>/bash-completion/
# completions for each <dir> of $XDG_DATA_DIRS (default
# /usr/local/share:/usr/share).  Or source it from ~/.bashrc after git's
# completion.
#
# Nothing here lists options or subcommands: each command prints them
# from the tables its parser uses (--git-completion-helper, as git's
# builtins do), and the answers are cached for the shell session.  What
# this file knows is what goes in each position: release tags, known
# environments, hotfix branches, revert commits.

# The helpers' answers are kept in variables for the shell session; the
# functions below set __git_release_reply rather than print, so that
# what they cache is not lost in a subshell.

# the subcommands of a command ("release"), cached
__git_release_subcommands ()
{
	local var=__git_release_subs_$1 w subs=""
	if [ -z "${!var-}" ]; then
		for w in $(__git "$1" --git-completion-helper); do
			case "$w" in -*) ;; *) subs="$subs $w" ;; esac
		done
		printf -v "$var" '%s ' "$subs"
	fi
	__git_release_reply=${!var}
}

# the argument name of an option of "<command> <subcommand>", cached
# ("release_deploy" --env: env), else empty
__git_release_argh ()
{
	local var=__git_release_args_$1 line
	if [ -z "${!var-}" ]; then
		printf -v "$var" '\n%s\n' \
			"$(__git ${1/_/ } --git-completion-helper-args)"
	fi
	line=${!var}
	__git_release_reply=
	case "$line" in
	*$'\n'"$2="*)
		line=${line#*$'\n'"$2"=}
		__git_release_reply=${line%%$'\n'*}
		;;
	esac
}

# the tag prefixes of releases: --component's, or the default and every
# component's
__git_release_prefixes ()
{
	local c="" i prefix
	for ((i = __git_cmd_idx + 1; i < cword; i++)); do
		case "${words[i]}" in
		--component=*) c=${words[i]#--component=} ;;
		--component) c=${words[i + 1]} ;;
		esac
	done
	if [ -n "$c" ]; then
		__git config --get "release.component.$c.tagPrefix"
		return
	fi
	prefix=$(__git config --get release.tagPrefix) || prefix=v
	printf '%s\n' "$prefix"
	__git config --get-regexp '^release\.component\..*\.tagprefix$' |
		while read -r _ prefix; do printf '%s\n' "$prefix"; done
}

# release tags: a prefix, then a version (not deployed-* or other tags)
__git_release_tag_names ()
{
	local prefix
	__git_release_prefixes | sort -u | while IFS= read -r prefix; do
		__git for-each-ref --format='%(refname:strip=2)' \
			"refs/tags/$prefix[0-9]*" |
		while IFS= read -r t; do
			case "${t#"$prefix"}" in
			[0-9]*.[0-9]*.[0-9]*) printf '%s\n' "$t" ;;
			esac
		done
	done
}

__git_release_tags ()
{
	__gitcomp_nl "$(__git_release_tag_names)" "" "${1-$cur}"
}

# known environments: production, every deploy.<env>.* key, every log
__git_release_env_names ()
{
	{
		echo production
		__git config --name-only --get-regexp '^deploy\..*\.' |
			sed 's/^deploy\.//; s/\.[^.]*$//'
		__git for-each-ref --format='%(refname)' refs/deploy/log/ |
			sed 's|^refs/deploy/log/||'
	} | sort -u
}

__git_release_components ()
{
	__git config --name-only --get-regexp '^release\.component\..*\.' |
		sed 's/^release\.component\.//; s/\.[^.]*$//' | sort -u
}

# complete the value $2 of option $3, whose argument is called $1
__git_release_value ()
{
	case "$3,$1" in
	--env,*|*,env) __gitcomp_nl "$(__git_release_env_names)" "" "$2" ;;
	--component,*|*,component)
		__gitcomp_nl "$(__git_release_components)" "" "$2" ;;
	*,tag|*,target|*,base) __git_release_tags "$2" ;;
	esac
}

__git_release_hotfix_branches ()
{
	local prefix
	prefix=$(__git config --get hotfix.branchPrefix) || prefix=hotfix/
	__gitcomp_nl "$(__git for-each-ref --format='%(refname:strip=2)' \
		"refs/heads/$prefix" | sed "s|^$prefix||")"
}

# commits on HEAD that are reverts (what restore takes)
__git_release_revert_commits ()
{
	__gitcomp_nl "$(__git log -n 100 --format=%h \
		--grep='^This reverts commit [0-9a-f]*' HEAD)"
}

# the positional arguments before the cursor ("deploy v1.0.0 |": 1)
__git_release_position ()
{
	local i n=0
	for ((i = $1 + 1; i < cword; i++)); do
		case "${words[i]}" in
		--*=*|--) ;;
		-*)
			__git_release_argh "$2" "${words[i]}"
			[ -n "$__git_release_reply" ] && ((i++))
			;;
		*) ((n++)) ;;
		esac
	done
	__git_release_reply=$n
}

# Options, option values, or what $3 says goes in each position: the
# common part of the three.  $1 the cache key ("release_deploy"), $2 the
# index of the subcommand's word; $3 a function given the position.
__git_release_complete ()
{
	local key=$1
	__git_release_argh "$key" "$prev"
	if [ -n "$__git_release_reply" ]; then
		__git_release_value "$__git_release_reply" "$cur" "$prev"
		return
	fi
	case "$cur" in
	--*=*)
		__git_release_argh "$key" "${cur%%=*}"
		__git_release_value "$__git_release_reply" "${cur#*=}" \
			"${cur%%=*}"
		return
		;;
	-*)
		__gitcomp_builtin "$key"
		return
		;;
	esac
	__git_release_position "$2" "$key"
	"$3" "$__git_release_reply"
}

__git_release_pos_release ()
{
	case "$sub,$1" in
	deploy,0|yank,0) __git_release_tags ;;
	notes,0)
		case "$cur" in
		*..*) __gitcomp_nl "$(__git_release_tag_names)" \
			"${cur%%..*}.." "${cur#*..}" ;;
		*) __git_release_tags ;;
		esac ;;
	esac
}

_git_release ()
{
	local subs sub i idx
	__git_release_subcommands release
	subs=$__git_release_reply
	for ((i = __git_cmd_idx + 1; i < cword; i++)); do
		case " $subs " in
		*" ${words[i]} "*) sub=${words[i]} idx=$i; break ;;
		esac
	done
	if [ -z "$sub" ]; then
		__gitcomp_builtin release
		return
	fi
	__git_release_complete "release_$sub" "$idx" __git_release_pos_release
}

__git_release_pos_rollback ()
{
	case "$sub,$1" in
	,0)
		if [ "$cur" != "${cur#-}" ]; then return; fi
		__git_release_tags
		__git_release_subcommands rollback
		__gitcomp_nl_append "$(printf '%s\n' $__git_release_reply)" ;;
	check,0) __git_release_tags ;;
	revert,*) __git_complete_revlist ;;
	restore,0) __git_release_revert_commits ;;
	esac
}

_git_rollback ()
{
	local subs sub i idx=$__git_cmd_idx dir
	dir=$(__gitdir)
	if [ -d "$dir/rollback-state" ] || { [ -f "$dir/release-state/journal" ] &&
		grep -q -e "^op rollback\$" -e "^op revert\$" -e "^op restore\$" \
			"$dir/release-state/journal"; }
	then
		# a stopped operation: its modes, from their own table
		__gitcomp "$(__git rollback --continue --git-completion-helper)"
		return
	fi
	__git_release_subcommands rollback
	subs=$__git_release_reply
	for ((i = __git_cmd_idx + 1; i < cword; i++)); do
		case " $subs " in
		*" ${words[i]} "*) sub=${words[i]} idx=$i; break ;;
		esac
	done
	if [ -z "$sub" ]; then
		# the rollback itself: its options, targets and subcommands
		case "$cur" in
		--*=*) ;;
		-*) __gitcomp_builtin rollback "" "$subs"; return ;;
		esac
		__git_release_complete "rollback" "$idx" __git_release_pos_rollback
		return
	fi
	__git_release_complete "rollback_$sub" "$idx" __git_release_pos_rollback
}

__git_release_pos_hotfix ()
{
	case "$sub,$1" in
	start,1) __git_release_tags ;;
	finish,0) __git_release_hotfix_branches ;;
	esac
}

_git_hotfix ()
{
	local subs sub i idx
	__git_release_subcommands hotfix
	subs=$__git_release_reply
	for ((i = __git_cmd_idx + 1; i < cword; i++)); do
		case " $subs " in
		*" ${words[i]} "*) sub=${words[i]} idx=$i; break ;;
		esac
	done
	if [ -z "$sub" ]; then
		__gitcomp_builtin hotfix
		return
	fi
	__git_release_complete "hotfix_$sub" "$idx" __git_release_pos_hotfix
}
