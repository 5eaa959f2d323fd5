/** `vault clear [NAME]`: delete cached sessions (and SSO tokens). */
import { loadConfig } from "../config/load.ts";
import { resolveProfile } from "../config/resolve.ts";
import { SessionCache } from "../credentials/cache.ts";
import { isOidcTokenKey, isStoredKeysKey } from "../vault/items.ts";
import type { Keyring } from "../vault/keyring.ts";
import { type CommandSpec, type Context, parseCommand } from "./_args.ts";
import { keyringFor } from "./_credentials.ts";
import { UserError } from "../errors.ts";

export const spec = {
  name: "clear",
  summary: "Clear cached sessions, of one profile or of all.",
  usage: "clear [profile]",
  options: {},
  optionHelp: {},
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

/** The SSO start URL whose token `name` uses, if it is an SSO profile. */
async function ssoStartUrl(
  ctx: Context,
  keyring: Keyring,
  name: string,
): Promise<string | undefined> {
  const stored = new Set((await keyring.keys()).filter(isStoredKeysKey));
  const { config } = await loadConfig(ctx.env);
  try {
    const profile = resolveProfile(config, name, {
      env: ctx.env,
      hasStoredKeys: (n) => stored.has(n),
    });
    let p = profile;
    while (p.source.kind === "profile") p = p.source.profile;
    return p.source.kind === "sso" ? p.source.sso.startUrl : undefined;
  } catch {
    // A profile that no longer resolves can still have sessions to clear.
    return undefined;
  }
}

/** Deletes `name`'s sessions and its SSO token; returns how many items went. */
export async function clearProfileSessions(
  ctx: Context,
  keyring: Keyring,
  name: string,
): Promise<number> {
  let n = await new SessionCache(keyring, 0).clear(name);
  const startUrl = await ssoStartUrl(ctx, keyring, name);
  if (startUrl && (await keyring.keys()).includes(`oidc:${startUrl}`)) {
    await keyring.remove(`oidc:${startUrl}`);
    n++;
  }
  return n;
}

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  if (parsed.positionals.length > 1) {
    throw new UserError("clear: takes at most one profile name", 2);
  }
  const keyring = keyringFor(ctx);
  const name = parsed.positionals[0];
  let n: number;
  if (name !== undefined) {
    n = await clearProfileSessions(ctx, keyring, name);
  } else {
    n = await new SessionCache(keyring, 0).clear();
    for (const key of await keyring.keys()) {
      if (isOidcTokenKey(key)) {
        await keyring.remove(key);
        n++;
      }
    }
  }
  console.log(`Cleared ${n} sessions.`);
  return 0;
}
