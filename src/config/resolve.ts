import type { Env } from "../env.ts";
import { UserError } from "../errors.ts";
import { parseDuration } from "./duration.ts";
import type { ConfigFile } from "./ini.ts";
import type { CredentialSource, ProfileConfig, ProfileFlags, SsoSettings } from "./types.ts";
import { closest } from "../suggest.ts";

/** What `resolveProfile` needs besides the parsed config. */
export interface ResolveOptions {
  env: Env;
  flags?: ProfileFlags;
  /** Whether the vault holds long-term keys under this profile name. */
  hasStoredKeys: (name: string) => boolean;
  /** Named in error messages; defaults to "the AWS config file". */
  configPath?: string;
}

const HOUR = 3600;

/** A setting's value and the profile whose section it came from (for error messages). */
interface Setting {
  value: string;
  from: string;
}

interface Context {
  config: ConfigFile;
  opts: ResolveOptions;
  where: string;
}

/**
 * Resolves profile `name` with every precedence rule of spec sections 1-3: flag > env > the
 * profile's section > its include_profile chain > [default] > built-in default, and picks its
 * credential source (spec section 2). A source profile is resolved the same way, but without
 * the target-only env vars (AWS_ROLE_ARN, AWS_SESSION_TAGS, ...) and flags other than the region.
 * Every config mistake is a one-line UserError naming the profile and key.
 */
export function resolveProfile(
  config: ConfigFile,
  name: string,
  opts: ResolveOptions,
): ProfileConfig {
  const ctx = { config, opts, where: opts.configPath ?? "the AWS config file" };
  if (!exists(ctx, name)) {
    const likely = closest(name, config.profiles.keys());
    throw new UserError(
      `profile "${name}" not found: no ${sectionName(name)} in ${ctx.where} and no stored keys; ` +
        (likely ? `did you mean "${likely}"?` : `check the name or run "vault add ${name}"`),
    );
  }
  return resolve(ctx, name, [name]);
}

function exists(ctx: Context, name: string): boolean {
  return ctx.config.profiles.has(name) || ctx.opts.hasStoredKeys(name);
}

function sectionName(profile: string): string {
  return profile === "default" ? "[default]" : `[profile ${profile}]`;
}

/** `key`, or `key (from [profile x])` when an include_profile or [default] supplied it. */
function keyName(key: string, setting: Setting, profile: string): string {
  return setting.from === profile ? key : `${key} (from ${sectionName(setting.from)})`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === "" ? undefined : value;
}

/** `sourcePath` lists the profiles from the target down to `name`; the target is first. */
function resolve(ctx: Context, name: string, sourcePath: string[]): ProfileConfig {
  const target = sourcePath.length === 1;
  const settings = collectSettings(ctx, name);
  const setting = (key: string) => settings.get(key)?.value;
  const env = (key: string) => nonEmpty(ctx.opts.env[key]);
  // Target-only env vars and flags do not reach source profiles (the region flag does).
  const targetEnv = (key: string) => target ? env(key) : undefined;
  const flags: ProfileFlags = target ? ctx.opts.flags ?? {} : { region: ctx.opts.flags?.region };

  const flagDuration = flags.duration === undefined
    ? undefined
    : checkPositive(name, "--duration", String(flags.duration), flags.duration);
  const envDuration = (key: string) => {
    const text = env(key);
    return text === undefined ? undefined : duration(name, key, text);
  };
  const durationSeconds = settings.get("duration_seconds");
  const configuredAssumeRole = flagDuration ?? envDuration("AWS_ASSUME_ROLE_TTL") ??
    (durationSeconds &&
      duration(name, keyName("duration_seconds", durationSeconds, name), durationSeconds.value));

  const tags = settingOrEnv(settings, name, "session_tags", targetEnv("AWS_SESSION_TAGS"));
  const transitive = targetEnv("AWS_TRANSITIVE_TAGS") ?? setting("transitive_session_tags");

  return withoutUndefined({
    name,
    source: chooseSource(ctx, name, settings, sourcePath),
    region: flags.region ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? setting("region"),
    mfaSerial: flags.mfaSerial ?? env("AWS_MFA_SERIAL") ?? setting("mfa_serial"),
    mfaProcess: setting("mfa_process"),
    roleArn: targetEnv("AWS_ROLE_ARN") ?? setting("role_arn"),
    externalId: setting("external_id"),
    roleSessionName: targetEnv("AWS_ROLE_SESSION_NAME") ?? setting("role_session_name"),
    sourceIdentity: targetEnv("AWS_SOURCE_IDENTITY") ?? setting("source_identity"),
    sessionTags: tags ? parseTags(name, tags.key, tags.value) : {},
    transitiveSessionTags: transitive ? splitList(transitive) : [],
    stsRegionalEndpoints: setting("sts_regional_endpoints"),
    endpointUrl: setting("endpoint_url"),
    assumeRoleDuration: configuredAssumeRole ?? HOUR,
    assumeRoleDurationSet: configuredAssumeRole !== undefined,
    sessionDuration: flagDuration ?? envDuration("AWS_SESSION_TOKEN_TTL") ??
      envDuration("AWS_SESSION_TTL") ?? HOUR,
    chainedSessionDuration: flagDuration ?? envDuration("AWS_CHAINED_SESSION_TOKEN_TTL") ??
      envDuration("AWS_SESSION_TTL") ?? 8 * HOUR,
    federationDuration: flagDuration ?? envDuration("AWS_FEDERATION_TOKEN_TTL") ?? HOUR,
  });
}

