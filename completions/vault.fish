# fish completion for vault. Profile names come from the config file ($AWS_CONFIG_FILE,
# else ~/.aws/config), read here without running vault. `vault init fish --cmd NAME`
# sets __vault_cmd so that the completions belong to NAME instead.

set -l cmd vault
set -q __vault_cmd[1]; and set cmd $__vault_cmd

# Prints the profiles of the config file: [default] is `default`, [profile X] is X.
function __vault_profiles
    set -l file $HOME/.aws/config
    set -q AWS_CONFIG_FILE[1]; and set file $AWS_CONFIG_FILE
    test -r "$file"; or return 0
    string replace -rf -- '^\s*\[(?:profile\s+([^\]]*[^\]\s])|(default))\s*\].*' '$1$2' <$file
end

# Flags that take a value in the next token.
set -g __vault_value_flags --backend --prompt --file-dir --pass-cmd --pass-dir --pass-prefix -d \
    --duration --region -t --mfa-token --format --path --cmd

# Prints the command and then its positionals, from the tokens before the cursor; stops at
# `--`, printing `--` as the last line.
function __vault_words
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
        else if test "$t" = --
            printf '%s\n' -- # (`echo --` prints nothing)
            return
        else if string match -q -- '-*' $t
            contains -- $t $__vault_value_flags; and set skip 1
        else
            printf '%s\n' $t
        end
    end
end

# True when no command has been typed yet.
function __vault_no_command
    set -l words (__vault_words)
    not set -q words[1]
end

# True when the command is one of $argv and the cursor is not after `--`.
function __vault_command_is
    set -l words (__vault_words)
    contains -- "$words[1]" $argv; and test "$words[-1]" != --
end

# True when the command is one of $argv and no positional follows it yet.
function __vault_first_positional
    set -l words (__vault_words)
    contains -- "$words[1]" $argv; and test (count $words) -eq 1
end

# True after `vault exec PROFILE --`.
function __vault_after_dashes
    set -l words (__vault_words)
    test "$words[1]" = exec -a "$words[-1]" = --
end

# Completes the command after `--` as if it were typed on its own.
function __vault_complete_wrapped
    set -l tokens (commandline -opc)
    set -l at (contains -i -- -- $tokens)
    set -l wrapped $tokens[(math $at + 1)..-1] (commandline -ct)
    # A command name starting with `-` would be taken as an option of `complete -C`.
    string match -q -- '-*' $wrapped[1]; and return
    __fish_complete_subcommand --commandline $wrapped
end

complete -c $cmd -f

# Global flags.
set -l vault 'not __vault_after_dashes'
complete -c $cmd -n $vault -l backend -x -a 'file pass' -d 'Secret backend'
complete -c $cmd -n $vault -l prompt -x -a 'terminal ykman zenity kdialog osascript' -d 'How to ask for MFA codes'
complete -c $cmd -n $vault -l file-dir -x -a '(__fish_complete_directories)' -d 'Directory of the file backend'
complete -c $cmd -n $vault -l pass-cmd -x -a '(__fish_complete_command)' -d 'The pass program of the pass backend'
complete -c $cmd -n $vault -l pass-dir -x -a '(__fish_complete_directories)' -d 'Password store of the pass backend'
complete -c $cmd -n $vault -l pass-prefix -x -d 'Prefix of the entries in the password store'
complete -c $cmd -n $vault -l debug -d 'Print debugging output'
complete -c $cmd -n $vault -s h -l help -d 'Show help'
complete -c $cmd -n __vault_no_command -l version -d 'Show the version'

# Commands.
complete -c $cmd -n __vault_no_command -a add -d 'Add long-term credentials to the vault'
complete -c $cmd -n __vault_no_command -a 'list ls' -d 'List profiles, stored credentials and sessions'
complete -c $cmd -n __vault_no_command -a 'remove rm' -d 'Remove credentials from the vault'
complete -c $cmd -n __vault_no_command -a clear -d 'Clear cached sessions'
complete -c $cmd -n __vault_no_command -a exec -d "Run a command with a profile's credentials"
complete -c $cmd -n __vault_no_command -a export -d "Print a profile's credentials"
complete -c $cmd -n __vault_no_command -a use -d "Export a profile's credentials into this shell"
complete -c $cmd -n __vault_no_command -a unuse -d "Remove vault's credentials from this shell"
complete -c $cmd -n __vault_no_command -a login -d 'Open the AWS console for a profile'
complete -c $cmd -n __vault_no_command -a rotate -d "Rotate a profile's access key"
complete -c $cmd -n __vault_no_command -a init -d 'Print the shell integration for zsh, bash or fish'

# Positionals.
complete -c $cmd -n '__vault_first_positional add remove rm clear exec export use login rotate' \
    -a '(__vault_profiles)' -d Profile
complete -c $cmd -n '__vault_first_positional init' -a 'zsh bash fish' -d Shell
complete -c $cmd -n __vault_after_dashes -x -a '(__vault_complete_wrapped)'

# Flags of the commands that fetch credentials.
set -l creds '__vault_command_is exec export use login'
complete -c $cmd -n $creds -s d -l duration -x -d 'Session duration (e.g. 1h, 90m)'
complete -c $cmd -n $creds -l region -x -d 'AWS region'
complete -c $cmd -n $creds -s t -l mfa-token -x -d 'MFA code'
complete -c $cmd -n '__vault_command_is exec export use rotate' -s n -l no-session \
    -d 'Use the long-term keys, no session'

# Flags of one command.
complete -c $cmd -n '__vault_command_is add' -l env -d 'Read the keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
complete -c $cmd -n '__vault_command_is add' -l add-config -d 'Add a profile section to the config file'
complete -c $cmd -n '__vault_command_is add' -l no-add-config -d 'Leave the config file alone'
complete -c $cmd -n '__vault_command_is list ls' -l profiles -d 'Print profile names only'
complete -c $cmd -n '__vault_command_is list ls' -l credentials -d 'Print the names of stored credentials only'
complete -c $cmd -n '__vault_command_is list ls' -l sessions -d 'Print the names of cached sessions only'
complete -c $cmd -n '__vault_command_is list ls' -l json -d 'Print JSON'
complete -c $cmd -n '__vault_command_is remove rm' -s f -l force -d 'Do not ask for confirmation'
complete -c $cmd -n '__vault_command_is remove rm' -l sessions-only -d 'Remove only the cached sessions'
complete -c $cmd -n '__vault_command_is exec' -s j -l json -d 'Print credential_process JSON'
complete -c $cmd -n '__vault_command_is exec' -s s -l server -d 'Serve credentials to the command on a local endpoint'
complete -c $cmd -n '__vault_command_is exec' -l ecs-server -d 'Serve credentials on an ECS-style endpoint'
complete -c $cmd -n '__vault_command_is exec' -l lazy -d 'With --server, fetch credentials at the first request'
complete -c $cmd -n '__vault_command_is exec export use' -l stdout -d 'Print SSO sign-in links instead of opening a browser'
complete -c $cmd -n '__vault_command_is login' -s s -l stdout -d 'Print the sign-in URL instead of opening it'
complete -c $cmd -n '__vault_command_is export' -l format -x -a 'env export-env json ini sh fish' -d 'Output format'
complete -c $cmd -n '__vault_command_is use' -l no-input -d 'Never ask for an MFA code or passphrase'
complete -c $cmd -n '__vault_command_is login' -l path -x -d 'Console path to open'
complete -c $cmd -n '__vault_command_is init' -l cmd -x -d 'Name of the shell function'
