import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { decodeFileName, encodeFileName, fileDir, FileKeyring } from "./file.ts";
import type { Item } from "./keyring.ts";
import { countingKeyring } from "../../test/_keyring.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const item = (key: string, data = `data of ${key}`): Item => ({
  key,
  data: bytes(data),
  label: `label ${key}`,
  description: "",
});

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  try {
    await fn(join(root, "keys"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("file names escape only % and / (uppercase hex) and decode back", () => {
  assert.equal(encodeFileName("org/admin%1"), "org%2Fadmin%251");
  assert.equal(
    encodeFileName("oidc:https://x.awsapps.com/start#/"),
    "oidc:https:%2F%2Fx.awsapps.com%2Fstart#%2F",
  );
  assert.equal(encodeFileName("équipe dev"), "équipe dev");
  for (const key of ["org/admin%1", "%2F", "a%%b//", "équipe/dév"]) {
    assert.equal(decodeFileName(encodeFileName(key)), key);
  }
  // aws-vault's decoder accepts any %XX, in either case; malformed escapes stay as they are.
  assert.equal(decodeFileName("a%2fb%C3%A9"), "a/bé");
  assert.equal(decodeFileName("50%"), "50%");
  assert.equal(decodeFileName("100%zz"), "100%zz");
});

Deno.test("keys() lists every file, decoded, without asking the passphrase", async () => {
  await withDir(async (dir) => {
    const { keyring, calls } = countingKeyring(dir);
    assert.deepEqual(await keyring.keys(), []);
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound, "listing must not create the vault");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(join(dir, "org%2Fadmin"), "x");
    await Deno.writeTextFile(join(dir, "README"), "not an item, still listed as aws-vault does");
    await Deno.writeTextFile(join(dir, ".vault-tmp-0123456789abcdef"), "half-written");
    await Deno.mkdir(join(dir, "subdir"));
    assert.deepEqual(await keyring.keys(), ["README", "org/admin"]);
    assert.equal(calls.n, 0);
  });
});

Deno.test("set and get round-trip items; the passphrase is asked once", async () => {
  await withDir(async (dir) => {
    const { keyring, calls } = countingKeyring(dir);
    assert.equal(await keyring.get("missing"), undefined);
    assert.equal(calls.n, 0, "nothing to decrypt, nothing asked");
    const stored = { ...item("org/admin%1"), description: "desc" };
    await keyring.set(stored);
    await keyring.set(item("default"));
    await keyring.set(item("default", "replaced"));
    assert.deepEqual(await keyring.get("org/admin%1"), stored);
    assert.deepEqual(await keyring.get("default"), item("default", "replaced"));
    assert.deepEqual(await entries(dir), ["default", "org%2Fadmin%251"]);
    assert.equal(calls.n, 1);
    const fresh = countingKeyring(dir);
    assert.deepEqual(await fresh.keyring.get("default"), item("default", "replaced"));
  });
});

Deno.test("an item file with a newline added by an editor still opens", async () => {
  await withDir(async (dir) => {
    await countingKeyring(dir).keyring.set(item("p"));
    await Deno.writeTextFile(join(dir, "p"), "\n", { append: true });
    assert.deepEqual(await countingKeyring(dir).keyring.get("p"), item("p"));
  });
});

Deno.test("the vault directory is created 0700 and items are written 0600", async () => {
  await withDir(async (dir) => {
    const old = Deno.umask(0o022);
    try {
      await countingKeyring(dir).keyring.set(item("p"));
    } finally {
      Deno.umask(old);
    }
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    assert.equal((await Deno.stat(join(dir, "p"))).mode! & 0o777, 0o600);
  });
});

Deno.test("an empty passphrase is a passphrase", async () => {
  await withDir(async (dir) => {
    await countingKeyring(dir, "").keyring.set(item("p"));
    assert.deepEqual(await countingKeyring(dir, "").keyring.get("p"), item("p"));
    await assert.rejects(countingKeyring(dir, "x").keyring.get("p"), /wrong passphrase/);
  });
});

Deno.test("remove deletes an item without the passphrase; a missing item is fine", async () => {
  await withDir(async (dir) => {
    await countingKeyring(dir).keyring.set(item("a/b"));
    const { keyring, calls } = countingKeyring(dir);
    await keyring.remove("a/b");
    await keyring.remove("a/b");
    assert.deepEqual(await entries(dir), []);
    assert.equal(calls.n, 0);
  });
});

Deno.test("names that cannot be files are refused", async () => {
  await withDir(async (dir) => {
    const { keyring } = countingKeyring(dir);
    for (const key of ["", ".", ".."]) {
      await assert.rejects(keyring.set(item(key)), UserError);
      await assert.rejects(keyring.get(key), UserError);
    }
  });
});

Deno.test("the first write proves the passphrase on an item that opens, skipping foreign files", async () => {
  await withDir(async (dir) => {
    await countingKeyring(dir, "right").keyring.set(item("zz-real"));
    await Deno.writeTextFile(join(dir, "aa-notes"), "not a JWE at all");
    // Foreign files cannot prove anything, but the real item refuses the wrong passphrase.
    await assert.rejects(
      countingKeyring(dir, "wrong").keyring.set(item("new")),
      /wrong passphrase/,
    );
    await countingKeyring(dir, "right").keyring.set(item("new"));
    assert.deepEqual(await entries(dir), ["aa-notes", "new", "zz-real"]);
  });
});

Deno.test("two processes writing different keys at once both succeed", async () => {
  await withDir(async (dir) => {
    const script = join(dir, "..", "writer.ts");
    await Deno.writeTextFile(
      script,
      `import { FileKeyring } from ${JSON.stringify(new URL("./file.ts", import.meta.url).href)};
const [dir, prefix] = Deno.args;
const keyring = new FileKeyring({ dir, passphrase: () => Promise.resolve("pw") });
for (let i = 0; i < 5; i++) {
  await keyring.set({ key: prefix + i, data: new TextEncoder().encode(prefix + i), label: "", description: "" });
}
`,
    );
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const writers = ["a", "b"].map((prefix) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--config", config, script, dir, prefix],
        stdin: "null",
      }).output()
    );
    for (const out of await Promise.all(writers)) {
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    }
    const { keyring } = countingKeyring(dir, "pw");
    const keys = await keyring.keys();
    assert.deepEqual(keys, ["a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3", "b4"]);
    for (const key of keys) {
      assert.equal(new TextDecoder().decode((await keyring.get(key))!.data), key);
    }
    assert.deepEqual(await entries(dir), keys, "no temp files are left behind");
  });
});

Deno.test("fileDir: flag, then AWS_VAULT_FILE_DIR with ~ expanded, then ~/.awsvault/keys", () => {
  const env = { HOME: "/home/u" };
  assert.equal(fileDir(env), "/home/u/.awsvault/keys");
  assert.equal(fileDir({ ...env, AWS_VAULT_FILE_DIR: "~/vault" }), "/home/u/vault");
  assert.equal(fileDir({ ...env, AWS_VAULT_FILE_DIR: "/srv/v/" }), "/srv/v");
  assert.equal(fileDir({ ...env, AWS_VAULT_FILE_DIR: "" }), "/home/u/.awsvault/keys");
  assert.equal(fileDir({ ...env, AWS_VAULT_FILE_DIR: "/srv/v" }, "/flag"), "/flag");
  assert.equal(fileDir(env, "rel"), join(Deno.cwd(), "rel"));
});

Deno.test("a wrong answer is asked again, up to three tries, and the right one opens the vault", async () => {
  await withDir(async (dir) => {
    const { keyring: writer } = countingKeyring(dir);
    await writer.set(item("work", "data"));
    const answers = ["typo", "typo again", "correct horse"];
    const asked: string[] = [];
    const keyring = new FileKeyring({
      dir,
      passphrase: (request) => {
        asked.push(request.again ? "again" : "first");
        return Promise.resolve(answers.shift());
      },
    });
    assert.equal(new TextDecoder().decode((await keyring.get("work"))!.data), "data");
    assert.deepEqual(asked, ["first", "again", "again"]);
  });
});

Deno.test("creating a vault tells the source, so it can ask twice", async () => {
  await withDir(async (dir) => {
    const requests: unknown[] = [];
    const keyring = new FileKeyring({
      dir,
      passphrase: (request) => {
        requests.push(request);
        return Promise.resolve("new");
      },
    });
    await keyring.set(item("work", "data"));
    assert.deepEqual(requests, [{ creating: true }]);
  });
});
