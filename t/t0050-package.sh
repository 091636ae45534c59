#!/bin/sh

test_description='make dist, the Debian package, make install and the git-extras clash

The tarball is built once and then used as a user would: unpacked
outside any git repository, built once by dpkg-buildpackage, two jobs at
a time (which also runs the C unit tests, two at a time, and makes no
debug symbol package), and the files of that one build are what the
later cases look at; a subset of the shell tests run from it (the
whole suite again from inside this one would double the time of make
test; every commit runs it from the checkout).'

. ./test-lib.sh

B=$SHARNESS_BUILD_DIRECTORY
VERSION=$(cat "$B/SUITE-VERSION")
NAME=git-release-suite-$VERSION

test -e "$B/.git" && command -v git >/dev/null && test_set_prereq CHECKOUT
if command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null &&
	command -v fakeroot >/dev/null &&
	(cd "$B" && dpkg-checkbuilddeps) >/dev/null 2>&1
then
	test_set_prereq DEB
else
	skip_reason="dpkg-buildpackage, debhelper, fakeroot or the build dependencies are missing"
fi

# a make that is not the one running this test
submake () {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make "$@"
}

test_expect_success CHECKOUT 'make dist in the checkout' '
	submake -s -C "$B" dist DIST_DIR="$TRASH_DIRECTORY" >dist.out &&
	test_path_is_file "$NAME.tar.gz" &&
	tar -tzf "$NAME.tar.gz" >files &&
	grep -x "$NAME/VERSION" files &&
	grep -x "$NAME/debian/control" files &&
	grep -x "$NAME/Makefile" files &&
	! grep -e "/\.git/" -e "\.o\$" -e "^$NAME/git-release\$" -e "trash" files &&
	# build products that were committed by mistake stay out
	! grep -e "^$NAME/t/fuzz/fuzz-[a-z-]*\$" files &&
	git -C "$B" ls-files -c -i --exclude-standard >tracked-ignored &&
	while read -r f
	do
		! grep -x -F "$NAME/$f" files || return 1
	done <tracked-ignored &&
	tar -xzf "$NAME.tar.gz" -O "$NAME/VERSION" >version &&
	echo "$VERSION" >expect &&
	test_cmp expect version
'

# outside every repository: the trash directory sits in the checkout
OUT=$(mktemp -d "${TMPDIR:-/tmp}/dist.XXXXXX")

test_expect_success CHECKOUT,DEB 'the tarball builds a Debian package outside git' '
	tar -xzf "$NAME.tar.gz" -C "$OUT" &&
	(cd "$OUT/$NAME" &&
	 GIT_CEILING_DIRECTORIES=$OUT &&
	 export GIT_CEILING_DIRECTORIES &&
	 test_must_fail git rev-parse --git-dir 2>/dev/null &&
	 DEB_BUILD_OPTIONS="parallel=2 noopt noddebs" \
	 dpkg-buildpackage -us -uc -b >"$TRASH_DIRECTORY/build.log" 2>&1) ||
	{ tail -40 build.log; false; } &&
	ls "$OUT"/git-release-suite_*.deb >debs &&
	test_line_count = 1 debs &&
	# every unit test ran, two at a time
	ls "$OUT/$NAME"/t/unit/test-*.c | wc -l >expect &&
	grep -c "^\.\./t/unit/test-[a-z]* \.* ok\$" build.log >actual &&
	test_cmp expect actual &&
	grep "make -j2 test-unit" build.log && grep "^Result: PASS" build.log
'

test_expect_success CHECKOUT,DEB 'the package: its files where Debian puts them' '
	dpkg-deb -c "$(cat debs)" | awk "{ print \$6 }" |
	sed "s|^\./|/|" | grep -v "/\$" | sort >actual &&
	sort >expect <<-\EOF &&
	/usr/bin/git-hotfix
	/usr/bin/git-release
	/usr/bin/git-rollback
	/usr/share/bash-completion/completions/git-hotfix
	/usr/share/bash-completion/completions/git-release
	/usr/share/bash-completion/completions/git-rollback
	/usr/share/doc/git-release-suite/README.md.gz
	/usr/share/doc/git-release-suite/changelog.gz
	/usr/share/doc/git-release-suite/copyright
	/usr/share/fish/vendor_conf.d/git-release.fish
	/usr/share/git-release/hooks/argocd.sh
	/usr/share/git-release/hooks/helm.sh
	/usr/share/git-release/hooks/kubectl.sh
	/usr/share/man/man1/git-hotfix.1.gz
	/usr/share/man/man1/git-release.1.gz
	/usr/share/man/man1/git-rollback.1.gz
	/usr/share/man/man7/gitrelease-workflow.7.gz
	/usr/share/zsh/vendor-completions/_git-hotfix
	/usr/share/zsh/vendor-completions/_git-release
	/usr/share/zsh/vendor-completions/_git-rollback
	/usr/share/zsh/vendor-completions/_git_release_suite
	EOF
	test_cmp expect actual
