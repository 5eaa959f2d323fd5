import assert from "node:assert/strict";
import {
  canonicalRequest,
  computeSignature,
  parseAuthorization,
  sha256Hex,
  SigV4Error,
  verifySignature,
  type WireRequest,
} from "./sigv4.ts";

// AWS's published SigV4 test suite: credentials, scope and time shared by its vectors.
const SUITE_KEY = "AKIDEXAMPLE";
const SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SUITE_TIME = new Date("2015-08-30T12:36:00Z");

function suiteRequest(
  method: string,
  pathAndQuery: string,
  extraHeaders: Record<string, string> = {},
  body = "",
): WireRequest {
  const [path, query = ""] = pathAndQuery.split("?");
  return {
    method,
    path,
    query,
    headers: new Headers({
      host: "example.amazonaws.com",
      "x-amz-date": "20150830T123600Z",
      ...extraHeaders,
    }),
    body: new TextEncoder().encode(body),
  };
}

function suiteAuthorization(signedHeaders: string, signature: string): string {
  return `AWS4-HMAC-SHA256 Credential=${SUITE_KEY}/20150830/us-east-1/service/aws4_request, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

const VECTORS = [
  {
    name: "get-vanilla",
    request: () => suiteRequest("GET", "/"),
    signedHeaders: "host;x-amz-date",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    name: "get-vanilla-query-order-key-case",
    request: () => suiteRequest("GET", "/?Param2=value2&Param1=value1"),
    signedHeaders: "host;x-amz-date",
    signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
  },
  {
    name: "post-vanilla",
    request: () => suiteRequest("POST", "/"),
    signedHeaders: "host;x-amz-date",
    signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
  },
  {
    name: "post-x-www-form-urlencoded",
    request: () =>
      suiteRequest(
        "POST",
        "/",
        { "content-type": "application/x-www-form-urlencoded" },
        "Param1=value1",
      ),
    signedHeaders: "content-type;host;x-amz-date",
    signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
  },
];

function assertRefused(fn: () => void, code: string, message: RegExp) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof SigV4Error);
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

for (const vector of VECTORS) {
  Deno.test(`verifySignature accepts AWS's ${vector.name} vector`, () => {
    const auth = parseAuthorization(suiteAuthorization(vector.signedHeaders, vector.signature));
    assert.ok(auth);
    verifySignature(vector.request(), auth, SUITE_SECRET, SUITE_TIME);
  });
}

Deno.test("parseAuthorization reads the credential scope and signed headers", () => {
  const auth = parseAuthorization(suiteAuthorization("host;x-amz-date", "abc"));
  assert.deepEqual(auth, {
    accessKeyId: SUITE_KEY,
    date: "20150830",
    region: "us-east-1",
    service: "service",
    signedHeaders: ["host", "x-amz-date"],
    signature: "abc",
  });
  assert.equal(parseAuthorization(null), undefined);
});

Deno.test("parseAuthorization refuses malformed headers as IncompleteSignature", () => {
  assertRefused(
    () => parseAuthorization("AWS4-HMAC-SHA1 Credential=x"),
    "IncompleteSignature",
    /algorithm/,
  );
  assertRefused(
    () =>
      parseAuthorization(
        `AWS4-HMAC-SHA256 Credential=${SUITE_KEY}/20150830/us-east-1/service/aws4_request`,
      ),
    "IncompleteSignature",
    /requires 'SignedHeaders' parameter.*requires 'Signature' parameter/,
  );
  assertRefused(
    () => parseAuthorization("AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=x"),
    "IncompleteSignature",
    /5 slash-separated parts/,
  );
});

const GET_VANILLA = VECTORS[0];
const FORM = VECTORS[3];

function vectorAuth(vector: typeof VECTORS[number]) {
  return parseAuthorization(suiteAuthorization(vector.signedHeaders, vector.signature))!;
}

Deno.test("verifySignature refuses another secret", () => {
  assertRefused(
    () => verifySignature(GET_VANILLA.request(), vectorAuth(GET_VANILLA), "other", SUITE_TIME),
    "SignatureDoesNotMatch",
    /^The request signature we calculated does not match the signature you provided/,
  );
});

Deno.test("verifySignature refuses a changed body, header, path or query", () => {
  const changes: ((r: WireRequest) => void)[] = [
    (r) => r.body = new TextEncoder().encode("Param1=value2"),
    (r) => r.headers.set("content-type", "text/plain"),
    (r) => r.path = "/other",
    (r) => r.query = "Param1=value1",
    (r) => r.method = "PUT",
  ];
  for (const change of changes) {
    const request = FORM.request();
    change(request);
    assertRefused(
      () => verifySignature(request, vectorAuth(FORM), SUITE_SECRET, SUITE_TIME),
      "SignatureDoesNotMatch",
      /does not match/,
    );
  }
});

