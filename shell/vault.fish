# vault: shell integration for fish.
#
#   vault init fish | source                 # in ~/.config/fish/config.fish; or, from a checkout
#   source /path/to/shell/vault.fish         # or an install: finds the program through VAULT_BIN,
#                                            # else PATH
#
# Defines the `vault` function: `vault use NAME` and `vault unuse` change this shell,
# every other command runs the program. Also defines completion and the prompt segment:
#
#   function fish_right_prompt; vault_prompt_info; end
#
# The segment reads `work 42m`, `work 1h05m`, `work expired`; reading the clock costs one
# `date` per prompt while a profile is active, none otherwise. Theme variables:
# VAULT_PROMPT_PREFIX / _SUFFIX around the whole segment, and for each state OK, WARN (under
# AWS_VAULT_PROMPT_WARN_MINUTES, default 10) and EXPIRED: VAULT_PROMPT_<STATE>_PREFIX /
# _SUFFIX (colours, e.g. (set_color blue)) and _FORMAT, where {profile} and {left} stand for
# the profile and the time left.
#
# AWS_VAULT_AUTO_REFRESH=1 renews the credentials before a prompt once they are due
# (VAULT_REFRESH_AT), when that needs no MFA code or passphrase.

set -q __vault_cmd; or set -g __vault_cmd vault

set -q VAULT_PROMPT_PREFIX; or set -g VAULT_PROMPT_PREFIX ''
set -q VAULT_PROMPT_SUFFIX; or set -g VAULT_PROMPT_SUFFIX ''
set -q VAULT_PROMPT_OK_PREFIX; or set -g VAULT_PROMPT_OK_PREFIX (set_color green)
set -q VAULT_PROMPT_OK_SUFFIX; or set -g VAULT_PROMPT_OK_SUFFIX (set_color normal)
set -q VAULT_PROMPT_OK_FORMAT; or set -g VAULT_PROMPT_OK_FORMAT '{profile} {left}'
set -q VAULT_PROMPT_WARN_PREFIX; or set -g VAULT_PROMPT_WARN_PREFIX (set_color yellow)
set -q VAULT_PROMPT_WARN_SUFFIX; or set -g VAULT_PROMPT_WARN_SUFFIX (set_color normal)
set -q VAULT_PROMPT_WARN_FORMAT; or set -g VAULT_PROMPT_WARN_FORMAT '{profile} {left}'
set -q VAULT_PROMPT_EXPIRED_PREFIX; or set -g VAULT_PROMPT_EXPIRED_PREFIX (set_color red)
set -q VAULT_PROMPT_EXPIRED_SUFFIX; or set -g VAULT_PROMPT_EXPIRED_SUFFIX (set_color normal)
set -q VAULT_PROMPT_EXPIRED_FORMAT; or set -g VAULT_PROMPT_EXPIRED_FORMAT '{profile} expired'

# Prints the program: the path `vault init` wrote, else VAULT_BIN, else PATH.
function __vault_find_bin
    if set -q __vault_bin[1]
        echo $__vault_bin
    else if test -n "$VAULT_BIN"
        echo $VAULT_BIN
    else if not command -s vault
        echo "vault: cannot find the vault program: put it on PATH or set VAULT_BIN to its path" >&2
        return 127
    end
end

# The `vault` function. `use` and `unuse` print shell code; it is sourced only when
# the program succeeded, and only once all of it has been read.
function __vault_main
    set -l bin (__vault_find_bin); or return
    set -l sub
    set -l i 1
    while test $i -le (count $argv) # skip global flags to find the command
        switch $argv[$i]
            case --backend --prompt --file-dir --pass-cmd --pass-dir --pass-prefix
                set i (math $i + 2)
            case '--backend=*' '--prompt=*' '--file-dir=*' '--pass-cmd=*' '--pass-dir=*' \
                '--pass-prefix=*' --debug
                set i (math $i + 1)
            case '*'
                set sub $argv[$i]
                break
        end
    end
    # --help before `--` goes to the program as is; after it, it is a profile's name.
    set -l own $argv
    if set -l dd (contains -i -- -- $argv); and test $dd -gt 1
        set own $argv[1..(math $dd - 1)]
    end
    if contains -- "$sub" use unuse; and not contains -- -h $own; and not contains -- --help $own
        set -l out (VAULT_SHELL=fish $bin $argv); or return
        string join \n -- $out | source
        # `set -e` of a variable that was not set leaves status 4, and a later `set` keeps it.
        return 0
    else
        $bin $argv
    end
end
function $__vault_cmd --description 'Manage AWS credentials; use/unuse change this shell'
    __vault_main $argv
end

# Renews credentials that are due, once per expiry: a failure is reported once and
# not retried at every prompt (`vault use` starts a new expiry).
function __vault_refresh
    string match -qr '^[0-9]+$' -- "$VAULT_REFRESH_AT"; or return 0
    test $__vault_now -ge $VAULT_REFRESH_AT; or return 0
    test "$__vault_refresh_tried" != "$VAULT_REFRESH_AT"; or return 0
    set -g __vault_refresh_tried $VAULT_REFRESH_AT
    set -l bin (__vault_find_bin); or return 0
    set -l name $AWS_VAULT
    set -l again "$__vault_cmd use "(string escape -- $name)
    set -l out (VAULT_SHELL=fish $bin use --no-input -- $name 2>/dev/null </dev/null)
    switch $status
        case 0
            string join \n -- $out | source
        case 3
            echo "vault: renewing the credentials of $name needs an MFA code or passphrase: run '$again'" >&2
        case '*'
            echo "vault: could not renew the credentials of $name: run '$again' to see why" >&2
    end
end

# Prints the prompt segment, or nothing when no profile is active.
function vault_prompt_info --description 'Print the active vault profile and its time left'
    test -n "$AWS_VAULT"; or return 0
    set -l state OK
    set -l left
    if string match -qr '^[0-9]+$' -- "$VAULT_EXPIRES_AT"
        set -l now $__vault_now
        set -q now[1]; or set now (date +%s)
        set -l secs (math $VAULT_EXPIRES_AT - $now)
        set -l warn 10
        string match -qr '^[0-9]+$' -- "$AWS_VAULT_PROMPT_WARN_MINUTES"
        and set warn $AWS_VAULT_PROMPT_WARN_MINUTES
        if test $secs -le 0
            set state EXPIRED
            set left 0m
        else
            test $secs -lt (math $warn \* 60); and set state WARN
            set -l min (math "floor($secs % 3600 / 60)")
            if test $secs -ge 3600
                set left (math "floor($secs / 3600)")h(printf '%02d' $min)m
            else if test $secs -ge 60
                set left {$min}m
            else
                set left '<1m'
            end
        end
    end
    set -l fmt VAULT_PROMPT_{$state}_FORMAT
    set -l prefix VAULT_PROMPT_{$state}_PREFIX
    set -l suffix VAULT_PROMPT_{$state}_SUFFIX
    # {left} first: a profile name containing "{left}" stays as it is.
    set -l text (string replace -a -- '{left}' "$left" "$$fmt")
    set text (string replace -a -- '{profile}' "$AWS_VAULT" "$text" | string trim -r -c ' ')
    printf '%s' "$VAULT_PROMPT_PREFIX$$prefix$text$$suffix$VAULT_PROMPT_SUFFIX"
end

# Before each prompt: read the clock once for the prompt segment and the refresh.
# Function handlers replace themselves when this file is sourced again.
function __vault_on_prompt --on-event fish_prompt
    set -e __vault_now
    test -n "$AWS_VAULT"; or return 0
    set -g __vault_now (date +%s)
    test "$AWS_VAULT_AUTO_REFRESH" = 1; and __vault_refresh
end
# A command line runs: the next clock reading is a new one.
function __vault_on_preexec --on-event fish_preexec
    set -e __vault_now
end

# Completion. `vault init` puts it in its output (a compiled program has no files on
# disk); a sourced copy loads it from ../completions.
if not set -q __vault_bin[1]
    set -l root (string replace -r '/[^/]+/[^/]+$' '' -- (builtin realpath (status filename)))
    source $root/completions/vault.fish
end
