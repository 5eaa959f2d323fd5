/**
 * Byte compatibility with aws-vault's file vault, checked against an
 * independent JWE implementation (test/jwe_reference.ts): vault reads what
 * aws-vault wrote, aws-vault can read what vault writes, and failures leave
 * the vault exactly as it was.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import {
  decodeSession,
  decodeStoredKeys,
  encodeSession,
  encodeStoredKeys,
  parseSessionKey,
} from "../src/vault/items.ts";
import { openKeyring } from "../src/vault/open.ts";
import { referenceDecrypt, referenceEncrypt } from "./jwe_reference.ts";
import { countingKeyring } from "./_keyring.ts";

const PASSPHRASE = "correct horse battery staple";
const MFA = "arn:aws:iam::111111111111:mfa/jonsmith";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** The item JSON that aws-vault's keyring library (Go) encrypts. */
function goItem(key: string, data: string, label: string, description: string): string {
  return `{"Key":${JSON.stringify(key)},"Data":"${b64(data)}","Label":${JSON.stringify(label)},` +
    `"Description":${
      JSON.stringify(description)
    },"KeychainNotTrustApplication":true,"KeychainNotSynchronizable":false}`;
}

// What aws-vault (ByteNess 7.x, recent Go SDK) writes for `add`, a cached session and a profile
// whose name needs escaping.
const LONG_TERM_DATA =
  '{"AccessKeyID":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG",' +
  '"SessionToken":"","Source":"","CanExpire":false,"Expires":"0001-01-01T00:00:00Z","AccountID":""}';
const SESSION_KEY = `sts.GetSessionToken,${b64url("jonsmith")},${b64url(MFA)},1893456000`;
const SESSION_DATA = '{"AccessKeyId":"ASIAEXAMPLE","Expiration":"2030-01-01T00:00:00Z",' +
  '"SecretAccessKey":"sessionsecret","SessionToken":"FwoGZXIvYXdzEXAMPLE"}';
const ODD_KEY = "org/admin%1";
const ODD_DATA = '{"AccessKeyID":"AKIAODD","SecretAccessKey":"oddsecret"}';

/** A vault directory as aws-vault leaves it. */
async function awsVaultDir(): Promise<{ root: string; dir: string }> {
  const root = await Deno.makeTempDir();
  const dir = join(root, "keys");
  await Deno.mkdir(dir, { mode: 0o700 });
  const write = (file: string, plaintext: string) =>
    Deno.writeTextFile(join(dir, file), referenceEncrypt(plaintext, PASSPHRASE), { mode: 0o600 });
  await write("jonsmith", goItem("jonsmith", LONG_TERM_DATA, "aws-vault (jonsmith)", ""));
  await write(
    SESSION_KEY,
    goItem(
      SESSION_KEY,
      SESSION_DATA,
      "aws-vault session for jonsmith (expires 2030-01-01T00:00:00Z)",
      "aws-vault session",
    ),
  );
  await write("org%2Fadmin%251", goItem(ODD_KEY, ODD_DATA, "aws-vault (org/admin%1)", ""));
  return { root, dir };
}

/** Every file's name, mode and bytes: two snapshots are equal only if nothing changed. */
async function snapshot(dir: string): Promise<Record<string, { mode: number; bytes: string }>> {
  const out: Record<string, { mode: number; bytes: string }> = {};
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    out[entry.name] = {
      mode: (await Deno.stat(path)).mode! & 0o777,
      bytes: Buffer.from(await Deno.readFile(path)).toString("hex"),
    };
  }
  return out;
}

