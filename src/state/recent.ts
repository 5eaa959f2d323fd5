/**
 * The profiles a user chose with `vault use`, most recent first, so the profile
 * picker can offer them first. Kept in `$XDG_STATE_HOME/vault/recent` (default
 * `~/.local/state/vault/recent`), one name per line.
 */
import { dirname, isAbsolute, join } from "node:path";
import { type Env, homeDir } from "../env.ts";
import { ensurePrivateDir, writeFileAtomic } from "../fsutil/atomic.ts";

/** How many names the list keeps. */
export const RECENT_LIMIT = 50;

/** Path of the list. A relative XDG_STATE_HOME is ignored, as the XDG spec says. */
export function recentPath(env: Env): string {
  const state = env.XDG_STATE_HOME;
  const base = state && isAbsolute(state) ? state : join(homeDir(env), ".local", "state");
  return join(base, "vault", "recent");
}

/**
 * The recorded names, most recent first; empty when nothing was recorded yet or
 * the list cannot be read (it only orders the picker, so it never stops `use`).
 */
export function recentProfiles(env: Env): string[] {
  try {
    return Deno.readTextFileSync(recentPath(env)).split("\n").filter((name) => name !== "");
  } catch {
    return [];
  }
}

/**
 * Puts `name` first in the list (once), keeping at most RECENT_LIMIT names.
 * A name with a line break cannot be stored one per line and is not recorded.
 * Returns whether the list was written: a read-only or missing home must not
 * make `vault use` fail after it got the credentials.
 */
export async function recordUse(env: Env, name: string): Promise<boolean> {
  if (name === "" || /[\r\n]/.test(name)) return false;
  try {
    const path = recentPath(env);
    const names = [name, ...recentProfiles(env).filter((n) => n !== name)].slice(0, RECENT_LIMIT);
    await ensurePrivateDir(dirname(path));
    await writeFileAtomic(path, names.map((n) => n + "\n").join(""));
    return true;
  } catch {
    return false;
  }
}
