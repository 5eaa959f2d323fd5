#!/usr/bin/env bash
# Completion time of `vault use <prefix><Tab>` with a config file of 5,000 profiles
# (30,000 lines), in zsh, bash and fish. Target: under 100 ms.
#
#   bash bench/completion.sh [PROFILES] [RUNS]
#
# bash: the completion function `_vault` itself (what readline calls on Tab).
# fish: `complete -C` (fish's whole completion machinery for the line).
# zsh:  a real Tab in an interactive zsh (in a private tmux server): a widget times
#       `zle complete-word`, i.e. compsys, _vault and the listing of the matches.
# Each line prints the mean over RUNS for a narrow prefix (11 matches) and for an
# empty prefix (every profile); zsh only times the narrow one, as listing every
# profile makes zsh ask "do you wish to see all N possibilities?".
# shellcheck disable=SC2016 # code for other shells is single-quoted on purpose
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
profiles=${1:-5000}
runs=${2:-20}
tmp=$(mktemp -d)
socket="vault-bench-$$"
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$socket"
  rm -rf "$tmp"
}
trap cleanup EXIT

# A realistic organisation config: [default], then PROFILES role profiles.
{
  printf '[default]\nregion = eu-west-1\n\n'
  for ((i = 0; i < profiles; i++)); do
    printf '[profile prof-%d]\nrole_arn = arn:aws:iam::%012d:role/Admin\n' "$i" "$((100000000000 + i))"
    printf 'source_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/me\nregion = eu-west-1\n\n'
  done
} >"$tmp/config"
export AWS_CONFIG_FILE="$tmp/config"
narrow="prof-$((profiles / 10 - 1))" # prof-499: itself and prof-4990..4999
echo "config: $profiles profiles, $(wc -l <"$tmp/config") lines; $runs runs each; prefix '$narrow'"

# bash
bash --norc --noprofile -c '
  source "$1/completions/vault.bash"
  time_it() {
    local t0 t1 i
    COMP_WORDS=(vault use "$1") COMP_CWORD=2
    t0=$EPOCHREALTIME
    for ((i = 0; i < $2; i++)); do _vault; done
    t1=$EPOCHREALTIME
    printf "%s matches %.1f ms" "${#COMPREPLY[@]}" "$(( (${t1/./} - ${t0/./}) / $2 ))e-3"
  }
  printf "bash: %s; %s\n" "$(time_it "$2" "$3")" "$(time_it "" "$3")"
' _ "$root" "$narrow" "$runs"

# fish
fish --no-config -c '
  source $argv[1]/completions/vault.fish
  function time_it
    set -l t0 (date +%s%N)
    for i in (seq $argv[2])
      complete -C "vault use $argv[1]" >/dev/null
    end
    set -l t1 (date +%s%N)
    printf "%s matches %.1f ms" (count (complete -C "vault use $argv[1]")) (math "($t1 - $t0) / $argv[2] / 1000000")
  end
  printf "fish: %s; %s\n" (time_it $argv[2] $argv[3]) (time_it "" $argv[3])
' "$root" "$narrow" "$runs"

# zsh: one Tab per run; the widget appends each time (ms) to a file.
cat >"$tmp/.zshrc" <<EOF
autoload -Uz compinit && compinit -u -d "$tmp/.zcompdump"
VAULT_BIN=/bin/false source "$root/shell/vault.zsh"
zmodload zsh/datetime
__bench_tab() {
  local t0=\$EPOCHREALTIME
  zle complete-word
  print -r -- \$(( (EPOCHREALTIME - t0) * 1000 )) >>"$tmp/zsh.times"
}
zle -N __bench_tab
bindkey '^I' __bench_tab
PROMPT='READY> '
EOF
tmux -L "$socket" -f /dev/null new-session -d -x 200 -y 50 -- \
  env -i TERM=screen HOME="$tmp" ZDOTDIR="$tmp" PATH="$PATH" AWS_CONFIG_FILE="$AWS_CONFIG_FILE" zsh -i
wait_for() { # wait_for CONDITION-COMMAND: up to 20 s
  local tries
  for ((tries = 0; tries < 400; tries++)); do
    if eval "$1"; then return 0; fi
    sleep 0.05
  done
  echo "timed out waiting for: $1" >&2
  tmux -L "$socket" capture-pane -p >&2
  exit 1
}
wait_for 'tmux -L "$socket" capture-pane -p | grep -q "READY>"'
: >"$tmp/zsh.times"
for ((run = 1; run <= runs; run++)); do
  tmux -L "$socket" send-keys "vault use $narrow" Tab
  wait_for '[[ $(wc -l <"$tmp/zsh.times") -ge $run ]]'
  tmux -L "$socket" send-keys C-u C-l
done
awk -v n="$narrow" '{ s += $1 } END { printf "zsh: completing %s %.1f ms (mean of %d Tabs)\n", n, s / NR, NR }' \
  "$tmp/zsh.times"
