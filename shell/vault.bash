# vault: shell integration for bash.
#
#   eval "$(vault init bash)"                # in ~/.bashrc; or, from a checkout or an install:
#   source /path/to/shell/vault.bash         # finds the program through VAULT_BIN, else PATH
#
# Defines the `vault` function: `vault use NAME` and `vault unuse` change this shell,
# every other command runs the program. Also defines completion and the prompt segment:
#
#   PS1='${VAULT_PROMPT_INFO} \$ '           # set before each prompt, no process
#   PS1='$(vault_prompt_info) \$ '           # the same text, one subshell per prompt
#
# The segment reads `work 42m`, `work 1h05m`, `work expired`. Theme variables: VAULT_PROMPT_PREFIX
# / _SUFFIX around the whole segment, and for each state OK, WARN (under
# AWS_VAULT_PROMPT_WARN_MINUTES, default 10) and EXPIRED: VAULT_PROMPT_<STATE>_PREFIX / _SUFFIX
# (colours; wrap escape sequences in \001 and \002 so readline knows they take no room) and
# _FORMAT, where {profile} and {left} stand for the profile and the time left.
#
# AWS_VAULT_AUTO_REFRESH=1 renews the credentials before a prompt once they are due
# (VAULT_REFRESH_AT), when that needs no MFA code or passphrase.

[[ ${VAULT_PROMPT_PREFIX+set} ]] || VAULT_PROMPT_PREFIX=
[[ ${VAULT_PROMPT_SUFFIX+set} ]] || VAULT_PROMPT_SUFFIX=
[[ ${VAULT_PROMPT_OK_PREFIX+set} ]] || VAULT_PROMPT_OK_PREFIX=$'\001\e[32m\002'
[[ ${VAULT_PROMPT_OK_SUFFIX+set} ]] || VAULT_PROMPT_OK_SUFFIX=$'\001\e[0m\002'
[[ ${VAULT_PROMPT_OK_FORMAT+set} ]] || VAULT_PROMPT_OK_FORMAT='{profile} {left}'
[[ ${VAULT_PROMPT_WARN_PREFIX+set} ]] || VAULT_PROMPT_WARN_PREFIX=$'\001\e[33m\002'
[[ ${VAULT_PROMPT_WARN_SUFFIX+set} ]] || VAULT_PROMPT_WARN_SUFFIX=$'\001\e[0m\002'
[[ ${VAULT_PROMPT_WARN_FORMAT+set} ]] || VAULT_PROMPT_WARN_FORMAT='{profile} {left}'
[[ ${VAULT_PROMPT_EXPIRED_PREFIX+set} ]] || VAULT_PROMPT_EXPIRED_PREFIX=$'\001\e[31m\002'
[[ ${VAULT_PROMPT_EXPIRED_SUFFIX+set} ]] || VAULT_PROMPT_EXPIRED_SUFFIX=$'\001\e[0m\002'
[[ ${VAULT_PROMPT_EXPIRED_FORMAT+set} ]] || VAULT_PROMPT_EXPIRED_FORMAT='{profile} expired'

# Sets __vault_path to the program: the path `vault init` wrote, else VAULT_BIN, else PATH.
__vault_find_bin() {
  __vault_path=${__vault_bin:-${VAULT_BIN:-$(type -P vault)}}
  [[ -n $__vault_path ]] && return 0
  printf '%s\n' "vault: cannot find the vault program: put it on PATH or set VAULT_BIN to its path" >&2
  return 127
}

# The `vault` function. `use` and `unuse` print shell code; it is evaled only when
# the program succeeded, and only once all of it has been read.
__vault_main() {
  local __vault_path sub='' out arg i=1
  __vault_find_bin || return
  while ((i <= $#)); do # skip global flags to find the command
    case ${!i} in
      --backend | --prompt | --file-dir | --pass-cmd | --pass-dir | --pass-prefix) ((i += 2)) ;;
      --backend=* | --prompt=* | --file-dir=* | --pass-cmd=* | --pass-dir=* | --pass-prefix=* | --debug)
        ((i += 1))
        ;;
      *) sub=${!i} && break ;;
    esac
  done
  if [[ $sub == use || $sub == unuse ]]; then
    for arg; do # --help before `--` goes to the program as is; after it, it is a profile's name
      [[ $arg == -- ]] && break
      [[ $arg == -h || $arg == --help ]] && sub=help
    done
  fi
  if [[ $sub == use || $sub == unuse ]]; then
    out=$(VAULT_SHELL=bash "$__vault_path" "$@") || return
    eval "$out"
  else
    "$__vault_path" "$@"
  fi
}
eval "function ${__vault_cmd:-vault} { __vault_main \"\$@\"; }"

