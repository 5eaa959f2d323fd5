# vault: shell integration for zsh.
#
#   eval "$(vault init zsh)"                 # in ~/.zshrc; or, from a checkout or an install:
#   source /path/to/shell/vault.zsh          # finds the program through VAULT_BIN, else PATH
#
# Defines the `vault` function: `vault use NAME` and `vault unuse` change this shell,
# every other command runs the program. Also defines completion and the prompt segment:
#
#   setopt prompt_subst; RPROMPT='${VAULT_PROMPT_INFO}'   # set before each prompt, no process
#   RPROMPT='$(vault_prompt_info)'                        # the same text, one subshell per prompt
#
# The segment reads `work 42m`, `work 1h05m`, `work expired`. Theme variables (oh-my-zsh
# style, set them before or after this file): ZSH_THEME_VAULT_PREFIX / _SUFFIX around the
# whole segment, and for each state OK, WARN (under AWS_VAULT_PROMPT_WARN_MINUTES, default
# 10) and EXPIRED: ZSH_THEME_VAULT_<STATE>_PREFIX / _SUFFIX (colours) and _FORMAT, where
# {profile} and {left} stand for the profile and the time left.
#
# AWS_VAULT_AUTO_REFRESH=1 renews the credentials before a prompt once they are due
# (VAULT_REFRESH_AT), when that needs no MFA code or passphrase.

zmodload zsh/datetime # $EPOCHSECONDS: the prompt reads the clock without starting a process
autoload -Uz add-zsh-hook

: ${ZSH_THEME_VAULT_PREFIX=} ${ZSH_THEME_VAULT_SUFFIX=}
: ${ZSH_THEME_VAULT_OK_PREFIX='%F{green}'} ${ZSH_THEME_VAULT_OK_SUFFIX='%f'}
: ${ZSH_THEME_VAULT_OK_FORMAT='{profile} {left}'}
: ${ZSH_THEME_VAULT_WARN_PREFIX='%F{yellow}'} ${ZSH_THEME_VAULT_WARN_SUFFIX='%f'}
: ${ZSH_THEME_VAULT_WARN_FORMAT='{profile} {left}'}
: ${ZSH_THEME_VAULT_EXPIRED_PREFIX='%F{red}'} ${ZSH_THEME_VAULT_EXPIRED_SUFFIX='%f'}
: ${ZSH_THEME_VAULT_EXPIRED_FORMAT='{profile} expired'}

# Sets REPLY to the program: the path `vault init` wrote, else VAULT_BIN, else PATH.
__vault_find_bin() {
  REPLY=${__vault_bin:-${VAULT_BIN:-${commands[vault]}}}
  [[ -n $REPLY ]] && return 0
  print -ru2 -- "vault: cannot find the vault program: put it on PATH or set VAULT_BIN to its path"
  return 127
}

