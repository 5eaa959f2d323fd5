/**
 * Fake IAM Identity Center: its state (client registrations, device authorizations, access and
 * refresh tokens, account assignments) and the SSO-OIDC service (REST-JSON: RegisterClient,
 * StartDeviceAuthorization, CreateToken with the device code and refresh token grants).
 *
 * Strict as the real service is: a device code is pending until the test approves its user code,
 * polling faster than the interval answers `slow_down` and adds 5 s to the interval (RFC 8628),
 * an expired device code answers `expired_token`, a redeemed device code or refresh token cannot
 * be used again, and only clients registered with the `sso:account:access` scope get refresh
 * tokens. Errors carry the `x-amzn-ErrorType` header the SDK reads their names from.
 *
 * ```ts
 * const sso = ssoState(aws);
 * sso.addAssignment("123456789012", "Admin");
 * sso.approve(userCodePrintedByVault);
 * ```
 */
import { AwsError, type AwsState, type Role, type Route } from "./aws.ts";
import type { WireRequest } from "./sigv4.ts";

/** The scope that makes Identity Center issue refresh tokens. */
export const ACCOUNT_ACCESS_SCOPE = "sso:account:access";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** How early a poll may arrive and still count as waiting the interval (timer jitter). */
const POLL_TOLERANCE_MS = 250;

/** A client made by RegisterClient. */
export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[];
  expiresAt: Date;
}

/** A device authorization made by StartDeviceAuthorization. */
export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  client: ClientRegistration;
  startUrl: string;
  expiresAt: Date;
  /** Seconds a client must wait between polls; grows by 5 with each `slow_down`. */
  interval: number;
  approved: boolean;
  redeemed: boolean;
  lastPoll?: number;
}

/** An access token CreateToken issued (or a test planted, as the AWS CLI's cache would hold). */
export interface SsoAccessToken {
  accessToken: string;
  startUrl: string;
  expiresAt: Date;
  /** The client it was issued to; undefined for planted tokens. */
  client?: ClientRegistration;
}

function randomToken(prefix: string, bytes = 24): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return prefix + raw.toBase64({ alphabet: "base64url", omitPadding: true });
}

