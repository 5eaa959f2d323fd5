#!/usr/bin/env bash
# Installs vault: Deno (from npm when missing), the npm dependencies, the program
# (a `deno compile` binary, or a bundle plus launcher when the compile runtime
# cannot be fetched) as PREFIX/bin/NAME, and the shell files under PREFIX/share/vault.
set -euo pipefail

DENO_VERSION=2.9.6
# Trust the system CA store too: registries are often reached through a TLS proxy with a local CA.
export DENO_TLS_CA_STORE="${DENO_TLS_CA_STORE:-system,mozilla}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix="$HOME/.local"
name=vault
shell_setup=ask     # ask | yes | no
omz_setup=ask
mode=install        # install | build-only | print-deno

usage() {
  cat <<'USAGE'
usage: ./install.sh [--prefix DIR] [--name NAME] [--shell-setup | --no-shell-setup]
                    [--oh-my-zsh | --no-oh-my-zsh] [--build-only] [--print-deno]
  --prefix DIR        install as DIR/bin/NAME and DIR/share/vault (default ~/.local)
  --name NAME         the command's name (default vault; e.g. awsv next to HashiCorp Vault)
  --shell-setup       add the init line to your shell's rc file without asking
  --no-shell-setup    never touch rc files (the default when there is no terminal)
  --oh-my-zsh         link the oh-my-zsh plugin without asking (--no-oh-my-zsh: never)
  --build-only        build into ./dist and stop
  --print-deno        make sure Deno is there and print its path
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --name) name=${2:?--name needs a name}; shift 2 ;;
    --name=*) name=${1#*=}; shift ;;
    --shell-setup) shell_setup=yes; shift ;;
    --no-shell-setup) shell_setup=no; shift ;;
    --oh-my-zsh) omz_setup=yes; shift ;;
    --no-oh-my-zsh) omz_setup=no; shift ;;
    --build-only) mode=build-only; shift ;;
    --print-deno) mode=print-deno; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1': see ./install.sh --help" >&2; exit 2 ;;
  esac
done
case "$name" in
  ''|*[!A-Za-z0-9_-]*) echo "install.sh: --name must be letters, digits, _ or -: got '$name'" >&2; exit 2 ;;
esac

say() { [ "$mode" = print-deno ] || echo "install.sh: $*" >&2; }
die() { echo "install.sh: $*" >&2; exit 1; }

# A yes/no question on the terminal; "no" when there is none (CI, pipes).
ask() {
  [ -z "${CI:-}" ] && { : >/dev/tty; } 2>/dev/null || return 1
  local answer
  printf '%s [y/N] ' "$1" >/dev/tty
  read -r answer </dev/tty || return 1
  case "$answer" in y|Y|yes|YES) return 0 ;; *) return 1 ;; esac
}

find_deno() {
  local own="${XDG_DATA_HOME:-$HOME/.local/share}/vault/deno"
  if command -v deno >/dev/null 2>&1; then
    command -v deno
  elif [ -x "$own/node_modules/@deno/linux-x64-glibc/deno" ]; then
    echo "$own/node_modules/@deno/linux-x64-glibc/deno"
  else
    command -v npm >/dev/null 2>&1 || die "Deno is missing and so is npm: install Node.js/npm or Deno, then re-run"
    say "installing Deno $DENO_VERSION from npm into $own"
    mkdir -p "$own"
    npm install --silent --no-audit --no-fund --prefix "$own" "deno@$DENO_VERSION" >&2 \
      || die "npm could not install deno@$DENO_VERSION: check your npm registry access"
    local bin
    bin=$(find "$own/node_modules/@deno" -maxdepth 2 -name deno -type f | head -n 1)
    [ -n "$bin" ] || die "npm installed no Deno binary for this platform in $own"
    chmod +x "$bin"
    echo "$bin"
  fi
}

deno=$(find_deno)
deno=$(cd "$(dirname "$deno")" && pwd)/$(basename "$deno")
if [ "$mode" = print-deno ]; then echo "$deno"; exit 0; fi

cd "$here"
say "using $("$deno" --version | head -n 1) at $deno"
"$deno" install --frozen --quiet >&2 || die "could not install the npm dependencies: check npm registry access"

