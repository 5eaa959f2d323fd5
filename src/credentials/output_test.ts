import assert from "node:assert/strict";
import { credentialVars, formatEnv, formatIni, formatJson, rfc3339 } from "./output.ts";

const temp = {
  accessKeyId: "ASIAEXAMPLE",
  secretAccessKey: "secret/with+chars",
  sessionToken: "token==",
  expiration: new Date("2026-11-21T15:04:05.678Z"),
};
const longTerm = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s" };

Deno.test("rfc3339 prints UTC with Z and no fraction, as aws-vault does", () => {
  assert.equal(rfc3339(temp.expiration), "2026-11-21T15:04:05Z");
});

Deno.test("json is the 2-space credential_process form; long-term keys omit token and expiration", () => {
  assert.equal(
    formatJson(temp),
    `{\n  "Version": 1,\n  "AccessKeyId": "ASIAEXAMPLE",\n  "SecretAccessKey": "secret/with+chars",\n` +
      `  "SessionToken": "token==",\n  "Expiration": "2026-11-21T15:04:05Z"\n}\n`,
  );
  assert.deepEqual(JSON.parse(formatJson(longTerm)), {
    Version: 1,
    AccessKeyId: "AKIAEXAMPLE",
    SecretAccessKey: "s",
  });
});

Deno.test("env and export-env list key id, secret, token, expiration, region, default region", () => {
  assert.equal(
    formatEnv(temp, "eu-west-1", false),
    "AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=secret/with+chars\nAWS_SESSION_TOKEN=token==\n" +
      "AWS_CREDENTIAL_EXPIRATION=2026-11-21T15:04:05Z\nAWS_REGION=eu-west-1\nAWS_DEFAULT_REGION=eu-west-1\n",
  );
  assert.equal(
    formatEnv(longTerm, undefined, true),
    "export AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=s\n",
  );
});

Deno.test("ini names the profile and uses the shared-credentials keys", () => {
  assert.equal(
    formatIni("work", temp, "eu-west-1"),
    "[work]\naws_access_key_id=ASIAEXAMPLE\naws_secret_access_key=secret/with+chars\naws_session_token=token==\n" +
      "aws_credential_expiration=2026-11-21T15:04:05Z\nregion=eu-west-1\n",
  );
});

Deno.test("exec's variables: AWS_VAULT, regions, keys, expiration only when it expires", () => {
  assert.deepEqual(credentialVars("work", temp, "us-east-2").map(([k]) => k), [
    "AWS_VAULT",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
  ]);
  assert.deepEqual(credentialVars("home", longTerm).map(([k]) => k), [
    "AWS_VAULT",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
  ]);
});
