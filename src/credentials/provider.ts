/**
 * Runs a credential plan: stored keys from the vault, cached sessions while
 * they last, STS calls (SDK loaded only here, only when needed) otherwise.
 */
import type { ProfileConfig } from "../config/types.ts";
import type { Env } from "../env.ts";
import { UserError } from "../errors.ts";
import { decodeStoredKeys } from "../vault/items.ts";
import type { Keyring } from "../vault/keyring.ts";
import type { SessionCache, SessionId, SessionInputs } from "./cache.ts";
import { MfaRejected } from "./aws_errors.ts";
import { withLock } from "./lock.ts";
import type { MfaCodes } from "./mfa.ts";
import { type BaseStep, planCredentials, type RoleStep } from "./plan.ts";
import type { Credentials } from "./types.ts";

/** Everything a credential lookup needs besides the profile. */
export interface ProviderContext {
  env: Env;
  keyring: Keyring;
  cache: SessionCache;
  mfa: MfaCodes;
  /** Where refresh locks live (see lock.ts). */
  lockDir: string;
  /** `--no-session`. */
  noSession?: boolean;
  /** Never ask for anything (auto refresh): what needs input fails with NEEDS_INPUT_EXIT. */
  noInput?: boolean;
  /** `--stdout`: print SSO sign-in links on the terminal instead of opening a browser. */
  printUrls?: boolean;
  /** Progress notes for `--debug`; never given secrets. */
  note: (message: string) => void;
  /** Things the user should know even without `--debug`. */
  warn: (message: string) => void;
}

/** Long-term keys stored for `name`, or a UserError saying how to add them. */
export async function storedKeys(keyring: Keyring, name: string): Promise<Credentials> {
  const item = await keyring.get(name);
  if (!item) {
    throw new UserError(
      `no credentials stored for profile ${name}: add them with 'vault add ${name}'`,
    );
  }
  return decodeStoredKeys(item);
}

/** A readable role session name, within AWS's 64 characters of `[\w+=,.@-]`. */
export function defaultSessionName(env: Env, now = new Date()): string {
  const user = (env.USER ?? env.LOGNAME ?? "user").replace(/[^\w+=,.@-]/g, "-");
  return `vault-${user}-${Math.floor(now.getTime() / 1000)}`.slice(0, 64);
}

/**
 * Returns cached credentials for `id` that serve `want`, else makes new ones
 * from `made` under a lock (re-checking the cache once the lock is held, so
 * concurrent refreshes make one call) and caches them.
 */
export async function cachedSession(
  ctx: ProviderContext,
  id: SessionId,
  want: SessionInputs,
  make: () => Promise<Credentials>,
  made: SessionInputs = want,
): Promise<Credentials> {
  const hit = await ctx.cache.get(id, want);
  if (hit) {
    ctx.note(`using cached ${id.type} session for ${id.profile}`);
    return hit;
  }
  return await withLock(ctx.lockDir, `${id.type},${id.profile},${id.mfaSerial}`, async () => {
    const raced = await ctx.cache.get(id, want);
    if (raced) return raced;
    const creds = await make();
    await ctx.cache.put(id, creds, made);
    return creds;
  });
}

type Mfa = { serial: string; code: string } | undefined;

/**
 * Runs `call` with the MFA code for `serial` (none without a serial). When AWS
 * refuses a code that a prompt gave, the prompt is asked for the next one.
 */
async function withMfa<T>(
  ctx: ProviderContext,
  serial: string | undefined,
  profile: ProfileConfig,
  call: (mfa: Mfa) => Promise<T>,
): Promise<T> {
  for (;;) {
    const mfa = serial ? { serial, code: await ctx.mfa.code(serial, profile) } : undefined;
    try {
      return await call(mfa);
    } catch (error) {
      if (!(error instanceof MfaRejected) || !serial || !ctx.mfa.forget(serial)) throw error;
      ctx.warn("AWS refused that MFA code: enter the next one");
    }
  }
}

