/** `vault login NAME`: open the AWS console signed in with a profile's credentials (spec §6). */
import type { ProfileConfig } from "../config/types.ts";
import {
  CONSOLE_SESSION_LIMITS,
  consoleDestination,
  federationEndpoint,
  loginUrl,
  signinTokenRequest,
} from "../credentials/console_url.ts";
import { planCredentials } from "../credentials/plan.ts";
import type { Credentials } from "../credentials/types.ts";
import { UserError } from "../errors.ts";
import { type CommandSpec, type Context, parseCommand } from "./_args.ts";
import {
  chosenProfile,
  credentialOptionHelp,
  credentialOptions,
  durationFrom,
  fetchCredentials,
  keyringFor,
  printUrls,
  resolveNamed,
} from "./_credentials.ts";

export const spec = {
  name: "login",
  summary: "Open the AWS console in a browser, signed in with a profile's credentials.",
  usage: "login [flags] <profile>",
  options: {
    ...credentialOptions,
    stdout: { type: "boolean", short: "s" },
    path: { type: "string" },
  },
  optionHelp: {
    ...credentialOptionHelp,
    stdout: "Print the console link on stdout instead of opening a browser",
    path: "The console page to open, e.g. s3/home (default console/home)",
  },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

/** The federated user name for GetFederationToken: the IAM user's name, within STS's 32 characters. */
export function federatedName(callerArn: string): string {
  return callerArn.slice(callerArn.lastIndexOf("/") + 1).slice(0, 32);
}

/**
 * Console sessions need temporary credentials: an IAM user's long-term keys are
 * traded for a federation token (which GetSessionToken credentials could not do).
 */
async function federate(profile: ProfileConfig, keys: Credentials): Promise<Credentials> {
  const sts = await import("../credentials/sts.ts");
  const target = { region: profile.region, endpointUrl: profile.endpointUrl };
  const arn = await sts.getCallerIdentity(keys, {
    ...target,
    purpose: `GetCallerIdentity for profile ${profile.name}`,
  });
  return await sts.getFederationToken(keys, {
    ...target,
    purpose: `GetFederationToken for profile ${profile.name}`,
  }, { name: federatedName(arn), durationSeconds: profile.federationDuration });
}

/** Trades temporary credentials for a console sign-in token. */
async function signinToken(url: string, federation: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    // The request URL carries the credentials: keep it out of the message.
    const error = e as Error;
    const reason = String((error.cause as Error)?.message ?? error.message).split(url).join(
      federation,
    );
    throw new UserError(
      `cannot reach the AWS sign-in endpoint ${federation}: ${reason}: ` +
        `check your network or AWS_VAULT_SIGNIN_URL`,
    );
  }
  const body = await response.text();
  if (!response.ok) {
    throw new UserError(
      `the AWS sign-in endpoint ${federation} refused the credentials (HTTP ${response.status}): ` +
        `check that they are role or federation credentials and that --duration is 15m..12h`,
    );
  }
  let token: unknown;
  try {
    token = JSON.parse(body).SigninToken;
  } catch { /* reported below */ }
  if (typeof token !== "string" || token === "") {
    throw new UserError(
      `the AWS sign-in endpoint ${federation} answered without a sign-in token: ` +
        `check AWS_VAULT_SIGNIN_URL or try again`,
    );
  }
  return token;
}

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  const name = await chosenProfile(ctx, "login", parsed.positionals, { fromEnv: true });
  const flags = parsed.values;
  const profile = await resolveNamed(ctx, keyringFor(ctx), name, flags);
  // An IAM user's own keys: fetch them as they are, for GetFederationToken.
  const plan = planCredentials(profile, { noSession: true });
  const iamUser = plan.roles.length === 0 && plan.base.kind === "stored-keys";
  // For role credentials --duration is also the console session's, within the console's limits.
  let sessionDuration: number | undefined;
  if (flags.duration !== undefined && !iamUser) {
    sessionDuration = durationFrom("--duration", flags.duration);
    const { min, max } = CONSOLE_SESSION_LIMITS;
    if (sessionDuration < min || sessionDuration > max) {
      throw new UserError(
        `login: --duration ${flags.duration} is outside 15m..12h, the console's limits`,
        2,
      );
    }
  }
  const fetched = await fetchCredentials(
    ctx,
    name,
    iamUser ? { ...flags, "no-session": true } : flags,
  );
  let creds = fetched.creds;
  if (!creds.sessionToken) {
    creds = await federate(fetched.profile, creds);
    sessionDuration = undefined;
  }
  const region = fetched.profile.region;
  const federation = federationEndpoint(region, ctx.env.AWS_VAULT_SIGNIN_URL);
  const token = await signinToken(
    signinTokenRequest(federation, creds, sessionDuration),
    federation,
  );
  const url = loginUrl(federation, consoleDestination(region, flags.path), token);
  if (printUrls(ctx, flags)) {
    await Deno.stdout.write(new TextEncoder().encode(url + "\n"));
    return 0;
  }
  const { openPrivately } = await import("../credentials/browser.ts");
  await openPrivately(url);
  console.error(`vault: opened the AWS console for ${name} in your browser`);
  return 0;
}
