#!/bin/sh

test_description='many marks: the answers of a few

A marks tree of 300 files, written straight in the documented format
with git fast-import: release list and the default rollback target say
what the blobs say, through the cache beside the refs and without it.'

. ./test-lib.sh

# the stream: 400 releases v1.0.0 .. v1.0.399, one commit each; the
# newest 300 but the newest one marked bad, every tenth from staging,
# every fiftieth with a second line, v1.0.150 an empty file
test_expect_success 'setup: 400 releases, 300 marks' '
	git init -q repo &&
	cd repo &&
	printf "%s\n" err out expect actual >.git/info/exclude &&
	LC_ALL=C awk '\''
	function data(s) { printf "data %d\n%s\n", length(s), s }
	BEGIN {
		for (i = 0; i < 400; i++) {
			printf "commit refs/heads/main\nmark :%d\n", i + 1
			printf "committer C O Mitter <committer@example.com> %d +0000\n", 1112911993 + i * 60
			data("change " i)
			if (i > 0)
				printf "from :%d\n", i
			printf "M 644 inline VERSION\n"
			data("version " i)
			printf "reset refs/tags/v1.0.%d\nfrom :%d\n", i, i + 1
		}
		printf "commit refs/deploy/marks\n"
		printf "committer C O Mitter <committer@example.com> 1112999999 +0000\n"
		data("mark 300 releases bad")
		for (i = 99; i < 399; i++) {
			if (i == 150)
				s = ""
			else if (i % 10 == 0)
				s = "Environment: staging\nReason: broken " i "\n"
			else if (i % 50 == 1)
				s = "Environment: production\nReason: broken " i "\n the second line\n\nReason: again " i "\n"
			else
				s = "Reason: broken " i "\n"
			printf "M 100644 inline v1.0.%d\n", i
			data(s)
		}
	}'\'' | git fast-import --quiet &&
	git reset -q --hard main &&
	test "$(git ls-tree refs/deploy/marks | wc -l)" = 300
'

# the line release list must print for v1.0.<i>, from the blobs
expected_list () {
	i=399
	while test $i -ge 0
	do
		if test $i -lt 99 || test $i = 399 || test $i = 150
		then
			echo "v1.0.$i"
		elif test $((i % 10)) = 0
		then
			echo "v1.0.$i  bad: broken $i (staging)"
		elif test $((i % 50)) = 1
		then
			echo "v1.0.$i  bad: broken $i (production); again $i"
		else
			echo "v1.0.$i  bad: broken $i"
		fi
		i=$((i - 1))
	done
}

test_expect_success 'release list: every mark as its blob says; the cache is made' '
	expected_list >expect &&
	git release list >actual &&
	test_cmp expect actual &&
	test_path_is_file .git/marks-cache &&
	sed -n "1p;2p" .git/marks-cache >actual &&
	printf "marks-cache 1\nmarks %s\n" "$(git rev-parse refs/deploy/marks)" >expect &&
	test_cmp expect actual &&
	test "$(wc -l <.git/marks-cache)" = 302 &&
	grep -x "$(git rev-parse refs/deploy/marks:v1.0.150) v1.0.150	" .git/marks-cache
'

test_expect_success 'from the cache: the same list; --json has every line of a mark' '
	expected_list >expect &&
	cp .git/marks-cache cache.before &&
	git release list >actual &&
	test_cmp expect actual &&
	test_cmp cache.before .git/marks-cache &&
	git release list --json >out &&
	grep "\"tag\":\"v1.0.151\",.*\"bad\":true,.*\"marks\":\[{\"schema\":1,\"env\":\"production\",\"reason\":\"broken 151\\\\nthe second line\"},{\"schema\":1,\"env\":null,\"reason\":\"again 151\"}\]" out &&
	grep "\"tag\":\"v1.0.150\",.*\"bad\":false" out &&
	grep "\"tag\":\"v1.0.98\",.*\"bad\":false" out
'

test_expect_success 'the cache is of the marks commit: a new mark is listed at once' '
	git release yank v1.0.399 -m "new today" >/dev/null &&
	git release list -n 2 >actual &&
	printf "%s\n" "v1.0.399  bad: new today" "v1.0.398  bad: broken 398" >expect &&
	test_cmp expect actual &&
	grep -x "marks $(git rev-parse refs/deploy/marks)" .git/marks-cache &&
	git release yank --undo v1.0.399 >/dev/null &&
	expected_list >expect &&
	git release list >actual &&
	test_cmp expect actual
'

test_expect_success 'a cache that lies about another commit, or is damaged, is no cache' '
	expected_list >expect &&
	sed "2s/.*/marks $(git rev-parse HEAD)/; s/broken 200/fine/" .git/marks-cache >lie &&
	cp lie .git/marks-cache &&
	git release list >actual &&
	test_cmp expect actual &&
	grep -x "marks $(git rev-parse refs/deploy/marks)" .git/marks-cache &&
	head -c 300 .git/marks-cache >cut && cp cut .git/marks-cache &&
	git release list >actual &&
	test_cmp expect actual &&
	printf "something else\n" >.git/marks-cache &&
	git release list >actual &&
	test_cmp expect actual &&
	grep -x "marks-cache 1" .git/marks-cache
'

test_expect_success 'the default rollback target skips every marked release' '
	git branch production v1.0.399 &&
	git rollback check --no-fetch >out &&
	grep "^running: v1.0.399 " out &&
	grep "^target: v1.0.150 " out &&
	! grep "bad" out
'

test_expect_success 'a dry run writes no cache, and answers the same' '
	rm -f .git/marks-cache &&
	save_state &&
	git rollback -m "slow" --deploy-only --dry-run >out 2>&1 &&
	grep "v1.0.399 -> v1.0.150" out &&
	test_state_unchanged &&
	test_path_is_missing .git/marks-cache
'

test_expect_success 'a mark whose blob cannot be read is a mark, and said' '
	git ls-tree refs/deploy/marks >tree &&
	echo "100644 blob 1234567890123456789012345678901234567890	v1.0.5" >>tree &&
	t=$(git mktree --missing <tree) &&
	c=$(git commit-tree -p refs/deploy/marks -m "a lost blob" $t) &&
	git update-ref refs/deploy/marks $c &&
	git release list >actual 2>err &&
	grep -x "v1.0.5  bad: its marks cannot be read" actual &&
	grep "^error: cannot read the marks 1234567890123456789012345678901234567890" err &&
	! grep -x "marks $c" .git/marks-cache
'

test_done
