# bash completion for vault. Works on its own; with bash-completion loaded, the command
# after `vault exec PROFILE --` completes with that command's own completion.
# Profile names come from the config file ($AWS_CONFIG_FILE, else ~/.aws/config), read
# here without running vault. Candidates are never passed through `compgen -W`, which
# would expand `$(...)` in a profile name.

# Adds the profiles starting with $1 to COMPREPLY: [default] is `default`, [profile X] is X.
# $1 is the word as typed: backslash escapes (`x\;`) are removed before comparing.
# One awk reads the file: a shell loop over a config with thousands of profiles takes
# longer than a completion may. (completions/_vault has the same program: each
# completion file must stand alone, as it is installed or inlined by `vault init`.)
__vault_comp_profiles() {
  local file=${AWS_CONFIG_FILE:-$HOME/.aws/config} name
  local -a names
  [[ -r $file ]] || return 0
  mapfile -t names < <(__VAULT_PREFIX=${1//\\/} awk '
    /^[ \t]*\[/ {
      line = $0
      sub(/^[ \t]+/, "", line)
      if (line ~ /^\[default\]/) name = "default"
      else if (line ~ /^\[profile[ \t]/) {
        name = substr(line, 10)
        sub(/\].*/, "", name)
        gsub(/^[ \t]+|[ \t\r]+$/, "", name)
      } else next
      prefix = ENVIRON["__VAULT_PREFIX"]
      if (name != "" && (prefix == "" || index(name, prefix) == 1)) print name
    }' "$file")
  # Quoted as the command line needs it (`x;y` is inserted as `x\;y`); names are
  # looked at one by one only when some name needs it, as few do.
  local joined
  printf -v joined '%s/' "${names[@]}" # `/` joins: a space inside a name must be seen
  if [[ $joined != *[!A-Za-z0-9_.@+:,/-]* ]]; then
    COMPREPLY+=("${names[@]}")
    return 0
  fi
  for name in "${names[@]}"; do
    printf -v name '%q' "$name"
    COMPREPLY+=("$name")
  done
}

# Adds the words of $1 (a fixed list, never user data) that start with $2.
__vault_comp_words() {
  local w
  for w in $1; do
    if [[ $w == "$2"* ]]; then COMPREPLY+=("$w"); fi
  done
}

# Adds the flags of command $1 (global flags included) that start with $2.
__vault_comp_flags() {
  local creds="-d --duration -n --no-session --region -t --mfa-token"
  local flags="--backend --prompt --file-dir --pass-cmd --pass-dir --pass-prefix --debug -h --help"
  case $1 in
    add) flags+=" --env --add-config --no-add-config" ;;
    list | ls) flags+=" --profiles --credentials --sessions --json" ;;
    remove | rm) flags+=" -f --force --sessions-only" ;;
    exec) flags+=" $creds -j --json -s --server --ecs-server --lazy --stdout --" ;;
    export) flags+=" $creds --format --stdout" ;;
    use) flags+=" $creds --no-input --stdout" ;;
    login) flags+=" -d --duration -t --mfa-token --region -s --stdout --path" ;;
    rotate) flags+=" -n --no-session" ;;
    init) flags+=" --cmd" ;;
    "") flags+=" --version" ;;
  esac
  __vault_comp_words "$flags" "$2"
}

# Flags that take a value in the next word.
__vault_comp_takes_value() {
  case $1 in
    --backend | --prompt | --file-dir | --pass-cmd | --pass-dir | --pass-prefix | -d | --duration | \
      --region | -t | --mfa-token | --format | --path | --cmd)
      return 0
      ;;
  esac
  return 1
}

_vault() {
  COMPREPLY=()
  local cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]} flag='' i word cmd='' positionals=0
  # bash splits `--format=js` at `=` (COMP_WORDBREAKS): find the flag a value belongs to.
  if [[ $cur == = ]]; then
    flag=${COMP_WORDS[cword - 1]} cur=
  elif ((cword > 1)) && [[ ${COMP_WORDS[cword - 1]} == = ]]; then
    flag=${COMP_WORDS[cword - 2]}
  elif ((cword > 1)) && __vault_comp_takes_value "${COMP_WORDS[cword - 1]}"; then
    flag=${COMP_WORDS[cword - 1]}
  fi

  # The command, and how many positionals follow it before the current word.
  for ((i = 1; i < cword; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == = ]]; then
      ((i++)) # the value after `--flag=`
    elif [[ $word == -- && $cmd == exec ]]; then
      # The wrapped command: complete it as if it were typed on its own.
      if declare -F _command_offset >/dev/null; then
        _command_offset $((i + 1))
      elif ((cword == i + 1)); then
        mapfile -t COMPREPLY < <(compgen -c -- "$cur")
      else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      fi
      return 0
    elif [[ $word == -* ]]; then
      __vault_comp_takes_value "$word" && [[ ${COMP_WORDS[i + 1]} != = ]] && ((i++))
    elif [[ -z $cmd ]]; then
      cmd=$word
    else
      ((positionals++))
    fi
  done

  if [[ -n $flag ]]; then # other flags take a value nothing can guess (duration, region, code)
    case $flag in
      --backend) __vault_comp_words "file pass" "$cur" ;;
      --prompt) __vault_comp_words "terminal ykman zenity kdialog osascript" "$cur" ;;
      --format) __vault_comp_words "env export-env json ini sh fish" "$cur" ;;
      --file-dir | --pass-dir) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
      --pass-cmd) mapfile -t COMPREPLY < <(compgen -c -- "$cur") ;;
    esac
    return 0
  fi

  if [[ $cur == -* ]]; then
    __vault_comp_flags "$cmd" "$cur"
  elif [[ -z $cmd ]]; then
    __vault_comp_words "add list ls remove rm clear exec export use unuse login rotate init" "$cur"
  elif ((positionals == 0)); then
    case $cmd in
      add | remove | rm | clear | exec | export | use | login | rotate) __vault_comp_profiles "$cur" ;;
      init) __vault_comp_words "zsh bash fish" "$cur" ;;
    esac
  fi
  return 0
}
complete -F _vault "${__vault_cmd:-vault}"
