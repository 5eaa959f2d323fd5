#!/usr/bin/env bash
# Runs vault's whole test suite: installs Deno and the npm dependencies when
# missing, installs vault into a temporary prefix (so install.sh is tested too),
# then runs every test against that installed program.
set -euo pipefail
# Trust the system CA store too: registries are often reached through a TLS proxy with a local CA.
export DENO_TLS_CA_STORE="${DENO_TLS_CA_STORE:-system,mozilla}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
for tool in zsh bash fish tmux oathtool strace pass; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
[ -x /usr/bin/aws ] || missing+=(awscli)
[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test/run.sh: the tests drive real shells, the AWS CLI and pass; missing: ${missing[*]}" >&2
  echo "test/run.sh: install them with: apt-get install -y ${missing[*]}" >&2
  exit 1
fi

deno=$(./install.sh --print-deno)
export PATH="$(dirname "$deno"):$PATH"
deno install --frozen --quiet

prefix=$(mktemp -d "${TMPDIR:-/tmp}/vault-test-prefix.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
./install.sh --prefix "$prefix" --no-shell-setup --no-oh-my-zsh
export VAULT_TEST_BIN="$prefix/bin/vault" VAULT_TEST_PREFIX="$prefix"

log="$prefix/test.log"
status=0
deno test --allow-all --parallel "$@" 2>&1 | tee "$log" || status=$?
# Deno's summary line is not one CI reads; restate it in the plain form.
summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(ok|FAILED) \| [0-9]+ passed' | tail -n 1 || true)
passed=$(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$summary")
failed=$(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$summary")
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
