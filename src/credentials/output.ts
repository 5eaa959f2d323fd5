/**
 * What vault hands to programs: the environment of `exec`/`use` (spec §6) and
 * the `export` formats. Pure text; shell quoting comes from src/shell.
 */
import type { Credentials } from "./types.ts";

/** Variables vault removes from a child's (or the shell's) environment before setting its own. */
export const STALE_VARS = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_CREDENTIAL_FILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_PROFILE",
  "AWS_SDK_LOAD_CONFIG",
] as const;

/** RFC3339 in UTC with `Z` and no fraction, as Go's time.RFC3339 prints it. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The variables `exec` sets in its child, in aws-vault's order. */
export function credentialVars(
  profile: string,
  creds: Credentials,
  region?: string,
): [string, string][] {
  const vars: [string, string][] = [["AWS_VAULT", profile]];
  if (region) vars.push(["AWS_REGION", region], ["AWS_DEFAULT_REGION", region]);
  vars.push(["AWS_ACCESS_KEY_ID", creds.accessKeyId], [
    "AWS_SECRET_ACCESS_KEY",
    creds.secretAccessKey,
  ]);
  if (creds.sessionToken) vars.push(["AWS_SESSION_TOKEN", creds.sessionToken]);
  if (creds.expiration) vars.push(["AWS_CREDENTIAL_EXPIRATION", rfc3339(creds.expiration)]);
  return vars;
}

/** The credential_process JSON (`export --format json`, `exec -j`). */
export function formatJson(creds: Credentials): string {
  const out: Record<string, unknown> = {
    Version: 1,
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
  };
  if (creds.sessionToken) out.SessionToken = creds.sessionToken;
  if (creds.expiration) out.Expiration = rfc3339(creds.expiration);
  return JSON.stringify(out, null, 2) + "\n";
}

/** `KEY=value` lines (`env`), or with `export ` in front (`export-env`), unquoted as aws-vault prints them. */
export function formatEnv(
  creds: Credentials,
  region: string | undefined,
  withExport: boolean,
): string {
  return envPairs(creds, region).map(([k, v]) => `${withExport ? "export " : ""}${k}=${v}\n`).join(
    "",
  );
}

/** The env-format pairs: key id, secret, token, expiration, region, default region. */
export function envPairs(creds: Credentials, region: string | undefined): [string, string][] {
  const pairs: [string, string][] = [
    ["AWS_ACCESS_KEY_ID", creds.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", creds.secretAccessKey],
  ];
  if (creds.sessionToken) pairs.push(["AWS_SESSION_TOKEN", creds.sessionToken]);
  if (creds.expiration) pairs.push(["AWS_CREDENTIAL_EXPIRATION", rfc3339(creds.expiration)]);
  if (region) pairs.push(["AWS_REGION", region], ["AWS_DEFAULT_REGION", region]);
  return pairs;
}

/** The shared-credentials-file form (`ini`). */
export function formatIni(profile: string, creds: Credentials, region: string | undefined): string {
  const lines = [
    `[${profile}]`,
    `aws_access_key_id=${creds.accessKeyId}`,
    `aws_secret_access_key=${creds.secretAccessKey}`,
  ];
  if (creds.sessionToken) lines.push(`aws_session_token=${creds.sessionToken}`);
  if (creds.expiration) lines.push(`aws_credential_expiration=${rfc3339(creds.expiration)}`);
  if (region) lines.push(`region=${region}`);
  return lines.join("\n") + "\n";
}
