# zsh -f lib-complete.zsh <out> <line>...: for each line, "== <line>"
# and what zsh's completion system offers at its end, into <out>.  A
# real interactive zsh runs on a pseudo-terminal (zsh/zpty), with
# compinit over $fpath (point it at the installed files); Tab is typed
# after each line and every match given to compadd is written down.
zmodload zsh/zpty || exit 1
out=$1
shift
: >$out
zpty z zsh -f -i || exit 1
zpty -w z "PS1='> '; unset zle_bracketed_paste; setopt no_beep"
zpty -w z "fpath=(${(q)ZSH_COMPLETION_DIR} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' completer _complete"
# the matches, as compadd would add them (its own queries pass through)
zpty -w z "compadd () { local -a m; if (( \${@[(I)-[OAD]*]} )); then builtin compadd \"\$@\"; return; fi; builtin compadd -O m \"\$@\"; (( \$#m )) && print -rl -- \$m >>${(q)out}; builtin compadd \"\$@\"; }"
# Tab completes, then says so (completion must end before more is typed)
zpty -w z "_tab_done () { zle complete-word; zle -M COMP_DONE; }; zle -N _tab_done; bindkey '^I' _tab_done"
# wait for each step: the answer to a command typed after it
zpty -w z "print SYNC_\$(( 0 * 1 ))"
zpty -r z got "*SYNC_0[^0-9]*" || { print "no prompt"; exit 1; }
n=0
for line in "$@"; do
	(( n++ ))
	print -r -- "== $line" >>$out
	zpty -w -n z "$line"$'\t'
	zpty -r z got "*COMP_DONE*" || { print "no completion: $line"; exit 1; }
	zpty -w z $'\C-u'"print SYNC_\$(( $n * 1 ))"
	zpty -r z got "*SYNC_${n}[^0-9]*" || { print "no answer to: $line"; exit 1; }
done
zpty -d z
