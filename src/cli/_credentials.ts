/**
 * What exec, export, use and login share: their credential flags, and the path
 * from a profile name to credentials (config → vault → cache → STS).
 */
import { parseDuration } from "../config/duration.ts";
import { loadConfig } from "../config/load.ts";
import { resolveProfile } from "../config/resolve.ts";
import type { ProfileConfig } from "../config/types.ts";
import { SessionCache } from "../credentials/cache.ts";
import { lockDir } from "../credentials/lock.ts";
import { MfaCodes } from "../credentials/mfa.ts";
import { credentialsFor } from "../credentials/provider.ts";
import type { Credentials } from "../credentials/types.ts";
import { NEEDS_INPUT_EXIT, UserError } from "../errors.ts";
import { profileNames } from "../config/ini.ts";
import { isStoredKeysKey } from "../vault/items.ts";
import type { Keyring } from "../vault/keyring.ts";
import { openKeyring } from "../vault/open.ts";
import { withoutVaultRegion } from "../shell/session_env.ts";
import type { Context } from "./_args.ts";

/** Flags of every command that fetches credentials. */
export const credentialOptions = {
  duration: { type: "string", short: "d" },
  "no-session": { type: "boolean", short: "n" },
  region: { type: "string" },
  "mfa-token": { type: "string", short: "t" },
  stdout: { type: "boolean" },
} as const;

/** Help lines for credentialOptions. */
export const credentialOptionHelp = {
  duration: "Session duration, Go syntax (1h, 90m)",
  "no-session": "Skip GetSessionToken: use the stored keys or assume the role directly",
  region: "The AWS region",
  "mfa-token": "The MFA code to use, instead of asking",
  stdout: "Print SSO sign-in links on the terminal instead of opening a browser",
} as const;

/** Parsed values of credentialOptions. */
export interface CredentialFlags {
  duration?: string;
  "no-session"?: boolean;
  region?: string;
  "mfa-token"?: string;
  stdout?: boolean;
}

/** Seconds from a Go duration given by `what`, or a UserError naming it. */
export function durationFrom(what: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (e) {
    throw new UserError(
      `${what}: ${(e as Error).message}`,
      2,
    );
  }
}

/** The reuse window of cached sessions, AWS_MIN_TTL (default 5m). */
export function minTtl(ctx: Context): number {
  return ctx.env.AWS_MIN_TTL ? durationFrom("AWS_MIN_TTL", ctx.env.AWS_MIN_TTL) : 300;
}

/** The keyring the global flags and environment choose; `noInput` forbids asking for the passphrase. */
export function keyringFor(ctx: Context, noInput = false): Keyring {
  const { backend, fileDir, passCmd, passDir, passPrefix } = ctx;
  return openKeyring(ctx.env, { backend, fileDir, passCmd, passDir, passPrefix, noInput });
}

/** Resolves `name` against the config and the vault's stored keys. */
export async function resolveNamed(
  ctx: Context,
  keyring: Keyring,
  name: string,
  flags: CredentialFlags = {},
): Promise<ProfileConfig> {
  const stored = new Set((await keyring.keys()).filter(isStoredKeysKey));
  const { config, path } = await loadConfig(ctx.env);
  return resolveProfile(config, name, {
    env: withoutVaultRegion(ctx.env),
    flags: {
      region: flags.region,
      duration: flags.duration === undefined
        ? undefined
        : durationFrom("--duration", flags.duration),
    },
    hasStoredKeys: (n) => stored.has(n),
    configPath: path,
  });
}

/** Every profile name a user could pick: config sections and stored keys. */
async function knownProfiles(ctx: Context): Promise<string[]> {
  const { text } = await loadConfig(ctx.env);
  const stored = (await keyringFor(ctx).keys()).filter(isStoredKeysKey);
  return [...new Set([...profileNames(text), ...stored])];
}

/**
 * The profile a command acts on: the one named, else AWS_PROFILE (as aws-vault
 * does, unless `fromEnv` is false), else one picked on the terminal, most
 * recently used first.
 */
export async function chosenProfile(
  ctx: Context,
  command: string,
  positionals: string[],
  opts: { fromEnv: boolean; noInput?: boolean },
): Promise<string> {
  if (positionals.length > 1) {
    throw new UserError(
      `${command}: expected one profile name, got ${positionals.length}: see 'vault ${command} --help'`,
      2,
    );
  }
  if (positionals[0] !== undefined) return positionals[0];
  if (opts.fromEnv && ctx.env.AWS_PROFILE) return ctx.env.AWS_PROFILE;
  if (opts.noInput) {
    throw new UserError(`${command}: no profile named and --no-input given`, NEEDS_INPUT_EXIT);
  }
  const { hasTerminal } = await import("../ui/tty.ts");
  if (!hasTerminal()) {
    const orEnv = opts.fromEnv ? " or set AWS_PROFILE" : "";
    throw new UserError(
      `${command}: no profile named and no terminal to pick one on: run 'vault ${command} <profile>'${orEnv}`,
      2,
    );
  }
  const [{ pickProfile }, { recentProfiles }] = await Promise.all([
    import("../ui/picker.ts"),
    import("../state/recent.ts"),
  ]);
  const expires = Number(ctx.env.VAULT_EXPIRES_AT);
  const active = ctx.env.AWS_VAULT
    ? {
      name: ctx.env.AWS_VAULT,
      expiresAt: Number.isFinite(expires) && expires > 0 ? expires : undefined,
    }
    : undefined;
  return await pickProfile(await knownProfiles(ctx), recentProfiles(ctx.env), active);
}

/** `--stdout`, or aws-vault's AWS_VAULT_STDOUT: print links instead of opening a browser. */
export function printUrls(ctx: Context, flags: CredentialFlags): boolean {
  return flags.stdout === true || /^(1|true|yes)$/i.test(ctx.env.AWS_VAULT_STDOUT ?? "");
}

/** Options of fetchCredentials beyond the flags. */
export interface FetchOptions {
  /** Never ask for anything: fail with exit code 3 instead (auto refresh). */
  noInput?: boolean;
}

/** Resolves `name` and returns its credentials, with notes on stderr under --debug. */
export async function fetchCredentials(
  ctx: Context,
  name: string,
  flags: CredentialFlags,
  opts: FetchOptions = {},
): Promise<{ profile: ProfileConfig; creds: Credentials }> {
  const keyring = keyringFor(ctx, opts.noInput);
  const profile = await resolveNamed(ctx, keyring, name, flags);
  const creds = await credentialsFor({
    env: ctx.env,
    keyring,
    cache: new SessionCache(keyring, minTtl(ctx)),
    mfa: new MfaCodes({
      token: flags["mfa-token"],
      driver: ctx.prompt ?? ctx.env.AWS_VAULT_PROMPT,
      noInput: opts.noInput,
      env: ctx.env,
    }),
    lockDir: lockDir(ctx.env),
    noSession: flags["no-session"],
    noInput: opts.noInput,
    printUrls: printUrls(ctx, flags),
    note: (m) => ctx.debug && console.error(`vault: ${m}`),
    warn: (m) => console.error(`vault: ${m}`),
  }, profile);
  return { profile, creds };
}
