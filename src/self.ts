/**
 * Absolute path of the `vault` executable the user ran. A launcher (the
 * fallback when `deno compile` is unavailable) passes its own path in VAULT_EXE;
 * a compiled binary is Deno.execPath() itself. Read once and removed from the
 * environment so that children of `vault exec` do not inherit it.
 */
const fromLauncher = Deno.env.get("VAULT_EXE");
if (fromLauncher !== undefined) Deno.env.delete("VAULT_EXE");

export function selfPath(): string {
  return fromLauncher ?? Deno.execPath();
}