# Build into a fresh staging dir; nothing under PREFIX changes until it works.
stage=$(mktemp -d "${TMPDIR:-/tmp}/vault-build.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/share/vault/lib"
cp -R shell completions "$stage/share/vault/"
kind=""
if "$deno" compile --quiet --allow-all --include shell --include completions \
  --output "$stage/vault" src/main.ts >"$stage/compile.log" 2>&1; then
  kind=compiled
else
  "$deno" bundle --quiet --platform deno --code-splitting --outdir "$stage/share/vault/lib" src/main.ts >&2 \
    || die "deno bundle failed: see the errors above"
  # Deno reads every module that a literal import("...") names before running anything; naming
  # the chunks through a URL leaves the AWS SDK chunks unread until a command really imports them.
  sed -i -E 's#import\("(\./[A-Za-z0-9_-]+\.js)"\)#import(new URL("\1", import.meta.url).href)#g' \
    "$stage"/share/vault/lib/*.js
  kind=bundle
fi

quote() { printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"; }

# The launcher names absolute paths so it works from any directory and PATH.
write_launcher() { # $1 = file to write, $2 = the path it will be run as, $3 = bundle entry
  cat >"$1" <<LAUNCHER
#!/bin/sh
# vault launcher: deno compile was unavailable when this was installed (see install.sh).
VAULT_EXE=$(quote "$2") exec $(quote "$deno") run --allow-all --quiet --no-config --no-lock $(quote "$3") "\$@"
LAUNCHER
  chmod 755 "$1"
}

if [ "$mode" = build-only ]; then
  rm -rf dist && mkdir -p dist
  if [ "$kind" = compiled ]; then cp "$stage/vault" dist/vault; else
    cp -R "$stage/share" dist/share
    write_launcher dist/vault "$here/dist/vault" "$here/dist/share/vault/lib/main.js"
  fi
  dist/vault --version >/dev/null || die "the built program does not run: see the errors above"
  say "built dist/vault ($kind)"
  exit 0
fi

bin="$prefix/bin/$name"
share="$prefix/share/vault"
mkdir -p "$prefix/bin" "$prefix/share"
# Swap the share dir and the executable in with renames, so a re-run never leaves half an install.
rm -rf "$share.new" && cp -R "$stage/share/vault" "$share.new"
rm -rf "$share.old" && { [ ! -e "$share" ] || mv "$share" "$share.old"; } && mv "$share.new" "$share" && rm -rf "$share.old"
if [ "$kind" = compiled ]; then
  cp "$stage/vault" "$bin.new"
  chmod 755 "$bin.new"
else
  write_launcher "$bin.new" "$bin" "$share/lib/main.js"
fi
if ! version=$("$bin.new" --version 2>&1); then
  rm -f "$bin.new"
  die "the built program does not run ($version): nothing was installed"
fi
mv -f "$bin.new" "$bin"

if [ "$kind" = compiled ]; then
  say "installed $bin: a deno compile binary ($version)"
else
  say "installed $bin: a launcher running $share/lib/main.js with $deno ($version)"
  say "(deno compile could not fetch its runtime base here; the launcher starts as fast)"
fi

# Another `vault` (often HashiCorp Vault's CLI) earlier on PATH would shadow this one.
first=$(PATH="$PATH" command -v "$name" 2>/dev/null || true)
if [ -n "$first" ] && [ "$first" != "$bin" ]; then
  say "warning: '$first' comes before $bin on your PATH; re-run with --name awsv to install under another name,"
  say "         or put $prefix/bin first on PATH"
elif [ -z "$first" ]; then
  say "note: $prefix/bin is not on your PATH; add it to use '$name'"
fi

cmd_flag=""
[ "$name" = vault ] || cmd_flag=" --cmd $name"
user_shell=$(basename "${SHELL:-bash}")
qbin=$(quote "$bin") # the rc line is code: a prefix with spaces or $(...) must stay a path
case "$user_shell" in
  zsh) rc="${ZDOTDIR:-$HOME}/.zshrc"; line="eval \"\$($qbin init zsh$cmd_flag)\"" ;;
  bash) rc="$HOME/.bashrc"; line="eval \"\$($qbin init bash$cmd_flag)\"" ;;
  fish) rc="${XDG_CONFIG_HOME:-$HOME/.config}/fish/config.fish"; line="$qbin init fish$cmd_flag | source" ;;
  *) rc=""; line="" ;;
esac

omz_plugins="${ZSH_CUSTOM:-${ZSH:-$HOME/.oh-my-zsh}/custom}/plugins"
# The plugin defines a function named `vault`; under another name the init line (with --cmd) fits.
if [ "$user_shell" = zsh ] && [ "$name" = vault ] && [ -d "${ZSH:-$HOME/.oh-my-zsh}" ] && [ "$omz_setup" != no ]; then
  if [ "$omz_setup" = yes ] || ask "Link the oh-my-zsh plugin into $omz_plugins/vault?"; then
    mkdir -p "$omz_plugins"
    ln -sfn "$share/shell/oh-my-zsh/vault" "$omz_plugins/vault"
    say "linked $omz_plugins/vault: add 'vault' to plugins=(...) in ~/.zshrc"
    line=""
  fi
fi

if [ -n "$line" ]; then
  if [ -f "$rc" ] && grep -qF "$line" "$rc"; then
    say "$rc already loads vault's shell integration"
  elif [ "$shell_setup" = yes ] || { [ "$shell_setup" = ask ] && ask "Add vault's shell integration to $rc?"; }; then
    mkdir -p "$(dirname "$rc")"
    printf '\n# vault: credentials in this shell, prompt segment, completion\n%s\n' "$line" >>"$rc"
    say "added to $rc: $line"
  else
    say "to use 'vault use' and the prompt segment, add this line to $rc:"
    say "  $line"
  fi
fi
