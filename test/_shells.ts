/**
 * Real interactive zsh, bash and fish sessions in tmux with vault's integration
 * loaded, and the small vocabulary tests use to drive them.
 */
import assert from "node:assert/strict";
import { quote, type Shell } from "../src/shell/quote.ts";
import { root, vaultBin } from "./_bin.ts";
import { removeDir } from "./_sandbox.ts";
import { Tmux } from "./tmux.ts";

/** Where the integration comes from. */
export type Load =
  | { mode: "init"; cmd?: string; times?: number }
  | { mode: "source" }
  | { mode: "oh-my-zsh" };

export interface Options {
  /** The AWS config file's text (AWS_CONFIG_FILE points at it). */
  config?: string;
  load?: Load;
  /** Variables for the shell's environment (besides HOME, PATH, AWS_CONFIG_FILE...). */
  env?: Record<string, string>;
  /** rc lines before the integration is loaded. */
  before?: string;
  /** rc lines after it. */
  after?: string;
  /** bash: load bash-completion first (default true). */
  bashCompletion?: boolean;
  /** zsh: run compinit after loading the integration instead of before. */
  compinitLate?: boolean;
  /** Run the shell under `strace`, logging process creation to this file. */
  strace?: string;
}

export interface Session {
  shell: Shell;
  term: Tmux;
  /** The shell's working directory: nothing may appear in it. */
  cwd: string;
  /** The test's temporary directory. */
  dir: string;
}

/** A prompt (RPROMPT may follow it on the line). */
export const PROMPT_LINE = /^\[(\d+)\] <(.*)> READY>/m;
/** The whole screen is one fresh prompt (after C-l). */
export const FRESH = /^\[\d+\] <.*> READY>.*\n\s*$/;
/** The screen ends with a prompt that has nothing typed after it: the shell is waiting. */
export const IDLE = /\[\d+\] <[^\n]*> READY> *\s*$/;

/** Shell-specific command lines the tests type. */
export const sh = {
  /** Sets and exports variables. */
  set(shell: Shell, vars: Record<string, string>): string {
    const entries = Object.entries(vars);
    if (shell === "fish") {
      return entries.map(([k, v]) => `set -gx ${k} ${quote(shell, v)}`).join("; ");
    }
    return `export ${entries.map(([k, v]) => `${k}=${quote(shell, v)}`).join(" ")}`;
  },
  unset(shell: Shell, names: string[]): string {
    return shell === "fish" ? `set -e ${names.join(" ")}` : `unset ${names.join(" ")}`;
  },
  /** Prints `NAME=[value]` or `NAME=<unset>`; the typed line never matches either. */
  show(shell: Shell, name: string): string {
    return shell === "fish"
      ? `if set -q ${name}; printf '%s=[%s]\\n' ${name} "$${name}"; else; printf '%s=<%s>\\n' ${name} unset; end`
      : `if [ -n "\${${name}+x}" ]; then printf '%s=[%s]\\n' ${name} "$${name}"; else printf '%s=<%s>\\n' ${name} unset; fi`;
  },
  /** Prints `rc=N` for the last command's status. */
  status(shell: Shell): string {
    return `printf 'rc=%s\\n' ${shell === "fish" ? "$status" : "$?"}`;
  },
};

export const now = () => Math.floor(Date.now() / 1000);

export function loadLines(shell: Shell, load: Load): string {
  const bin = quote(shell, vaultBin());
  if (load.mode === "source") return `source ${quote(shell, `${root}/shell/vault.${shell}`)}`;
  if (load.mode === "oh-my-zsh") {
    // What oh-my-zsh does for plugins=(vault): plugin folder on fpath, compinit, source.
    return [
      `fpath=("$ZSH_CUSTOM/plugins/vault" $fpath)`,
      `autoload -Uz compinit && compinit -u -d "$HOME/.zcompdump"`,
      `source "$ZSH_CUSTOM/plugins/vault/vault.plugin.zsh"`,
    ].join("\n");
  }
  const args = `init ${shell}${load.cmd ? ` --cmd ${load.cmd}` : ""}`;
  const line = shell === "fish" ? `${bin} ${args} | source` : `eval "$(${bin} ${args})"`;
  return Array(load.times ?? 1).fill(line).join("\n");
}

