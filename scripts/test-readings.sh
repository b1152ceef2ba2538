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

logs=bin/test-readings
mkdir -p "$logs"
rows=()
failed=0
for run in "${runs[@]}"; do
	read -r name readings <<<"$run"
	log=$logs/$name.log
	echo "== $name: $readings, log in $log"
	start=$(date +%s)
	status=ok
	# shellcheck disable=SC2086 # readings is a list of NAME=value words
	env $readings TF_ACC=1 TF_ACC_TERRAFORM_PATH="$terraform" \
		go test -race -count=1 -timeout 20m -v ./internal/provider/... >"$log" 2>&1 || status=FAIL
	wall=$(($(date +%s) - start))
	passed=$(grep -c '^--- PASS: ' "$log" || true)
	skipped=$(grep -c '^--- SKIP: ' "$log" || true)
	fails=$(grep -c '^--- FAIL: ' "$log" || true)
	if [[ $status == FAIL ]]; then
		failed=1
		grep -E '^--- FAIL: ' "$log" | sed 's/^/   /' || true
		grep -v '^=== ' "$log" | tail -n 12 | sed 's/^/   | /'
	fi
	row=$(printf '%-16s %4dm%02ds %7d %8d %7d  %s' "$name" $((wall / 60)) $((wall % 60)) "$passed" "$skipped" "$fails" "$status")
	echo "$row"
	rows+=("$row")
done

echo
printf '%-16s %8s %7s %8s %7s\n' READING wall passed skipped failed
printf '%s\n' "${rows[@]}"
exit "$failed"
