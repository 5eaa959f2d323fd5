/**
 * The items aws-vault keeps in its keyring (spec sections 4 and 5): key names
 * and the JSON inside each item, written byte for byte as aws-vault (Go's
 * encoding/json) writes them and read as leniently as aws-vault reads them.
 * Pure: no I/O.
 */
import type { Credentials } from "../credentials/types.ts";
import { UserError } from "../errors.ts";
import type { Item } from "./keyring.ts";

const utf8 = new TextEncoder();
const fromUtf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * JSON text as Go's json.Marshal writes it: like JSON.stringify, plus Go's
 * escaping of `<`, `>`, `&`, U+2028 and U+2029 (those characters can only
 * occur inside strings, so replacing them in the whole text is safe).
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Go's time.RFC3339 layout in UTC: whole seconds, `Z`. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}

/** Go's time.RFC3339Nano layout in UTC, as json.Marshal writes a time.Time: trailing zeros trimmed. */
function rfc3339Nano(date: Date): string {
  return date.toISOString().replace(/\.?0*Z$/, "Z");
}

/** A field of a JSON object the way Go's json.Unmarshal finds it: exact name first, then any case. */
function field(object: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  const match = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return match === undefined ? undefined : object[match];
}

function parseObject(data: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(fromUtf8(data));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

// ---- long-term keys ------------------------------------------------------

/** Long-term keys as `vault add` stores them. */
export interface StoredKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The item for a profile's long-term keys: key = profile name, Data = Go's
 * aws.Credentials JSON. aws-vault sets no description on this item.
 */
export function encodeStoredKeys(name: string, keys: StoredKeys): Item {
  const data = goJson({
    AccessKeyID: keys.accessKeyId,
    SecretAccessKey: keys.secretAccessKey,
    SessionToken: "",
    Source: "",
    CanExpire: false,
    Expires: "0001-01-01T00:00:00Z",
  });
  return { key: name, data: utf8.encode(data), label: `aws-vault (${name})`, description: "" };
}

/** The credentials in a long-term keys item; accepts aws-vault's minimal `{"AccessKeyID","SecretAccessKey"}`. */
export function decodeStoredKeys(item: Item): Credentials {
  const json = parseObject(item.data);
  const accessKeyId = json && optionalString(field(json, "AccessKeyID"));
  const secretAccessKey = json && optionalString(field(json, "SecretAccessKey"));
  if (!json || !accessKeyId || !secretAccessKey) {
    throw new UserError(
      `the vault item "${item.key}" does not hold AWS keys (AccessKeyID and SecretAccessKey): ` +
        `store them again with \`vault add ${item.key}\``,
    );
  }
  const sessionToken = optionalString(field(json, "SessionToken"));
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : {
    accessKeyId,
    secretAccessKey,
  };
}

// ---- session keys --------------------------------------------------------

/** The kinds of cached session aws-vault names in its session keys. */
export type SessionType =
  | "sts.GetSessionToken"
  | "sts.AssumeRole"
  | "sts.AssumeRoleWithWebIdentity"
  | "sso.GetRoleCredentials"
  | "credential_process";

const SESSION_TYPES: ReadonlySet<string> = new Set<SessionType>([
  "sts.GetSessionToken",
  "sts.AssumeRole",
  "sts.AssumeRoleWithWebIdentity",
  "sso.GetRoleCredentials",
  "credential_process",
]);

/** What a session key says about its session. */
export interface SessionKey {
  type: SessionType;
  profile: string;
  /** The MFA serial used ("" for none), or the SSO start URL for `sso.GetRoleCredentials`. */
  mfaSerial: string;
  expiration: Date;
}

// aws-vault's own patterns (vault/sessionkeyring.go), so both tools classify keys alike.
const SESSION_KEY = /^([^,]+),([^,]+),([^,]*),([0-9]+)$/;
const LEGACY_SESSION_KEYS = [
  /^session,[^,]+,[^,]*,[0-9]{2,}$/,
  /^session:[^ ]+:[^ ]*:[^:]+$/,
  /^.+? session \(\d+\)$/,
];

const toBase64Url = (text: string) =>
  utf8.encode(text).toBase64({ alphabet: "base64url", omitPadding: true });

/** Decodes unpadded base64url like Go's RawURLEncoding: any other character (`=` too) is an error. */
function fromBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    return fromUtf8(Uint8Array.fromBase64(text, { alphabet: "base64url" }));
  } catch {
    return undefined;
  }
}

/** Parses any current-format session key, whatever its type (aws-vault accepts any). */
function parseAnySessionKey(key: string) {
  const m = SESSION_KEY.exec(key);
  if (!m) return undefined;
  const profile = fromBase64Url(m[2]);
  const mfaSerial = fromBase64Url(m[3]);
  const seconds = Number(m[4]);
  if (profile === undefined || mfaSerial === undefined || !Number.isSafeInteger(seconds)) {
    return undefined;
  }
  return { type: m[1], profile, mfaSerial, expiration: new Date(seconds * 1000) };
}

/** `<type>,<base64url(profile)>,<base64url(mfa)>,<expiry unix seconds>`. */
export function formatSessionKey(k: SessionKey): string {
  const seconds = Math.floor(k.expiration.getTime() / 1000);
  return `${k.type},${toBase64Url(k.profile)},${toBase64Url(k.mfaSerial)},${seconds}`;
}