/** Starts `shell` interactively in tmux with the integration loaded and waits for its prompt. */
export async function startShell(shell: Shell, options: Options = {}): Promise<Session> {
  const dir = await Deno.makeTempDir({ prefix: `vault-${shell}-` });
  const cwd = `${dir}/cwd`;
  await Deno.mkdir(cwd);
  await Deno.mkdir(`${dir}/home`);
  await Deno.writeTextFile(`${dir}/config`, options.config ?? "");
  const load = options.load ?? { mode: "init" };
  const env: Record<string, string> = {
    HOME: `${dir}/home`,
    PATH: "/usr/local/bin:/usr/bin:/bin",
    LANG: "C.UTF-8",
    AWS_CONFIG_FILE: `${dir}/config`,
    ...options.env,
  };
  let command: string[];
  const integration = loadLines(shell, load);
  if (shell === "zsh") {
    const compinit = `autoload -Uz compinit && compinit -u -d "$HOME/.zcompdump"`;
    const late = options.compinitLate || load.mode === "oh-my-zsh";
    await Deno.writeTextFile(
      `${dir}/.zshrc`,
      [
        options.before ?? "",
        late ? "" : compinit,
        integration,
        options.compinitLate ? compinit : "",
        "setopt prompt_subst",
        "PROMPT='[%?] <${VAULT_PROMPT_INFO}> READY> '",
        options.after ?? "",
      ].join("\n"),
    );
    env.ZDOTDIR = dir;
    command = ["zsh", "-i"];
  } else if (shell === "bash") {
    await Deno.writeTextFile(
      `${dir}/bashrc`,
      [
        options.bashCompletion === false ? "" : "source /usr/share/bash-completion/bash_completion",
        options.before ?? "",
        integration,
        "PS1='[$?] <${VAULT_PROMPT_INFO}> READY> '",
        options.after ?? "",
      ].join("\n"),
    );
    command = ["bash", "--noprofile", "--rcfile", `${dir}/bashrc`, "-i"];
  } else {
    await Deno.mkdir(`${dir}/xdg/fish`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/xdg/fish/config.fish`,
      [
        "set -g fish_autosuggestion_enabled 0",
        "function fish_greeting; end",
        options.before ?? "",
        integration,
        "function fish_prompt; set -l s $status; printf '[%s] <%s> READY> ' $s (vault_prompt_info); end",
        options.after ?? "",
      ].join("\n"),
    );
    // Present, so that fish does not start generating completions from man pages.
    await Deno.mkdir(`${dir}/data/fish/generated_completions`, { recursive: true });
    env.XDG_CONFIG_HOME = `${dir}/xdg`;
    env.XDG_DATA_HOME = `${dir}/data`;
    command = ["fish", "-i"];
  }
  if (options.strace) {
    command = [
      "strace",
      "--seccomp-bpf", // stop only at the traced calls: a shell under full tracing is very slow
      "-f",
      "-qq",
      "-e",
      "trace=clone,clone3,fork,vfork",
      "-o",
      options.strace,
      ...command,
    ];
  }
  const term = await Tmux.start({ command, env, cwd, width: 160, height: 40 });
  try {
    await term.waitFor(PROMPT_LINE);
  } catch (error) {
    await term.kill();
    await removeDir(dir);
    throw error;
  }
  return { shell, term, cwd, dir };
}

/** Runs `fn` with a fresh shell; the tmux server and temporary files go away afterwards. */
export async function withShell(shell: Shell, options: Options, fn: (s: Session) => Promise<void>) {
  const s = await startShell(shell, options);
  try {
    await fn(s);
    assert.deepEqual([...Deno.readDirSync(s.cwd)].map((e) => e.name), [], "something ran code");
  } finally {
    await s.term.kill();
    await removeDir(s.dir);
  }
}

/** Clears the line and the screen, and waits for a lone prompt. */
export async function fresh(s: Session): Promise<void> {
  await s.term.keys("C-u", "C-l");
  await s.term.waitFor(FRESH);
}

/**
 * On a clear screen, runs `line` and waits for `expect` in what follows the command
 * line (its output and the next prompt); returns that part of the screen.
 */
export async function run(s: Session, line: string, expect: RegExp | string): Promise<string> {
  await fresh(s);
  await s.term.run(line);
  const after = (screen: string) => screen.slice(screen.indexOf("\n") + 1);
  const found = (text: string) =>
    typeof expect === "string" ? text.includes(expect) : expect.test(text);
  return after(await s.term.waitFor((screen) => found(after(screen))));
}

/** On a clear screen, types `typed`, presses Tab and waits for `expect`. */
export async function complete(s: Session, typed: string, expect: RegExp | string, tabs = 1) {
  await fresh(s);
  await s.term.type(typed);
  await s.term.keys(...Array(tabs).fill("Tab"));
  return await s.term.waitFor(expect);
}

/** The line being edited reads exactly `text` (and the prompt is at its start). */
export function editing(text: string): RegExp {
  return new RegExp(`READY> ${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} *$`, "m");
}
