/** add / list / remove / clear as a user runs them, in a fresh HOME. */
import assert from "node:assert/strict";
import { Sandbox } from "./_sandbox.ts";

const KEYS = { accessKeyId: "AKIAFRESHHOME0000001", secretAccessKey: "fresh/secret+key" };

Deno.test("add --env in a fresh HOME stores the keys, appends the profile, and list shows it", async () => {
  await using sandbox = new Sandbox("# my config\n[profile other]\nregion = eu-west-1");
  const r = await sandbox.run(["add", "--env", "work"], {
    AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Added credentials to profile "work" in vault/);
  // Existing bytes untouched, a newline added only because the file lacked one.
  assert.equal(
    Deno.readTextFileSync(sandbox.configPath),
    "# my config\n[profile other]\nregion = eu-west-1\n\n[profile work]\n",
  );
  assert.equal(Deno.statSync(sandbox.vaultDir).mode! & 0o777, 0o700);
  assert.equal(Deno.statSync(`${sandbox.vaultDir}/work`).mode! & 0o777, 0o600);
  // The secret is nowhere in plain text.
  assert.ok(!Deno.readTextFileSync(`${sandbox.vaultDir}/work`).includes(KEYS.secretAccessKey));

  const table = await sandbox.ok(["list"]);
  assert.match(table, /^other\s+-\s+-$/m);
  assert.match(table, /^work\s+work\s+-$/m);
  assert.equal(await sandbox.ok(["list", "--credentials"]), "work\n");
  assert.equal(await sandbox.ok(["list", "--profiles"]), "other\nwork\n");
  const json = JSON.parse(await sandbox.ok(["list", "--json"]));
  assert.deepEqual(
    json.map((r: { profile: string; credentials: boolean }) => [r.profile, r.credentials]),
    [
      ["other", false],
      ["work", true],
    ],
  );
  const exported = JSON.parse(
    await sandbox.ok(["export", "--format", "json", "--no-session", "work"]),
  );
  assert.equal(exported.SecretAccessKey, KEYS.secretAccessKey);
});

Deno.test("add refuses a profile whose keys belong to its source_profile, and changes nothing", async () => {
  await using sandbox = new Sandbox(
    "[profile admin]\nsource_profile = work\nrole_arn = arn:aws:iam::1:role/a\n",
  );
  const before = sandbox.snapshot();
  const r = await sandbox.run(["add", "--env", "admin"], {
    AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /source_profile = work.*vault add work/);
  assert.deepEqual(sandbox.snapshot(), before);
});

Deno.test("add with a wrong passphrase leaves the vault and the config byte-identical", async () => {
  await using sandbox = new Sandbox();
  await sandbox.addKeys("work", KEYS);
  const before = sandbox.snapshot();
  const r = await sandbox.run(["add", "--env", "home"], {
    AWS_ACCESS_KEY_ID: "AKIAOTHER",
    AWS_SECRET_ACCESS_KEY: "other",
    AWS_VAULT_FILE_PASSPHRASE: "wrong",
  });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /wrong passphrase/);
  assert.equal(r.stderr.trim().split("\n").length, 1);
  assert.deepEqual(sandbox.snapshot(), before);
});

Deno.test("add --env refuses temporary credentials from a `vault use`d shell", async () => {
  await using sandbox = new Sandbox();
  const r = await sandbox.run(["add", "--env", "work"], {
    AWS_ACCESS_KEY_ID: "ASIATEMP",
    AWS_SECRET_ACCESS_KEY: "s",
    AWS_SESSION_TOKEN: "t",
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /temporary credentials/);
  assert.deepEqual(sandbox.snapshot(), { "<config>": "" }, "no vault file written");
});

Deno.test("remove -f deletes the keys; remove of an unknown profile says so; clear counts sessions", async () => {
  await using sandbox = new Sandbox("[profile work]\n");
  await sandbox.addKeys("work", KEYS);
  const missing = await sandbox.run(["remove", "-f", "nope"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no credentials stored for profile nope/);
  const noTty = await sandbox.run(["remove", "work"]);
  assert.notEqual(noTty.code, 0);
  assert.match(noTty.stderr, /vault remove -f work/);
  assert.equal(await sandbox.ok(["list", "--credentials"]), "work\n");
  await sandbox.ok(["remove", "-f", "work"]);
  assert.equal(await sandbox.ok(["list", "--credentials"]), "");
  assert.equal(await sandbox.ok(["clear"]), "Cleared 0 sessions.\n");
});

Deno.test("unknown commands, flags and profiles are one-line errors with a way forward", async () => {
  await using sandbox = new Sandbox("[default]\nregion = us-east-1\n");
  const cases: [string[], RegExp][] = [
    [["frobnicate"], /unknown command 'frobnicate'.*vault --help/],
    [["usr", "work"], /unknown command 'usr': did you mean 'vault use'\?/],
    [["exec", "defualt", "--", "true"], /profile "defualt" not found.*did you mean "default"\?/],
    [["list", "--bogus"], /list: .*bogus.*vault list --help/],
    [["exec", "nope", "--", "true"], /profile "nope" not found/],
    [["export", "--format", "yaml", "x"], /unknown --format 'yaml'/],
    [["exec", "-d", "soon", "x"], /--duration.*Go syntax/],
  ];
  for (const [args, message] of cases) {
    const r = await sandbox.run(args);
    assert.notEqual(r.code, 0, args.join(" "));
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, message);
  }
});

Deno.test("--help on every command prints its usage", async () => {
  await using sandbox = new Sandbox();
  for (
    const command of [
      "add",
      "list",
      "remove",
      "clear",
      "exec",
      "export",
      "use",
      "unuse",
      "login",
      "rotate",
      "init",
    ]
  ) {
    const out = await sandbox.ok([command, "--help"]);
    assert.match(out, new RegExp(`^usage: vault ${command}`), command);
  }
  assert.match(await sandbox.ok(["--version"]), /^vault \d+\.\d+\.\d+\n$/);
});

Deno.test("add refuses a name the vault uses for sessions, and stores nothing", async () => {
  await using sandbox = new Sandbox();
  const r = await sandbox.run(["add", "--env", "--", "build session (2)"], {
    AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /choose another profile name/);
  assert.deepEqual(sandbox.snapshot(), { "<config>": "" });
});

Deno.test("add writes through a symlinked config to the file it points at", async () => {
  await using sandbox = new Sandbox();
  const real = `${sandbox.home}/dotfiles/aws-config`;
  Deno.mkdirSync(`${sandbox.home}/dotfiles`);
  Deno.writeTextFileSync(real, "[profile old]\n");
  Deno.removeSync(sandbox.configPath);
  Deno.symlinkSync(real, sandbox.configPath);
  await sandbox.addKeys("old", KEYS);
  const r = await sandbox.run(["add", "--env", "new"], {
    AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Deno.lstatSync(sandbox.configPath).isSymlink, "the link is still a link");
  assert.equal(Deno.readTextFileSync(real), "[profile old]\n\n[profile new]\n");
});

Deno.test("add --add-config=false (aws-vault's spelling) leaves the config alone", async () => {
  await using sandbox = new Sandbox("[profile other]\n");
  await sandbox.ok(["add", "--env", "--add-config=false", "work"], {
    AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
  });
  assert.equal(Deno.readTextFileSync(sandbox.configPath), "[profile other]\n");
  assert.equal(await sandbox.ok(["list", "--credentials"]), "work\n");
});

Deno.test("exec and export take the profile from AWS_PROFILE when none is named", async () => {
  await using sandbox = new Sandbox("[profile work]\nendpoint_url = https://example.test\n");
  await sandbox.addKeys("work", KEYS);
  const out = await sandbox.ok(
    ["exec", "-n", "--", "sh", "-c", 'echo "$AWS_VAULT $AWS_PROFILE $AWS_ENDPOINT_URL"'],
    { AWS_PROFILE: "work" },
  );
  assert.equal(out, "work  https://example.test\n", "AWS_PROFILE is used, then unset in the child");
  const json = JSON.parse(
    await sandbox.ok(["export", "-n", "--format", "json"], { AWS_PROFILE: "work" }),
  );
  assert.equal(json.AccessKeyId, KEYS.accessKeyId);
  const none = await sandbox.run(["export", "-n"]);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /no profile named and no terminal/);
});

Deno.test("exec --ec2-server is refused with the alternative named", async () => {
  await using sandbox = new Sandbox("[profile work]\n");
  const r = await sandbox.run(["exec", "--ec2-server", "work", "--", "true"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--ec2-server is not supported.*use --server/);
});
