/**
 * The shared state behind the fake AWS endpoints (IAM users, their access keys and MFA devices,
 * roles, web identity tokens, the temporary credentials STS issued, the call log) and the pieces
 * every fake service uses: {@link AwsError}, request authentication, the {@link Route} contract
 * the router dispatches to, and the AWS Query protocol (form parameters in, XML out) that STS and
 * IAM speak.
 */
import { type SigV4Authorization, SigV4Error, verifySignature, type WireRequest } from "./sigv4.ts";
import { totpStep } from "./totp.ts";

/** The account users and roles belong to unless a test names another. */
export const DEFAULT_ACCOUNT = "123456789012";

/** An error answered the way AWS answers it: code, message, HTTP status, fault type. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
    this.name = code;
  }
}

/** AWS's answer to an unknown, inactive or mismatched access key or session token. */
export function invalidClientTokenId(): AwsError {
  return new AwsError(
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    403,
  );
}

/** An IAM user. */
export interface IamUser {
  userName: string;
  account: string;
  /** `AIDA...` */
  userId: string;
  arn: string;
  createDate: Date;
}

/** A virtual MFA device and the one-time codes it already accepted (AWS refuses a reuse). */
export interface MfaDevice {
  serial: string;
  seedBase32: string;
  user: IamUser;
  usedSteps: Set<number>;
}

/** A long-term `AKIA...` access key of an IAM user. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  user: IamUser;
  status: "Active" | "Inactive";
  createDate: Date;
  /** Uses left that fail with InvalidClientTokenId, as IAM propagates a new key. */
  unpropagatedUses: number;
}

/** An IAM role and what its trust policy demands. */
export interface Role {
  arn: string;
  account: string;
  /** Last segment of the ARN's path. */
  name: string;
  /** `AROA...` */
  roleId: string;
  /** Trust policy condition `aws:MultiFactorAuthPresent`. */
  requireMfa: boolean;
  /** Trust policy condition `sts:ExternalId`. */
  externalId?: string;
  /** MaxSessionDuration in seconds (3600..43200). */
  maxDuration: number;
}

/** Who a set of credentials acts as. */
export type Identity =
  | { type: "user"; user: IamUser }
  | { type: "assumed-role"; role: Role; sessionName: string }
  | { type: "federated-user"; user: IamUser; name: string };

/** The STS operation that issued temporary credentials. */
export type Issuer =
  | "GetSessionToken"
  | "AssumeRole"
  | "GetFederationToken"
  | "AssumeRoleWithWebIdentity";

/** Temporary `ASIA...` credentials STS issued, remembered so they can sign later calls. */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Whole seconds, as returned in `<Expiration>`. */
  expiration: Date;
  issuedBy: Issuer;
  identity: Identity;
  /** Whether MFA was used to get these credentials or any they were made from. */
  mfa: boolean;
  /** The IAM user at the root of the chain; undefined for web identity sessions. */
  sourceUser?: IamUser;
  tags: Record<string, string>;
  transitiveTagKeys: string[];
  sourceIdentity?: string;
}

/** The authenticated principal behind a signed request. */
export interface Caller {
  accessKeyId: string;
  identity: Identity;
  mfa: boolean;
  sourceUser?: IamUser;
  /** Set when the request was signed with temporary credentials. */
  session?: Session;
}

/** A registered web identity (OIDC) token and the identity it vouches for. */
export interface WebIdentity {
  subject: string;
  audience: string;
  provider: string;
}

/** One request as the fakes saw it. */
export interface CallRecord {
  service: string;
  action: string;
  /** From the SigV4 credential; undefined for unsigned requests. */
  accessKeyId?: string;
  /** Decoded request parameters (for Query services: the form and query string). */
  params: Record<string, string>;
  /** Whether the request carried an MFA code (SerialNumber and TokenCode). */
  mfa: boolean;
  ok: boolean;
  /** The AWS error code answered, or `garbage` when a garbage fault answered. */
  error?: string;
}

/** What {@link AwsState.addUser} hands the test: the user's first key and MFA serial. */
export interface NewUser {
  userName: string;
  account: string;
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Set when the user was given an MFA seed. */
  mfaSerial?: string;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomId(prefix: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return prefix + Array.from(bytes, (b) => ID_ALPHABET[b % 32]).join("");
}

function randomBase64(byteCount: number): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(byteCount))));
}

