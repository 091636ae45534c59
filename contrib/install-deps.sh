#!/bin/sh
# Install what building and testing need, through the system's package
# manager: directly as root, with sudo otherwise.  Where neither can be
# done, print the exact command and fail.
#
#	sh contrib/install-deps.sh [bench]	(bench: git-flow too)
set -e

missing=
pkg-config --exists libgit2 2>/dev/null || missing="$missing libgit2-dev"
pkg-config --exists libbsd-overlay 2>/dev/null || missing="$missing libbsd-dev"
pkg-config --exists libmd 2>/dev/null || missing="$missing libmd-dev"
pkg-config --exists zlib 2>/dev/null || missing="$missing zlib1g-dev"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
test -f /usr/share/sharness/sharness.sh || missing="$missing sharness"
command -v mandoc >/dev/null 2>&1 || missing="$missing mandoc"
command -v prove >/dev/null 2>&1 || missing="$missing perl"
command -v git >/dev/null 2>&1 || missing="$missing git"
command -v ssh-keygen >/dev/null 2>&1 || missing="$missing openssh-client"
test -f /usr/share/bash-completion/bash_completion ||
	missing="$missing bash-completion"
command -v zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v fish >/dev/null 2>&1 || missing="$missing fish"
# the deploy hook tests run the real kubectl offline (any kubectl will do)
command -v kubectl >/dev/null 2>&1 || missing="$missing kubernetes-client"
command -v jq >/dev/null 2>&1 || missing="$missing jq"
python3 -c 'import json, yaml' 2>/dev/null || missing="$missing python3 python3-yaml"
command -v dpkg-buildpackage >/dev/null 2>&1 || missing="$missing dpkg-dev"
command -v dh >/dev/null 2>&1 || missing="$missing debhelper"
command -v fakeroot >/dev/null 2>&1 || missing="$missing fakeroot"
command -v flock >/dev/null 2>&1 || missing="$missing util-linux"
# the fuzz targets (make fuzz, t0070): clang and its libFuzzer runtime
command -v clang >/dev/null 2>&1 || missing="$missing clang"
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a \
	>/dev/null 2>&1 || missing="$missing libclang-rt-14-dev"
if test "$1" = bench
then
	git flow version >/dev/null 2>&1 || missing="$missing git-flow"
fi
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
test -n "$missing" || exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "error: missing:$missing; install them with your package manager" >&2
	exit 1
fi
if test "$(id -u)" = 0; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "error: missing:$missing" >&2
	echo "hint: run as root: apt-get update && $cmd" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo $cmd
