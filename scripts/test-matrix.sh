#!/usr/bin/env bash
# The provider's acceptance tests once per terraform/tofu CLI, one CLI after
# the other, then a table of wall time and tests passed, skipped and failed.
#
#   scripts/test-matrix.sh [CLI...]
#
# Without arguments it takes the CLIs in ../shared/terraform (unpacked into
# ./bin by its install script, which checks them), else the terraform-* and
# tofu-* binaries already in ./bin, else $TERRAFORM or the terraform on PATH.
# Each run's `go test -v` output is kept in bin/test-matrix/<cli>.log. Exits
# non-zero if any run failed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

# terraform-plugin-testing needs absolute paths; a bare name is looked up on PATH.
clis=()
for c in "$@"; do
	if [[ $c == */* ]]; then
		clis+=("$(cd "$(dirname "$c")" && pwd)/$(basename "$c")") # relative to the caller's directory
	else
		clis+=("$(command -v "$c" || echo "$c")")
	fi
done
cd "$root"
if [[ ${#clis[@]} -eq 0 ]]; then
	if [[ -d ../shared/terraform ]]; then
		installed=$(../shared/terraform/install bin) # fails on a checksum mismatch
		while read -r _ path; do clis+=("$path"); done <<<"$installed"
	else
		for f in bin/terraform-* bin/tofu-*; do [[ -x $f ]] && clis+=("$root/$f"); done
	fi
fi
if [[ ${#clis[@]} -eq 0 ]]; then
	fallback=${TERRAFORM:-$(command -v terraform || true)}
	[[ -n $fallback ]] || {
		echo "test-matrix: no CLI found (make terraform builds one)" >&2
		exit 1
	}
	clis=("$fallback")
fi

# shellcheck source=lib/run-table.sh
. "$root/scripts/lib/run-table.sh"
run_table_width=18
logs=$root/bin/test-matrix
mkdir -p "$logs"
for cli in "${clis[@]}"; do
	name=$(basename "$cli")
	[[ $name == terraform ]] && name="terraform-$("$cli" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"
	log=$logs/$name.log
	echo "== $name ($cli): go test -race ./internal/provider/..., log in ${log#"$root"/}"
	run_tests "$name" "$log" TF_ACC_TERRAFORM_PATH="$cli"
done
run_table_print CLI
exit "$run_table_failed"
