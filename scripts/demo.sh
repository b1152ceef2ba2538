#!/usr/bin/env bash
# make demo: the whole flow on this machine, offline, with no prompts.
#
#  1. builds the provider, the Daily API emulator and the example webhook receiver;
#  2. starts the emulator and the receiver on 127.0.0.1;
#  3. applies examples/quickstart with Terraform pointed at the local build
#     (dev_overrides in a temporary CLI config: ~/.terraformrc is not read or changed);
#  4. shows the domain's dial-in config as the emulator (standing in for Daily) holds it;
#  5. has the emulator place a call to the bought number: it POSTs Daily's
#     signed webhook request to the receiver, which checks the signature;
#  6. tries terraform destroy, which Daily's 14-day release rule refuses.
#
# Every process and file it starts or writes lives under one temporary
# directory and is removed on exit, whatever the outcome.
set -euo pipefail

started=$SECONDS
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/daily-demo.XXXXXX")
pids=()

cleanup() {
	local status=$?
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
fail() {
	printf 'demo: %s\n' "$*" >&2
	exit 1
}
mask() { printf '%s***' "${1:0:4}"; }

# wait_line FILE PATTERN: waits up to 30 s for a line matching PATTERN in FILE
# and prints it.
wait_line() {
	local i line
	for ((i = 0; i < 300; i++)); do
		if line=$(grep -m1 -E "$2" "$1" 2>/dev/null); then
			printf '%s\n' "$line"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# make passes TERRAFORM (the one on PATH, or one it built into ./bin).
if [[ -n ${TERRAFORM:-} ]]; then PATH="$(dirname "$TERRAFORM"):$PATH"; fi
for tool in go terraform curl jq; do
	command -v "$tool" >/dev/null || fail "$tool is required on PATH"
done

step "Building the provider, the emulator and the webhook receiver"
(cd "$root" && go build -o "$tmp/bin/" . ./cmd/daily-emulator ./examples/webhook-receiver)
ls "$tmp/bin"

step "Starting the Daily API emulator on 127.0.0.1"
"$tmp/bin/daily-emulator" -addr 127.0.0.1:0 >"$tmp/emulator.out" 2>"$tmp/emulator.log" &
pids+=($!)
line=$(wait_line "$tmp/emulator.out" '^DAILY_API_URL=') || fail "the emulator did not start: $(cat "$tmp/emulator.log")"
api_url=$(sed -E 's/^DAILY_API_URL=([^ ]+) .*/\1/' <<<"$line")
api_key=$(sed -E 's/.* DAILY_API_KEY=([^ ]+)$/\1/' <<<"$line")
export DAILY_API_URL=$api_url DAILY_API_KEY=$api_key
echo "DAILY_API_URL=$DAILY_API_URL"

step "Starting the example webhook receiver (examples/webhook-receiver)"
# The route's hmac exists only after apply; the receiver reads it from this
# file on each request.
"$tmp/bin/webhook-receiver" -addr 127.0.0.1:0 -hmac-file "$tmp/hmac" >"$tmp/receiver.out" 2>"$tmp/receiver.log" &
pids+=($!)
line=$(wait_line "$tmp/receiver.out" '^listening on ') || fail "the receiver did not start: $(cat "$tmp/receiver.log")"
webhook_url="${line#listening on }dialin"
echo "webhook: $webhook_url"

step "Pointing Terraform at the local build (temporary CLI config)"
cat >"$tmp/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "daily-tf/daily" = "$tmp/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$tmp/terraformrc" TF_DATA_DIR="$tmp/work/.terraform"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR
cat "$tmp/terraformrc"
mkdir -p "$tmp/work"
cp "$root"/examples/quickstart/*.tf "$tmp/work/"
tf() { terraform -chdir="$tmp/work" "$@"; }

step "terraform apply examples/quickstart: buy a number, route it to the webhook"
# With dev_overrides and no other provider, apply needs no terraform init
# (which would contact the registry).
tf apply -auto-approve -compact-warnings -no-color -var "webhook_url=$webhook_url" 
number=$(tf output -raw number)
sip_uri=$(tf output -raw sip_uri)
tf output -raw hmac >"$tmp/hmac"
chmod 600 "$tmp/hmac"
printf '\nnumber  = %s\nsip_uri = %s\nhmac    = %s  (sensitive; terraform output -raw hmac)\n' \
	"$number" "$sip_uri" "$(mask "$(cat "$tmp/hmac")")"

step "What Daily now holds: GET /v1/ → config.pinless_dialin and config.pin_dialin (hmac masked)"
curl -fsS -H "Authorization: Bearer $DAILY_API_KEY" "$DAILY_API_URL/" |
	jq '.config | {pinless_dialin, pin_dialin} | .pinless_dialin |= map(.hmac |= .[0:4] + "***")'

step "A caller dials $number: the emulator POSTs Daily's signed webhook request"
from="+12125550123"
answer=$(curl -fsS -H "Authorization: Bearer $DAILY_API_KEY" -H 'Content-Type: application/json' \
	-d "{\"to\":\"$number\",\"from\":\"$from\"}" "$DAILY_API_URL/_emulator/call")
echo "emulator: webhook answered $(jq -r .status <<<"$answer")"
line=$(wait_line "$tmp/receiver.log" 'signature OK|rejected') || fail "the receiver logged nothing"
echo "receiver: $line"
[[ $line == *"signature OK"* ]] || fail "the receiver rejected Daily's signature"

step "The same request with a forged signature is refused"
body="{\"To\":\"$number\",\"From\":\"$from\",\"callId\":\"forged\",\"callDomain\":\"forged\"}"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	-H "X-Pinless-Timestamp: $(date +%s)000" -H 'X-Pinless-Signature: Zm9yZ2Vk' -d "$body" "$webhook_url")
echo "receiver answered HTTP $code: $(grep -m1 'rejected' "$tmp/receiver.log" || true)"
[[ $code == 401 ]] || fail "a forged request was not refused"

step "terraform destroy: Daily refuses to release a number within 14 days of purchase"
if tf destroy -auto-approve -compact-warnings -no-color -var "webhook_url=$webhook_url" >"$tmp/destroy.log" 2>&1; then
	echo "destroy succeeded"
else
	grep 'Destruction complete' "$tmp/destroy.log" || true
	sed -n '/Error:/,$p' "$tmp/destroy.log" | sed -E 's/^[│╷╵ ]+//' | grep -v -E '^$|^(with|on) '
	echo
	echo "pinless_dialin is now: $(curl -fsS -H "Authorization: Bearer $DAILY_API_KEY" "$DAILY_API_URL/" | jq -c .config.pinless_dialin)"
	echo "The route is gone; the number stays bought (and in the state) until the hold ends."
	echo "On the emulator nothing is charged, and everything vanishes when it stops."
fi

step "Done in $((SECONDS - started)) s; stopping the emulator and the receiver, removing $tmp"
