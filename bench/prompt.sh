#!/usr/bin/env bash
# Cost of the prompt segment per prompt, in zsh, bash and fish.
#
#   bash bench/prompt.sh [RENDERS]
#
# Each shell sources shell/vault.<shell> and renders its prompt RENDERS times in a loop,
# the way it does before each prompt: zsh runs the precmd hook and expands PROMPT
# (prompt_subst and % escapes), bash runs PROMPT_COMMAND's hook and expands PS1
# (${PS1@P}), fish emits fish_prompt and runs fish_prompt. Printed: microseconds per
# render with an active profile (the segment is computed and shown) and with none.
# (test/shell_test.ts checks the process count: none per prompt in zsh and bash, one
# `date` in fish while a profile is active.)
# shellcheck disable=SC2016 # code for other shells is single-quoted on purpose
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
renders=${1:-2000}
expires=$(($(date +%s) + 42 * 60))
export VAULT_BIN=/bin/false # never run: auto refresh is off

zsh -f -c '
  source "$1/shell/vault.zsh"
  setopt prompt_subst
  PROMPT="%n@%m %~ \${VAULT_PROMPT_INFO}%# "
  time_it() {
    local t0=$EPOCHREALTIME p
    repeat $1 { __vault_precmd; p=${(%)${(e)PROMPT}} }
    printf "%.1f" $(( (EPOCHREALTIME - t0) * 1e6 / $1 ))
  }
  AWS_VAULT=work VAULT_EXPIRES_AT=$2
  active=$(time_it $3)
  __vault_precmd
  print -r -- "sample: ${(%)${(e)PROMPT}}"
  unset AWS_VAULT VAULT_EXPIRES_AT
  print -r -- "zsh:  $active us per prompt with a profile, $(time_it $3) us without"
' _ "$root" "$expires" "$renders"

bash --norc --noprofile -c '
  source "$1/shell/vault.bash"
  PS1="\u@\h \w \${VAULT_PROMPT_INFO}\$ "
  time_it() {
    local t0=$EPOCHREALTIME p i
    for ((i = 0; i < $1; i++)); do __vault_prompt_command; p=${PS1@P}; done
    local us=$(( (${EPOCHREALTIME/./} - ${t0/./}) * 10 / $1 ))
    printf "%d.%d" $((us / 10)) $((us % 10))
  }
  export AWS_VAULT=work VAULT_EXPIRES_AT=$2
  active=$(time_it $3)
  __vault_prompt_command
  printf "sample: %s\n" "${PS1@P}"
  unset AWS_VAULT VAULT_EXPIRES_AT
  printf "bash: %s us per prompt with a profile, %s us without\n" "$active" "$(time_it $3)"
' _ "$root" "$expires" "$renders"

# fish forks `date` once per prompt while a profile is active; fewer renders keep it short.
fish --no-config -c '
  source $argv[1]/shell/vault.fish
  function fish_prompt; printf "%s@%s %s %s> " $USER $hostname (prompt_pwd) (vault_prompt_info); end
  function time_it
    set -l t0 (date +%s%N)
    for i in (seq $argv[1])
      emit fish_prompt
      fish_prompt >/dev/null
    end
    set -l t1 (date +%s%N)
    printf "%.1f" (math "($t1 - $t0) / $argv[1] / 1000")
  end
  set -gx AWS_VAULT work
  set -gx VAULT_EXPIRES_AT $argv[2]
  set -l active (time_it $argv[3])
  emit fish_prompt
  echo "sample: "(fish_prompt)
  set -e AWS_VAULT VAULT_EXPIRES_AT
  echo "fish: $active us per prompt with a profile, "(time_it $argv[3])" us without"
' "$root" "$expires" "$((renders / 4))"
