/**
 * The AWS CLI's own SSO token cache (`~/.aws/sso/cache/<sha1>.json`), read so that
 * a user who ran `aws sso login` is not sent through the browser again. The file
 * is named by the SHA-1 of the `[sso-session]` name, or of the start URL for the
 * legacy inline settings.
 */
import type { SsoSettings } from "../config/types.ts";
import type { Env } from "../env.ts";

/** A usable token from the AWS CLI's cache. */
export interface CliSsoToken {
  accessToken: string;
  expiresAt: Date;
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Cache file names that may hold a token for `sso`, most specific first. */
export async function cliCacheFileNames(sso: SsoSettings): Promise<string[]> {
  const keys = sso.sessionName === undefined ? [sso.startUrl] : [sso.sessionName, sso.startUrl];
  return await Promise.all(keys.map(async (key) => `${await sha1Hex(key)}.json`));
}

/** Parses `expiresAt`, which CLI versions wrote as `...Z` or `...UTC`. */
function parseExpiry(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const date = new Date(value.replace(/UTC$/, "Z"));
  return isNaN(date.getTime()) ? undefined : date;
}

/**
 * The token in one cache file's text when it is for `sso` (same start URL and,
 * when the file names one, the same region) and valid beyond `notBefore`.
 */
export function parseCliCacheFile(
  text: string,
  sso: SsoSettings,
  notBefore: Date,
): CliSsoToken | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== "object") return undefined;
  const { startUrl, region, accessToken } = json;
  const expiresAt = parseExpiry(json.expiresAt);
  if (startUrl !== sso.startUrl || typeof accessToken !== "string" || accessToken === "") {
    return undefined;
  }
  if (region !== undefined && region !== sso.region) return undefined;
  if (!expiresAt || expiresAt.getTime() <= notBefore.getTime()) return undefined;
  return { accessToken, expiresAt };
}

/** A token for `sso` in the AWS CLI's cache that is valid beyond `notBefore`, if any. */
export async function readCliToken(
  env: Env,
  sso: SsoSettings,
  notBefore: Date,
): Promise<CliSsoToken | undefined> {
  if (!env.HOME) return undefined;
  const dir = `${env.HOME}/.aws/sso/cache`;
  for (const name of await cliCacheFileNames(sso)) {
    let text: string;
    try {
      text = await Deno.readTextFile(`${dir}/${name}`);
    } catch {
      continue;
    }
    const token = parseCliCacheFile(text, sso, notBefore);
    if (token) return token;
  }
  return undefined;
}