# Renews credentials that are due, once per expiry: a failure is reported once and
# not retried at every prompt (`vault use` starts a new expiry). $1 is the time now.
__vault_refresh() {
  [[ -n $AWS_VAULT && $VAULT_REFRESH_AT =~ ^[0-9]+$ ]] || return 0
  ((10#$1 >= 10#$VAULT_REFRESH_AT)) && [[ $__vault_refresh_tried != "$VAULT_REFRESH_AT" ]] ||
    return 0
  __vault_refresh_tried=$VAULT_REFRESH_AT
  local __vault_path out status name=$AWS_VAULT again
  printf -v again '%s use %q' "${__vault_cmd:-vault}" "$AWS_VAULT"
  __vault_find_bin || return 0
  out=$(VAULT_SHELL=bash "$__vault_path" use --no-input -- "$name" 2>/dev/null </dev/null)
  status=$?
  if ((status == 0)); then
    eval "$out"
  elif ((status == 3)); then
    printf '%s\n' "vault: renewing the credentials of $name needs an MFA code or passphrase: run '$again'" >&2
  else
    printf '%s\n' "vault: could not renew the credentials of $name: run '$again' to see why" >&2
  fi
}

# Sets VAULT_PROMPT_INFO to the prompt segment, or to nothing when no profile is active.
# $1 is the time now (epoch seconds).
__vault_prompt_update() {
  VAULT_PROMPT_INFO=
  [[ -n $AWS_VAULT ]] || return 0
  local state=OK left='' secs warn=10 min theme fmt text
  if [[ $VAULT_EXPIRES_AT =~ ^[0-9]+$ ]]; then
    secs=$((10#$VAULT_EXPIRES_AT - $1))
    [[ $AWS_VAULT_PROMPT_WARN_MINUTES =~ ^[0-9]+$ ]] && warn=$((10#$AWS_VAULT_PROMPT_WARN_MINUTES))
    if ((secs <= 0)); then
      state=EXPIRED left=0m
    else
      ((secs < warn * 60)) && state=WARN
      min=$((secs % 3600 / 60))
      if ((secs >= 3600)); then
        printf -v left '%dh%02dm' $((secs / 3600)) "$min"
      elif ((secs >= 60)); then
        left=${min}m
      else
        left='<1m'
      fi
    fi
  fi
  theme=VAULT_PROMPT_${state}_FORMAT
  fmt=${!theme}
  # Quoted replacements: bash 5.2 would otherwise replace `&` with the matched text.
  # {left} first: a profile name containing "{left}" stays as it is.
  text=${fmt//'{left}'/"$left"}
  text=${text//'{profile}'/"$AWS_VAULT"}
  while [[ $text == *' ' ]]; do text=${text% }; done # nothing expires: no dangling space
  theme=VAULT_PROMPT_${state}_PREFIX
  VAULT_PROMPT_INFO=$VAULT_PROMPT_PREFIX${!theme}$text
  theme=VAULT_PROMPT_${state}_SUFFIX
  VAULT_PROMPT_INFO+=${!theme}$VAULT_PROMPT_SUFFIX
}

# Prints the prompt segment for prompts that call a function.
vault_prompt_info() {
  local now
  printf -v now '%(%s)T' -1
  __vault_prompt_update "$now"
  printf '%s' "$VAULT_PROMPT_INFO"
}

# Runs from PROMPT_COMMAND; keeps $? for whatever runs after it and for PS1.
__vault_prompt_command() {
  local status=$? now
  printf -v now '%(%s)T' -1 # the clock without starting a process
  [[ $AWS_VAULT_AUTO_REFRESH == 1 ]] && __vault_refresh "$now"
  __vault_prompt_update "$now"
  return "$status"
}
# First in PROMPT_COMMAND, once however often this runs (element 0 if it is an array).
if [[ ";${PROMPT_COMMAND[*]};" != *__vault_prompt_command* ]]; then
  PROMPT_COMMAND="__vault_prompt_command${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi

# Completion. `vault init` puts it in its output (a compiled program has no files on
# disk); a sourced copy loads it from ../completions.
if [[ -z $__vault_bin ]]; then
  __vault_here=$(readlink -f -- "${BASH_SOURCE[0]}") &&
    source "${__vault_here%/*/*}/completions/vault.bash"
  unset __vault_here
fi