function randomUserCode(): string {
  const letters = "BCDFGHJKLMNPQRSTVWXZ";
  const raw = crypto.getRandomValues(new Uint8Array(8));
  const code = Array.from(raw, (b) => letters[b % letters.length]).join("");
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Identity Center's state, shared by the SSO-OIDC and SSO portal fakes. */
export class SsoState {
  readonly clients = new Map<string, ClientRegistration>();
  /** By device code. */
  readonly devices = new Map<string, DeviceAuthorization>();
  readonly accessTokens = new Map<string, SsoAccessToken>();
  /** Refresh token → what it may be exchanged for. */
  readonly refreshTokens = new Map<string, { client: ClientRegistration; startUrl: string }>();
  /** `account/roleName` → the IAM role behind the permission set. */
  readonly assignments = new Map<string, Role>();
  /** The interval StartDeviceAuthorization asks clients to poll at, in seconds. */
  pollInterval = 1;
  /** Seconds a device code stays valid. */
  deviceCodeLifetime = 600;
  /** Seconds an access token stays valid. */
  accessTokenLifetime = 8 * 3600;

  constructor(private readonly aws: AwsState) {}

  /** Gives the signed-in user the permission set `roleName` in `account`. */
  addAssignment(account: string, roleName: string): Role {
    const role = this.aws.addRole({
      arn:
        `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${roleName}_0123456789abcdef`,
      maxDuration: 43200,
    });
    this.assignments.set(`${account}/${roleName}`, role);
    return role;
  }

  /** The pending device authorization shown to the user as `userCode`. */
  private pending(userCode: string): DeviceAuthorization {
    const device = [...this.devices.values()].find((d) => d.userCode === userCode);
    if (!device) throw new Error(`no device authorization with user code ${userCode}`);
    return device;
  }

  /** The user signs in and approves the request shown as `userCode`. */
  approve(userCode: string): void {
    this.pending(userCode).approved = true;
  }

  /** Makes every device code expire now (its next poll answers `expired_token`). */
  expireDeviceCodes(): void {
    for (const device of this.devices.values()) device.expiresAt = new Date(Date.now() - 1000);
  }

  /** Issues an access token for `startUrl` as if a client had signed in (e.g. the AWS CLI). */
  issueAccessToken(startUrl: string, lifetimeSeconds = this.accessTokenLifetime): SsoAccessToken {
    const token: SsoAccessToken = {
      accessToken: randomToken("aoa"),
      startUrl,
      expiresAt: new Date(Date.now() + lifetimeSeconds * 1000),
    };
    this.accessTokens.set(token.accessToken, token);
    return token;
  }

  /** Makes access tokens expire now: all, or those of `startUrl`. */
  expireAccessTokens(startUrl?: string): void {
    for (const token of this.accessTokens.values()) {
      if (startUrl === undefined || token.startUrl === startUrl) {
        token.expiresAt = new Date(Date.now() - 1000);
      }
    }
  }

  /** The access token `accessToken` when it is known and current. */
  validToken(accessToken: string, now: Date): SsoAccessToken | undefined {
    const token = this.accessTokens.get(accessToken);
    return token && token.expiresAt.getTime() > now.getTime() ? token : undefined;
  }

  /** Access tokens issued by CreateToken (planted ones excluded), oldest first. */
  issuedTokens(): SsoAccessToken[] {
    return [...this.accessTokens.values()].filter((t) => t.client !== undefined);
  }

  registerClient(clientName: string, scopes: string[], now: Date): ClientRegistration {
    const client: ClientRegistration = {
      clientId: randomToken("cid", 12),
      clientSecret: randomToken("csecret", 48),
      clientName,
      scopes,
      expiresAt: new Date(now.getTime() + 90 * 86400 * 1000),
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  startDeviceAuthorization(client: ClientRegistration, startUrl: string, now: Date) {
    const device: DeviceAuthorization = {
      deviceCode: randomToken("dc", 32),
      userCode: randomUserCode(),
      client,
      startUrl,
      expiresAt: new Date(now.getTime() + this.deviceCodeLifetime * 1000),
      interval: this.pollInterval,
      approved: false,
      redeemed: false,
    };
    this.devices.set(device.deviceCode, device);
    return device;
  }

  private issue(client: ClientRegistration, startUrl: string, now: Date) {
    const token: SsoAccessToken = {
      accessToken: randomToken("aoa"),
      startUrl,
      expiresAt: new Date(now.getTime() + this.accessTokenLifetime * 1000),
      client,
    };
    this.accessTokens.set(token.accessToken, token);
    let refreshToken: string | undefined;
    if (client.scopes.includes(ACCOUNT_ACCESS_SCOPE)) {
      refreshToken = randomToken("aor", 32);
      this.refreshTokens.set(refreshToken, { client, startUrl });
    }
    return { token, refreshToken };
  }

  /** CreateToken with the device code grant. */
  redeemDeviceCode(client: ClientRegistration, deviceCode: string, now: Date) {
    const device = this.devices.get(deviceCode);
    if (!device || device.client !== client || device.redeemed) {
      throw oidcError("InvalidGrantException", "invalid_grant", "Invalid device code provided");
    }
    if (device.expiresAt.getTime() <= now.getTime()) {
      throw oidcError("ExpiredTokenException", "expired_token", "Device code has expired");
    }
    const last = device.lastPoll;
    device.lastPoll = now.getTime();
    if (last !== undefined && now.getTime() - last < device.interval * 1000 - POLL_TOLERANCE_MS) {
      device.interval += 5;
      throw oidcError("SlowDownException", "slow_down", "Client is polling too quickly");
    }
    if (!device.approved) {
      throw oidcError(
        "AuthorizationPendingException",
        "authorization_pending",
        "Authorization is still pending",
      );
    }
    device.redeemed = true;
    return this.issue(client, device.startUrl, now);
  }

  /** CreateToken with the refresh token grant; the refresh token is rotated. */
  redeemRefreshToken(client: ClientRegistration, refreshToken: string, now: Date) {
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.client !== client) {
      throw oidcError("InvalidGrantException", "invalid_grant", "Invalid refresh token provided");
    }
    this.refreshTokens.delete(refreshToken);
    return this.issue(client, grant.startUrl, now);
  }
}

const states = new WeakMap<AwsState, SsoState>();

/** The Identity Center state of the fake AWS `aws` (made on first use). */
export function ssoState(aws: AwsState): SsoState {
  let state = states.get(aws);
  if (!state) {
    state = new SsoState(aws);
    states.set(aws, state);
  }
  return state;
}

/** An SSO-OIDC error: its exception name (x-amzn-ErrorType) and its OAuth error code. */
class OidcError extends AwsError {
  constructor(name: string, readonly oauthCode: string, description: string, status = 400) {
    super(name, description, status);
  }
}

function oidcError(name: string, error: string, description: string, status = 400): OidcError {
  return new OidcError(name, error, description, status);
}

const ACTIONS: Record<string, string> = {
  "/client/register": "RegisterClient",
  "/device_authorization": "StartDeviceAuthorization",
  "/token": "CreateToken",
};

/** JSON body fields as strings (lists as JSON), for dispatch and the call log. */
function jsonParams(body: Uint8Array): Record<string, string> {
  if (body.length === 0) return {};
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return { $invalid: "body is not JSON" };
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { $invalid: "body is not a JSON object" };
  }
  return Object.fromEntries(
    Object.entries(json).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === "") {
    throw oidcError("InvalidRequestException", "invalid_request", `${name} is required`);
  }
  return value;
}

function listParam(params: Record<string, string>, name: string): string[] {
  if (params[name] === undefined) return [];
  const value = JSON.parse(params[name]);
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw oidcError(
      "InvalidRequestException",
      "invalid_request",
      `${name} must be a list of strings`,
    );
  }
  return value;
}

