import { UserError } from "./errors.ts";

/** Environment as plain data, so pure modules can be tested without touching the process. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A snapshot of the process environment. */
export function processEnv(): Env {
  return Deno.env.toObject();
}

/** The user's home directory, or an error naming HOME when it is unset. */
export function homeDir(env: Env): string {
  const home = env.HOME;
  if (!home) throw new UserError("HOME is not set: set it to your home directory");
  return home;
}

/** `path` with a leading `~` or `~/` replaced by the home directory; `~user` is left as it is. */
export function expandHome(env: Env, path: string): string {
  return path === "~" || path.startsWith("~/") ? homeDir(env) + path.slice(1) : path;
}