/** The parts of a current-format session key of a known type; undefined for anything else. */
export function parseSessionKey(key: string): SessionKey | undefined {
  const parsed = parseAnySessionKey(key);
  if (!parsed || !SESSION_TYPES.has(parsed.type)) return undefined;
  return { ...parsed, type: parsed.type as SessionType };
}

/** Session keys of aws-vault versions before 6 (`session,...`, `session:...`, `NAME session (123)`): deleted on sight. */
export function isLegacySessionKey(key: string): boolean {
  return LEGACY_SESSION_KEYS.some((pattern) => pattern.test(key));
}

/** Any session key, current or legacy, as aws-vault decides it. */
export function isSessionKey(key: string): boolean {
  return parseAnySessionKey(key) !== undefined || isLegacySessionKey(key);
}

/** The key of a cached SSO token: `oidc:<start URL>`. */
export function isOidcTokenKey(key: string): boolean {
  return key.startsWith("oidc:");
}

/** A key that holds a profile's long-term keys: neither a session nor an SSO token. */
export function isStoredKeysKey(key: string): boolean {
  return !isSessionKey(key) && !isOidcTokenKey(key);
}

// ---- session data --------------------------------------------------------

const SESSION_FIELDS = ["AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken"];

/**
 * The item for a cached session. Data is Go's sts types.Credentials JSON (its
 * fields in Go's order) followed by `extra` fields, which aws-vault ignores.
 * The key takes its expiry from the credentials, as aws-vault does.
 */
export function encodeSession(
  key: SessionKey,
  creds: Credentials,
  extra: Record<string, string> = {},
): Item {
  const clash = Object.keys(extra).find((k) =>
    SESSION_FIELDS.some((f) => f.toLowerCase() === k.toLowerCase())
  );
  if (clash) throw new Error(`extra session field ${clash} would hide a credentials field`);
  const expiration = creds.expiration ?? key.expiration;
  const data = goJson({
    AccessKeyId: creds.accessKeyId,
    Expiration: rfc3339Nano(expiration),
    SecretAccessKey: creds.secretAccessKey,
    SessionToken: creds.sessionToken ?? "",
    ...extra,
  });
  return {
    key: formatSessionKey({ ...key, expiration }),
    data: utf8.encode(data),
    label: `aws-vault session for ${key.profile} (expires ${rfc3339(expiration)})`,
    description: "aws-vault session",
  };
}

/** The credentials of a cached session and its extra string fields. */
export function decodeSession(item: Item): { creds: Credentials; extra: Record<string, string> } {
  const json = parseObject(item.data);
  const accessKeyId = json && optionalString(field(json, "AccessKeyId"));
  const secretAccessKey = json && optionalString(field(json, "SecretAccessKey"));
  const expiresText = json && field(json, "Expiration");
  const expiration = typeof expiresText === "string" ? new Date(expiresText) : undefined;
  if (!json || !accessKeyId || !secretAccessKey || !expiration || isNaN(expiration.getTime())) {
    throw new UserError(
      `the cached session "${item.key}" in the vault is damaged: drop it with \`vault clear\``,
    );
  }
  const sessionToken = optionalString(field(json, "SessionToken"));
  const creds: Credentials = sessionToken
    ? { accessKeyId, secretAccessKey, sessionToken, expiration }
    : { accessKeyId, secretAccessKey, expiration };
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) {
    const standard = SESSION_FIELDS.some((f) => f.toLowerCase() === k.toLowerCase());
    if (!standard && typeof v === "string") extra[k] = v;
  }
  return { creds, extra };
}

// ---- SSO token -----------------------------------------------------------

/** A cached SSO-OIDC token: aws-vault's `Token` object, its expiry, and any other top-level fields. */
export interface OidcToken {
  token: Record<string, unknown>;
  expiration: Date;
  /** Other top-level fields, e.g. ByteNess's `ClientID`/`ClientSecret` for refreshing. */
  extra: Record<string, unknown>;
}

/** The item for an SSO token: key `oidc:<start URL>`, Data `{"Token":{...},"Expiration":"..."}`. */
export function encodeOidcToken(
  startUrl: string,
  token: Record<string, unknown>,
  expiration: Date,
  extra: Record<string, unknown> = {},
): Item {
  const data = goJson({ Token: token, Expiration: rfc3339Nano(expiration), ...extra });
  return {
    key: `oidc:${startUrl}`,
    data: utf8.encode(data),
    label: `aws-vault oidc token for ${startUrl} (expires ${rfc3339(expiration)})`,
    description: "aws-vault oidc token",
  };
}

/** The token in an SSO token item. */
export function decodeOidcToken(item: Item): OidcToken {
  const json = parseObject(item.data);
  const token = json && field(json, "Token");
  const expiresText = json && field(json, "Expiration");
  const expiration = typeof expiresText === "string" ? new Date(expiresText) : undefined;
  if (
    !json || token === null || typeof token !== "object" || Array.isArray(token) ||
    !expiration || isNaN(expiration.getTime())
  ) {
    throw new UserError(
      `the cached SSO token "${item.key}" in the vault is damaged: drop it with \`vault clear\``,
    );
  }
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) {
    if (!["token", "expiration"].includes(k.toLowerCase())) extra[k] = v;
  }
  return { token: token as Record<string, unknown>, expiration, extra };
}
