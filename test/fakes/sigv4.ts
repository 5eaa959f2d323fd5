/**
 * AWS Signature Version 4 verification for the fake endpoints: parses the `Authorization`
 * header, rebuilds the canonical request from what arrived on the wire and recomputes the
 * signature with a given secret. Pure: the caller looks the secret up and supplies the time.
 *
 * Only header authentication (`Authorization: AWS4-HMAC-SHA256 ...`) is supported, which is what
 * the SDK and the CLI use for STS and IAM; presigned query-string requests are not.
 */
import { createHash, createHmac } from "node:crypto";

/** The AWS error a signature problem maps to (code and HTTP status as AWS answers them). */
export class SigV4Error extends Error {
  constructor(
    readonly code: "IncompleteSignature" | "SignatureDoesNotMatch",
    message: string,
  ) {
    super(message);
    this.name = "SigV4Error";
  }

  /** 400 for a malformed header, 403 for a signature that does not verify. */
  get status(): number {
    return this.code === "IncompleteSignature" ? 400 : 403;
  }
}

/** A request as it arrived: path and query exactly as on the wire (still percent-encoded). */
export interface WireRequest {
  method: string;
  path: string;
  query: string;
  headers: Headers;
  body: Uint8Array;
}

/** The parts of an `AWS4-HMAC-SHA256` Authorization header. */
export interface SigV4Authorization {
  accessKeyId: string;
  /** Credential scope date, YYYYMMDD. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const MAX_SKEW_MS = 15 * 60 * 1000;
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/** The `Authorization` header's credential, or undefined when the request is not SigV4-signed. */
export function parseAuthorization(header: string | null): SigV4Authorization | undefined {
  if (header === null) return undefined;
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  if (algorithm !== ALGORITHM) {
    throw new SigV4Error("IncompleteSignature", `Unsupported AWS 'algorithm': '${algorithm}'.`);
  }
  const fields = new Map<string, string>();
  for (const part of rest.join("").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((f) => !fields.get(f));
  if (missing.length > 0) {
    throw new SigV4Error(
      "IncompleteSignature",
      missing.map((f) => `Authorization header requires '${f}' parameter.`).join(" ") +
        ` Authorization=${header}`,
    );
  }
  const credential = fields.get("Credential")!.split("/");
  if (credential.length !== 5) {
    throw new SigV4Error(
      "IncompleteSignature",
      `Credential should have 5 slash-separated parts, not ${credential.length}.`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = credential;
  if (terminator !== "aws4_request") {
    throw new SigV4Error(
      "SignatureDoesNotMatch",
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
    );
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: fields.get("SignedHeaders")!.split(";"),
    signature: fields.get("Signature")!,
  };
}

/** RFC 3986 percent-encoding as SigV4 wants it (unreserved characters kept, all else %XX). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The canonical URI: dot segments and empty segments removed, then encoded once more. */
function canonicalPath(wirePath: string): string {
  const segments: string[] = [];
  for (const segment of wirePath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && wirePath.endsWith("/") ? "/" : "";
  return uriEncode(`/${segments.join("/")}${trailing}`).replace(/%2F/g, "/");
}

function canonicalQuery(wireQuery: string): string {
  if (wireQuery === "") return "";
  return wireQuery.split("&").filter((p) => p !== "").map((pair) => {
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? "" : pair.slice(eq + 1);
    return [uriEncode(decode(key)), uriEncode(decode(value))];
  }).sort(([ka, va], [kb, vb]) => ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0)
    .map(([k, v]) => `${k}=${v}`).join("&");
}

/** Hex SHA-256, the payload hash of SigV4. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Uint8Array | string, data: string): Uint8Array {
  return createHmac("sha256", key).update(data).digest();
}

/** The canonical request string that the signature covers. */
export function canonicalRequest(
  request: WireRequest,
  signedHeaders: string[],
  payloadHash: string,
): string {
  const headerLines = signedHeaders.map((name) => {
    const value = request.headers.get(name);
    if (value === null) {
      throw new SigV4Error(
        "SignatureDoesNotMatch",
        `The request signature we calculated does not match the signature you provided. ` +
          `Signed header '${name}' is not present in the request.`,
      );
    }
    return `${name}:${value.replace(/\s+/g, " ").trim()}\n`;
  }).join("");
  return [
    request.method.toUpperCase(),
    canonicalPath(request.path),
    canonicalQuery(request.query),
    headerLines,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

/** The hex signature of `canonical` for the given credential scope, time and secret. */
export function computeSignature(
  secretAccessKey: string,
  auth: Pick<SigV4Authorization, "date" | "region" | "service">,
  amzDate: string,
  canonical: string,
): string {
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
  let key: Uint8Array = hmac(`AWS4${secretAccessKey}`, auth.date);
  for (const part of [auth.region, auth.service, "aws4_request"]) key = hmac(key, part);
  return createHmac("sha256", key).update(stringToSign).digest("hex");
}

function amzDateOf(request: WireRequest): string {
  const xAmzDate = request.headers.get("x-amz-date");
  if (xAmzDate !== null) return xAmzDate;
  const date = request.headers.get("date");
  if (date === null) {
    throw new SigV4Error(
      "IncompleteSignature",
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  return toAmzDate(new Date(date));
}

function parseAmzDate(amzDate: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) {
    throw new SigV4Error(
      "IncompleteSignature",
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`,
    );
  }
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** Formats a time as SigV4's basic ISO 8601 (`20150830T123600Z`). */
export function toAmzDate(time: Date): string {
  return time.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * Checks that `request` carries a valid signature by `secretAccessKey` under `auth`, made within
 * 15 minutes of `now`. Throws {@link SigV4Error} with AWS's code and message otherwise.
 */
export function verifySignature(
  request: WireRequest,
  auth: SigV4Authorization,
  secretAccessKey: string,
  now: Date,
): void {
  if (!auth.signedHeaders.includes("host")) {
    throw new SigV4Error(
      "IncompleteSignature",
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const amzDate = amzDateOf(request);
  const signedAt = parseAmzDate(amzDate);
  if (amzDate.slice(0, 8) !== auth.date) {
    throw new SigV4Error(
      "SignatureDoesNotMatch",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from ` +
        `HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const bodyHash = sha256Hex(request.body);
  const declaredHash = request.headers.get("x-amz-content-sha256");
  if (declaredHash !== null && declaredHash !== UNSIGNED_PAYLOAD && declaredHash !== bodyHash) {
    throw new SigV4Error(
      "SignatureDoesNotMatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const canonical = canonicalRequest(request, auth.signedHeaders, declaredHash ?? bodyHash);
  if (computeSignature(secretAccessKey, auth, amzDate, canonical) !== auth.signature) {
    throw new SigV4Error(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check " +
        "your AWS Secret Access Key and signing method. Consult the service documentation for " +
        "details.",
    );
  }
  const skew = signedAt.getTime() - now.getTime();
  if (skew < -MAX_SKEW_MS) {
    throw new SigV4Error(
      "SignatureDoesNotMatch",
      `Signature expired: ${amzDate} is now earlier than ` +
        `${toAmzDate(new Date(now.getTime() - MAX_SKEW_MS))} (${toAmzDate(now)} - 15 min.)`,
    );
  }
  if (skew > MAX_SKEW_MS) {
    throw new SigV4Error(
      "SignatureDoesNotMatch",
      `Signature not yet current: ${amzDate} is still later than ` +
        `${toAmzDate(new Date(now.getTime() + MAX_SKEW_MS))} (${toAmzDate(now)} + 15 min.)`,
    );
  }
}