async function baseCredentials(ctx: ProviderContext, step: BaseStep): Promise<Credentials> {
  switch (step.kind) {
    case "stored-keys":
      return await storedKeys(ctx.keyring, step.name);
    case "session-token": {
      const id: SessionId = {
        type: "sts.GetSessionToken",
        profile: step.profile,
        mfaSerial: step.mfaSerial ?? "",
      };
      const made = { inputs: "", duration: step.duration };
      const want = { ...made, duration: step.primesChain ? 0 : step.duration };
      return await cachedSession(ctx, id, want, async () => {
        const keys = await storedKeys(ctx.keyring, step.profile);
        return await withMfa(ctx, step.mfaSerial, step.mfaProfile, async (mfa) => {
          ctx.note(
            `GetSessionToken for ${step.profile}${mfa ? " with MFA" : ""}, ${step.duration}s`,
          );
          const sts = await import("./sts.ts");
          return await sts.getSessionToken(keys, {
            region: step.region,
            endpointUrl: step.endpointUrl,
            stsRegionalEndpoints: step.stsRegionalEndpoints,
            purpose: `GetSessionToken for profile ${step.profile}`,
          }, { durationSeconds: step.duration, mfa });
        });
      }, made);
    }
    case "process": {
      const { processCredentials } = await import("./process.ts");
      // Long-term output cannot be cached (no expiry): only probe the cache for expiring ones.
      const id: SessionId = { type: "credential_process", profile: step.profile, mfaSerial: "" };
      const made = { inputs: step.command, duration: 0 };
      const hit = await ctx.cache.get(id, made);
      if (hit) return hit;
      const creds = await processCredentials(step.profile, step.command);
      if (creds.expiration) await ctx.cache.put(id, creds, made);
      return creds;
    }
    case "sso": {
      const { ssoCredentials } = await import("./sso.ts");
      return await ssoCredentials(ctx, step);
    }
    case "web-identity": {
      const { webIdentityCredentials } = await import("./web_identity.ts");
      return await webIdentityCredentials(ctx, step);
    }
  }
}

function roleInputs(role: RoleStep): SessionInputs {
  const p = role.profile;
  return {
    inputs: JSON.stringify([p.roleArn, p.externalId ?? "", p.sessionTags, p.transitiveSessionTags]),
    duration: role.duration,
  };
}

async function assume(
  ctx: ProviderContext,
  source: Credentials,
  role: RoleStep,
): Promise<Credentials> {
  const p = role.profile;
  if (role.cappedFrom !== undefined) {
    ctx.warn(
      `${p.name} is assumed with temporary credentials (role chaining), which AWS limits to 1h; ` +
        `using 1h instead of ${role.cappedFrom / 3600}h`,
    );
  }
  const call = () =>
    withMfa(ctx, role.mfaSerial, p, async (mfa) => {
      ctx.note(`AssumeRole ${p.roleArn} for ${p.name}${mfa ? " with MFA" : ""}, ${role.duration}s`);
      const sts = await import("./sts.ts");
      return await sts.assumeRole(source, {
        region: p.region,
        endpointUrl: p.endpointUrl,
        stsRegionalEndpoints: p.stsRegionalEndpoints,
        purpose: `AssumeRole ${p.roleArn} for profile ${p.name}`,
      }, {
        roleArn: p.roleArn!,
        sessionName: p.roleSessionName ?? defaultSessionName(ctx.env),
        durationSeconds: role.duration,
        externalId: p.externalId,
        mfa,
        tags: p.sessionTags,
        transitiveTagKeys: p.transitiveSessionTags,
        sourceIdentity: p.sourceIdentity,
      });
    });
  if (!role.cache) return await call();
  const id: SessionId = {
    type: "sts.AssumeRole",
    profile: p.name,
    mfaSerial: role.mfaSerial ?? "",
  };
  return await cachedSession(ctx, id, roleInputs(role), call);
}

/** The credentials for `profile`, following spec §2 and §5. */
export async function credentialsFor(
  ctx: ProviderContext,
  profile: ProfileConfig,
): Promise<Credentials> {
  const plan = planCredentials(profile, { noSession: ctx.noSession });
  // The top role's cached session makes the whole chain below it unnecessary.
  const top = plan.roles.at(-1);
  if (top?.cache) {
    const id: SessionId = {
      type: "sts.AssumeRole",
      profile: top.profile.name,
      mfaSerial: top.mfaSerial ?? "",
    };
    const hit = await ctx.cache.get(id, roleInputs(top));
    if (hit) {
      ctx.note(`using cached sts.AssumeRole session for ${top.profile.name}`);
      return hit;
    }
  }
  let creds = await baseCredentials(ctx, plan.base);
  for (const role of plan.roles) creds = await assume(ctx, creds, role);
  return creds;
}
