/** Settings of one `[sso-session NAME]` section, or the legacy inline `sso_*` keys of a profile. */
export interface SsoSettings {
  /** The `[sso-session]` name, absent for legacy inline settings. */
  sessionName?: string;
  startUrl: string;
  region: string;
  accountId: string;
  roleName: string;
  /** `sso_registration_scopes`, split on commas; empty when unset. */
  registrationScopes: string[];
}

/**
 * Where a profile's base credentials come from (spec section 2), before any
 * role is assumed on top of them.
 */
export type CredentialSource =
  /** Long-term keys stored in the vault under `name`. */
  | { kind: "stored-keys"; name: string }
  /** Another profile, resolved fully, whose credentials are the source. */
  | { kind: "profile"; profile: ProfileConfig }
  | { kind: "sso"; sso: SsoSettings }
  | { kind: "web-identity"; tokenFile?: string; tokenProcess?: string }
  | { kind: "process"; command: string }
  /** Nothing to get credentials from: an error when credentials are needed. */
  | { kind: "none" };

/**
 * A profile resolved with every precedence rule applied
 * (flag > env > section > include_profile chain > [default] > built-in default).
 * Durations are in seconds.
 */
export interface ProfileConfig {
  name: string;
  source: CredentialSource;
  region?: string;
  mfaSerial?: string;
  mfaProcess?: string;
  roleArn?: string;
  externalId?: string;
  roleSessionName?: string;
  sourceIdentity?: string;
  sessionTags: Record<string, string>;
  transitiveSessionTags: string[];
  stsRegionalEndpoints?: string;
  endpointUrl?: string;
  /** AssumeRole duration: flag, AWS_ASSUME_ROLE_TTL, duration_seconds, else 1h. */
  assumeRoleDuration: number;
  /** True when assumeRoleDuration came from a flag, env or duration_seconds rather than the default. */
  assumeRoleDurationSet: boolean;
  /** GetSessionToken duration when it is the final credential: flag, AWS_SESSION_TOKEN_TTL, AWS_SESSION_TTL, else 1h. */
  sessionDuration: number;
  /** GetSessionToken duration when it primes a chain: flag, AWS_CHAINED_SESSION_TOKEN_TTL, AWS_SESSION_TTL, else 8h. */
  chainedSessionDuration: number;
  /** GetFederationToken duration: flag, AWS_FEDERATION_TOKEN_TTL, else 1h. */
  federationDuration: number;
}

/** Command-line settings that beat every other source. */
export interface ProfileFlags {
  region?: string;
  /** `--duration`, in seconds: applies to whichever STS call makes the final credentials. */
  duration?: number;
  mfaSerial?: string;
}
