/**
 * The AWS console sign-in URLs `vault login` builds (spec §6): the federation
 * endpoint of the region's partition, the console page to land on, the
 * getSigninToken request and the final login link. Pure: no I/O.
 */
import type { Credentials } from "./types.ts";

/** Sign-in and console domains of one AWS partition. */
interface Partition {
  signin: string;
  console: string;
}

const COMMERCIAL: Partition = {
  signin: "signin.aws.amazon.com",
  console: "console.aws.amazon.com",
};
const CHINA: Partition = { signin: "signin.amazonaws.cn", console: "console.amazonaws.cn" };
const GOVCLOUD: Partition = {
  signin: "signin.amazonaws-us-gov.com",
  console: "console.amazonaws-us-gov.com",
};

function partition(region: string | undefined): Partition {
  if (region?.startsWith("cn-")) return CHINA;
  if (region?.startsWith("us-gov-")) return GOVCLOUD;
  return COMMERCIAL;
}

/** The federation endpoint for `region`'s partition; `override` (AWS_VAULT_SIGNIN_URL) wins. */
export function federationEndpoint(region: string | undefined, override?: string): string {
  return override || `https://${partition(region).signin}/federation`;
}

/**
 * The console page to open: `https://<region>.<console domain>/<path>?region=<region>`
 * (path `console/home` by default) when a region is known, else the console's front page.
 */
export function consoleDestination(region: string | undefined, path?: string): string {
  const page = (path ?? "").replace(/^\/+/, "");
  if (!region) return `https://${COMMERCIAL.console}/${page}`;
  const url = `https://${region}.${partition(region).console}/${page || "console/home"}`;
  return `${url}${url.includes("?") ? "&" : "?"}region=${encodeURIComponent(region)}`;
}

/** Console sessions may last 15 minutes to 12 hours. */
export const CONSOLE_SESSION_LIMITS = { min: 900, max: 43200 } as const;

/**
 * The getSigninToken request for `creds`. `sessionDuration` (seconds) may only
 * be sent for role credentials: AWS refuses it with federation tokens, whose
 * own lifetime sets the console session's.
 */
export function signinTokenRequest(
  federation: string,
  creds: Credentials,
  sessionDuration?: number,
): string {
  const query = new URLSearchParams({ Action: "getSigninToken" });
  if (sessionDuration !== undefined) query.set("SessionDuration", String(sessionDuration));
  query.set(
    "Session",
    JSON.stringify({
      sessionId: creds.accessKeyId,
      sessionKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken ?? "",
    }),
  );
  return `${federation}?${query}`;
}

/** The link that signs the browser in with `signinToken` and lands on `destination`. */
export function loginUrl(
  federation: string,
  destination: string,
  signinToken: string,
  issuer = "vault",
): string {
  const query = new URLSearchParams({
    Action: "login",
    Issuer: issuer,
    Destination: destination,
    SigninToken: signinToken,
  });
  return `${federation}?${query}`;
}
