import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { UserError } from "../errors.ts";
import {
  decodeOidcToken,
  decodeSession,
  decodeStoredKeys,
  encodeOidcToken,
  encodeSession,
  encodeStoredKeys,
  formatSessionKey,
  goJson,
  isLegacySessionKey,
  isOidcTokenKey,
  isSessionKey,
  isStoredKeysKey,
  parseSessionKey,
} from "./items.ts";
import type { Item } from "./keyring.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const item = (key: string, data: string): Item => ({
  key,
  data: new TextEncoder().encode(data),
  label: "",
  description: "",
});
/** Node's base64url: an implementation independent of the code under test (no padding). */
const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

function assertUserError(fn: () => unknown, pattern: RegExp, secret?: string) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.match(e.message, pattern);
    if (secret) assert.ok(!e.message.includes(secret), "the message must not contain the secret");
    return true;
  });
}

Deno.test("long-term keys are stored exactly as aws-vault add stores them", () => {
  const stored = encodeStoredKeys("jonsmith", {
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  });
  assert.equal(stored.key, "jonsmith");
  assert.equal(stored.label, "aws-vault (jonsmith)");
  assert.equal(stored.description, "");
  assert.equal(
    text(stored.data),
    '{"AccessKeyID":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",' +
      '"SessionToken":"","Source":"","CanExpire":false,"Expires":"0001-01-01T00:00:00Z"}',
  );
  assert.deepEqual(decodeStoredKeys(stored), {
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  });
});

Deno.test("decodeStoredKeys accepts aws-vault's minimal JSON and Go's case-insensitive names", () => {
  assert.deepEqual(
    decodeStoredKeys(item("a", '{"AccessKeyID":"AKIA1","SecretAccessKey":"s1"}')),
    { accessKeyId: "AKIA1", secretAccessKey: "s1" },
  );
  assert.deepEqual(
    decodeStoredKeys(item("b", '{"accesskeyid":"AKIA2","secretAccessKey":"s2","AccountID":""}')),
    { accessKeyId: "AKIA2", secretAccessKey: "s2" },
  );
});

Deno.test("decodeStoredKeys names the key on bad data and never shows the secret", () => {
  assertUserError(() => decodeStoredKeys(item("work", "{not json")), /"work"/);
  assertUserError(
    () => decodeStoredKeys(item("work", '{"AccessKeyID":"AKIA1","Secret":"topsecret"}')),
    /"work".*vault add work/,
    "topsecret",
  );
  assertUserError(() => decodeStoredKeys(item("work", '["AKIA1","s"]')), /"work"/);
});

Deno.test("session keys use unpadded base64url of profile and MFA serial", () => {
  const mfa = "arn:aws:iam::111111111111:mfa/jonsmith";
  const key = formatSessionKey({
    type: "sts.GetSessionToken",
    profile: "jonsmith",
    mfaSerial: mfa,
    expiration: new Date("2023-11-14T22:13:20.900Z"),
  });
  assert.equal(key, `sts.GetSessionToken,${b64url("jonsmith")},${b64url(mfa)},1700000000`);
  assert.ok(!key.includes("="));
});

