/** `credential_process` as a credential source: the AWS CLI's JSON contract. */
import { UserError } from "../errors.ts";
import { runShell } from "./run.ts";
import type { Credentials } from "./types.ts";

/**
 * Parses credential_process output. Version 1, AccessKeyId and SecretAccessKey
 * are required; SessionToken and Expiration go together for temporary credentials.
 */
export function parseProcessOutput(profile: string, text: string): Credentials {
  const what = `credential_process of profile ${profile}`;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(
      `${what} did not print JSON: it must print {"Version":1,"AccessKeyId":...}`,
    );
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new UserError(
      `${what} printed JSON that is not an object: it must print {"Version":1,...}`,
    );
  }
  if (json.Version !== 1) {
    throw new UserError(
      `${what} printed Version ${JSON.stringify(json.Version)}: only Version 1 is supported`,
    );
  }
  const missing = ["AccessKeyId", "SecretAccessKey"].filter((k) =>
    typeof json[k] !== "string" || !json[k]
  );
  if (missing.length) {
    throw new UserError(`${what} printed no ${missing.join(" or ")}: fix the command's output`);
  }
  const creds: Credentials = {
    accessKeyId: json.AccessKeyId as string,
    secretAccessKey: json.SecretAccessKey as string,
  };
  if (json.SessionToken !== undefined) {
    if (typeof json.SessionToken !== "string") {
      throw new UserError(
        `${what} printed a SessionToken that is not a string: fix the command's output`,
      );
    }
    creds.sessionToken = json.SessionToken;
  }
  if (json.Expiration !== undefined) {
    const expiration = new Date(json.Expiration as string);
    if (typeof json.Expiration !== "string" || isNaN(expiration.getTime())) {
      throw new UserError(
        `${what} printed an Expiration that is not an RFC3339 time: fix the command's output`,
      );
    }
    creds.expiration = expiration;
  }
  return creds;
}

/** Runs the profile's credential_process and parses what it prints. */
export async function processCredentials(profile: string, command: string): Promise<Credentials> {
  return parseProcessOutput(
    profile,
    await runShell(`credential_process of profile ${profile}`, command),
  );
}
