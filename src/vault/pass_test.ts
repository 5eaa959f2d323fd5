/**
 * The pass backend against the real pass and gpg: a store written the way
 * aws-vault writes it is read by the real `vault`, what vault writes is what
 * aws-vault's keyring library writes, and no secret reaches any argv.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { vaultBin } from "../../test/_bin.ts";
import { startFakeAws } from "../../test/fakes/server.ts";
import { removeDir, runProgram, Sandbox } from "../../test/_sandbox.ts";
import { UserError } from "../errors.ts";
import { goJoin, lookPath, openPass, passSettings } from "./pass.ts";

const PATH = Deno.env.get("PATH") ?? "/usr/bin:/bin";
const PREFIX = "aws-vault";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** The JSON aws-vault's keyring library (Go) keeps in each pass entry, built independently. */
function goItem(key: string, data: string, label: string): string {
  return `{"Key":${JSON.stringify(key)},"Data":"${b64(data)}","Label":${JSON.stringify(label)},` +
    `"Description":"","KeychainNotTrustApplication":true,"KeychainNotSynchronizable":false}`;
}

/** The Data of `aws-vault add` (spec section 4). */
function addData(id: string, secret: string): string {
  return `{"AccessKeyID":"${id}","SecretAccessKey":"${secret}","SessionToken":"","Source":"",` +
    `"CanExpire":false,"Expires":"0001-01-01T00:00:00Z"}`;
}

async function run(cmd: string, args: string[], env: Record<string, string>, stdin?: string) {
  const result = await runProgram(cmd, args, { PATH, ...env }, stdin);
  if (result.code !== 0 && !args.includes("--kill")) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  }
  return result;
}

/** A throw-away gpg key without passphrase and a password store initialised for it. */
async function gpgStore() {
  const root = await Deno.makeTempDir({ prefix: "vault-pass-" });
  const gnupgHome = join(root, "gnupg");
  const dir = join(root, "store");
  await Deno.mkdir(gnupgHome, { mode: 0o700 });
  const env = { GNUPGHOME: gnupgHome, PASSWORD_STORE_DIR: dir };
  const homes = [gnupgHome];
  const store = {
    root,
    dir,
    env,
    /** Runs pass on this store. */
    pass: (args: string[], stdin?: string) => run("pass", args, env, stdin),
    /** An empty GNUPGHOME: gpg there has no secret key for the store. */
    async strangerHome() {
      const home = join(root, `stranger${homes.length}`);
      await Deno.mkdir(home, { mode: 0o700 });
      homes.push(home);
      return home;
    },
    async [Symbol.asyncDispose]() {
      for (const home of homes) {
        await run("gpgconf", ["--kill", "gpg-agent"], { GNUPGHOME: home });
      }
      await removeDir(root);
    },
  };
  try {
    await run("gpg", [
      "--batch",
      "--pinentry-mode",
      "loopback",
      "--passphrase",
      "",
      "--quick-gen-key",
      "vault test <t@example.test>",
      "default",
      "default",
      "never",
    ], env);
    const listing = (await run("gpg", ["--list-keys", "--with-colons"], env)).stdout;
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listing)![1];
    await store.pass(["init", fingerprint]);
  } catch (error) {
    await store[Symbol.asyncDispose]();
    throw error;
  }
  return store;
}

Deno.test("pass settings: flags, then AWS_VAULT_PASS_*, then PASSWORD_STORE_DIR, then defaults", () => {
  assert.deepEqual(passSettings({ HOME: "/home/u" }), {
    cmd: "pass",
    dir: "/home/u/.password-store",
    prefix: "",
  });
  const env = {
    HOME: "/home/u",
    PASSWORD_STORE_DIR: "/pw",
    AWS_VAULT_PASS_CMD: "gopass",
    AWS_VAULT_PASS_PREFIX: "aws",
  };
  assert.deepEqual(passSettings(env), { cmd: "gopass", dir: "/pw", prefix: "aws" });
  assert.equal(passSettings({ ...env, AWS_VAULT_PASS_PASSWORD_STORE_DIR: "~/s" }).dir, "/home/u/s");
  assert.deepEqual(passSettings(env, { cmd: "p2", dir: "/flag", prefix: "x/" }), {
    cmd: "p2",
    dir: "/flag",
    prefix: "x/",
  });
  assert.throws(() => passSettings(env, { dir: "~other/s" }), UserError);
});

