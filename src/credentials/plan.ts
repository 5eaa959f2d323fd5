/**
 * Turns a resolved profile into the list of credential steps to run, bottom up
 * (spec §2): pure data, so the role-chaining and MFA rules are testable without STS.
 */
import type { ProfileConfig, SsoSettings } from "../config/types.ts";
import { UserError } from "../errors.ts";

/** AWS refuses AssumeRole over one hour when the caller holds role credentials. */
export const ROLE_CHAINING_LIMIT = 3600;
/** AWS's limits on requested durations, in seconds. */
const MIN_DURATION = 900;
const MAX_SESSION_TOKEN = 36 * 3600;
const MAX_ASSUME_ROLE = 12 * 3600;

function human(seconds: number): string {
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60);
  return h && m ? `${h}h${m}m` : h ? `${h}h` : m ? `${m}m` : `${seconds}s`;
}

/** `seconds`, or a UserError before anything is asked when AWS would refuse it. */
function checkDuration(call: string, profile: ProfileConfig, seconds: number, max: number): number {
  if (seconds < MIN_DURATION || seconds > max) {
    throw new UserError(
      `profile ${profile.name}: a ${call} duration of ${
        human(seconds)
      } is outside what AWS allows ` +
        `(${human(MIN_DURATION)} to ${
          human(max)
        }): ask for less with --duration or the *_TTL variables`,
      2,
    );
  }
  return seconds;
}

/** A step that produces credentials from nothing (the bottom of a chain). */
export type BaseStep =
  | { kind: "stored-keys"; name: string }
  | {
    kind: "session-token";
    /** Profile whose stored keys sign the call (names the cache entry). */
    profile: string;
    mfaSerial?: string;
    /** Profile whose mfa_process gives the code. */
    mfaProfile: ProfileConfig;
    duration: number;
    /**
     * True when the session only primes a chain: any live session then serves, since
     * the roles above it last an hour at most; false when it is the final credential.
     */
    primesChain: boolean;
    region?: string;
    endpointUrl?: string;
    stsRegionalEndpoints?: string;
  }
  | { kind: "sso"; profile: string; sso: SsoSettings; region?: string }
  | {
    kind: "web-identity";
    profile: ProfileConfig;
    tokenFile?: string;
    tokenProcess?: string;
  }
  | { kind: "process"; profile: string; command: string };

/** AssumeRole on top of the previous step's credentials. */
export interface RoleStep {
  kind: "assume-role";
  profile: ProfileConfig;
  /** Serial sent with the call; absent when no MFA is needed or the chain already used it. */
  mfaSerial?: string;
  duration: number;
  /** Set when the duration was lowered to the chaining limit. */
  cappedFrom?: number;
  /** AssumeRole results are cached only when MFA was used for them (spec §5). */
  cache: boolean;
}

/** The steps for one profile: a base, then roles in order. */
export interface Plan {
  base: BaseStep;
  roles: RoleStep[];
}

/** Options that change the plan. */
export interface PlanOptions {
  /** `--no-session`: never prime with GetSessionToken. */
  noSession?: boolean;
}

/**
 * Builds the plan for `target`. The rules, from aws-vault 7.11:
 * - long-term keys alone give GetSessionToken (with MFA when set) unless `noSession`;
 * - a chain primes with GetSessionToken only when the role above the keys uses MFA
 *   (then the role's serial is used, so one code serves every role on that device);
 * - exactly one role over keys asking for more than 1h is assumed directly with MFA;
 * - every AssumeRole made with temporary credentials is capped at 1h;
 * - once a step used an MFA serial, the roles above it do not send that serial again.
 */
export function planCredentials(target: ProfileConfig, opts: PlanOptions = {}): Plan {
  const chain: ProfileConfig[] = [];
  let bottom = target;
  for (;;) {
    chain.unshift(bottom);
    if (bottom.source.kind !== "profile") break;
    bottom = bottom.source.profile;
  }
  // The bottom profile's own role_arn (if any) is assumed from its base, like any other.
  const roleProfiles = chain.filter((p) => p.roleArn !== undefined);
  const source = bottom.source;
  const firstRole = roleProfiles[0];
  let base: BaseStep;
  let chainedMfa: string | undefined;
  switch (source.kind) {
    case "stored-keys": {
      const keysOnly = roleProfiles.length === 0;
      const primeSerial = keysOnly ? bottom.mfaSerial : firstRole.mfaSerial;
      const sourceSerialClashes = !keysOnly && bottom !== firstRole &&
        bottom.mfaSerial !== undefined &&
        bottom.mfaSerial !== firstRole.mfaSerial;
      const longSingleRole = roleProfiles.length === 1 &&
        firstRole.assumeRoleDuration > ROLE_CHAINING_LIMIT;
      const prime = !opts.noSession &&
        (keysOnly || (primeSerial !== undefined && !sourceSerialClashes && !longSingleRole));
      if (prime) {
        base = {
          kind: "session-token",
          profile: source.name,
          mfaSerial: primeSerial,
          mfaProfile: keysOnly ? target : firstRole,
          duration: checkDuration(
            "GetSessionToken",
            keysOnly ? target : bottom,
            keysOnly ? target.sessionDuration : bottom.chainedSessionDuration,
            MAX_SESSION_TOKEN,
          ),
          primesChain: !keysOnly,
          region: bottom.region ?? target.region,
          endpointUrl: bottom.endpointUrl,
          stsRegionalEndpoints: bottom.stsRegionalEndpoints,
        };
        chainedMfa = primeSerial;
      } else {
        base = { kind: "stored-keys", name: source.name };
      }
      break;
    }
    case "sso":
      base = { kind: "sso", profile: bottom.name, sso: source.sso, region: bottom.region };
      break;
    case "web-identity":
      base = {
        kind: "web-identity",
        profile: bottom,
        tokenFile: source.tokenFile,
        tokenProcess: source.tokenProcess,
      };
      break;
    case "process":
      base = { kind: "process", profile: bottom.name, command: source.command };
      break;
    case "none":
      throw new UserError(
        `credentials missing for profile ${bottom.name}: add keys with 'vault add ${bottom.name}' ` +
          `or give it source_profile, sso_session, web_identity_token_file or credential_process`,
      );
  }
  // Web identity already assumes the bottom profile's role; do not assume it twice.
  const toAssume = base.kind === "web-identity"
    ? roleProfiles.filter((p) => p !== bottom)
    : roleProfiles;
  const temporaryBase = base.kind !== "stored-keys";
  const roles = toAssume.map((profile, i): RoleStep => {
    const mfaSerial = profile.mfaSerial !== undefined && profile.mfaSerial !== chainedMfa
      ? profile.mfaSerial
      : undefined;
    // Credentials made with MFA carry it: roles assumed from them need no second code
    // (AWS refuses a code used twice, so asking again could not work anyway).
    if (mfaSerial) chainedMfa = mfaSerial;
    checkDuration("AssumeRole", profile, profile.assumeRoleDuration, MAX_ASSUME_ROLE);
    const chained = temporaryBase || i > 0;
    const capped = chained && profile.assumeRoleDuration > ROLE_CHAINING_LIMIT;
    return {
      kind: "assume-role",
      profile,
      mfaSerial,
      duration: capped ? ROLE_CHAINING_LIMIT : profile.assumeRoleDuration,
      cappedFrom: capped ? profile.assumeRoleDuration : undefined,
      cache: mfaSerial !== undefined,
    };
  });
  return { base, roles };
}