Deno.test("session keys round-trip names with non-ASCII, '/', '?' and '>'", () => {
  for (const profile of ["équipe/dev", "a?>?", "日本", "x"]) {
    const k = {
      type: "sso.GetRoleCredentials" as const,
      profile,
      mfaSerial: "https://example.awsapps.com/start#/",
      expiration: new Date(1700000000 * 1000),
    };
    const key = formatSessionKey(k);
    const fields = key.split(",");
    assert.equal(fields.length, 4);
    assert.equal(fields[1], b64url(profile));
    assert.match(fields[1], /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(parseSessionKey(key), k);
    assert.equal(isSessionKey(key), true);
    assert.equal(isStoredKeysKey(key), false);
  }
});

Deno.test("an empty MFA serial gives an empty field", () => {
  const key = formatSessionKey({
    type: "sts.AssumeRole",
    profile: "p",
    mfaSerial: "",
    expiration: new Date(5000),
  });
  assert.equal(key, `sts.AssumeRole,${b64url("p")},,5`);
  assert.equal(parseSessionKey(key)?.mfaSerial, "");
});

Deno.test("parseSessionKey rejects what aws-vault rejects", () => {
  assert.equal(parseSessionKey("jonsmith"), undefined);
  assert.equal(parseSessionKey(`sts.AssumeRole,${b64url("ab")}=,,1700000000`), undefined);
  assert.equal(parseSessionKey(`sts.AssumeRole,${b64url("ab")},,17000x`), undefined);
  assert.equal(parseSessionKey(`sts.AssumeRole,,,1700000000`), undefined);
  assert.equal(parseSessionKey(`sts.AssumeRole,a+b,,1700000000`), undefined);
  // Unknown types are still sessions to aws-vault, so they are never taken for stored keys.
  const unknown = `sts.GetFederationToken,${b64url("p")},,1700000000`;
  assert.equal(parseSessionKey(unknown), undefined);
  assert.equal(isSessionKey(unknown), true);
  assert.equal(isStoredKeysKey(unknown), false);
});

Deno.test("legacy session keys are recognised", () => {
  for (
    const key of [
      "session,am9uc21pdGg,,1500000000",
      "session:jonsmith:arn:aws:iam::1:mfa/x:1500000000",
      "jonsmith session (1500000000)",
    ]
  ) {
    assert.equal(isLegacySessionKey(key), true, key);
    assert.equal(isSessionKey(key), true, key);
    assert.equal(isStoredKeysKey(key), false, key);
  }
  for (const key of ["jonsmith", "session", "my session", "sts.AssumeRole,cA,,1700000000"]) {
    assert.equal(isLegacySessionKey(key), false, key);
  }
});

Deno.test("key classes: stored keys, sessions, SSO tokens", () => {
  assert.equal(isStoredKeysKey("default"), true);
  assert.equal(isStoredKeysKey("org/admin%1"), true);
  assert.equal(isOidcTokenKey("oidc:https://x.awsapps.com/start"), true);
  assert.equal(isStoredKeysKey("oidc:https://x.awsapps.com/start"), false);
  assert.equal(isOidcTokenKey("default"), false);
});

Deno.test("sessions are stored as aws-vault stores them, extra fields after Go's", () => {
  const expiration = new Date("2024-03-01T12:30:00Z");
  const stored = encodeSession(
    {
      type: "sts.AssumeRole",
      profile: "foo-admin",
      mfaSerial: "arn:aws:iam::1:mfa/j",
      expiration: new Date(0),
    },
    { accessKeyId: "ASIA1", secretAccessKey: "sec", sessionToken: "tok", expiration },
    { VaultFingerprint: "role=a&b<c>" },
  );
  assert.equal(
    stored.key,
    `sts.AssumeRole,${b64url("foo-admin")},${b64url("arn:aws:iam::1:mfa/j")},1709296200`,
  );
  assert.equal(stored.label, "aws-vault session for foo-admin (expires 2024-03-01T12:30:00Z)");
  assert.equal(stored.description, "aws-vault session");
  assert.equal(
    text(stored.data),
    '{"AccessKeyId":"ASIA1","Expiration":"2024-03-01T12:30:00Z","SecretAccessKey":"sec",' +
      '"SessionToken":"tok","VaultFingerprint":"role=a\\u0026b\\u003cc\\u003e"}',
  );
  assert.deepEqual(decodeSession(stored), {
    creds: { accessKeyId: "ASIA1", secretAccessKey: "sec", sessionToken: "tok", expiration },
    extra: { VaultFingerprint: "role=a&b<c>" },
  });
});

Deno.test("encodeSession refuses extra fields that would shadow the credentials", () => {
  const k = {
    type: "sts.AssumeRole" as const,
    profile: "p",
    mfaSerial: "",
    expiration: new Date(),
  };
  assert.throws(() =>
    encodeSession(k, { accessKeyId: "a", secretAccessKey: "s" }, { sessiontoken: "x" })
  );
});

Deno.test("decodeSession reads aws-vault's data with any UTC offset and fraction", () => {
  const { creds, extra } = decodeSession(item(
    "k",
    '{"AccessKeyId":"ASIA2","Expiration":"2024-03-01T14:30:00.25+02:00",' +
      '"SecretAccessKey":"s","SessionToken":"t"}',
  ));
  assert.deepEqual(creds, {
    accessKeyId: "ASIA2",
    secretAccessKey: "s",
    sessionToken: "t",
    expiration: new Date("2024-03-01T12:30:00.250Z"),
  });
  assert.deepEqual(extra, {});
});

Deno.test("decodeSession reports a damaged session by its key", () => {
  assertUserError(() => decodeSession(item("sess-key", "garbage")), /"sess-key".*vault clear/);
  assertUserError(
    () => decodeSession(item("k2", '{"AccessKeyId":"A","SecretAccessKey":"hidden"}')),
    /"k2"/,
    "hidden",
  );
  assertUserError(
    () =>
      decodeSession(item(
        "k3",
        '{"AccessKeyId":"A","SecretAccessKey":"s","SessionToken":"t","Expiration":"soon"}',
      )),
    /"k3"/,
  );
});

Deno.test("SSO tokens are stored under oidc:<start URL> and round-trip", () => {
  const expiration = new Date("2024-03-01T12:00:00.5Z");
  const token = { AccessToken: "at", ExpiresIn: 28800, RefreshToken: null, TokenType: "Bearer" };
  const stored = encodeOidcToken("https://x.awsapps.com/start#/", token, expiration, {
    ClientID: "cid",
  });
  assert.equal(stored.key, "oidc:https://x.awsapps.com/start#/");
  assert.equal(
    stored.label,
    "aws-vault oidc token for https://x.awsapps.com/start#/ (expires 2024-03-01T12:00:00Z)",
  );
  assert.equal(stored.description, "aws-vault oidc token");
  assert.equal(
    text(stored.data),
    '{"Token":{"AccessToken":"at","ExpiresIn":28800,"RefreshToken":null,"TokenType":"Bearer"},' +
      '"Expiration":"2024-03-01T12:00:00.5Z","ClientID":"cid"}',
  );
  assert.deepEqual(decodeOidcToken(stored), { token, expiration, extra: { ClientID: "cid" } });
  assertUserError(() => decodeOidcToken(item("oidc:u", '{"Token":"x"}')), /"oidc:u"/);
});

Deno.test("goJson escapes like Go's json.Marshal", () => {
  assert.equal(goJson({ a: "<&>\u2028\u2029é" }), '{"a":"\\u003c\\u0026\\u003e\\u2028\\u2029é"}');
});
