# git-release, git-rollback, git-hotfix
#
#	make		build the three commands
#	make demo	install what is missing, build, run the whole workflow
#	make test	install what is missing, build, run every test
#	make sanitize	the tests under AddressSanitizer and UBSan
#	make bench	benchmarks against git and git-flow
#	make install	prefix=/usr/local, DESTDIR for staging
#
# Local settings go in config.mak.

-include config.mak

prefix ?= /usr/local
bindir = $(prefix)/bin
datadir = $(prefix)/share
mandir = $(datadir)/man
bashcompdir = $(datadir)/bash-completion/completions
zshcompdir = $(datadir)/zsh/site-functions
fishconfdir = $(datadir)/fish/vendor_conf.d
hooksdir = $(datadir)/git-release/hooks
HOOKS = contrib/hooks/kubectl.sh contrib/hooks/helm.sh contrib/hooks/argocd.sh

CC ?= cc
AR ?= ar
CFLAGS ?= -O2 -g
PKGS = libgit2 libbsd-overlay libmd zlib
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS_SHARED = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lgit2 -lbsd -lmd -lz)
# libgit2 linked statically, with every library it needs of which an
# archive is installed (contrib/libgit2-static.sh), because the dynamic
# loader's relocation of libgit2, mbedTLS, libssh2 and libcrypto was
# two thirds of a short command's instructions; STATIC_LIBGIT2=no links
# the shared libraries (run make clean after changing it).
STATIC_LIBGIT2 ?= auto
ifneq ($(STATIC_LIBGIT2),no)
GIT2_STATIC := $(shell CC='$(CC)' sh contrib/libgit2-static.sh)
endif
ifneq ($(GIT2_STATIC),)
PKG_LIBS = $(shell pkg-config --libs libbsd-overlay libmd zlib 2>/dev/null || \
	echo -lbsd -lmd -lz) $(GIT2_STATIC)
ifneq ($(findstring libmbedx509.a,$(GIT2_STATIC)),)
# lib/startup.c's answer to the CA bundle parse, by the linker
# (-u: lib/startup.o is linked even where nothing calls it)
PKG_LIBS += -Wl,--wrap=mbedtls_x509_crt_parse_file \
	-Wl,-u,__wrap_mbedtls_x509_crt_parse_file
lib/startup.o t/unit/test-startup: ALL_CFLAGS += -DSTARTUP_WRAP_MBEDTLS
endif
ifneq ($(findstring libssh2.a,$(GIT2_STATIC)),)
# and libssh2's set-up left to its first use (lib/startup.c)
PKG_LIBS += -Wl,--wrap=libssh2_init -Wl,-u,__wrap_libssh2_init
lib/startup.o: ALL_CFLAGS += -DSTARTUP_WRAP_LIBSSH2
endif
# a commit-graph libgit2 1.5 would reject after hashing it, rejected
# before (lib/startup.c)
PKG_LIBS += -Wl,--wrap=git_commit_graph_new -Wl,-u,__wrap_git_commit_graph_new
lib/startup.o t/unit/test-startup: ALL_CFLAGS += -DSTARTUP_WRAP_COMMIT_GRAPH
ifneq ($(findstring libcrypto.a,$(GIT2_STATIC)),)
# and a file's checksum (the index's, on every read) by OpenSSL's SHA-1
PKG_LIBS += -Wl,--wrap=git_hash_buf -Wl,-u,__wrap_git_hash_buf
lib/startup.o t/unit/test-startup: ALL_CFLAGS += -DSTARTUP_WRAP_HASH_BUF
endif
else
PKG_LIBS = $(PKG_LIBS_SHARED)
endif
WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARNINGS) $(PKG_CFLAGS) -I. $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
PROVE ?= prove
PROVE_OPTS ?= -j2

