/**
 * IAM Identity Center (SSO) as a credential source (spec §2, step 2): an SSO-OIDC
 * access token (from the vault, the AWS CLI's cache, a refresh token, or the
 * device authorization flow in the browser), traded for role credentials with
 * GetRoleCredentials. Role credentials are cached as `sso.GetRoleCredentials`
 * sessions; the token is kept in the vault under `oidc:<start URL>`, shared by
 * every profile on that start URL. The SDK is imported only when a call is made.
 */
import type { SsoSettings } from "../config/types.ts";
import { NEEDS_INPUT_EXIT, UserError } from "../errors.ts";
import { decodeOidcToken, encodeOidcToken } from "../vault/items.ts";
import type { Item } from "../vault/keyring.ts";
import { describeAwsError } from "./aws_errors.ts";
import type { SessionId } from "./cache.ts";
import { withLock } from "./lock.ts";
import { rfc3339 } from "./output.ts";
import type { BaseStep } from "./plan.ts";
import { cachedSession, type ProviderContext } from "./provider.ts";
import { readCliToken } from "./sso_cache.ts";
import type { Credentials } from "./types.ts";

type SsoStep = Extract<BaseStep, { kind: "sso" }>;

/** The scope that makes Identity Center issue refresh tokens. */
export const REFRESH_SCOPE = "sso:account:access";
/** A refreshable token is renewed this long before it expires (as the AWS CLI does). */
export const REFRESH_WINDOW_MS = 15 * 60 * 1000;
/** A token with less left than this is not worth a GetRoleCredentials call. */
export const MIN_TOKEN_LIFE_MS = 60 * 1000;
/** RFC 8628: poll every 5 s unless told otherwise, and 5 s slower after each `slow_down`. */
const DEFAULT_POLL_SECONDS = 5;
const SLOW_DOWN_SECONDS = 5;
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

// ---- SSO-OIDC, as vault uses it --------------------------------------------

/** An OIDC client made by RegisterClient. */
export interface OidcClient {
  clientId: string;
  clientSecret: string;
  /** Unix seconds; absent when unknown. */
  clientSecretExpiresAt?: number;
}

/** What StartDeviceAuthorization returns. */
export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  /** Seconds the device code stays valid. */
  expiresIn: number;
  /** Seconds to wait between polls; absent or 0 means the default. */
  interval?: number;
}

/** What CreateToken returns. */
export interface TokenGrant {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken?: string;
  tokenType?: string;
  idToken?: string;
}

/** The SSO-OIDC operations vault calls; errors are the SDK's (their `name` is the exception). */
export interface OidcApi {
  registerClient(scopes: string[]): Promise<OidcClient>;
  startDeviceAuthorization(client: OidcClient, startUrl: string): Promise<DeviceAuthorization>;
  createToken(
    client: OidcClient,
    grant: { deviceCode: string } | { refreshToken: string },
  ): Promise<TokenGrant>;
}

/** The SDK's SSO-OIDC client for `region` (AWS_ENDPOINT_URL_SSO_OIDC is read by the SDK). */
async function sdkOidc(region: string): Promise<OidcApi> {
  const oidc = await import("@aws-sdk/client-sso-oidc");
  const client = new oidc.SSOOIDCClient({
    region,
    maxAttempts: 3,
    credentials: () => Promise.reject(new Error("SSO-OIDC calls are unsigned")),
  });
  return {
    async registerClient(scopes) {
      const out = await client.send(
        new oidc.RegisterClientCommand({
          clientName: "vault",
          clientType: "public",
          scopes: scopes.length ? scopes : undefined,
        }),
      );
      if (!out.clientId || !out.clientSecret) throw new Error("RegisterClient returned no client");
      return {
        clientId: out.clientId,
        clientSecret: out.clientSecret,
        clientSecretExpiresAt: out.clientSecretExpiresAt,
      };
    },
    async startDeviceAuthorization(c, startUrl) {
      const out = await client.send(
        new oidc.StartDeviceAuthorizationCommand({
          clientId: c.clientId,
          clientSecret: c.clientSecret,
          startUrl,
        }),
      );
      if (!out.deviceCode || !out.userCode || !out.verificationUri) {
        throw new Error("StartDeviceAuthorization returned no device code");
      }
      return {
        deviceCode: out.deviceCode,
        userCode: out.userCode,
        verificationUri: out.verificationUri,
        verificationUriComplete: out.verificationUriComplete,
        expiresIn: out.expiresIn ?? 600,
        interval: out.interval,
      };
    },
    async createToken(c, grant) {
      const out = await client.send(
        new oidc.CreateTokenCommand({
          clientId: c.clientId,
          clientSecret: c.clientSecret,
          ...("deviceCode" in grant
            ? { grantType: DEVICE_GRANT, deviceCode: grant.deviceCode }
            : { grantType: "refresh_token", refreshToken: grant.refreshToken }),
        }),
      );
      if (!out.accessToken || !out.expiresIn) throw new Error("CreateToken returned no token");
      return {
        accessToken: out.accessToken,
        expiresIn: out.expiresIn,
        refreshToken: out.refreshToken,
        tokenType: out.tokenType,
        idToken: out.idToken,
      };
    },
  };
}

