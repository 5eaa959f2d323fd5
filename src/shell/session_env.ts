/**
 * The environment changes `vault use` and `vault unuse` make in the user's
 * shell: pure data, rendered for a shell by script.ts.
 */
import type { Env } from "../env.ts";
import { credentialVars, rfc3339, STALE_VARS } from "../credentials/output.ts";
import type { Credentials } from "../credentials/types.ts";
import type { EnvChanges } from "./script.ts";

/** Variables only vault's shell integration sets (read by the prompt and auto refresh). */
export const VAULT_SHELL_VARS = [
  "AWS_VAULT",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_SESSION_EXPIRATION",
  "VAULT_EXPIRES_AT",
  "VAULT_REFRESH_AT",
  "VAULT_REGION",
];

/**
 * The region variables are vault's to remove only when they still hold the
 * region vault set (VAULT_REGION); a region the user exported stays.
 */
function regionVarsSetByVault(env: Env): string[] {
  const ours = env.VAULT_REGION;
  if (!ours) return [];
  return ["AWS_REGION", "AWS_DEFAULT_REGION"].filter((k) => env[k] === ours);
}

/**
 * The environment without what a previous `vault use` put there, so that a new
 * profile resolves from the user's own settings, not the last profile's region.
 */
export function withoutVaultRegion(env: Env): Env {
  const clean = { ...env };
  for (const k of regionVarsSetByVault(env)) delete clean[k];
  return clean;
}

/** What `use` changes: stale keys and vault's earlier variables out, the new session in. */
export function useChanges(
  env: Env,
  profile: string,
  creds: Credentials,
  region: string | undefined,
  minTtlSeconds: number,
): EnvChanges {
  const set = credentialVars(profile, creds, region);
  if (creds.expiration) {
    const expires = Math.floor(creds.expiration.getTime() / 1000);
    set.push(
      ["AWS_SESSION_EXPIRATION", rfc3339(creds.expiration)],
      ["VAULT_EXPIRES_AT", String(expires)],
      ["VAULT_REFRESH_AT", String(expires - minTtlSeconds)],
    );
  }
  if (region) set.push(["VAULT_REGION", region]);
  const setNames = new Set(set.map(([k]) => k));
  const unset = [...STALE_VARS, ...VAULT_SHELL_VARS, ...regionVarsSetByVault(env)]
    .filter((k) => !setNames.has(k));
  return { set, unset };
}

/** What `unuse` removes: everything `use` set. */
export function unuseChanges(env: Env): EnvChanges {
  return {
    set: [],
    unset: [
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_SECURITY_TOKEN",
      ...regionVarsSetByVault(env),
      ...VAULT_SHELL_VARS,
    ],
  };
}
