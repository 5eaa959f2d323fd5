/**
 * The STS calls vault makes, through the AWS SDK. Import this module lazily:
 * it pulls in the SDK, which a cached session must not pay for.
 */
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  type Credentials as StsCredentials,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { UserError } from "../errors.ts";
import { describeAwsError, isMfaRejection, MfaRejected } from "./aws_errors.ts";
import type { Credentials } from "./types.ts";

/** Where and how to reach STS. */
export interface StsTarget {
  region?: string;
  /** A profile's `endpoint_url`; AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL are read by the SDK itself. */
  endpointUrl?: string;
  /** `sts_regional_endpoints`: `legacy` asks for the global endpoint, anything else the regional one. */
  stsRegionalEndpoints?: string;
  /** What the call is for, named in errors: e.g. `AssumeRole arn:aws:iam::1:role/x for profile work`. */
  purpose: string;
}

function client(creds: Credentials | undefined, target: StsTarget): STSClient {
  return new STSClient({
    region: target.region ?? "us-east-1",
    endpoint: target.endpointUrl,
    useGlobalEndpoint: target.stsRegionalEndpoints === "legacy",
    maxAttempts: 3,
    // Explicit credentials: the SDK must never pick up keys from the environment or files.
    credentials: creds
      ? {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        sessionToken: creds.sessionToken,
      }
      : () => Promise.reject(new Error("this call is unsigned")),
    // Without credentials, never sign: the endpoint rules would otherwise demand SigV4 for
    // some endpoints (the global one), and unsigned calls must not depend on that.
    ...(creds ? {} : { httpAuthSchemeProvider: () => [{ schemeId: "smithy.api#noAuth" }] }),
  });
}

function fromSts(c: StsCredentials | undefined, purpose: string): Credentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new UserError(`STS answered ${purpose} without credentials: try again`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: new Date(c.Expiration),
  };
}

async function send<T>(target: StsTarget, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const message = describeAwsError(e, "STS", target.purpose);
    throw isMfaRejection(e) ? new MfaRejected(message) : new UserError(message);
  }
}

/** GetSessionToken, with MFA when `mfa` is given. */
export function getSessionToken(
  creds: Credentials,
  target: StsTarget,
  input: { durationSeconds: number; mfa?: { serial: string; code: string } },
): Promise<Credentials> {
  return send(target, async () => {
    const out = await client(creds, target).send(
      new GetSessionTokenCommand({
        DurationSeconds: input.durationSeconds,
        SerialNumber: input.mfa?.serial,
        TokenCode: input.mfa?.code,
      }),
    );
    return fromSts(out.Credentials, target.purpose);
  });
}

/** What AssumeRole needs beyond the caller's credentials. */
export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  externalId?: string;
  mfa?: { serial: string; code: string };
  tags: Record<string, string>;
  transitiveTagKeys: string[];
  sourceIdentity?: string;
}

/** AssumeRole. */
export function assumeRole(
  creds: Credentials,
  target: StsTarget,
  input: AssumeRoleInput,
): Promise<Credentials> {
  return send(target, async () => {
    const tags = Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value }));
    const out = await client(creds, target).send(
      new AssumeRoleCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        DurationSeconds: input.durationSeconds,
        ExternalId: input.externalId,
        SerialNumber: input.mfa?.serial,
        TokenCode: input.mfa?.code,
        Tags: tags.length ? tags : undefined,
        TransitiveTagKeys: input.transitiveTagKeys.length ? input.transitiveTagKeys : undefined,
        SourceIdentity: input.sourceIdentity,
      }),
    );
    return fromSts(out.Credentials, target.purpose);
  });
}

/** AssumeRoleWithWebIdentity (an unsigned call). */
export function assumeRoleWithWebIdentity(
  target: StsTarget,
  input: { roleArn: string; sessionName: string; token: string; durationSeconds: number },
): Promise<Credentials> {
  return send(target, async () => {
    const out = await client(undefined, target).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        WebIdentityToken: input.token,
        DurationSeconds: input.durationSeconds,
      }),
    );
    return fromSts(out.Credentials, target.purpose);
  });
}

/** GetFederationToken with an allow-all policy (console login for IAM users). */
export function getFederationToken(
  creds: Credentials,
  target: StsTarget,
  input: { name: string; durationSeconds: number },
): Promise<Credentials> {
  return send(target, async () => {
    const out = await client(creds, target).send(
      new GetFederationTokenCommand({
        Name: input.name,
        DurationSeconds: input.durationSeconds,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      }),
    );
    return fromSts(out.Credentials, target.purpose);
  });
}

/** GetCallerIdentity: the ARN the credentials belong to. */
export function getCallerIdentity(creds: Credentials, target: StsTarget): Promise<string> {
  return send(target, async () => {
    const out = await client(creds, target).send(new GetCallerIdentityCommand({}));
    if (!out.Arn) throw new UserError(`STS answered ${target.purpose} without an ARN: try again`);
    return out.Arn;
  });
}
