# fish completion for git release, git rollback and git hotfix, and for
# git-release, git-rollback and git-hotfix run directly.
#
# Options and subcommands are not listed here: each command prints them
# from its parser's tables (--git-completion-helper), cached for the
# shell session.  This file knows what goes in each position: release
# tags, environments, hotfix branches, revert commits.

# the helper's output for "<command> [<subcommand>]" and a kind, cached
function __git_release_helper -a cmd sub kind
    set -l var (string replace -a -- - _ __git_release_cache_$cmd"_"$sub"_"$kind)
    if not set -q $var
        set -l words $cmd
        test -n "$sub"; and set -a words $sub
        set -g $var (git $words --git-completion-helper$kind 2>/dev/null | string split ' ')
    end
    string join \n -- $$var
end

# the argument name of option $argv[3] of "$argv[1] $argv[2]", else nothing
function __git_release_argh -a cmd sub opt
    for line in (__git_release_helper $cmd "$sub" -args)
        if test (string split -m1 = -- $line)[1] = "$opt"
            string split -m1 = -- $line | tail -n 1
            return 0
        end
    end
    return 1
end

function __git_release_prefixes -a component
    if test -n "$component"
        git config --get release.component.$component.tagPrefix 2>/dev/null
        return
    end
    set -l p (git config --get release.tagPrefix 2>/dev/null; or echo v)
    printf '%s\n' $p
    git config --get-regexp '^release\.component\..*\.tagprefix$' 2>/dev/null |
        string replace -r '^\S+ ' ''
end

function __git_release_tags -a component
    for p in (__git_release_prefixes "$component" | sort -u)
        for t in (git for-each-ref --format='%(refname:strip=2)' "refs/tags/$p"'[0-9]*' 2>/dev/null)
            if string match -qr '^[0-9]+\.[0-9]+\.[0-9]+' -- (string sub -s (math (string length -- "$p") + 1) -- $t)
                echo $t
            end
        end
    end
end

function __git_release_envs
    begin
        echo production
        git config --name-only --get-regexp '^deploy\..*\.' 2>/dev/null |
            string replace -r '^deploy\.(.*)\.[^.]*$' '$1'
        git for-each-ref --format='%(refname)' refs/deploy/log/ 2>/dev/null |
            string replace 'refs/deploy/log/' ''
    end | sort -u
end

# the value of option $opt, whose argument is called $argh
function __git_release_value -a argh component opt
    switch "$opt,$argh"
        case '--env,*' '*,env'
            __git_release_envs
        case '--component,*' '*,component'
            git config --name-only --get-regexp '^release\.component\..*\.' 2>/dev/null |
                string replace -r '^release\.component\.(.*)\.[^.]*$' '$1' | sort -u
        case '*,tag' '*,target' '*,base'
            __git_release_tags "$component"
    end
end

function __git_release_position -a cmd sub n component
    switch "$cmd,$sub,$n"
        case release,deploy,0 release,yank,0 rollback,check,0 hotfix,start,1 rollback,,0
            __git_release_tags "$component"
        case release,notes,0
            set -l cur (commandline -ct)
            if string match -q -- '*..*' $cur
                set -l from (string split -m1 .. -- $cur)[1]
                for t in (__git_release_tags "$component")
                    echo "$from..$t"
                end
            else
                __git_release_tags "$component"
            end
        case 'rollback,revert,*'
            __git_release_tags "$component"
            git log -n 100 --format=%h --grep='^This reverts commit [0-9a-f]*' HEAD 2>/dev/null
        case rollback,restore,0
            git log -n 100 --format=%h --grep='^This reverts commit [0-9a-f]*' HEAD 2>/dev/null
        case hotfix,finish,0
            set -l p (git config --get hotfix.branchPrefix 2>/dev/null; or echo hotfix/)
            git for-each-ref --format='%(refname:strip=2)' "refs/heads/$p" 2>/dev/null |
                string replace -- $p ''
    end
end

# what to offer for the token under the cursor of "git $cmd ..." or
# "git-$cmd ..."
function __git_release_complete -a cmd
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    if test "$words[1]" = git
        set -e words[1..2]
    else
        set -e words[1]
    end
    set -l subs (string match -v -- '-*' (__git_release_helper $cmd '' ''))
    set -l sub
    set -l component
    set -l rest $words
    for i in (seq (count $words))
        if test -z "$sub"; and contains -- $words[$i] $subs
            set sub $words[$i]
            set rest $words[(math $i + 1)..-1]
        end
        switch $words[$i]
            case '--component=*'
                set component (string replace -- --component= '' $words[$i])
            case --component
                set component $words[(math $i + 1)]
        end
    end
    if test $cmd = rollback; and test -z "$sub"
        set -l gitdir (git rev-parse --git-dir 2>/dev/null)
        if test -n "$gitdir"; and begin; test -d $gitdir/rollback-state; or grep -q -x -e "op rollback" -e "op revert" -e "op restore" $gitdir/release-state/journal 2>/dev/null; end
            __git_release_options rollback --continue
            return
        end
    end
    if test -z "$sub"; and test $cmd != rollback
        __git_release_helper $cmd '' ''
        return
    end
    if string match -q -- '--*=*' $cur
        set -l opt (string split -m1 = -- $cur)[1]
        set -l argh (__git_release_argh $cmd "$sub" $opt)
        for v in (__git_release_value "$argh" "$component" $opt)
            echo "$opt=$v"
        end
        return
    end
    if set -l argh (__git_release_argh $cmd "$sub" "$words[-1]")
        __git_release_value "$argh" "$component" "$words[-1]"
        return
    end
    if string match -q -- '-*' $cur
        __git_release_options $cmd "$sub"
        return
    end
    set -l n 0
    set -l skip 0
    for w in $rest
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case '--*=*' --
            case '-*'
                __git_release_argh $cmd "$sub" $w >/dev/null; and set skip 1
            case '*'
                set n (math $n + 1)
        end
    end
    __git_release_position $cmd "$sub" $n "$component"
    if test $cmd = rollback; and test -z "$sub"; and test $n = 0
        printf '%s\n' $subs
    end
end

# the options before "--" (after it: the negations)
function __git_release_options -a cmd sub
    for o in (__git_release_helper $cmd "$sub" '')
        test "$o" = -- ; and break
        string match -- '-*' $o
    end
end

for c in release rollback hotfix
    complete -c git-$c -f -a "(__git_release_complete $c)"
    complete -c git -f -n "__fish_seen_subcommand_from $c" -a "(__git_release_complete $c)"
end