/** The ARN an identity shows in GetCallerIdentity and in AWS's error messages. */
export function identityArn(identity: Identity): string {
  switch (identity.type) {
    case "user":
      return identity.user.arn;
    case "assumed-role":
      return `arn:aws:sts::${identity.role.account}:assumed-role/${identity.role.name}/${identity.sessionName}`;
    case "federated-user":
      return `arn:aws:sts::${identity.user.account}:federated-user/${identity.name}`;
  }
}

/** The account an identity belongs to. */
export function identityAccount(identity: Identity): string {
  return identity.type === "assumed-role" ? identity.role.account : identity.user.account;
}

/** The UserId GetCallerIdentity reports. */
export function identityUserId(identity: Identity): string {
  switch (identity.type) {
    case "user":
      return identity.user.userId;
    case "assumed-role":
      return `${identity.role.roleId}:${identity.sessionName}`;
    case "federated-user":
      return `${identity.user.account}:${identity.name}`;
  }
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/**
 * Users, keys, roles, tokens, issued sessions and the call log. Tests set it up through the
 * `add*` methods; the services read and change it as AWS would.
 */
export class AwsState {
  /** Keyed by `account/userName`. */
  readonly users = new Map<string, IamUser>();
  readonly accessKeys = new Map<string, AccessKey>();
  readonly mfaDevices = new Map<string, MfaDevice>();
  readonly roles = new Map<string, Role>();
  readonly webIdentityTokens = new Map<string, WebIdentity>();
  readonly sessions = new Map<string, Session>();
  readonly log: CallRecord[] = [];
  /**
   * How many uses each key made by CreateAccessKey fails with InvalidClientTokenId before it
   * works, as IAM takes a few seconds to propagate a new key.
   */
  keyPropagationCalls = 0;
  /** AWS refuses an MFA code that was already accepted; set to let tests reuse one. */
  allowMfaCodeReuse = false;

  /** Adds an IAM user with one access key and, given a base32 seed, a virtual MFA device. */
  addUser(
    options: { userName: string; account?: string; mfaSeed?: string },
  ): NewUser {
    const account = options.account ?? DEFAULT_ACCOUNT;
    const { userName } = options;
    if (this.findUser(account, userName)) throw new Error(`user ${userName} already exists`);
    const user: IamUser = {
      userName,
      account,
      userId: randomId("AIDA", 17),
      arn: `arn:aws:iam::${account}:user/${userName}`,
      createDate: wholeSeconds(new Date()),
    };
    this.users.set(`${account}/${userName}`, user);
    const key = this.createAccessKey(user);
    let mfaSerial: string | undefined;
    if (options.mfaSeed !== undefined) {
      mfaSerial = `arn:aws:iam::${account}:mfa/${userName}`;
      this.mfaDevices.set(mfaSerial, {
        serial: mfaSerial,
        seedBase32: options.mfaSeed,
        user,
        usedSteps: new Set(),
      });
    }
    return {
      userName,
      account,
      arn: user.arn,
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      mfaSerial,
    };
  }

  /** The user named `userName` in `account`, if any. */
  findUser(account: string, userName: string): IamUser | undefined {
    return this.users.get(`${account}/${userName}`);
  }

  /** Gives an existing user another access key (IAM's limit of two applies). */
  addAccessKey(
    userName: string,
    account = DEFAULT_ACCOUNT,
  ): { accessKeyId: string; secretAccessKey: string } {
    const user = this.findUser(account, userName);
    if (!user) throw new Error(`no user ${userName} in ${account}`);
    const { accessKeyId, secretAccessKey } = this.createAccessKey(user);
    return { accessKeyId, secretAccessKey };
  }

  /** The access keys a user has now, oldest first. */
  accessKeysOf(userName: string, account = DEFAULT_ACCOUNT): AccessKey[] {
    return [...this.accessKeys.values()].filter((k) =>
      k.user.userName === userName && k.user.account === account
    );
  }

  /** Makes a new access key for `user`; LimitExceeded when it already has two. */
  createAccessKey(user: IamUser, unpropagatedUses = 0): AccessKey {
    if (this.accessKeysOf(user.userName, user.account).length >= 2) {
      throw new AwsError("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409);
    }
    const key: AccessKey = {
      accessKeyId: randomId("AKIA", 16),
      secretAccessKey: randomBase64(30),
      user,
      status: "Active",
      createDate: wholeSeconds(new Date()),
      unpropagatedUses,
    };
    this.accessKeys.set(key.accessKeyId, key);
    return key;
  }

  /**
   * Adds a role. `requireMfa` and `externalId` are its trust policy's conditions; `maxDuration`
   * is its MaxSessionDuration in seconds (default 3600, at most 43200).
   */
  addRole(
    options: { arn: string; requireMfa?: boolean; externalId?: string; maxDuration?: number },
  ): Role {
    const match = ROLE_ARN.exec(options.arn);
    if (!match) throw new Error(`not a role ARN: ${options.arn}`);
    const maxDuration = options.maxDuration ?? 3600;
    if (!Number.isInteger(maxDuration) || maxDuration < 3600 || maxDuration > 43200) {
      throw new Error(`MaxSessionDuration must be 3600..43200, not ${maxDuration}`);
    }
    const role: Role = {
      arn: options.arn,
      account: match[1],
      name: match[2],
      roleId: randomId("AROA", 17),
      requireMfa: options.requireMfa ?? false,
      externalId: options.externalId,
      maxDuration,
    };
    this.roles.set(role.arn, role);
    return role;
  }

  /** Registers a token AssumeRoleWithWebIdentity will accept, vouching for `subject`. */
  addWebIdentityToken(
    token: string,
    subject: string,
    options: { audience?: string; provider?: string } = {},
  ): void {
    this.webIdentityTokens.set(token, {
      subject,
      audience: options.audience ?? "sts.amazonaws.com",
      provider: options.provider ?? "https://oidc.example.com",
    });
  }

  /** Makes issued temporary credentials expire now. */
  expireCredentials(accessKeyId: string): void {
    const session = this.sessions.get(accessKeyId);
    if (!session) throw new Error(`no temporary credentials ${accessKeyId}`);
    session.expiration = wholeSeconds(new Date(Date.now() - 1000));
  }

  /** Recorded calls, optionally only those to `service` (and `action`). */
  calls(service?: string, action?: string): CallRecord[] {
    return this.log.filter((c) =>
      (service === undefined || c.service === service) &&
      (action === undefined || c.action === action)
    );
  }

  /** Forgets recorded calls. */
  clearCalls(): void {
    this.log.length = 0;
  }

  /** Issues temporary credentials valid for `durationSeconds` from `now`. */
  issueSession(
    now: Date,
    durationSeconds: number,
    spec: Omit<Session, "accessKeyId" | "secretAccessKey" | "sessionToken" | "expiration">,
  ): Session {
    const session: Session = {
      accessKeyId: randomId("ASIA", 16),
      secretAccessKey: randomBase64(30),
      // Real tokens are long base64 blobs beginning like this; '+', '/' and '=' included.
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBase64(240)}`,
      expiration: wholeSeconds(new Date(now.getTime() + durationSeconds * 1000)),
      ...spec,
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /**
   * Checks an MFA code against the device `serial` of `user` (the IAM user behind the caller).
   * Throws AWS's AccessDenied for an unknown device, a wrong code or a code already used.
   */
  checkMfa(user: IamUser | undefined, serial: string, code: string, now: Date): void {
    const device = this.mfaDevices.get(serial);
    if (!device || device.user !== user) {
      throw new AwsError(
        "AccessDenied",
        "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your " +
          "MFA serial number is valid and associated with this user.",
        403,
      );
    }
    const step = totpStep(device.seedBase32, code, now);
    if (step === undefined || (device.usedSteps.has(step) && !this.allowMfaCodeReuse)) {
      throw new AwsError(
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
        403,
      );
    }
    device.usedSteps.add(step);
  }

  /**
   * The caller behind a SigV4-signed request: the access key must be known and active (a new
   * key may still be propagating), a temporary key needs its own session token and must not
   * have expired, and the signature must verify with the key's secret.
   */
  authenticate(request: WireRequest, auth: SigV4Authorization, now: Date): Caller {
    const token = request.headers.get("x-amz-security-token");
    const key = this.accessKeys.get(auth.accessKeyId);
    if (key) {
      if (key.status !== "Active" || token !== null) throw invalidClientTokenId();
      if (key.unpropagatedUses > 0) {
        key.unpropagatedUses--;
        throw invalidClientTokenId();
      }
      verify(request, auth, key.secretAccessKey, now);
      const user = key.user;
      return {
        accessKeyId: key.accessKeyId,
        identity: { type: "user", user },
        mfa: false,
        sourceUser: user,
      };
    }
    const session = this.sessions.get(auth.accessKeyId);
    if (!session || token !== session.sessionToken) throw invalidClientTokenId();
    if (session.expiration.getTime() <= now.getTime()) {
      throw new AwsError(
        "ExpiredToken",
        "The security token included in the request is expired",
        403,
      );
    }
    verify(request, auth, session.secretAccessKey, now);
    return {
      accessKeyId: session.accessKeyId,
      identity: session.identity,
      mfa: session.mfa,
      sourceUser: session.sourceUser,
      session,
    };
  }
}

function verify(request: WireRequest, auth: SigV4Authorization, secret: string, now: Date) {
  try {
    verifySignature(request, auth, secret, now);
  } catch (e) {
    if (e instanceof SigV4Error) throw new AwsError(e.code, e.message, e.status);
    throw e;
  }
}

/** `date` truncated to whole seconds, as AWS reports times. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** ISO 8601 with seconds and `Z`, as STS and IAM write times (`2024-05-01T12:00:00Z`). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

// ---- Routing contract ----

/** One request handed to a service once the router has authenticated it. */
export interface Call {
  action: string;
  params: Record<string, string>;
  /** The authenticated caller; undefined for unsigned requests. */
  caller?: Caller;
  requestId: string;
  now: Date;
}

/**
 * A fake service the router dispatches to. The router picks it by the SigV4 credential scope's
 * service name (or, for unsigned requests on the shared endpoint, by {@link claimsUnsigned}),
 * authenticates signed requests, applies injected faults and records the call.
 */
export interface Route {
  /** The credential-scope service name, e.g. `sts`. */
  readonly service: string;
  /** The SDK variable naming this service's endpoint, e.g. `AWS_ENDPOINT_URL_STS`. */
  readonly endpointEnv?: string;
  /** The operation and its decoded parameters, for dispatch and the call log. */
  describe(request: WireRequest): { action: string; params: Record<string, string>; mfa: boolean };
  /** Whether an unsigned request on the shared endpoint is meant for this service. */
  claimsUnsigned(request: WireRequest): boolean;
  /** Whether `action` is called without a SigV4 signature. */
  allowsUnsigned(action: string): boolean;
  handle(call: Call): Response | Promise<Response>;
  /** The error as this service's protocol shapes it. */
  errorResponse(error: AwsError, requestId: string): Response;
}

// ---- AWS Query protocol ----

/** Escapes text for XML element content. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** `<name>text</name>` with the text escaped. */
export function xmlText(name: string, value: string | number | boolean): string {
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** `<name>children</name>`, skipping undefined children. */
export function xmlNode(name: string, ...children: (string | undefined)[]): string {
  return `<${name}>${children.filter((c) => c !== undefined).join("")}</${name}>`;
}

/** The decoded parameters of a Query request: its query string, then its form body. */
export function queryParams(request: WireRequest): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(request.query)) params[k] = v;
  const contentType = request.headers.get("content-type") ?? "";
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(new TextDecoder().decode(request.body))) {
      params[k] = v;
    }
  }
  return params;
}

/** The entries of a Query list `Prefix.member.N[.Field]`, in N order. */
export function queryList(
  params: Record<string, string>,
  prefix: string,
): Map<number, Record<string, string>> {
  const entries = new Map<number, Record<string, string>>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.member\\.(\\d+)(?:\\.(\\w+))?$`);
  for (const [key, value] of Object.entries(params)) {
    const m = pattern.exec(key);
    if (!m) continue;
    const n = Number(m[1]);
    const entry = entries.get(n) ?? {};
    entry[m[2] ?? ""] = value;
    entries.set(n, entry);
  }
  return new Map([...entries].sort(([a], [b]) => a - b));
}

function memberName(param: string): string {
  return param[0].toLowerCase() + param.slice(1);
}

/** AWS's single-constraint ValidationError for parameter `param` with value `value`. */
export function validationError(
  param: string,
  value: string | undefined,
  constraint: string,
): AwsError {
  const shown = value === undefined ? "null" : `'${value}'`;
  return new AwsError(
    "ValidationError",
    `1 validation error detected: Value ${shown} at '${memberName(param)}' failed to satisfy ` +
      `constraint: ${constraint}`,
  );
}

/** A required string parameter, checked for length and pattern as AWS's model does. */
export function stringParam(
  params: Record<string, string>,
  name: string,
  rule: { min: number; max: number; pattern?: RegExp; patternText?: string },
): string {
  const value = params[name];
  if (value === undefined) throw validationError(name, value, "Member must not be null");
  return checkString(name, value, rule);
}

/** An optional string parameter, checked like {@link stringParam} when present. */
export function optionalStringParam(
  params: Record<string, string>,
  name: string,
  rule: { min: number; max: number; pattern?: RegExp; patternText?: string },
): string | undefined {
  const value = params[name];
  return value === undefined ? undefined : checkString(name, value, rule);
}

function checkString(
  name: string,
  value: string,
  rule: { min: number; max: number; pattern?: RegExp; patternText?: string },
): string {
  if (value.length < rule.min) {
    throw validationError(
      name,
      value,
      `Member must have length greater than or equal to ${rule.min}`,
    );
  }
  if (value.length > rule.max) {
    throw validationError(name, value, `Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw validationError(
      name,
      value,
      `Member must satisfy regular expression pattern: ${rule.patternText}`,
    );
  }
  return value;
}

/** An integer parameter within `min..max`, `fallback` when absent. */
export function intParam(
  params: Record<string, string>,
  name: string,
  rule: { min: number; max: number; fallback: number },
): number {
  const raw = params[name];
  if (raw === undefined) return rule.fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw)) throw validationError(name, raw, "Member must be an integer");
  if (value < rule.min) {
    throw validationError(name, raw, `Member must have value greater than or equal to ${rule.min}`);
  }
  if (value > rule.max) {
    throw validationError(name, raw, `Member must have value less than or equal to ${rule.max}`);
  }
  return value;
}

/** A Query operation that needs a signed request; returns the `<ActionResult>` content. */
export type SignedQueryAction = (call: Call & { caller: Caller }) => string | undefined;
/** A Query operation callable without a signature. */
export type UnsignedQueryAction = (call: Call) => string | undefined;

/**
 * A {@link Route} for an AWS Query protocol service: `Action` and `Version` in the form,
 * responses `<ActionResponse><ActionResult>..</ActionResult><ResponseMetadata>` and errors
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`, the
 * shapes the SDK's AwsQueryProtocol and botocore parse.
 */
export function queryRoute(spec: {
  service: string;
  endpointEnv: string;
  version: string;
  xmlns: string;
  actions: Record<string, SignedQueryAction>;
  unsignedActions?: Record<string, UnsignedQueryAction>;
}): Route {
  const unsigned = spec.unsignedActions ?? {};
  const xml = (body: string, status: number, requestId: string) =>
    new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`, {
      status,
      headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
    });
  const describe = (request: WireRequest) => {
    const params = queryParams(request);
    return {
      action: params.Action ?? "",
      params,
      mfa: params.SerialNumber !== undefined && params.TokenCode !== undefined,
    };
  };
  return {
    service: spec.service,
    endpointEnv: spec.endpointEnv,
    describe,
    claimsUnsigned: (request) => Object.hasOwn(unsigned, describe(request).action),
    allowsUnsigned: (action) => Object.hasOwn(unsigned, action),
    handle(call) {
      const { action } = call;
      const known = Object.hasOwn(spec.actions, action) || Object.hasOwn(unsigned, action);
      if (!known || call.params.Version !== spec.version) {
        throw new AwsError(
          "InvalidAction",
          `Could not find operation ${action} for version ${
            call.params.Version ?? "NO_VERSION_SPECIFIED"
          }`,
        );
      }
      const result = Object.hasOwn(unsigned, action)
        ? unsigned[action](call)
        : spec.actions[action]({ ...call, caller: call.caller! });
      const body = `<${action}Response xmlns="${spec.xmlns}">` +
        (result === undefined ? "" : xmlNode(`${action}Result`, result)) +
        xmlNode("ResponseMetadata", xmlText("RequestId", call.requestId)) +
        `</${action}Response>`;
      return xml(body, 200, call.requestId);
    },
    errorResponse(error, requestId) {
      const body = `<ErrorResponse xmlns="${spec.xmlns}">` +
        xmlNode(
          "Error",
          xmlText("Type", error.type),
          xmlText("Code", error.code),
          xmlText("Message", error.message),
        ) +
        xmlText("RequestId", requestId) + `</ErrorResponse>`;
      return xml(body, error.status, requestId);
    },
  };
}
