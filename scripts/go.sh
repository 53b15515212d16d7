# Sourced by the scripts that build (install, demo, test, bench, e2e,
# package), from the top of the checkout. need_go finds a Go that builds
# this module: go.mod's "go" line (the toolchain it needs) or newer, in
# $PATH, /usr/local/go/bin (where go.dev/dl's tarball goes) or
# /usr/lib/go-1.*/bin (Debian's backports). A Go from 1.21 on that is older
# fetches the needed toolchain by itself: GOTOOLCHAIN=auto, which Debian's
# packages turn off. With no usable Go it says in one line what to install
# and returns 1. GO=/path/to/go skips the search.

# go_version_ge A B: whether Go version A (1.26.8, 1.21, 1.22rc1) >= B.
go_version_ge() {
	local a b i x y
	IFS=. read -ra a <<<"${1%%[a-z]*}"
	IFS=. read -ra b <<<"${2%%[a-z]*}"
	for i in 0 1 2; do
		x=${a[$i]:-0} y=${b[$i]:-0}
		[ "$x" -gt "$y" ] && return 0
		[ "$x" -lt "$y" ] && return 1
	done
	return 0
}

need_go() {
	local want cand v found="" best="" best_v=""
	want=$(sed -n 's/^go \([0-9][0-9.]*\)$/\1/p' go.mod)
	local cands=()
	if [ -n "${GO:-}" ]; then
		cands=("$GO")
	else
		cands=($(command -v go 2>/dev/null || true) /usr/local/go/bin/go $(ls -d /usr/lib/go-1.*/bin/go 2>/dev/null | sort -rV))
	fi
	for cand in "${cands[@]}"; do
		[ -x "$cand" ] || continue
		# From /, so that an older go does not act on go.mod to answer.
		v=$(cd / && GOTOOLCHAIN=local "$cand" env GOVERSION 2>/dev/null) || continue
		v=${v#go}
		found+="${found:+, }go$v"
		if [ -z "$best" ] || ! go_version_ge "$best_v" "$v"; then
			best=$cand best_v=$v
		fi
	done
	if [ -z "$best" ] || ! go_version_ge "$best_v" 1.21; then
		echo "${0##*/}: Go $want or newer is needed to build (found: ${found:-none}); install it from https://go.dev/dl/ into /usr/local/go, or install the Debian package instead (README: Install)" >&2
		return 1
	fi
	PATH=$(dirname "$best"):$PATH
	export PATH
	if ! go_version_ge "$best_v" "$want"; then
		# Go 1.21 and later download the toolchain go.mod asks for.
		export GOTOOLCHAIN=auto
		echo "${0##*/}: go$best_v is older than go.mod's go$want; GOTOOLCHAIN=auto lets it fetch go$want" >&2
	fi
}
