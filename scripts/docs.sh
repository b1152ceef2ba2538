#!/usr/bin/env bash
# Registry docs from templates/ and examples/ with tfplugindocs (pinned in tools/go.mod).
#
#   scripts/docs.sh generate   formats examples/ and rewrites docs/
#   scripts/docs.sh check      fails if docs/ is stale, an example is not formatted,
#                              or an example does not validate against the provider's schema
#
# Both build the provider and need terraform on PATH; neither uses the network
# beyond the Go module proxy, nor reads ~/.terraformrc.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/daily-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# make passes TERRAFORM (bin/terraform-1.15.9); tfplugindocs itself only runs
# the `terraform` on PATH, so that name must lead to it.
if [[ -n ${TERRAFORM:-} ]]; then
	mkdir "$tmp/cli"
	ln -s "$(cd "$(dirname "$TERRAFORM")" && pwd)/$(basename "$TERRAFORM")" "$tmp/cli/terraform"
	PATH="$tmp/cli:$PATH"
fi
command -v terraform >/dev/null || {
	echo "terraform is required on PATH (make terraform builds one)" >&2
	exit 1
}
# Only Terraform 1.14 and later show every part of the schema (write-only,
# identity, list resources) and validate every example.
version=$(terraform version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')
if [[ $(printf '%s\n' 1.14.0 "$version" | sort -V | head -n 1) != 1.14.0 ]]; then
	if [[ ${1:-} == check ]]; then
		echo "docs-check skipped: it needs Terraform 1.14 or later, and the one found is $version" >&2
		exit 0
	fi
	echo "docs need Terraform 1.14 or later, and the one found is $version" >&2
	exit 1
fi

# tfplugindocs runs terraform init against a local plugin dir: keep the user's
# CLI config (mirrors, dev_overrides) out of it.
: >"$tmp/empty.tfrc"
export TF_CLI_CONFIG_FILE="$tmp/empty.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

# tfplugindocs PROVIDER_DIR: renders PROVIDER_DIR/docs.
tfplugindocs() {
	(cd "$root/tools" && go tool tfplugindocs generate --provider-dir "$1" \
		--provider-name daily --rendered-provider-name Daily) >"$tmp/tfplugindocs.log" 2>&1 ||
		{
			cat "$tmp/tfplugindocs.log" >&2
			return 1
		}
}

# validate_examples: each example file must be a valid configuration on its
# own, checked with the provider built from this tree (dev_overrides, no init);
# a query file (.tfquery.hcl) with terraform validate -query.
validate_examples() {
	go build -C "$root" -o "$tmp/bin/" .
	cat >"$tmp/dev.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "daily-tf/daily" = "$tmp/bin"
  }
  direct {}
}
EOF
	local f dir query failed=0
	while IFS= read -r f; do
		dir="$tmp/validate/${f//\//_}"
		mkdir -p "$dir"
		cp "$root/$f" "$dir/"
		if ! grep -qs required_providers "$dir"/*.tf; then
			printf 'terraform {\n  required_providers {\n    daily = { source = "daily-tf/daily" }\n  }\n}\n' >"$dir/_providers.tf"
		fi
		query=()
		if [[ $f == *.tfquery.hcl ]]; then query=(-query); fi
		if ! TF_CLI_CONFIG_FILE="$tmp/dev.tfrc" terraform -chdir="$dir" validate -no-color "${query[@]}" >"$dir.log" 2>&1; then
			echo "example $f is not valid:" >&2
			grep -v -E '^[│╷╵ ]*$' "$dir.log" >&2
			failed=1
		fi
	done < <(cd "$root" && find examples -name '*.tf' -o -name '*.tfquery.hcl' | sort)
	return "$failed"
}

case "${1:-}" in
generate)
	terraform fmt -recursive "$root/examples"
	tfplugindocs "$root"
	echo "docs/ regenerated"
	;;
check)
	terraform fmt -check -recursive "$root/examples" ||
		{
			echo "examples/ is not formatted: run make docs" >&2
			exit 1
		}
	validate_examples
	# Render a copy of the sources, so that the tree is not touched.
	mkdir -p "$tmp/src"
	cp -R "$root"/{go.mod,go.sum,internal,examples,templates} "$root"/*.go "$tmp/src/"
	tfplugindocs "$tmp/src"
	if ! diff -ruN "$root/docs" "$tmp/src/docs" >"$tmp/docs.diff"; then
		cat "$tmp/docs.diff"
		echo "docs/ is stale: run make docs and commit the result" >&2
		exit 1
	fi
	echo "docs/ is up to date; examples are formatted and valid"
	;;
*)
	echo "usage: $0 generate|check" >&2
	exit 2
	;;
esac
