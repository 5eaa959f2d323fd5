import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { FileKeyring } from "./file.ts";
import { openKeyring } from "./open.ts";
import { PassKeyring } from "./pass.ts";

function assertUnsupported(fn: () => unknown, ...parts: string[]) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof UserError);
    for (const part of parts) assert.ok(e.message.includes(part), e.message);
    return true;
  });
}

Deno.test("the file backend is the default and lives in ~/.awsvault/keys", () => {
  const keyring = openKeyring({ HOME: "/home/u" });
  assert.ok(keyring instanceof FileKeyring);
  assert.equal(keyring.dir, "/home/u/.awsvault/keys");
});

Deno.test("the directory comes from the option, then AWS_VAULT_FILE_DIR", () => {
  const env = { HOME: "/home/u", AWS_VAULT_FILE_DIR: "/env/dir" };
  assert.equal((openKeyring(env) as FileKeyring).dir, "/env/dir");
  assert.equal((openKeyring(env, { fileDir: "/flag/dir" }) as FileKeyring).dir, "/flag/dir");
});

Deno.test("other backends are refused with the way out, naming where the choice came from", () => {
  for (const backend of ["keychain", "secret-service", "kwallet", "wincred", "op"]) {
    assertUnsupported(
      () => openKeyring({ HOME: "/h", AWS_VAULT_BACKEND: backend }),
      `"${backend}"`,
      `AWS_VAULT_BACKEND=${backend}`,
      "not supported yet",
      "--backend=file",
      "--backend=pass",
    );
  }
  assertUnsupported(() => openKeyring({ HOME: "/h" }, { backend: "op" }), "--backend=op");
});

Deno.test("the pass backend takes its settings from the options, then the environment", () => {
  const env = { HOME: "/h", PATH: "/bin", AWS_VAULT_PASS_CMD: "sh", AWS_VAULT_PASS_PREFIX: "env" };
  const fromEnv = openKeyring({ ...env, AWS_VAULT_BACKEND: "pass" });
  assert.ok(fromEnv instanceof PassKeyring);
  assert.equal(fromEnv.dir, "/h/.password-store");
  assert.equal(fromEnv.prefix, "env");
  const fromFlags = openKeyring(env, { backend: "pass", passDir: "/d", passPrefix: "p" });
  assert.ok(fromFlags instanceof PassKeyring);
  assert.equal(fromFlags.dir, "/d");
  assert.equal(fromFlags.prefix, "p");
  assertUnsupported(
    () => openKeyring(env, { backend: "pass", passCmd: "vault-test-no-such-pass" }),
    '"vault-test-no-such-pass" is not on PATH',
    "--backend=file",
  );
});

Deno.test("the flag wins over AWS_VAULT_BACKEND", () => {
  const env = { HOME: "/h", AWS_VAULT_BACKEND: "keychain" };
  assert.ok(openKeyring(env, { backend: "file" }) instanceof FileKeyring);
  assertUnsupported(
    () => openKeyring({ HOME: "/h", AWS_VAULT_BACKEND: "file" }, { backend: "kwallet" }),
    '"kwallet"',
  );
});

Deno.test("the opened keyring uses AWS_VAULT_FILE_PASSPHRASE", async () => {
  const root = await Deno.makeTempDir();
  try {
    const env = { HOME: root, AWS_VAULT_FILE_PASSPHRASE: "pw" };
    const item = { key: "p", data: new Uint8Array([1, 2]), label: "l", description: "d" };
    await openKeyring(env).set(item);
    assert.deepEqual(await openKeyring(env).get("p"), item);
    const files = await Array.fromAsync(Deno.readDir(join(root, ".awsvault", "keys")));
    assert.deepEqual(files.map((f) => f.name), ["p"]);
    await assert.rejects(
      openKeyring({ ...env, AWS_VAULT_FILE_PASSPHRASE: "other" }).get("p"),
      UserError,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