Deno.test("verifySignature ignores unsigned headers and whitespace runs in signed values", () => {
  const request = FORM.request();
  request.headers.set("user-agent", "anything");
  request.headers.set("content-type", "  application/x-www-form-urlencoded ");
  verifySignature(request, vectorAuth(FORM), SUITE_SECRET, SUITE_TIME);
});

Deno.test("verifySignature refuses requests signed more than 15 minutes from now", () => {
  const auth = vectorAuth(GET_VANILLA);
  const minutes = (n: number) => new Date(SUITE_TIME.getTime() + n * 60_000);
  verifySignature(GET_VANILLA.request(), auth, SUITE_SECRET, minutes(14));
  verifySignature(GET_VANILLA.request(), auth, SUITE_SECRET, minutes(-14));
  assertRefused(
    () => verifySignature(GET_VANILLA.request(), auth, SUITE_SECRET, minutes(16)),
    "SignatureDoesNotMatch",
    /^Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z \(20150830T125200Z - 15 min\.\)$/,
  );
  assertRefused(
    () => verifySignature(GET_VANILLA.request(), auth, SUITE_SECRET, minutes(-16)),
    "SignatureDoesNotMatch",
    /^Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z/,
  );
});

Deno.test("verifySignature demands a signed host and a date matching the scope", () => {
  assertRefused(
    () =>
      verifySignature(
        GET_VANILLA.request(),
        { ...vectorAuth(GET_VANILLA), signedHeaders: ["x-amz-date"] },
        SUITE_SECRET,
        SUITE_TIME,
      ),
    "IncompleteSignature",
    /'Host' or ':authority' must be a 'SignedHeader'/,
  );
  assertRefused(
    () =>
      verifySignature(
        GET_VANILLA.request(),
        { ...vectorAuth(GET_VANILLA), date: "20150831" },
        SUITE_SECRET,
        SUITE_TIME,
      ),
    "SignatureDoesNotMatch",
    /Date in Credential scope does not match/,
  );
  const undated = GET_VANILLA.request();
  undated.headers.delete("x-amz-date");
  assertRefused(
    () => verifySignature(undated, vectorAuth(GET_VANILLA), SUITE_SECRET, SUITE_TIME),
    "IncompleteSignature",
    /'X-Amz-Date' or a 'Date' header/,
  );
});

// The GET Object example of the S3 SigV4 documentation, which signs x-amz-content-sha256.
const S3_EXAMPLE = {
  request: (): WireRequest => ({
    method: "GET",
    path: "/test.txt",
    query: "",
    headers: new Headers({
      host: "examplebucket.s3.amazonaws.com",
      range: "bytes=0-9",
      "x-amz-content-sha256": sha256Hex(""),
      "x-amz-date": "20130524T000000Z",
    }),
    body: new Uint8Array(),
  }),
  auth: parseAuthorization(
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
      "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
      "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
  )!,
  secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  time: new Date("2013-05-24T00:00:00Z"),
};

Deno.test("verifySignature takes the payload hash from x-amz-content-sha256 when sent", () => {
  verifySignature(S3_EXAMPLE.request(), S3_EXAMPLE.auth, S3_EXAMPLE.secret, S3_EXAMPLE.time);
});

Deno.test("verifySignature refuses an x-amz-content-sha256 the body does not have", () => {
  const request = S3_EXAMPLE.request();
  request.body = new TextEncoder().encode("smuggled");
  assertRefused(
    () => verifySignature(request, S3_EXAMPLE.auth, S3_EXAMPLE.secret, S3_EXAMPLE.time),
    "SignatureDoesNotMatch",
    /x-amz-content-sha256/,
  );
});

Deno.test("canonicalRequest normalises and re-encodes the path and sorts the query", () => {
  const request: WireRequest = {
    method: "post",
    path: "/a%20b/./c/../d/",
    query: "b=2&a=x%20y&a=1&c",
    headers: new Headers({ host: "h" }),
    body: new Uint8Array(),
  };
  assert.equal(
    canonicalRequest(request, ["host"], "HASH"),
    "POST\n/a%2520b/d/\na=1&a=x%20y&b=2&c=\nhost:h\n\nhost\nHASH",
  );
});

Deno.test("computeSignature depends on every part of the credential scope", () => {
  const canonical = canonicalRequest(GET_VANILLA.request(), ["host", "x-amz-date"], sha256Hex(""));
  const scope = { date: "20150830", region: "us-east-1", service: "service" };
  assert.equal(
    computeSignature(SUITE_SECRET, scope, "20150830T123600Z", canonical),
    GET_VANILLA.signature,
  );
  for (const other of [{ region: "eu-west-1" }, { service: "sts" }, { date: "20150831" }]) {
    assert.notEqual(
      computeSignature(SUITE_SECRET, { ...scope, ...other }, "20150830T123600Z", canonical),
      GET_VANILLA.signature,
    );
  }
});
