/**
 * Makes a HOME for the start-up benchmark: one profile with stored keys and a
 * cached session, written through vault's own vault modules (no STS needed).
 *
 *   deno run -A bench/fixture.ts DIR
 */
import { FileKeyring } from "../src/vault/file.ts";
import { encodeSession, encodeStoredKeys } from "../src/vault/items.ts";

const dir = Deno.args[0];
if (!dir) throw new Error("usage: deno run -A bench/fixture.ts DIR");
const serial = "arn:aws:iam::123456789012:mfa/me";
await Deno.mkdir(`${dir}/.aws`, { recursive: true });
await Deno.writeTextFile(
  `${dir}/.aws/config`,
  `[profile work]\nregion = eu-west-1\nmfa_serial = ${serial}\n`,
);
const keyring = new FileKeyring({
  dir: `${dir}/.awsvault/keys`,
  passphrase: () => Promise.resolve("bench"),
});
await keyring.set(
  encodeStoredKeys("work", { accessKeyId: "AKIABENCH", secretAccessKey: "bench-secret" }),
);
const expiration = new Date(Date.now() + 8 * 3600 * 1000);
await keyring.set(encodeSession(
  { type: "sts.GetSessionToken", profile: "work", mfaSerial: serial, expiration },
  { accessKeyId: "ASIABENCH", secretAccessKey: "s", sessionToken: "t", expiration },
  { VaultFingerprint: "duration=3600" },
));