PROGRAMS = git-release git-rollback git-hotfix
LIB = lib/libgitrelease.a
LIB_SRCS = $(sort $(wildcard lib/*.c))
LIB_OBJS = $(LIB_SRCS:.c=.o)
LIB_HDRS = $(wildcard lib/*.h)
UNIT_SRCS = $(sort $(wildcard t/unit/test-*.c))
UNIT_BINS = $(UNIT_SRCS:.c=)
MANS = $(wildcard man/*.1 man/*.7)

ifndef V
QUIET_CC = @echo '   ' CC $@;
QUIET_AR = @echo '   ' AR $@;
QUIET_LINK = @echo '   ' LINK $@;
QUIET_GEN = @echo '   ' GEN $@;
endif

all: $(PROGRAMS)

# the suite's version: git describe in a checkout (not in a tarball that
# happens to sit inside some other repository), else the VERSION file
SUITE-VERSION: FORCE
	@v=$$(test -e .git && git describe --match 'v[0-9]*' --dirty 2>/dev/null | sed 's/^v//'); \
	test -n "$$v" || v=$$(cat VERSION 2>/dev/null); \
	test -n "$$v" || v=unknown; \
	echo "$$v" | cmp -s - $@ || echo "$$v" >$@

lib/version.o: SUITE-VERSION
lib/version.o: ALL_CFLAGS += -DSUITE_VERSION='"$(shell cat SUITE-VERSION)"'

lib/%.o: lib/%.c $(LIB_HDRS)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(QUIET_AR)rm -f $@ && $(AR) rcs $@ $(LIB_OBJS)

git-%.o: git-%.c $(LIB_HDRS)
	$(QUIET_CC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(PROGRAMS): %: %.o $(LIB)
	$(QUIET_LINK)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

t/unit/test-%: t/unit/test-%.c t/unit/tap.h $(LIB)
	$(QUIET_LINK)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

# Install what the build and the tests need, through the system's
# package manager; say the exact command where that cannot be done.
deps:
	@sh contrib/install-deps.sh

# T: the shell tests to run (all of them by default)
T = t[0-9]*.sh
test: deps all $(UNIT_BINS)
	@cd t && $(PROVE) $(PROVE_OPTS) $(addprefix ../,$(UNIT_BINS)) $(T)

# the C unit tests alone (what the Debian build runs)
test-unit: $(UNIT_BINS)
	@cd t && $(PROVE) $(addprefix ../,$(UNIT_BINS))

# a versioned source tarball of the tracked files, its VERSION saying the
# version (git describe), so that it builds and tells its version outside
# git; into DIST_DIR.  Tracked files that .gitignore names are build
# products committed by mistake: left out.
DIST_DIR = .
dist: SUITE-VERSION
	@test -e .git || { echo "fatal: make dist needs the git checkout" >&2; exit 128; }
	@n=git-release-suite-$$(cat SUITE-VERSION) && d="$(DIST_DIR)" && \
	rm -rf "$$d/$$n" "$$d/$$n.tar.gz" && mkdir -p "$$d/$$n" && \
	git ls-files -c -i --exclude-standard >"$$d/$$n.ignored" && \
	git ls-files -z | grep -z -v -x -F -f "$$d/$$n.ignored" | \
	xargs -0 cp --parents -P -t "$$d/$$n" && rm -f "$$d/$$n.ignored" && \
	cp SUITE-VERSION "$$d/$$n/VERSION" && \
	tar -C "$$d" -czf "$$d/$$n.tar.gz" --owner=0 --group=0 --sort=name "$$n" && \
	rm -rf "$$d/$$n" && echo "$$d/$$n.tar.gz"

demo: deps all
	@sh contrib/demo.sh

lint-man:
	mandoc -T lint -W warning $(MANS)

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
# in a build directory of its own (SAN_DIR), a copy of the sources: the
# normal build beside the sources is neither cleaned nor rebuilt
SAN_DIR = build-sanitize
sanitize: deps SUITE-VERSION
	rm -rf "$(SAN_DIR)" && mkdir -p "$(SAN_DIR)"
	tar -cf - --exclude='./$(SAN_DIR)' --exclude='./.git' --exclude='*.o' \
	    --exclude='*.a' --exclude='./t/trash directory.*' \
	    --exclude='./t/test-results' . | (cd "$(SAN_DIR)" && tar -xf -)
	cp SUITE-VERSION "$(SAN_DIR)/VERSION"
	$(MAKE) -C "$(SAN_DIR)" clean
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/t/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) -C "$(SAN_DIR)" CFLAGS='$(SAN_FLAGS)' \
	    LDFLAGS='-fsanitize=address,undefined' T='$(T)' test

# the tests with every command under valgrind (slow: a subset by default)
VALGRIND_TESTS ?= t0*.sh
valgrind: deps all $(UNIT_BINS)
	@cd t && TEST_VALGRIND=1 $(PROVE) $(PROVE_OPTS) $(VALGRIND_TESTS)

bench: all
	@sh contrib/install-deps.sh bench
	@sh bench/run.sh

# the example deploy hooks: deploy.<env>.command 'sh $(hooksdir)/helm.sh'
install-hooks:
	install -d "$(DESTDIR)$(hooksdir)"
	install -m 755 $(HOOKS) "$(DESTDIR)$(hooksdir)"

install: all install-hooks
	install -d "$(DESTDIR)$(bindir)" "$(DESTDIR)$(mandir)/man1" \
	    "$(DESTDIR)$(mandir)/man7" "$(DESTDIR)$(bashcompdir)" \
	    "$(DESTDIR)$(zshcompdir)" "$(DESTDIR)$(fishconfdir)"
	install -m 755 $(PROGRAMS) "$(DESTDIR)$(bindir)"
	for f in $(MANS); do \
	    case $$f in *.1) d=man1;; *) d=man7;; esac; \
	    install -m 644 $$f "$(DESTDIR)$(mandir)/$$d" || exit; \
	done
	for c in release rollback hotfix; do \
	    install -m 644 contrib/completion/git-completion.bash \
	        "$(DESTDIR)$(bashcompdir)/git-$$c" || exit; \
	done
	for f in _git-release _git-rollback _git-hotfix _git_release_suite; do \
	    install -m 644 contrib/completion/zsh/$$f \
	        "$(DESTDIR)$(zshcompdir)/$$f" || exit; \
	done
	install -m 644 contrib/completion/fish/git-release.fish \
	    "$(DESTDIR)$(fishconfdir)/git-release.fish"
	@test -n "$(DESTDIR)" || sh contrib/check-path.sh "$(bindir)"

uninstall:
	for p in $(PROGRAMS); do rm -f "$(DESTDIR)$(bindir)/$$p"; done
	rm -f "$(DESTDIR)$(mandir)/man1/git-release.1" \
	    "$(DESTDIR)$(mandir)/man1/git-rollback.1" \
	    "$(DESTDIR)$(mandir)/man1/git-hotfix.1" \
	    "$(DESTDIR)$(mandir)/man7/gitrelease-workflow.7"
	rm -f "$(DESTDIR)$(bashcompdir)/git-release" \
	    "$(DESTDIR)$(bashcompdir)/git-rollback" \
	    "$(DESTDIR)$(bashcompdir)/git-hotfix" \
	    "$(DESTDIR)$(zshcompdir)/_git-release" \
	    "$(DESTDIR)$(zshcompdir)/_git-rollback" \
	    "$(DESTDIR)$(zshcompdir)/_git-hotfix" \
	    "$(DESTDIR)$(zshcompdir)/_git_release_suite" \
	    "$(DESTDIR)$(fishconfdir)/git-release.fish"
	for h in $(HOOKS); do rm -f "$(DESTDIR)$(hooksdir)/$${h##*/}"; done

# libFuzzer targets, one per parser, built with clang and its sanitizers
# into t/fuzz/bin/ (lib/ compiled again in t/fuzz/obj/): "make fuzz"
# builds them, "make fuzz-run" runs each FUZZ_RUNS times
# (FUZZ_RUNS=10000000 for a long run; crashes and their inputs land in
# t/fuzz/crashes/).
FUZZ_CC ?= clang
FUZZ_RUNS ?= 20000
FUZZ_NAMES = semver deploy-entry trailers state journal packed-refs options
FUZZ_BINS = $(FUZZ_NAMES:%=t/fuzz/bin/fuzz-%)
FUZZ_OBJS = $(LIB_SRCS:lib/%.c=t/fuzz/obj/%.o) t/fuzz/obj/fuzz-lib.o
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -I. \
	-DSUITE_VERSION='"fuzz"'

t/fuzz/obj/%.o: lib/%.c $(LIB_HDRS)
	@mkdir -p t/fuzz/obj
	$(QUIET_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

t/fuzz/obj/fuzz-lib.o: t/fuzz/fuzz-lib.c t/fuzz/fuzz.h $(LIB_HDRS)
	@mkdir -p t/fuzz/obj
	$(QUIET_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

t/fuzz/bin/fuzz-options: FUZZ_LDFLAGS = -Wl,--wrap=exit
t/fuzz/bin/fuzz-%: t/fuzz/fuzz-%.c t/fuzz/fuzz.h $(FUZZ_OBJS)
	@mkdir -p t/fuzz/bin
	$(QUIET_LINK)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
		$(FUZZ_LDFLAGS) -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS_SHARED)

fuzz: $(FUZZ_BINS)

# new inputs go to t/fuzz/work/, the seeds in t/fuzz/corpus/ stay as they are
fuzz-run: fuzz
	@mkdir -p t/fuzz/crashes
	@for f in $(FUZZ_NAMES); do \
		mkdir -p t/fuzz/work/$$f && \
		echo "fuzz-$$f: $(FUZZ_RUNS) runs" && \
		LSAN_OPTIONS=suppressions=$(CURDIR)/t/fuzz/lsan.supp \
		t/fuzz/bin/fuzz-$$f -runs=$(FUZZ_RUNS) -close_fd_mask=3 \
			-artifact_prefix=t/fuzz/crashes/$$f- \
			t/fuzz/work/$$f t/fuzz/corpus/$$f || exit 1; \
	done

clean:
	rm -f $(PROGRAMS) *.o lib/*.o $(LIB) $(UNIT_BINS) SUITE-VERSION
	rm -rf t/fuzz/obj t/fuzz/bin t/fuzz/crashes t/fuzz/work
	rm -rf t/trash\ directory.* t/test-results build-sanitize

.PHONY: all deps test test-unit dist demo lint-man sanitize valgrind bench install install-hooks uninstall clean fuzz fuzz-run FORCE
.SECONDARY:
