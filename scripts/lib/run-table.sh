# shellcheck shell=bash
# Sourced by scripts/test-matrix.sh (one run per CLI) and
# scripts/test-readings.sh (one run per emulator reading): each runs the
# provider's acceptance tests several times and ends with a table of wall
# time and tests passed, skipped and failed, built here so that both count
# and print alike.
#
#   run_table_width=18           the width of the first column
#   run_tests NAME LOG VAR=value...
#   run_table_print HEADING      the table; then exit "$run_table_failed"

run_table_width=16
run_table_rows=()
run_table_failed=0 # 1 once any run failed

# run_tests runs the provider's acceptance tests with the variables set, its
# `go test -v` output in LOG, then adds its row (see run_table_add).
run_tests() {
	local name=$1 log=$2 start status=ok
	shift 2
	start=$(date +%s)
	env "$@" TF_ACC=1 go test -race -count=1 -timeout 20m -v ./internal/provider/... >"$log" 2>&1 || status=FAIL
	run_table_add "$name" "$log" $(($(date +%s) - start)) "$status"
}

# run_table_add NAME LOG WALL STATUS prints the failures of a run whose log
# is LOG, if it failed (STATUS FAIL), then its row, and keeps the row for
# the table. WALL is its wall time in seconds.
run_table_add() {
	local name=$1 log=$2 wall=$3 status=$4 passed skipped fails row
	# Top-level tests only: subtests are indented.
	passed=$(grep -c '^--- PASS: ' "$log" || true)
	skipped=$(grep -c '^--- SKIP: ' "$log" || true)
	fails=$(grep -c '^--- FAIL: ' "$log" || true)
	if [[ $status == FAIL ]]; then
		run_table_failed=1
		grep -E '^--- FAIL: ' "$log" | sed 's/^/   /' || true
		# The end of the log shows failures outside any test (build errors,
		# a CLI terraform-plugin-testing cannot run) and panics.
		grep -v '^=== ' "$log" | tail -n 12 | sed 's/^/   | /'
	fi
	row=$(printf "%-${run_table_width}s %4dm%02ds %7d %8d %7d  %s" "$name" $((wall / 60)) $((wall % 60)) "$passed" "$skipped" "$fails" "$status")
	echo "$row"
	run_table_rows+=("$row")
}

# run_table_print HEADING prints the table of every run, HEADING naming its
# first column.
run_table_print() {
	echo
	printf "%-${run_table_width}s %8s %7s %8s %7s\n" "$1" wall passed skipped failed
	printf '%s\n' "${run_table_rows[@]}"
}
