/**
 * The IAM calls `vault rotate` makes, through the AWS SDK. Import this module
 * lazily: it pulls in the SDK.
 */
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  IAMClient,
} from "@aws-sdk/client-iam";
import { UserError } from "../errors.ts";
import { describeAwsError } from "./aws_errors.ts";
import type { Credentials } from "./types.ts";

/** Where and how to reach IAM. */
export interface IamTarget {
  /** A region of the partition (IAM is global per partition); AWS_ENDPOINT_URL_IAM is read by the SDK. */
  region?: string;
  /** What the call is for, named in errors. */
  purpose: string;
}

/** A failed IAM call: a one-line message, plus the AWS error name for callers that retry. */
export class IamError extends UserError {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/** IAM's one endpoint per partition lives in that partition's first region. */
function iamRegion(region: string | undefined): string {
  if (region?.startsWith("cn-")) return "cn-north-1";
  if (region?.startsWith("us-gov-")) return "us-gov-west-1";
  return "us-east-1";
}

async function send<T>(
  creds: Credentials,
  target: IamTarget,
  call: (client: IAMClient) => Promise<T>,
): Promise<T> {
  const client = new IAMClient({
    region: iamRegion(target.region),
    maxAttempts: 3,
    // Explicit credentials: the SDK must never pick up keys from the environment or files.
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    },
  });
  try {
    return await call(client);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new IamError(describeAwsError(e, "IAM", target.purpose), (e as Error)?.name ?? "Error");
  }
}

/** The name of the IAM user the credentials belong to (GetUser). */
export function currentUserName(creds: Credentials, target: IamTarget): Promise<string> {
  return send(creds, target, async (client) => {
    const out = await client.send(new GetUserCommand({}));
    const name = out.User?.UserName;
    if (!name) throw new UserError(`IAM answered ${target.purpose} without a user name: try again`);
    return name;
  });
}

/** CreateAccessKey for `userName`: the new key pair. */
export function createAccessKey(
  creds: Credentials,
  target: IamTarget,
  userName: string,
): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  return send(creds, target, async (client) => {
    const out = await client.send(new CreateAccessKeyCommand({ UserName: userName }));
    const key = out.AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) {
      throw new UserError(`IAM answered ${target.purpose} without a key: check the IAM console`);
    }
    return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  });
}

/** DeleteAccessKey `accessKeyId` of `userName`. */
export function deleteAccessKey(
  creds: Credentials,
  target: IamTarget,
  userName: string,
  accessKeyId: string,
): Promise<void> {
  return send(creds, target, async (client) => {
    await client.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
  });
}
