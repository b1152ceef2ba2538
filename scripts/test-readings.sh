#!/usr/bin/env bash
# The provider's acceptance tests under the emulator's readings of what Daily
# does not document (internal/emulator/options.go), one run per reading,
# then a table of wall time and tests passed, skipped and failed. `make test`
# runs every test under the default readings; the config-object tests also
# run under each store and PUT reading by themselves.
#
#   scripts/test-readings.sh hostile   every non-default reading at once (CI)
#   scripts/test-readings.sh each      one run per non-default reading (soak)
#
# Each run's `go test -v` output is kept in bin/test-readings/<name>.log.
# Exits non-zero if any run failed.
set -euo pipefail

cd "$(dirname "$0")/.."
terraform=${TERRAFORM:-$(command -v terraform)}

runs=()
case ${1:-hostile} in
hostile)
	runs=("hostile DAILY_EMULATOR_DIALIN_STORE=separate DAILY_EMULATOR_PUT_OMITTED_HMAC=rotate DAILY_EMULATOR_PUT_SEMANTICS=replace DAILY_EMULATOR_SIP_URI=every-write DAILY_EMULATOR_SENT_SIP_URI=refuse")
	;;
each)
	runs=(
		"store-separate DAILY_EMULATOR_DIALIN_STORE=separate"
		"put-rotate DAILY_EMULATOR_PUT_OMITTED_HMAC=rotate"
		"put-replace DAILY_EMULATOR_PUT_SEMANTICS=replace"
		"sip-on-change DAILY_EMULATOR_SIP_URI=on-change"
		"sip-every-write DAILY_EMULATOR_SIP_URI=every-write"
		"sent-sip-refuse DAILY_EMULATOR_SENT_SIP_URI=refuse"
	)
	;;
*)
	echo "usage: $0 hostile|each" >&2
	exit 2
	;;
esac

# shellcheck source=lib/run-table.sh
. scripts/lib/run-table.sh
logs=bin/test-readings
mkdir -p "$logs"
for run in "${runs[@]}"; do
	read -r name readings <<<"$run"
	log=$logs/$name.log
	echo "== $name: $readings, log in $log"
	# shellcheck disable=SC2086 # readings is a list of NAME=value words
	run_tests "$name" "$log" $readings TF_ACC_TERRAFORM_PATH="$terraform"
done
run_table_print READING
exit "$run_table_failed"
