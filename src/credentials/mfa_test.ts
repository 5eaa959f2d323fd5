import assert from "node:assert/strict";
import { ykmanArgv } from "./mfa.ts";

const serial = "arn:aws:iam::1:mfa/me";

Deno.test("ykman is asked as aws-vault asks it, honouring its variables", () => {
  assert.deepEqual(ykmanArgv(serial, {}), [
    "ykman",
    "oath",
    "accounts",
    "code",
    "--single",
    serial,
  ]);
  assert.deepEqual(
    ykmanArgv(serial, { YKMAN_OATH_CREDENTIAL_NAME: "aws:me", YKMAN_OATH_DEVICE_SERIAL: "123" }),
    ["ykman", "--device", "123", "oath", "accounts", "code", "--single", "aws:me"],
  );
  assert.deepEqual(ykmanArgv(serial, { AWS_VAULT_YKMAN_VERSION: "3" }), [
    "ykman",
    "oath",
    "code",
    "--single",
    serial,
  ]);
});
