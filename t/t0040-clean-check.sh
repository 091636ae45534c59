#!/bin/sh

test_description='the clean-tree check: its stat-based answer is never wrong'

. ./test-lib.sh

# Every file gets an mtime well before the index's, so that no entry is
# racily clean and the check can answer from stat data alone.
age_and_refresh () {
	git -C repo ls-files -z |
		(cd repo && xargs -0 touch -h -d "2020-01-01 00:00:00") &&
	git -C repo update-index -q --really-refresh
}

# has_cache_tree <repo>: its index has a cache-tree, the case the check
# may answer from alone
has_cache_tree () {
	grep -q TREE "$1/.git/index"
}

# passes: a dry-run revert gets past the check
passes () {
	(cd repo && git rollback revert --dry-run HEAD >../out) &&
	grep "^would revert 1 commit" out
}

# refused <message>: a dry-run revert is refused with it, nothing changes
refused () {
	(cd repo &&
	save_state &&
	test_expect_code 1 git rollback revert --dry-run HEAD 2>../err &&
	test_state_unchanged) &&
	grep "^error: cannot revert: $1" err
}

test_expect_success 'setup' '
	git init -q repo &&
	(cd repo &&
	mkdir -p d/e &&
	echo one >d/e/f.txt &&
	echo two >top.txt &&
	git add . && test_tick && git commit -q -m base &&
	git tag base &&
	echo three >top.txt &&
	git add . && test_tick && git commit -q -m change) &&
	age_and_refresh
'

test_expect_success 'a clean tree passes' '
	passes
'

test_expect_success 'same size, mtime put back: unstaged changes (1)' '
	test_when_finished "git -C repo checkout -q -- top.txt &&
		age_and_refresh" &&
	echo thre3 >repo/top.txt &&
	touch -d "2020-01-01 00:00:00" repo/top.txt &&
	refused "you have unstaged changes"
'

test_expect_success 'a parent directory now a symlink: unstaged changes (1)' '
	test_when_finished "rm repo/d && mv repo/moved repo/d && age_and_refresh" &&
	mv repo/d repo/moved &&
	ln -s moved repo/d &&
	refused "you have unstaged changes"
'

test_expect_success 'a file now a symlink: unstaged changes (1)' '
	test_when_finished "rm repo/top.txt &&
		git -C repo checkout -q -- top.txt && age_and_refresh" &&
	rm repo/top.txt &&
	ln -s d/e/f.txt repo/top.txt &&
	refused "you have unstaged changes"
'

test_expect_success 'a staged change, no file touched: index changes (1)' '
	test_when_finished "git -C repo reset -q && age_and_refresh" &&
	git -C repo update-index --cacheinfo \
		100644,$(git -C repo rev-parse base:top.txt),top.txt &&
	refused "your index contains uncommitted changes"
'

test_expect_success 'the cache-tree of another commit: index changes (1)' '
	test_when_finished "git -C repo reset -q --soft change &&
		age_and_refresh" &&
	git -C repo branch -f change HEAD &&
	has_cache_tree repo &&
	git -C repo reset -q --soft HEAD~1 &&
	refused "your index contains uncommitted changes"
'

test_expect_success 'a version 4 index (no cache-tree read): same answers' '
	test_when_finished "git -C repo update-index --index-version 2 &&
		git -C repo reset -q && age_and_refresh" &&
	git -C repo update-index --index-version 4 &&
	age_and_refresh &&
	passes &&
	git -C repo update-index --cacheinfo \
		100644,$(git -C repo rev-parse base:top.txt),top.txt &&
	refused "your index contains uncommitted changes"
'

test_expect_success 'just written files (maybe racily clean) pass too' '
	git -C repo ls-files -z | (cd repo && xargs -0 touch) &&
	git -C repo update-index -q --really-refresh &&
	passes
'

# 6,000 files: the stats are split between threads (on a machine of two
# processors or more); a change anywhere, the last file or a directory
# in the middle of a part, is seen
test_expect_success 'a large tree, its stats split: every part is checked' '
	rm -rf big && git init -q big &&
	(cd big &&
	awk "BEGIN { for (d = 0; d < 60; d++) { system(\"mkdir -p d\" d);
		for (f = 0; f < 100; f++) print d > (\"d\" d \"/f\" f) } }" &&
	git add . && test_tick && git commit -q -m base &&
	echo change >>d0/f0 && git add . && test_tick && git commit -q -m change) &&
	test $(git -C big ls-files | wc -l) = 6000 &&
	git -C big ls-files -z |
		(cd big && xargs -0 touch -h -d "2020-01-01 00:00:00") &&
	git -C big update-index -q --really-refresh &&
	(cd big && git rollback revert --dry-run HEAD >../out) &&
	grep "^would revert 1 commit" out &&
	for f in d59/f99 d9/f99 d45/f50 d30/f0
	do
		cp big/$f big/$f.keep &&
		echo x >big/$f &&
		touch -d "2020-01-01 00:00:00" big/$f &&
		(cd big && test_expect_code 1 git rollback revert --dry-run HEAD 2>../err) &&
		grep "^error: cannot revert: you have unstaged changes" err &&
		mv big/$f.keep big/$f &&
		touch -d "2020-01-01 00:00:00" big/$f || return 1
	done &&
	mv big/d40 big/d40.real && ln -s d40.real big/d40 &&
	(cd big && test_expect_code 1 git rollback revert --dry-run HEAD 2>../err) &&
	grep "^error: cannot revert: you have unstaged changes" err &&
	rm big/d40 && mv big/d40.real big/d40 &&
	(cd big && git rollback revert --dry-run HEAD >../out) &&
	grep "^would revert 1 commit" out
'

test_done