/** The env var when set (named as the key in errors), else the setting (named with its origin). */
function settingOrEnv(
  settings: Map<string, Setting>,
  profile: string,
  key: string,
  envValue: string | undefined,
): { key: string; value: string } | undefined {
  if (envValue !== undefined) return { key: `AWS_${key.toUpperCase()}`, value: envValue };
  const s = settings.get(key);
  return s && { key: keyName(key, s, profile), value: s.value };
}

/**
 * The settings of `name`: its own section, then its include_profile chain, then [default]
 * (and [default]'s own include chain), earlier layers winning. Empty values count as unset.
 */
function collectSettings(ctx: Context, name: string): Map<string, Setting> {
  const settings = new Map<string, Setting>();
  for (const start of name === "default" ? [name] : [name, "default"]) {
    const chain: string[] = [];
    for (let current: string | undefined = start; current !== undefined;) {
      if (chain.includes(current)) {
        const cycle = [...chain.slice(chain.indexOf(current)), current].join(" -> ");
        throw new UserError(
          `profile "${name}": include_profile cycle ${cycle}; ` +
            `remove include_profile from one of these profiles`,
        );
      }
      chain.push(current);
      const section = ctx.config.profiles.get(current);
      if (!section) break; // a profile with stored keys only, or no [default]
      for (const [key, value] of Object.entries(section)) {
        if (value !== "" && !settings.has(key)) settings.set(key, { value, from: current });
      }
      const include = nonEmpty(section.include_profile);
      if (include !== undefined && !ctx.config.profiles.has(include)) {
        throw new UserError(
          `profile "${current}": include_profile "${include}" has no ${sectionName(include)} ` +
            `in ${ctx.where}; fix include_profile in ${sectionName(current)}`,
        );
      }
      current = include;
    }
  }
  return settings;
}

/** Spec section 2: stored keys or source_profile, else SSO, web identity, credential_process. */
function chooseSource(
  ctx: Context,
  name: string,
  settings: Map<string, Setting>,
  sourcePath: string[],
): CredentialSource {
  const sourceProfile = settings.get("source_profile");
  if (ctx.opts.hasStoredKeys(name) || sourceProfile?.value === name) {
    return { kind: "stored-keys", name };
  }
  if (sourceProfile) {
    const next = sourceProfile.value;
    if (sourcePath.includes(next)) {
      const cycle = [...sourcePath.slice(sourcePath.indexOf(next)), next].join(" -> ");
      throw new UserError(
        `profile "${sourcePath[0]}": source_profile cycle ${cycle}; ` +
          `change source_profile in one of these profiles`,
      );
    }
    if (!exists(ctx, next)) {
      throw new UserError(
        `profile "${name}": ${keyName("source_profile", sourceProfile, name)} "${next}" ` +
          `has no ${sectionName(next)} in ${ctx.where} and no stored keys; ` +
          `fix source_profile or run "vault add ${next}"`,
      );
    }
    return { kind: "profile", profile: resolve(ctx, next, [...sourcePath, next]) };
  }
  const sso = ssoSettings(ctx, name, settings);
  if (sso) return { kind: "sso", sso };
  const tokenFile = settings.get("web_identity_token_file")?.value;
  const tokenProcess = settings.get("web_identity_token_process")?.value;
  if (tokenFile !== undefined || tokenProcess !== undefined) {
    return withoutUndefined({ kind: "web-identity", tokenFile, tokenProcess });
  }
  const command = settings.get("credential_process")?.value;
  if (command !== undefined) return { kind: "process", command };
  return { kind: "none" };
}