function authenticatedClient(state: SsoState, params: Record<string, string>, now: Date) {
  const client = state.clients.get(required(params, "clientId"));
  if (!client || client.clientSecret !== required(params, "clientSecret")) {
    throw oidcError("InvalidClientException", "invalid_client", "Invalid client provided", 401);
  }
  if (client.expiresAt.getTime() <= now.getTime()) {
    throw oidcError("InvalidClientException", "invalid_client", "Client registration expired", 401);
  }
  return client;
}

function json(body: unknown, requestId: string): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
  });
}

/** The SSO-OIDC route over the Identity Center state of `aws`. */
export function ssoOidcRoute(aws: AwsState): Route {
  const state = ssoState(aws);
  const describe = (request: WireRequest) => {
    const action = request.method === "POST" ? ACTIONS[request.path] ?? "" : "";
    return { action, params: jsonParams(request.body), mfa: false };
  };
  return {
    service: "sso-oidc",
    endpointEnv: "AWS_ENDPOINT_URL_SSO_OIDC",
    describe,
    claimsUnsigned: (request) => describe(request).action !== "",
    allowsUnsigned: (action) => Object.values(ACTIONS).includes(action),
    handle({ action, params, requestId, now }) {
      if (params.$invalid) {
        throw oidcError("InvalidRequestException", "invalid_request", params.$invalid);
      }
      switch (action) {
        case "RegisterClient": {
          if (required(params, "clientType") !== "public") {
            throw oidcError(
              "InvalidClientMetadataException",
              "invalid_client_metadata",
              "clientType must be public",
            );
          }
          const client = state.registerClient(
            required(params, "clientName"),
            listParam(params, "scopes"),
            now,
          );
          return json({
            clientId: client.clientId,
            clientSecret: client.clientSecret,
            clientIdIssuedAt: Math.floor(now.getTime() / 1000),
            clientSecretExpiresAt: Math.floor(client.expiresAt.getTime() / 1000),
          }, requestId);
        }
        case "StartDeviceAuthorization": {
          const client = authenticatedClient(state, params, now);
          const device = state.startDeviceAuthorization(client, required(params, "startUrl"), now);
          const uri = "https://device.sso.us-east-1.amazonaws.com/";
          return json({
            deviceCode: device.deviceCode,
            userCode: device.userCode,
            verificationUri: uri,
            verificationUriComplete: `${uri}?user_code=${device.userCode}`,
            expiresIn: state.deviceCodeLifetime,
            interval: device.interval,
          }, requestId);
        }
        case "CreateToken": {
          const client = authenticatedClient(state, params, now);
          const grantType = required(params, "grantType");
          let issued;
          if (grantType === DEVICE_GRANT) {
            issued = state.redeemDeviceCode(client, required(params, "deviceCode"), now);
          } else if (grantType === "refresh_token") {
            issued = state.redeemRefreshToken(client, required(params, "refreshToken"), now);
          } else {
            throw oidcError(
              "UnsupportedGrantTypeException",
              "unsupported_grant_type",
              `Unsupported grant type ${grantType}`,
            );
          }
          const { token, refreshToken } = issued;
          return json({
            accessToken: token.accessToken,
            tokenType: "Bearer",
            expiresIn: Math.round((token.expiresAt.getTime() - now.getTime()) / 1000),
            ...(refreshToken ? { refreshToken } : {}),
          }, requestId);
        }
      }
      throw new AwsError("UnknownOperationException", `Unknown operation ${action}`, 404);
    },
    errorResponse(error, requestId) {
      return new Response(
        JSON.stringify({
          error: error instanceof OidcError ? error.oauthCode : error.code,
          error_description: error.message,
        }),
        {
          status: error.status,
          headers: {
            "content-type": "application/json",
            "x-amzn-errortype": error.code,
            "x-amzn-requestid": requestId,
          },
        },
      );
    },
  };
}
