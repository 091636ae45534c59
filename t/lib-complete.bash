# bash lib-complete.bash <line>...: for each line, "== <line>" and what
# bash would offer at its end, one a line, sorted.  It goes the way an
# interactive shell goes: bash-completion's loader, git's own completion
# (which finds _git_release through the loader, so the installed files
# are what is tested: point XDG_DATA_DIRS at them), COMP_WORDS split at
# '=' and ':' as readline splits them.  All lines run in one shell, so
# what the completion caches is cached between them.
. /usr/share/bash-completion/bash_completion || exit 1
__load_completion git || exit 1

complete_line () {
	local line=$1 t pre sep toks
	COMP_LINE=$line COMP_POINT=${#line}
	COMP_WORDS=()
	read -r -a toks <<<"$line"
	case "$line" in *" ") toks+=("") ;; esac
	for t in "${toks[@]}"; do
		while [[ $t == *[=:]* ]]; do
			pre=${t%%[=:]*} sep=${t:${#pre}:1}
			[ -n "$pre" ] && COMP_WORDS+=("$pre")
			COMP_WORDS+=("$sep")
			t=${t:${#pre}+1}
		done
		if [ -n "$t" ] || [[ ${COMP_WORDS[-1]} != [=:] ]]; then
			COMP_WORDS+=("$t")
		fi
	done
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	__git_wrap__git_main git "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD-1]}"
	echo "== $line"
	if [ ${#COMPREPLY[@]} -gt 0 ]; then
		printf '%s\n' "${COMPREPLY[@]}" | sort
	fi
}

for l in "$@"; do
	complete_line "$l"
done
