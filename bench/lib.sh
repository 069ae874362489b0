# bench/lib.sh - helpers shared by bench/run.sh and bench/eval.sh (sourced).

BENCH_BIN=${BENCH_BIN:-build/bench}
BENCH_CFLAGS="-std=c11 -O2 -Wall -Wextra -Wshadow -Wstrict-prototypes \
-Wmissing-prototypes -I."

# build_tool NAME SOURCE...: compile a bench program into $BENCH_BIN/NAME,
# linking SQLite, cJSON and libm.  Any compiler message stops the run: the
# bench programs must build warning-free.
build_tool() {
	_name=$1
	shift
	mkdir -p "$BENCH_BIN"
	# shellcheck disable=SC2046,SC2086
	if ! ${CC:-cc} $BENCH_CFLAGS "$@" $(pkg-config --cflags --libs sqlite3 \
		libcjson) -lm -o "$BENCH_BIN/$_name" 2>"$BENCH_BIN/$_name.log"; then
		cat "$BENCH_BIN/$_name.log" >&2
		echo "bench: building $_name failed" >&2
		return 1
	fi
	if [ -s "$BENCH_BIN/$_name.log" ]; then
		cat "$BENCH_BIN/$_name.log" >&2
		echo "bench: $_name does not build warning-free" >&2
		return 1
	fi
}
