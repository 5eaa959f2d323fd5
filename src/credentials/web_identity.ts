/**
 * Web identity as a credential source (spec §2, step 3): an OIDC token from
 * `web_identity_token_file` or `web_identity_token_process`, exchanged for the
 * profile's role with AssumeRoleWithWebIdentity, cached as
 * `sts.AssumeRoleWithWebIdentity`.
 */
import { UserError } from "../errors.ts";
import type { SessionId } from "./cache.ts";
import type { BaseStep } from "./plan.ts";
import { cachedSession, defaultSessionName, type ProviderContext } from "./provider.ts";
import { runShell } from "./run.ts";
import type { Credentials } from "./types.ts";

type WebIdentityStep = Extract<BaseStep, { kind: "web-identity" }>;

/** The token the step names: the file's content or the process's output, trimmed. */
export async function readWebIdentityToken(step: WebIdentityStep): Promise<string> {
  const name = step.profile.name;
  let token: string;
  if (step.tokenFile !== undefined) {
    try {
      token = await Deno.readTextFile(step.tokenFile);
    } catch (e) {
      throw new UserError(
        `cannot read web_identity_token_file ${step.tokenFile} of profile ${name}: ` +
          `${(e as Error).message}: check the path, or that the token was written`,
      );
    }
  } else {
    token = await runShell(`web_identity_token_process of profile ${name}`, step.tokenProcess!);
  }
  token = token.trim();
  if (token === "") {
    const from = step.tokenFile !== undefined
      ? `web_identity_token_file ${step.tokenFile}`
      : "web_identity_token_process";
    throw new UserError(`${from} of profile ${name} gave an empty token: check it`);
  }
  return token;
}

/** Credentials for the profile's role from its web identity token, cached while they last. */
export async function webIdentityCredentials(
  ctx: ProviderContext,
  step: WebIdentityStep,
): Promise<Credentials> {
  const p = step.profile;
  const roleArn = p.roleArn;
  if (roleArn === undefined) {
    throw new UserError(
      `profile ${p.name} has a web identity token but no role_arn: add the role to assume to it`,
    );
  }
  const id: SessionId = { type: "sts.AssumeRoleWithWebIdentity", profile: p.name, mfaSerial: "" };
  // A changed role or token source, or a longer duration, must not reuse the old session.
  const made = {
    inputs: JSON.stringify([roleArn, step.tokenFile ?? "", step.tokenProcess ?? ""]),
    duration: p.assumeRoleDuration,
  };
  return await cachedSession(ctx, id, made, async () => {
    const token = await readWebIdentityToken(step);
    ctx.note(`AssumeRoleWithWebIdentity ${roleArn} for ${p.name}, ${p.assumeRoleDuration}s`);
    const sts = await import("./sts.ts");
    const creds = await sts.assumeRoleWithWebIdentity({
      region: p.region,
      endpointUrl: p.endpointUrl,
      purpose: `AssumeRoleWithWebIdentity ${roleArn} for profile ${p.name}`,
    }, {
      roleArn,
      sessionName: p.roleSessionName ?? defaultSessionName(ctx.env),
      token,
      durationSeconds: p.assumeRoleDuration,
    });
    return creds;
  });
}