'

test_expect_success CHECKOUT,DEB 'the package: depends on git and libgit2, diverts git-extras' '
	dpkg-deb -f "$(cat debs)" Depends >depends &&
	grep -e "libgit2" depends && grep -e "\bgit\b" depends &&
	dpkg-deb -e "$(cat debs)" control &&
	grep "dpkg-divert --package git-release-suite --add --rename" \
		control/preinst &&
	grep "dpkg-divert --package git-release-suite --remove --rename" \
		control/postrm
'

test_expect_success CHECKOUT,DEB 'the packaged command runs and says its version' '
	dpkg-deb -x "$(cat debs)" root &&
	root/usr/bin/git-release --version >actual &&
	echo "git-release version $VERSION" >expect &&
	test_cmp expect actual &&
	PATH=$PWD/root/usr/bin:$PATH git rollback --git-completion-helper >out &&
	grep -e "--reset" out &&
	gzip -dc root/usr/share/man/man1/git-release.1.gz >page.1 &&
	cmp page.1 "$B/man/git-release.1"
'

test_expect_success CHECKOUT,DEB 'a subset of the tests passes from the tarball' '
	(cd "$OUT/$NAME/t" &&
	 env -u SHARNESS_TEST_DIRECTORY -u SHARNESS_BUILD_DIRECTORY \
		-u SHARNESS_TRASH_DIRECTORY -u TRASH_DIRECTORY \
		-u SHARNESS_TEST_OUTDIR -u SHARNESS_TEST_SRCDIR \
		GIT_CEILING_DIRECTORIES="$OUT" \
	 prove t0000-basic.sh t0105-release-next.sh) \
		>subset.out 2>&1 ||
	{ cat subset.out; false; } &&
	grep "^Result: PASS" subset.out
'

# make install with a stand-in git-release earlier on PATH (git-extras'
# /usr/bin/git-release in the field): a warning; the stand-in never runs
test_expect_success 'make install warns when another git-release comes first' '
	mkdir -p other &&
	printf "#!/bin/sh\necho ran >\"%s\"\n" "$TRASH_DIRECTORY/other-ran" \
		>other/git-release && chmod +x other/git-release &&
	PATH=$PWD/other:$PWD/prefix/bin:$PATH \
		submake -s -C "$B" install prefix="$TRASH_DIRECTORY/prefix" \
		>install.out 2>install.err &&
	test_path_is_file prefix/bin/git-release &&
	grep "warning: .git release. will run $PWD/other/git-release, not $TRASH_DIRECTORY/prefix/bin/git-release" install.err &&
	grep "^hint: put $TRASH_DIRECTORY/prefix/bin before" install.err &&
	test_path_is_missing other-ran
'

test_expect_success 'make install is quiet when the installed one comes first' '
	PATH=$PWD/prefix/bin:$PWD/other:$PATH \
		submake -s -C "$B" install prefix="$TRASH_DIRECTORY/prefix" \
		>install.out 2>install.err &&
	! grep warning install.err &&
	test_path_is_missing other-ran
'

test_expect_success 'make install into a DESTDIR: the file list, no PATH check' '
	PATH=$PWD/other:$PATH submake -s -C "$B" install DESTDIR="$PWD/stage" \
		prefix=/usr >install.out 2>install.err &&
	! grep warning install.err &&
	(cd stage && find . -type f | sort) >actual &&
	sort >expect <<-\EOF &&
	./usr/bin/git-hotfix
	./usr/bin/git-release
	./usr/bin/git-rollback
	./usr/share/bash-completion/completions/git-hotfix
	./usr/share/bash-completion/completions/git-release
	./usr/share/bash-completion/completions/git-rollback
	./usr/share/fish/vendor_conf.d/git-release.fish
	./usr/share/git-release/hooks/argocd.sh
	./usr/share/git-release/hooks/helm.sh
	./usr/share/git-release/hooks/kubectl.sh
	./usr/share/man/man1/git-hotfix.1
	./usr/share/man/man1/git-release.1
	./usr/share/man/man1/git-rollback.1
	./usr/share/man/man7/gitrelease-workflow.7
	./usr/share/zsh/site-functions/_git-hotfix
	./usr/share/zsh/site-functions/_git-release
	./usr/share/zsh/site-functions/_git-rollback
	./usr/share/zsh/site-functions/_git_release_suite
	EOF
	test_cmp expect actual &&
	submake -s -C "$B" uninstall DESTDIR="$PWD/stage" prefix=/usr &&
	(cd stage && find . -type f) >left &&
	test_must_be_empty left
'

test_expect_success 'clean up the build outside the trash directory' '
	rm -rf "$OUT"
'

test_done
