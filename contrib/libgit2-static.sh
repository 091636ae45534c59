#!/bin/sh
# Print the linker arguments that link libgit2, and every library it
# needs of which an archive (lib*.a) is installed, statically; the
# others by their shared library's soname.  Print nothing when there is
# no libgit2.a, or no readelf to read what a library needs: the build
# then links libgit2 as a shared library (pkg-config --libs libgit2).
#
#	sh contrib/libgit2-static.sh
libdir=$(pkg-config --variable=libdir libgit2 2>/dev/null) || exit 0
test -n "$libdir" && test -f "$libdir/libgit2.a" || exit 0
command -v readelf >/dev/null 2>&1 || exit 0
multiarch=$(${CC:-cc} -print-multiarch 2>/dev/null)

# the shared library file of a soname
so_path () {
	for d in "$libdir" "/lib/$multiarch" "/usr/lib/$multiarch" /usr/lib /lib
	do
		test -f "$d/$1" && { echo "$d/$1"; return 0; }
	done
	return 1
}

seen=" "
archives=
shared=
# visit <soname>: its archive and, through it, what it needs; else
# the shared library itself
visit () {
	case $seen in *" $1 "*) return 0;; esac
	seen="$seen$1 "
	base=${1%%.so*}
	case $base in
	libc|libpthread|libdl|librt|libm|ld-linux*)
		return 0;;	# the C library: linked in any case
	esac
	if test -f "$libdir/$base.a" && so=$(so_path "$1")
	then
		archives="$archives $libdir/$base.a"
		for n in $(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
		do
			visit "$n" || return 1
		done
	else
		shared="$shared -l:$1"
	fi
}
so=$(so_path "$(readelf -d "$libdir/libgit2.so" 2>/dev/null |
	sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')") || exit 0
visit "${so##*/}" || exit 0
# archives in a group: their order does not matter then
echo "-Wl,--start-group$(echo $archives | sed 's/ /,/g; s/^/,/')" \
	"-Wl,--end-group$shared -lrt -lpthread -ldl"