// ---- the device authorization flow -----------------------------------------

/** How the flow waits and what time it is; replaced in tests. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Polls CreateToken until the user confirms the device code: waits the interval
 * the service asked for, 5 s longer after each `slow_down`, and stops with a
 * clear error when the code expires or the request is denied.
 */
export async function pollForToken(
  api: OidcApi,
  client: OidcClient,
  device: DeviceAuthorization,
  clock: Clock = realClock,
): Promise<TokenGrant> {
  let interval = device.interval && device.interval > 0 ? device.interval : DEFAULT_POLL_SECONDS;
  const deadline = clock.now().getTime() + device.expiresIn * 1000;
  const expired = () =>
    new UserError(
      `the SSO sign-in code ${device.userCode} expired before it was confirmed: ` +
        `run the command again and confirm the code within ${
          Math.round(device.expiresIn / 60)
        } minutes`,
    );
  for (;;) {
    await clock.sleep(interval * 1000);
    if (clock.now().getTime() >= deadline) throw expired();
    try {
      return await api.createToken(client, { deviceCode: device.deviceCode });
    } catch (e) {
      switch ((e as Error)?.name) {
        case "AuthorizationPendingException":
          continue;
        case "SlowDownException":
          interval += SLOW_DOWN_SECONDS;
          continue;
        case "ExpiredTokenException":
          throw expired();
        case "AccessDeniedException":
          throw new UserError(
            `the SSO sign-in request ${device.userCode} was denied: run the command again and allow it`,
          );
      }
      throw e;
    }
  }
}

// ---- the token in the vault ------------------------------------------------

/** An SSO token as vault keeps it in the vault, with what refreshing it needs. */
export interface SsoToken {
  accessToken: string;
  expiration: Date;
  refreshToken?: string;
  client?: OidcClient;
}

/**
 * The vault item for a token: aws-vault's `{"Token":<CreateTokenOutput>,"Expiration":...}`,
 * plus ByteNess aws-vault's `ClientID`/`ClientSecret`/`ClientSecretExpiresAt` so that
 * either tool can refresh it.
 */
export function tokenItem(startUrl: string, grant: TokenGrant, client: OidcClient, now: Date) {
  const expiration = new Date(now.getTime() + grant.expiresIn * 1000);
  // Go's json.Marshal of ssooidc.CreateTokenOutput: nil pointers are null, ResultMetadata is {}.
  const token = {
    AccessToken: grant.accessToken,
    ExpiresIn: grant.expiresIn,
    IdToken: grant.idToken ?? null,
    RefreshToken: grant.refreshToken ?? null,
    TokenType: grant.tokenType ?? null,
    ResultMetadata: {},
  };
  const extra: Record<string, unknown> = {
    ClientID: client.clientId,
    ClientSecret: client.clientSecret,
  };
  if (client.clientSecretExpiresAt) {
    extra.ClientSecretExpiresAt = rfc3339(new Date(client.clientSecretExpiresAt * 1000));
  }
  return encodeOidcToken(startUrl, token, expiration, extra);
}

const text = (v: unknown) => typeof v === "string" && v !== "" ? v : undefined;

/** The token in a vault item written by vault or either aws-vault. */
export function tokenFromItem(item: Item): SsoToken | undefined {
  const { token, expiration, extra } = decodeOidcToken(item);
  const accessToken = text(token.AccessToken);
  if (!accessToken) return undefined;
  const clientId = text(extra.ClientID);
  const clientSecret = text(extra.ClientSecret);
  const expiresAt = text(extra.ClientSecretExpiresAt);
  const clientSecretExpiresAt = expiresAt ? Date.parse(expiresAt) / 1000 : undefined;
  return {
    accessToken,
    expiration,
    refreshToken: text(token.RefreshToken),
    client: clientId && clientSecret
      ? {
        clientId,
        clientSecret,
        clientSecretExpiresAt: Number.isNaN(clientSecretExpiresAt)
          ? undefined
          : clientSecretExpiresAt,
      }
      : undefined,
  };
}

/**
 * What to do with a stored token: use it, refresh it (when the session's scopes
 * allow refreshing and it is close to expiry), or sign in again.
 */
export function tokenAction(
  token: SsoToken,
  now: Date,
  refreshAllowed: boolean,
): "use" | "refresh" | "sign-in" {
  const left = token.expiration.getTime() - now.getTime();
  const clientExpiry = token.client?.clientSecretExpiresAt;
  const refreshable = refreshAllowed && token.refreshToken !== undefined &&
    token.client !== undefined &&
    (clientExpiry === undefined || clientExpiry * 1000 > now.getTime());
  if (refreshable && left < REFRESH_WINDOW_MS) return "refresh";
  return left > MIN_TOKEN_LIFE_MS ? "use" : "sign-in";
}

// ---- getting a token ---------------------------------------------------------

function tokenKey(startUrl: string): string {
  return `oidc:${startUrl}`;
}

async function storedToken(ctx: ProviderContext, startUrl: string): Promise<SsoToken | undefined> {
  const item = await ctx.keyring.get(tokenKey(startUrl));
  return item && tokenFromItem(item);
}

/** Shows the user where to confirm the sign-in, on stderr (stdout may be captured by `use`). */
async function showSignIn(ctx: ProviderContext, sso: SsoSettings, device: DeviceAuthorization) {
  const url = device.verificationUriComplete ?? device.verificationUri;
  if (ctx.printUrls) {
    console.error(
      `vault: to sign in to ${sso.startUrl}, open this page in a browser and confirm the code ` +
        `${device.userCode} (Ctrl-C to abort):\n${url}`,
    );
    return;
  }
  console.error(
    `vault: opening the SSO sign-in page for ${sso.startUrl} in your browser; confirm the code ` +
      `${device.userCode} there (Ctrl-C to abort). If no browser opens, visit:\n${url}`,
  );
  const { openUrl } = await import("./browser.ts");
  if (!await openUrl(url)) ctx.note("could not start a browser: open the page above yourself");
}

/** The device authorization flow: register, show the page, wait for the user's confirmation. */
async function deviceSignIn(ctx: ProviderContext, api: OidcApi, sso: SsoSettings) {
  if (ctx.noInput) {
    throw new UserError(
      `SSO for ${sso.startUrl} needs a sign-in in the browser: run the command yourself`,
      NEEDS_INPUT_EXIT,
    );
  }
  const client = await api.registerClient(sso.registrationScopes);
  const device = await api.startDeviceAuthorization(client, sso.startUrl);
  await showSignIn(ctx, sso, device);
  const grant = await pollForToken(api, client, device);
  ctx.note(`signed in to ${sso.startUrl}${grant.refreshToken ? " (refreshable)" : ""}`);
  return { grant, client };
}

/**
 * A token for `sso`, never `rejected` (one SSO just refused): the vault's, the
 * AWS CLI's, a refreshed one, or a new sign-in. Refreshing and signing in happen
 * under a lock per start URL, so several shells starting at once sign in once.
 */
