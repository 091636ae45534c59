#!/bin/sh

test_description='the clean-tree check: its one-stat-per-file answer is never wrong'

. ./test-lib.sh

# Every file gets an mtime well before the index's, so that no entry is
# racily clean and the check can answer from stat data alone.
age_and_refresh () {
	git ls-files -z | xargs -0 touch -h -d "2020-01-01 00:00:00" &&
	git update-index -q --really-refresh
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
	git add . && test_tick && git commit -q -m change &&
	age_and_refresh)
'

test_expect_success 'a clean tree passes' '
	(cd repo &&
	git rollback revert --dry-run HEAD >../out &&
	grep "^would revert 1 commit" ../out)
'

test_expect_success 'same size, mtime put back: unstaged changes (1)' '
	test_when_finished "(cd repo && git checkout -q -- top.txt && age_and_refresh)" &&
	(cd repo &&
	echo thre3 >top.txt &&
	touch -d "2020-01-01 00:00:00" top.txt &&
	save_state &&
	test_expect_code 1 git rollback revert --dry-run HEAD 2>../err &&
	grep "^error: cannot revert: you have unstaged changes" ../err &&
	test_state_unchanged)
'

test_expect_success 'a parent directory now a symlink to the same files: unstaged changes (1)' '
	test_when_finished "(cd repo && rm d && mv moved d && age_and_refresh)" &&
	(cd repo &&
	mv d moved &&
	ln -s moved d &&
	save_state &&
	test_expect_code 1 git rollback revert --dry-run HEAD 2>../err &&
	grep "^error: cannot revert: you have unstaged changes" ../err &&
	test_state_unchanged)
'

test_expect_success 'a file now a symlink: unstaged changes (1)' '
	test_when_finished "(cd repo && rm top.txt && git checkout -q -- top.txt && age_and_refresh)" &&
	(cd repo &&
	rm top.txt &&
	ln -s d/e/f.txt top.txt &&
	save_state &&
	test_expect_code 1 git rollback revert --dry-run HEAD 2>../err &&
	grep "^error: cannot revert: you have unstaged changes" ../err &&
	test_state_unchanged)
'

test_expect_success 'a staged change with the files untouched: index changes (1)' '
	test_when_finished "(cd repo && git reset -q && age_and_refresh)" &&
	(cd repo &&
	git update-index --cacheinfo 100644,$(git rev-parse base:top.txt),top.txt &&
	save_state &&
	test_expect_code 1 git rollback revert --dry-run HEAD 2>../err &&
	grep "^error: cannot revert: your index contains uncommitted changes" ../err &&
	test_state_unchanged)
'

test_expect_success 'just written files (maybe racily clean) pass too' '
	(cd repo &&
	git ls-files -z | xargs -0 touch &&
	git update-index -q --really-refresh &&
	git rollback revert --dry-run HEAD >../out &&
	grep "^would revert 1 commit" ../out)
'

test_done
