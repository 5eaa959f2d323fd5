#!/usr/bin/env bash
# Start-up time of the installed program on its fast paths: `--version`, `list`
# (no passphrase), and `use` on a cached session (decrypts the vault, no STS, no SDK).
#
#   bash bench/startup.sh [PATH_TO_VAULT]      # default: vault on PATH
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
vault=${1:-$(command -v vault)}
command -v hyperfine >/dev/null || { echo "bench/startup.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
deno run -A "$root/bench/fixture.ts" "$home"
export HOME="$home" AWS_CONFIG_FILE="$home/.aws/config" AWS_VAULT_FILE_PASSPHRASE=bench VAULT_SHELL=zsh
"$vault" use work | grep -q 'AWS_SESSION_TOKEN=' || { echo "bench/startup.sh: the cached session was not used" >&2; exit 1; }
hyperfine --warmup 3 --runs 30 -N --export-markdown "$home/startup.md" \
  "$vault --version" "$vault list" "$vault use work" >&2
cat "$home/startup.md"