async function accessToken(ctx: ProviderContext, sso: SsoSettings, rejected?: string) {
  const refreshAllowed = sso.registrationScopes.includes(REFRESH_SCOPE);
  const usable = (t: SsoToken | undefined, now: Date) =>
    t !== undefined && t.accessToken !== rejected && tokenAction(t, now, refreshAllowed) === "use";

  const first = await storedToken(ctx, sso.startUrl);
  if (usable(first, new Date())) return first!.accessToken;
  const fromCli = await readCliToken(ctx.env, sso, new Date(Date.now() + MIN_TOKEN_LIFE_MS));
  if (fromCli && fromCli.accessToken !== rejected) {
    ctx.note(`using the AWS CLI's SSO token for ${sso.startUrl}`);
    return fromCli.accessToken;
  }

  return await withLock(ctx.lockDir, tokenKey(sso.startUrl), async () => {
    const now = new Date();
    const current = await storedToken(ctx, sso.startUrl);
    if (usable(current, now)) return current!.accessToken;
    const api = await sdkOidc(sso.region);
    try {
      if (
        current && current.accessToken !== rejected &&
        tokenAction(current, now, refreshAllowed) === "refresh"
      ) {
        try {
          const grant = await api.createToken(current.client!, {
            refreshToken: current.refreshToken!,
          });
          ctx.note(`refreshed the SSO token for ${sso.startUrl}`);
          // Identity Center rotates refresh tokens; keep the old one if a server ever omits it.
          grant.refreshToken ??= current.refreshToken;
          await ctx.keyring.set(tokenItem(sso.startUrl, grant, current.client!, now));
          return grant.accessToken;
        } catch (e) {
          ctx.note(`refreshing the SSO token for ${sso.startUrl} failed (${(e as Error)?.name})`);
          if (current.expiration.getTime() - now.getTime() > MIN_TOKEN_LIFE_MS) {
            return current.accessToken;
          }
        }
      }
      const { grant, client } = await deviceSignIn(ctx, api, sso);
      await ctx.keyring.set(tokenItem(sso.startUrl, grant, client, new Date()));
      return grant.accessToken;
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(describeAwsError(e, "SSO-OIDC", `SSO sign-in to ${sso.startUrl}`));
    }
  });
}

/** Drops the vault's token for `sso` if it is still `rejected` (another process may have replaced it). */
async function dropToken(ctx: ProviderContext, sso: SsoSettings, rejected: string) {
  await withLock(ctx.lockDir, tokenKey(sso.startUrl), async () => {
    const current = await storedToken(ctx, sso.startUrl).catch(() => undefined);
    if (current === undefined || current.accessToken === rejected) {
      await ctx.keyring.remove(tokenKey(sso.startUrl));
    }
  });
}

// ---- role credentials ----------------------------------------------------------

function isUnauthorized(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === "UnauthorizedException" || err?.$metadata?.httpStatusCode === 401;
}

/** GetRoleCredentials with `token` (AWS_ENDPOINT_URL_SSO is read by the SDK); SDK errors as thrown. */
async function getRoleCredentials(sso: SsoSettings, token: string): Promise<Credentials> {
  const { SSOClient, GetRoleCredentialsCommand } = await import("@aws-sdk/client-sso");
  const client = new SSOClient({
    region: sso.region,
    maxAttempts: 3,
    credentials: () => Promise.reject(new Error("SSO calls are unsigned")),
  });
  const out = await client.send(
    new GetRoleCredentialsCommand({
      accessToken: token,
      accountId: sso.accountId,
      roleName: sso.roleName,
    }),
  );
  const c = out.roleCredentials;
  if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || !c.expiration) {
    throw new UserError(
      `SSO answered GetRoleCredentials for ${sso.roleName} in ${sso.accountId} without credentials: try again`,
    );
  }
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    expiration: new Date(c.expiration),
  };
}

/** Role credentials for the step, signing in again once when SSO rejects the token. */
async function freshRoleCredentials(ctx: ProviderContext, step: SsoStep): Promise<Credentials> {
  const { sso } = step;
  const purpose =
    `GetRoleCredentials ${sso.roleName} in account ${sso.accountId} for profile ${step.profile}`;
  const token = await accessToken(ctx, sso);
  try {
    ctx.note(`GetRoleCredentials ${sso.roleName} in ${sso.accountId} for ${step.profile}`);
    return await getRoleCredentials(sso, token);
  } catch (e) {
    if (e instanceof UserError) throw e;
    if (!isUnauthorized(e)) throw new UserError(describeAwsError(e, "SSO", purpose));
    ctx.note(`SSO rejected the token for ${sso.startUrl}: signing in again`);
  }
  await dropToken(ctx, sso, token);
  try {
    return await getRoleCredentials(sso, await accessToken(ctx, sso, token));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(describeAwsError(e, "SSO", purpose));
  }
}

/** The step's role credentials, from the session cache while they last (spec §5). */
export async function ssoCredentials(ctx: ProviderContext, step: SsoStep): Promise<Credentials> {
  const { sso } = step;
  const id: SessionId = {
    type: "sso.GetRoleCredentials",
    profile: step.profile,
    mfaSerial: sso.startUrl,
  };
  // Another account or permission set must not reuse the old session.
  const made = { inputs: JSON.stringify([sso.accountId, sso.roleName]), duration: 0 };
  return await cachedSession(ctx, id, made, () => freshRoleCredentials(ctx, step));
}