Deno.test("entry names are joined and cleaned as Go's filepath.Join does", () => {
  assert.equal(goJoin("", "work"), "work");
  assert.equal(goJoin("aws-vault/", "work"), "aws-vault/work");
  assert.equal(goJoin("/s", "./p", "k.gpg"), "/s/p/k.gpg");
  // An SSO token's key: aws-vault's entry has the `//` collapsed and no trailing `/`.
  assert.equal(
    goJoin("p", "oidc:https://x.awsapps.com/start#/"),
    "p/oidc:https:/x.awsapps.com/start#",
  );
});

Deno.test("the pass program is looked up on PATH; a missing one is a one-line error", async () => {
  assert.equal(lookPath("sh", "/nonexistent::/bin"), "/bin/sh");
  assert.equal(lookPath("/bin/sh"), "/bin/sh");
  assert.equal(lookPath("vault-test-no-such-pass", PATH), undefined);
  assert.throws(
    () => openPass({ HOME: "/h", PATH }, { cmd: "vault-test-no-such-pass" }),
    /^UserError: the pass program "vault-test-no-such-pass" is not on PATH: install pass .*--backend=file/,
  );
  await using sandbox = new Sandbox();
  const r = await sandbox.run(["list"], {
    AWS_VAULT_BACKEND: "pass",
    AWS_VAULT_PASS_CMD: "vault-test-no-such-pass",
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^vault: the pass program "vault-test-no-such-pass" is not on PATH.*\n$/);
});

Deno.test("keys are the *.gpg files under the prefix, in Go's walk order, read without pass", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vault-pass-keys-" });
  try {
    // `false` as the pass program: listing, a missing get and a missing remove never run it.
    const keyring = openPass({ HOME: dir, PATH }, { cmd: "false", dir, prefix: PREFIX });
    assert.deepEqual(await keyring.keys(), []);
    for (const file of ["b.gpg", "a/x.gpg", "a-c.gpg", ".gpg-id", "notes.txt", "z/y/w.gpg"]) {
      await Deno.mkdir(join(dir, PREFIX, file, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, PREFIX, file), "");
    }
    await Deno.writeTextFile(join(dir, "outside.gpg"), "");
    assert.deepEqual(await keyring.keys(), ["a/x", "a-c", "b", "z/y/w"]);
    assert.equal(await keyring.get("missing"), undefined);
    await keyring.remove("missing");
    await assert.rejects(keyring.get("b"), UserError); // it exists, so `false` ran and failed
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the pass backend with the real pass and gpg", async (t) => {
  await using store = await gpgStore();
  await using aws = await startFakeAws();
  const user = aws.addUser({ userName: "dev" });
  await using sandbox = new Sandbox("[profile work]\n\n[profile dev]\nregion = us-east-1\n");
  Object.assign(sandbox.env, aws.env(), {
    GNUPGHOME: store.env.GNUPGHOME,
    AWS_VAULT_BACKEND: "pass",
    AWS_VAULT_PASS_PASSWORD_STORE_DIR: store.dir,
    AWS_VAULT_PASS_PREFIX: PREFIX,
  });
  const workSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  await t.step("vault reads the entries aws-vault wrote", async () => {
    await store.pass(
      ["insert", "-m", "-f", `${PREFIX}/work`],
      goItem("work", addData("AKIAWORKEXAMPLE", workSecret), "aws-vault (work)"),
    );
    await store.pass(
      ["insert", "-m", "-f", `${PREFIX}/org/admin`],
      goItem("org/admin", addData("AKIAORGEXAMPLE", "orgsecret"), "aws-vault (org/admin)"),
    );
    assert.equal(await sandbox.ok(["list", "--credentials"]), "org/admin\nwork\n");
    const creds = JSON.parse(await sandbox.ok(["export", "-n", "--format", "json", "work"]));
    assert.equal(creds.AccessKeyId, "AKIAWORKEXAMPLE");
    assert.equal(creds.SecretAccessKey, workSecret);
    // The same store through the global flags, before and after the command name.
    const noEnv = {
      AWS_VAULT_BACKEND: "",
      AWS_VAULT_PASS_PASSWORD_STORE_DIR: "",
      AWS_VAULT_PASS_PREFIX: "",
    };
    const flags = ["--backend=pass", "--pass-dir", store.dir, "--pass-cmd=pass"];
    assert.equal(
      await sandbox.ok([...flags, "list", "--credentials", `--pass-prefix=${PREFIX}`], noEnv),
      "org/admin\nwork\n",
    );
  });

  await t.step("vault add writes aws-vault's JSON and vault remove deletes it", async () => {
    await sandbox.addKeys("added", { accessKeyId: "AKIAADDED", secretAccessKey: "addedsecret" });
    const shown = await store.pass(["show", `${PREFIX}/added`]);
    assert.equal(
      shown.stdout,
      goItem("added", addData("AKIAADDED", "addedsecret"), "aws-vault (added)"),
    );
    await sandbox.ok(["remove", "-f", "added"]);
    await assert.rejects(Deno.stat(join(store.dir, PREFIX, "added.gpg")), Deno.errors.NotFound);
    assert.equal(await sandbox.ok(["list", "--credentials"]), "org/admin\nwork\n");
  });

  await t.step("a session is cached in pass and reused, no secret in any argv", async () => {
    await sandbox.addKeys("dev", user);
    const trace = join(store.root, "execve.trace");
    const first = await run("strace", [
      "-f",
      "-qq",
      "-e",
      "trace=execve",
      "-s",
      "4096",
      "-o",
      trace,
      vaultBin(),
      "export",
      "--format",
      "json",
      "dev",
    ], sandbox.env);
    const session = JSON.parse(first.stdout);
    assert.match(session.SessionToken, /.+/);
    assert.equal(aws.calls("sts", "GetSessionToken").length, 1);
    const entries = await Array.fromAsync(Deno.readDir(join(store.dir, PREFIX)));
    const sessionKey = `sts.GetSessionToken,${b64url("dev")},,`;
    assert.ok(entries.some((e) => e.name.startsWith(sessionKey)), JSON.stringify(entries));

    const execs = await Deno.readTextFile(trace);
    assert.match(execs, new RegExp(`"show", "${PREFIX}/dev"`));
    assert.match(execs, new RegExp(`"insert", "-m", "-f", "${PREFIX}/${sessionKey}`));
    for (const secret of [user.secretAccessKey, session.SecretAccessKey, session.SessionToken]) {
      assert.ok(!execs.includes(secret), "a secret was on a command line");
    }

    const second = JSON.parse(await sandbox.ok(["export", "--format", "json", "dev"]));
    assert.equal(second.AccessKeyId, session.AccessKeyId);
    assert.equal(aws.calls("sts", "GetSessionToken").length, 1);
  });

  await t.step("a gpg that cannot decrypt gives one line naming the entry", async () => {
    const r = await sandbox.run(["export", "-n", "--format", "json", "work"], {
      GNUPGHOME: await store.strangerHome(),
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /No secret key/); // gpg's own reason, above vault's line
    const last = r.stderr.trimEnd().split("\n").at(-1)!;
    assert.match(last, new RegExp(`^vault: pass could not decrypt "${PREFIX}/work" .*: check `));
    assert.equal(r.stdout, "");
    assert.ok(!r.stderr.includes(workSecret));
  });

  await t.step(
    "an entry that is not an aws-vault item is named, its content not shown",
    async () => {
      await store.pass(["insert", "-m", "-f", `${PREFIX}/notes`], "hunter2\nlogin: me\n");
      const keyring = openPass({ ...store.env, HOME: store.root, PATH }, {
        dir: store.dir,
        prefix: PREFIX,
      });
      await assert.rejects(keyring.get("notes"), (e) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, new RegExp(`"${PREFIX}/notes" .* is not an aws-vault item`));
        assert.ok(!e.message.includes("hunter2"));
        return true;
      });
    },
  );
});