/** SSO settings from `sso_session` (an [sso-session] section) or the legacy inline keys. */
function ssoSettings(
  ctx: Context,
  name: string,
  settings: Map<string, Setting>,
): SsoSettings | undefined {
  const sessionName = settings.get("sso_session")?.value;
  if (sessionName === undefined && !settings.has("sso_start_url")) return undefined;

  const fromProfile = (key: string) => {
    const value = settings.get(key)?.value;
    if (value !== undefined) return value;
    throw new UserError(
      `profile "${name}": ${key} is missing for SSO; add ${key} to ${sectionName(name)}`,
    );
  };
  const accountId = fromProfile("sso_account_id");
  const roleName = fromProfile("sso_role_name");
  if (sessionName === undefined) {
    return {
      startUrl: fromProfile("sso_start_url"),
      region: fromProfile("sso_region"),
      accountId,
      roleName,
      registrationScopes: [],
    };
  }

  const session = ctx.config.ssoSessions.get(sessionName);
  if (!session) {
    throw new UserError(
      `profile "${name}": sso_session "${sessionName}" has no [sso-session ${sessionName}] ` +
        `in ${ctx.where}; add that section or fix sso_session`,
    );
  }
  const fromSession = (key: string) => {
    const value = Object.hasOwn(session, key) ? nonEmpty(session[key]) : undefined;
    if (value !== undefined) return value;
    throw new UserError(
      `profile "${name}": ${key} is missing from [sso-session ${sessionName}]; add it there`,
    );
  };
  const scopes = Object.hasOwn(session, "sso_registration_scopes")
    ? session.sso_registration_scopes
    : "";
  return {
    sessionName,
    startUrl: fromSession("sso_start_url"),
    region: fromSession("sso_region"),
    accountId,
    roleName,
    registrationScopes: splitList(scopes),
  };
}

/** Parses a duration setting, env var or flag into positive seconds, or a UserError naming it. */
function duration(profile: string, key: string, text: string): number {
  let seconds: number;
  try {
    seconds = parseDuration(text);
  } catch (e) {
    throw new UserError(`profile "${profile}": ${key} ${(e as Error).message}`);
  }
  return checkPositive(profile, key, text, seconds);
}

function checkPositive(profile: string, key: string, text: string, seconds: number): number {
  if (Number.isFinite(seconds) && seconds > 0) return seconds;
  throw new UserError(
    `profile "${profile}": ${key} "${text}" must be longer than 0s; use e.g. 1h or 3600`,
  );
}

/** `k=v,k2=v2` into a record; an entry without a key is an error. */
function parseTags(profile: string, key: string, text: string): Record<string, string> {
  const tags = splitList(text).map((entry) => {
    const eq = entry.indexOf("=");
    const tagKey = eq < 0 ? "" : entry.slice(0, eq).trim();
    if (tagKey === "") {
      throw new UserError(
        `profile "${profile}": ${key} entry "${entry}" is not key=value; ` +
          `write tags as key=value,key2=value2`,
      );
    }
    return [tagKey, entry.slice(eq + 1).trim()];
  });
  // fromEntries defines own properties, so any tag key (even `__proto__`) stays plain data.
  return Object.fromEntries(tags);
}

/** Comma-separated items, trimmed, empty items dropped. */
function splitList(text: string): string[] {
  return text.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** Drops keys whose value is undefined, so results compare equal to literals without them. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
