/** Shell code that changes environment variables, as `vault use` and `vault unuse` print it. */
import { quote, type Shell } from "./quote.ts";

/** Variables to set (in order) and variables to remove. */
export interface EnvChanges {
  set: [string, string][];
  unset: string[];
}

const validName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: string): string {
  if (!validName.test(name)) {
    throw new Error(`invalid environment variable name: ${JSON.stringify(name)}`);
  }
  return name;
}

/**
 * One line per change, for `shell` to eval: `export NAME='v'` / `unset NAME` in
 * zsh and bash, `set -gx NAME 'v'` / `set -e NAME` in fish. Removals come first
 * so that a name both removed and set ends up set. Throws on a name that is not
 * a plain variable name, since it would be code rather than a name.
 */
export function renderEnv(shell: Shell, changes: EnvChanges): string {
  const lines: string[] = [];
  for (const name of changes.unset) {
    lines.push(shell === "fish" ? `set -e ${checkName(name)}` : `unset ${checkName(name)}`);
  }
  for (const [name, value] of changes.set) {
    const v = quote(shell, value);
    lines.push(
      shell === "fish" ? `set -gx ${checkName(name)} ${v}` : `export ${checkName(name)}=${v}`,
    );
  }
  return lines.map((l) => l + "\n").join("");
}

/** The parts of `vault init` output: where the program is and the two shell files. */
export interface InitParts {
  /** Absolute path of the vault program, for the function to run. */
  bin: string;
  /** Name of the shell function (`vault`, or what `--cmd` chose). */
  cmd: string;
  /** shell/vault.<shell>: the function, the prompt segment and its hooks. */
  integration: string;
  /** The completion file for the shell (completions/_vault, vault.bash or vault.fish). */
  completion: string;
}

/**
 * The code `vault init <shell>` prints: variables naming the program and the
 * function, the completion, then the integration. The integration reads those
 * variables, so the same file also works sourced on its own. zsh's completion
 * file is a function body (the fpath format), so it is wrapped in `_vault() {}`.
 */
export function renderInit(shell: Shell, parts: InitParts): string {
  const bin = quote(shell, parts.bin);
  const cmd = quote(shell, parts.cmd);
  const header = shell === "fish"
    ? `set -g __vault_bin ${bin}\nset -g __vault_cmd ${cmd}\n`
    : shell === "zsh"
    ? `typeset -g __vault_bin=${bin} __vault_cmd=${cmd}\n`
    : `__vault_bin=${bin}\n__vault_cmd=${cmd}\n`;
  const completion = shell === "zsh" ? `_vault() {\n${parts.completion}\n}\n` : parts.completion;
  return [header, completion, parts.integration].map((s) => s.endsWith("\n") ? s : s + "\n")
    .join("");
}
