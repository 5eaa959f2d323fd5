/**
 * Quoting values for the shells `vault` prints code for. Every value that reaches
 * a shell goes through `quote`, so a profile name or a secret is always data.
 */

/** The shells `vault init` and `vault use` support. */
export type Shell = "zsh" | "bash" | "fish";

/** The supported shells, in the order help text lists them. */
export const shells: readonly Shell[] = ["zsh", "bash", "fish"];

/** True when `s` names a supported shell. */
export function isShell(s: string): s is Shell {
  return (shells as readonly string[]).includes(s);
}

/**
 * `value` as one single-quoted word for `shell`. Inside single quotes zsh and
 * bash treat every character literally, so a quote is closed, escaped and
 * reopened; fish gives `\` and `'` meaning inside single quotes, so both are
 * escaped. A NUL cannot be part of a shell word or an environment variable.
 */
export function quote(shell: Shell, value: string): string {
  if (value.includes("\0")) throw new Error("cannot quote a value containing a NUL character");
  if (shell === "fish") return `'${value.replace(/[\\']/g, "\\$&")}'`;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