# The `vault` function. `use` and `unuse` print shell code; it is evaled only when
# the program succeeded, and only once all of it has been read.
__vault_main() {
  emulate -L zsh
  local REPLY
  __vault_find_bin || return
  local bin=$REPLY sub= out
  local -a args=("$@")
  local -i i=1
  while (( i <= $#args )); do # skip global flags to find the command
    case $args[i] in
      (--backend|--prompt|--file-dir|--pass-cmd|--pass-dir|--pass-prefix) i+=2 ;;
      (--backend=*|--prompt=*|--file-dir=*|--pass-cmd=*|--pass-dir=*|--pass-prefix=*|--debug) i+=1 ;;
      (*) sub=$args[i]; break ;;
    esac
  done
  # --help before `--` goes to the program as is; after it, it is a profile's name.
  if [[ $sub == (use|unuse) ]] && (( $args[(i)(-h|--help)] >= $args[(i)--] )); then
    out=$(VAULT_SHELL=zsh $bin "$@") || return
    eval "$out"
  else
    $bin "$@"
  fi
}
functions[${__vault_cmd:-vault}]='__vault_main "$@"'

# Renews credentials that are due, once per expiry: a failure is reported once and
# not retried at every prompt (`vault use` starts a new expiry).
__vault_refresh() {
  emulate -L zsh
  [[ -n $AWS_VAULT && $VAULT_REFRESH_AT == <-> ]] || return 0
  (( EPOCHSECONDS >= VAULT_REFRESH_AT )) && [[ $__vault_refresh_tried != $VAULT_REFRESH_AT ]] ||
    return 0
  typeset -g __vault_refresh_tried=$VAULT_REFRESH_AT
  local REPLY out name=$AWS_VAULT again="${__vault_cmd:-vault} use ${(q-)AWS_VAULT}"
  __vault_find_bin || return 0
  out=$(VAULT_SHELL=zsh $REPLY use --no-input -- $name 2>/dev/null </dev/null)
  case $? in
    (0) eval "$out" ;;
    (3) print -ru2 -- "vault: renewing the credentials of $name needs an MFA code or passphrase: run '$again'" ;;
    (*) print -ru2 -- "vault: could not renew the credentials of $name: run '$again' to see why" ;;
  esac
}

# Sets VAULT_PROMPT_INFO to the prompt segment, or to nothing when no profile is active.
__vault_prompt_update() {
  emulate -L zsh
  typeset -g VAULT_PROMPT_INFO=
  [[ -n $AWS_VAULT ]] || return 0
  local state=OK left=
  if [[ $VAULT_EXPIRES_AT == <-> ]]; then
    local -i secs='VAULT_EXPIRES_AT - EPOCHSECONDS' warn=10 min
    [[ $AWS_VAULT_PROMPT_WARN_MINUTES == <-> ]] && warn=$AWS_VAULT_PROMPT_WARN_MINUTES
    if (( secs <= 0 )); then
      state=EXPIRED left=0m
    else
      (( secs < warn * 60 )) && state=WARN
      min='secs % 3600 / 60'
      if (( secs >= 3600 )); then left=$(( secs / 3600 ))h${(l:2::0:)min}m
      elif (( secs >= 60 )); then left=${min}m
      else left='<1m'
      fi
    fi
  fi
  local theme=ZSH_THEME_VAULT_$state
  local fmt=${(P)${:-${theme}_FORMAT}}
  # {left} first: a profile name containing "{left}" stays as it is. `%` in the name is
  # doubled so that prompt expansion prints it instead of interpreting it.
  local text=${${fmt//\{left\}/$left}//\{profile\}/${AWS_VAULT//\%/%%}}
  while [[ $text == *' ' ]]; do text=${text% }; done # nothing expires: no dangling space
  VAULT_PROMPT_INFO=$ZSH_THEME_VAULT_PREFIX${(P)${:-${theme}_PREFIX}}$text
  VAULT_PROMPT_INFO+=${(P)${:-${theme}_SUFFIX}}$ZSH_THEME_VAULT_SUFFIX
}

# Prints the prompt segment (prompt escapes included) for themes that call a function.
vault_prompt_info() {
  __vault_prompt_update
  print -rn -- $VAULT_PROMPT_INFO
}

__vault_precmd() {
  [[ $AWS_VAULT_AUTO_REFRESH == 1 ]] && __vault_refresh
  __vault_prompt_update
}
add-zsh-hook precmd __vault_precmd # add-zsh-hook adds a function once, however often this runs

# Completion. `vault init` defines _vault in its output (a compiled program has no files
# on disk); a sourced copy loads it from ../completions. compdef exists once compinit
# has run: bind now if it has, else at the first prompt (after the rest of ~/.zshrc).
if [[ -z $__vault_bin ]]; then
  unfunction _vault 2>/dev/null
  autoload -Uz ${${(%):-%x}:A:h:h}/completions/_vault
fi
__vault_compdef() {
  (( $+functions[compdef] )) || return 0
  compdef _vault ${__vault_cmd:-vault}
  add-zsh-hook -d precmd __vault_compdef
}
__vault_compdef
(( $+functions[compdef] )) || add-zsh-hook precmd __vault_compdef