Deno.test("vault reads a vault written by aws-vault", async () => {
  const { root, dir } = await awsVaultDir();
  try {
    const keyring = openKeyring({
      HOME: root,
      AWS_VAULT_FILE_DIR: dir,
      AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE,
    });
    assert.deepEqual((await keyring.keys()).sort(), ["jonsmith", ODD_KEY, SESSION_KEY].sort());
    assert.deepEqual(decodeStoredKeys((await keyring.get("jonsmith"))!), {
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG",
    });
    assert.deepEqual(decodeStoredKeys((await keyring.get(ODD_KEY))!), {
      accessKeyId: "AKIAODD",
      secretAccessKey: "oddsecret",
    });
    const session = (await keyring.get(SESSION_KEY))!;
    assert.equal(session.label, "aws-vault session for jonsmith (expires 2030-01-01T00:00:00Z)");
    assert.equal(session.description, "aws-vault session");
    assert.deepEqual(parseSessionKey(SESSION_KEY), {
      type: "sts.GetSessionToken",
      profile: "jonsmith",
      mfaSerial: MFA,
      expiration: new Date("2030-01-01T00:00:00Z"),
    });
    assert.deepEqual(decodeSession(session), {
      creds: {
        accessKeyId: "ASIAEXAMPLE",
        secretAccessKey: "sessionsecret",
        sessionToken: "FwoGZXIvYXdzEXAMPLE",
        expiration: new Date("2030-01-01T00:00:00Z"),
      },
      extra: {},
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("aws-vault can read what vault writes: header bytes, sizes, item JSON, modes", async () => {
  const root = await Deno.makeTempDir();
  const dir = join(root, "fresh", "keys");
  try {
    const { keyring } = countingKeyring(dir, PASSPHRASE);
    const before = Math.floor(Date.now() / 1000) * 1000;
    await keyring.set(encodeStoredKeys(ODD_KEY, { accessKeyId: "AKIA1", secretAccessKey: "s/1" }));
    await keyring.set(
      encodeSession(
        { type: "sts.AssumeRole", profile: "foo-admin", mfaSerial: MFA, expiration: new Date() },
        {
          accessKeyId: "ASIA2",
          secretAccessKey: "s2",
          sessionToken: "t2",
          expiration: new Date("2030-01-01T00:00:00Z"),
        },
      ),
    );
    const after = Date.now();

    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    const sessionFile = `sts.AssumeRole,${b64url("foo-admin")},${b64url(MFA)},1893456000`;
    assert.deepEqual(Object.keys(await snapshot(dir)).sort(), ["org%2Fadmin%251", sessionFile]);

    const header =
      /^\{"alg":"PBES2-HS256\+A128KW","created":"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})?) \+0000 UTC","enc":"A256GCM","p2c":8192,"p2s":"([A-Za-z0-9_-]{16})"\}$/;
    const expected: Record<string, string> = {
      "org%2Fadmin%251": goItem(
        ODD_KEY,
        '{"AccessKeyID":"AKIA1","SecretAccessKey":"s/1","SessionToken":"","Source":"",' +
          '"CanExpire":false,"Expires":"0001-01-01T00:00:00Z"}',
        "aws-vault (org/admin%1)",
        "",
      ),
      [sessionFile]: goItem(
        sessionFile,
        '{"AccessKeyId":"ASIA2","Expiration":"2030-01-01T00:00:00Z","SecretAccessKey":"s2",' +
          '"SessionToken":"t2"}',
        "aws-vault session for foo-admin (expires 2030-01-01T00:00:00Z)",
        "aws-vault session",
      ),
    };
    for (const [file, plaintext] of Object.entries(expected)) {
      const path = join(dir, file);
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      const token = await Deno.readTextFile(path);
      assert.match(token, /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){4}$/);
      const opened = referenceDecrypt(token, PASSPHRASE);
      const m = header.exec(opened.headerJson);
      assert.ok(m, `header ${opened.headerJson}`);
      const created = Date.parse(m[1].replace(" ", "T") + "Z");
      assert.ok(created >= before && created <= after, `created ${m[1]} is the time of writing`);
      assert.equal(Buffer.from(m[2], "base64url").length, 12);
      assert.deepEqual(opened.sizes, { encryptedKey: 40, iv: 12, tag: 16 });
      assert.equal(opened.plaintext, plaintext);
      assert.throws(() => referenceDecrypt(token, "not the passphrase"), /wrong passphrase/);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a wrong passphrase is reported as such and changes nothing", async () => {
  const { root, dir } = await awsVaultDir();
  try {
    const before = await snapshot(dir);
    const { keyring, calls } = countingKeyring(dir, "wrong");
    const wrong = (e: Error) => {
      assert.equal(e.name, "UserError");
      assert.ok(e.message.startsWith(`wrong passphrase for the vault in ${dir}: `), e.message);
      return true;
    };
    await assert.rejects(keyring.get("jonsmith"), wrong);
    await assert.rejects(
      keyring.set(encodeStoredKeys("new", { accessKeyId: "A", secretAccessKey: "S" })),
      wrong,
    );
    await assert.rejects(
      keyring.set(encodeStoredKeys("jonsmith", { accessKeyId: "A", secretAccessKey: "S" })),
      wrong,
    );
    assert.deepEqual(calls, { n: 1, again: 1 });
    assert.deepEqual(await snapshot(dir), before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a corrupt or foreign file is named in the error and nothing changes", async () => {
  const { root, dir } = await awsVaultDir();
  try {
    // A token whose ciphertext was damaged: the key unwraps, the content fails its tag.
    const parts = (await Deno.readTextFile(join(dir, "jonsmith"))).split(".");
    const ciphertext = Buffer.from(parts[3], "base64url");
    ciphertext[0] ^= 1;
    parts[3] = ciphertext.toString("base64url");
    await Deno.writeTextFile(join(dir, "damaged"), parts.join("."), { mode: 0o600 });
    await Deno.writeTextFile(join(dir, "foreign"), "hello, I am not a JWE\n", { mode: 0o600 });
    const before = await snapshot(dir);
    const { keyring } = countingKeyring(dir, PASSPHRASE);
    for (const name of ["damaged", "foreign"]) {
      await assert.rejects(keyring.get(name), (e: Error) => {
        assert.equal(e.name, "UserError");
        assert.ok(
          e.message.startsWith(`${join(dir, name)} is not a readable aws-vault item`),
          e.message,
        );
        assert.doesNotMatch(e.message, /passphrase/);
        return true;
      });
    }
    assert.deepEqual(await snapshot(dir), before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the passphrase is asked at most once for any mix of operations", async () => {
  const { root, dir } = await awsVaultDir();
  try {
    const { keyring, calls } = countingKeyring(dir, PASSPHRASE);
    await keyring.keys();
    await keyring.remove(ODD_KEY);
    assert.equal(calls.n, 0, "listing and removing need no passphrase");
    await keyring.set(encodeStoredKeys("second", { accessKeyId: "A2", secretAccessKey: "S2" }));
    await keyring.get("jonsmith");
    await keyring.get(SESSION_KEY);
    await keyring.set(encodeStoredKeys("third", { accessKeyId: "A3", secretAccessKey: "S3" }));
    assert.equal(calls.n, 1);
    // What vault added opens with aws-vault's passphrase, through the reference reader.
    const third = referenceDecrypt(await Deno.readTextFile(join(dir, "third")), PASSPHRASE);
    assert.match(third.plaintext, /^\{"Key":"third",/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
