/**
 * Cross-process locks around a credential refresh, so that several shells
 * refreshing one profile at once make one STS call and leave one session.
 */
import type { Env } from "../env.ts";

/** Directory of lock files: never inside the vault directory, where aws-vault would list them as keys. */
export function lockDir(env: Env): string {
  const base = env.XDG_RUNTIME_DIR ||
    `${env.XDG_STATE_HOME || `${env.HOME ?? "/tmp"}/.local/state`}/vault`;
  return `${base}/vault-locks`;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Runs `fn` while holding an exclusive flock named by `name` (hashed, so any
 * profile name is a safe file name). The lock is released when `fn` settles or
 * the process dies.
 */
export async function withLock<T>(dir: string, name: string, fn: () => Promise<T>): Promise<T> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const path = `${dir}/${(await sha256Hex(name)).slice(0, 32)}.lock`;
  const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
  try {
    await file.lock(true);
    return await fn();
  } finally {
    file.close();
  }
}
