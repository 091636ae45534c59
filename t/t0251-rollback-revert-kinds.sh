#!/bin/sh

test_description='git rollback revert: renames, modes, symlinks, binaries, file to directory'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY/lib-revert.sh"

test_expect_success 'setup' '
	git init -q repo &&
	(cd repo &&
	ignore_scratch &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "line $i"; done >long.txt &&
	printf "#!/bin/sh\necho hi\n" >run.sh &&
	printf "\000\001\002binary\000data\n" >blob.bin &&
	echo file >p &&
	mkdir -p dir/sub && echo deep >dir/sub/deep.txt &&
	echo keep >keep.txt &&
	git add . && test_tick && git commit -q -m base &&
	git tag base)
'

test_expect_success 'a rename' '
	(cd repo &&
	git checkout -q -B rename base &&
	git mv long.txt renamed.txt && test_tick && git commit -q -m "rename long" &&
	compare_with_git HEAD)
'

test_expect_success 'a rename, then the renamed file changed (rename detection)' '
	(cd repo &&
	sed -e "s/line 11/line eleven/" renamed.txt >tmp && mv tmp renamed.txt &&
	git commit -q -a -m "edit renamed" &&
	compare_with_git HEAD~1)
'

test_expect_success 'an executable bit' '
	(cd repo &&
	git checkout -q -B mode base &&
	chmod +x run.sh && git update-index --chmod=+x run.sh &&
	test_tick && git commit -q -m "make run.sh executable" &&
	compare_with_git HEAD)
'

test_expect_success 'an executable bit, then the content changed' '
	(cd repo &&
	echo "echo more" >>run.sh && test_tick && git commit -q -a -m "run more" &&
	compare_with_git HEAD~1 &&
	compare_with_git HEAD)
'

test_expect_success 'a content change, then an executable bit' '
	(cd repo &&
	git checkout -q -B mode2 base &&
	echo "echo again" >>run.sh && test_tick && git commit -q -a -m "run again" &&
	git update-index --chmod=+x run.sh && chmod +x run.sh &&
	test_tick && git commit -q -m "exec" &&
	compare_with_git HEAD~1)
'

test_expect_success 'symlinks: added, retargeted' '
	(cd repo &&
	git checkout -q -B link base &&
	ln -s keep.txt link && git add link && test_tick &&
	git commit -q -m "add link" &&
	rm link && ln -s long.txt link && git add link && test_tick &&
	git commit -q -m "retarget link" &&
	compare_with_git HEAD &&
	compare_with_git HEAD~1..HEAD &&
	compare_with_git HEAD~2..HEAD)
'

test_expect_success 'a file replaced by a symlink' '
	(cd repo &&
	git checkout -q -B link2 base &&
	rm keep.txt && ln -s long.txt keep.txt && git add keep.txt &&
	test_tick && git commit -q -m "keep is a link" &&
	compare_with_git HEAD)
'

test_expect_success 'binary files' '
	(cd repo &&
	git checkout -q -B bin base &&
	printf "\000\003\004other\000bytes\n" >blob.bin &&
	test_tick && git commit -q -a -m "new binary" &&
	printf "\000\005third\000\n" >blob.bin &&
	test_tick && git commit -q -a -m "third binary" &&
	compare_with_git HEAD~2..HEAD)
'

test_expect_success 'a file turned into a directory, and back' '
	(cd repo &&
	git checkout -q -B f2d base &&
	git rm -q p && mkdir p && echo inside >p/x &&
	git add p && test_tick && git commit -q -m "p is a directory" &&
	compare_with_git HEAD &&
	git rm -q -r p && echo file-again >p && git add p &&
	test_tick && git commit -q -m "p is a file again" &&
	compare_with_git HEAD &&
	compare_with_git HEAD~2..HEAD)
'

test_expect_success 'deleted, then modified again: a range over both' '
	(cd repo &&
	git checkout -q -B delmod base &&
	git rm -q keep.txt && test_tick && git commit -q -m "drop keep" &&
	echo "keep v2" >keep.txt && git add keep.txt && test_tick &&
	git commit -q -m "keep is back, changed" &&
	echo "keep v3" >keep.txt && test_tick && git commit -q -a -m "keep v3" &&
	compare_with_git HEAD~3..HEAD &&
	compare_with_git HEAD~1..HEAD)
'

test_expect_success 'deep trees: only changed subtrees, same result as git' '
	(cd repo &&
	git checkout -q -B deep base &&
	echo deeper >dir/sub/deep.txt && test_tick && git commit -q -a -m "deep 1" &&
	mkdir -p dir/other && echo o >dir/other/o.txt && git add dir &&
	test_tick && git commit -q -m "deep 2" &&
	git rm -q -r dir/sub && test_tick && git commit -q -m "deep 3" &&
	compare_with_git HEAD~3..HEAD &&
	compare_with_git HEAD~1)
'

test_expect_success 'both sides changed one file in different places' '
	(cd repo &&
	git checkout -q -B merge3 base &&
	sed -e "s/line 2\$/line two/" long.txt >tmp && mv tmp long.txt &&
	test_tick && git commit -q -a -m "edit line 2" &&
	sed -e "s/line 10/line ten/" long.txt >tmp && mv tmp long.txt &&
	test_tick && git commit -q -a -m "edit line 10" &&
	compare_with_git HEAD~1)
'

test_expect_success 'a long linear range of every kind, step by step as git' '
	(cd repo &&
	git checkout -q -B all base &&
	git mv long.txt l2.txt && test_tick && git commit -q -m k1 &&
	git update-index --chmod=+x run.sh && chmod +x run.sh &&
	test_tick && git commit -q -m k2 &&
	ln -s l2.txt ln && git add ln && test_tick && git commit -q -m k3 &&
	printf "\000bin2\n" >blob.bin && test_tick && git commit -q -a -m k4 &&
	git rm -q p && mkdir p && echo y >p/y && git add p &&
	test_tick && git commit -q -m k5 &&
	echo "more" >>l2.txt && test_tick && git commit -q -a -m k6 &&
	git rm -q keep.txt && test_tick && git commit -q -m k7 &&
	compare_with_git base..HEAD &&
	git rollback revert -q base..HEAD &&
	test "$(git rev-parse HEAD^{tree})" = "$(git rev-parse base^{tree})")
'

test_done
