/**
 * `vault rotate NAME [-n]`: replace the access key stored for a profile (or the
 * profile its chain takes keys from) with a new one, then delete the old key.
 * Until the new key is stored nothing changes; once it is, a failure to delete
 * the old key is reported with exactly what is left to do.
 */
import type { ProfileConfig } from "../config/types.ts";
import { SessionCache } from "../credentials/cache.ts";
import type { IamTarget } from "../credentials/iam.ts";
import { MfaCodes } from "../credentials/mfa.ts";
import { storedKeys } from "../credentials/provider.ts";
import type { Credentials } from "../credentials/types.ts";
import { UserError } from "../errors.ts";
import { encodeStoredKeys } from "../vault/items.ts";
import { type CommandSpec, type Context, oneProfile, parseCommand } from "./_args.ts";
import { keyringFor, minTtl, resolveNamed } from "./_credentials.ts";

export const spec = {
  name: "rotate",
  summary: "Replace a profile's stored access key with a new one and delete the old key.",
  usage: "rotate [flags] <profile>",
  options: {
    "no-session": { type: "boolean", short: "n" },
    "mfa-token": { type: "string", short: "t" },
  },
  optionHelp: {
    "no-session": "Call IAM with the stored keys directly, without an MFA session",
    "mfa-token": "The MFA code to use, instead of asking",
  },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

/** How long IAM may take to accept a new key, and how often to try meanwhile. */
const PROPAGATION_LIMIT_MS = 30_000;
const PROPAGATION_RETRY_MS = 1_000;

/** The profiles from `profile` down to the one whose keys are stored, or a UserError. */
export function keyChain(profile: ProfileConfig): { chain: ProfileConfig[]; keysName: string } {
  const chain = [profile];
  let bottom = profile;
  while (bottom.source.kind === "profile") {
    bottom = bottom.source.profile;
    chain.push(bottom);
  }
  if (bottom.source.kind !== "stored-keys") {
    const from = {
      sso: "SSO",
      "web-identity": "a web identity token",
      process: "credential_process",
    };
    const what = bottom.source.kind === "none"
      ? "no credentials"
      : `credentials from ${from[bottom.source.kind]}`;
    throw new UserError(
      `rotate: profile ${bottom.name} has ${what}, not stored keys, so there is no access key to rotate`,
    );
  }
  return { chain, keysName: bottom.source.name };
}

/** Deletes `oldKeyId` with the new key, retrying while IAM does not know the new key yet. */
async function deleteOldKey(
  iam: typeof import("../credentials/iam.ts"),
  newKeys: Credentials,
  target: IamTarget,
  userName: string,
  oldKeyId: string,
): Promise<void> {
  const deadline = Date.now() + PROPAGATION_LIMIT_MS;
  for (;;) {
    try {
      return await iam.deleteAccessKey(newKeys, target, userName, oldKeyId);
    } catch (e) {
      const propagating = e instanceof iam.IamError && e.code === "InvalidClientTokenId";
      if (!propagating || Date.now() + PROPAGATION_RETRY_MS > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, PROPAGATION_RETRY_MS));
    }
  }
}

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  const name = oneProfile("rotate", parsed.positionals);
  const keyring = keyringFor(ctx);
  const profile = await resolveNamed(ctx, keyring, name);
  const { chain, keysName } = keyChain(profile);
  const keysProfile = chain.at(-1)!;
  const oldKeys = await storedKeys(keyring, keysName);
  const region = keysProfile.region ?? profile.region;
  const purpose = (call: string): IamTarget => ({
    region,
    purpose: `${call} for profile ${keysName}`,
  });

  // IAM is called as the user who owns the keys (not as a role on top of them),
  // in an MFA session when the chain uses MFA, as IAM policies often demand.
  let caller: Credentials = oldKeys;
  const mfaProfile = parsed.values["no-session"]
    ? undefined
    : [...chain].reverse().find((p) => p.mfaSerial !== undefined);
  if (mfaProfile) {
    const serial = mfaProfile.mfaSerial!;
    const mfa = new MfaCodes({
      token: parsed.values["mfa-token"],
      driver: ctx.prompt ?? ctx.env.AWS_VAULT_PROMPT,
    });
    const code = await mfa.code(serial, mfaProfile);
    const sts = await import("../credentials/sts.ts");
    caller = await sts.getSessionToken(oldKeys, {
      region: keysProfile.region,
      endpointUrl: keysProfile.endpointUrl,
      purpose: `GetSessionToken with MFA for profile ${keysName}`,
    }, { durationSeconds: 900, mfa: { serial, code } });
  }

  const iam = await import("../credentials/iam.ts");
  const userName = await iam.currentUserName(caller, purpose("GetUser"));
  console.error(
    `vault: rotating the access key of IAM user ${userName} stored for profile ${keysName}`,
  );
  let created: Credentials;
  try {
    created = await iam.createAccessKey(caller, purpose("CreateAccessKey"), userName);
  } catch (e) {
    if (e instanceof iam.IamError && e.code === "LimitExceededException") {
      throw new UserError(
        `rotate: IAM user ${userName} already has two access keys, IAM's limit: delete the one ` +
          `that is not ${oldKeys.accessKeyId} (in the IAM console), then run 'vault rotate ${name}' again`,
      );
    }
    throw e;
  }
  try {
    await keyring.set(encodeStoredKeys(keysName, created));
  } catch (e) {
    const why = (e as Error).message;
    try {
      await iam.deleteAccessKey(caller, purpose("DeleteAccessKey"), userName, created.accessKeyId);
    } catch {
      throw new UserError(
        `rotate: cannot store the new key in the vault (${why}); the old key is still stored and ` +
          `active, but the new key ${created.accessKeyId} could not be deleted again: delete it ` +
          `in the IAM console (user ${userName})`,
      );
    }
    throw new UserError(
      `rotate: cannot store the new key in the vault (${why}): nothing changed (the new key was deleted again)`,
    );
  }
  console.error(`vault: stored the new access key ${created.accessKeyId} for profile ${keysName}`);

  try {
    // Sessions made from the old key would outlive it: drop them for the whole chain.
    const cache = new SessionCache(keyring, minTtl(ctx));
    for (const p of chain) await cache.clear(p.name);
    await deleteOldKey(iam, created, purpose("DeleteAccessKey"), userName, oldKeys.accessKeyId);
  } catch (e) {
    const works = await iam.currentUserName(created, purpose("GetUser")).then(
      () => true,
      () => false,
    );
    throw new UserError(
      `rotate: the new access key ${created.accessKeyId} is stored for profile ${keysName} and ` +
        (works
          ? "works"
          : "IAM does not accept it yet (it may still be propagating: try it in a minute)") +
        `, but the old key ${oldKeys.accessKeyId} is still active (${(e as Error).message}): ` +
        `delete it with 'vault exec ${keysName} -n -- aws iam delete-access-key --user-name ${userName} ` +
        `--access-key-id ${oldKeys.accessKeyId}' or in the IAM console`,
    );
  }
  console.error(`vault: deleted the old access key ${oldKeys.accessKeyId}`);
  return 0;
}
