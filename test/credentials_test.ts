/**
 * The credentials engine end to end: the real `vault` against the strict fake
 * STS, asserting which calls were made, with or without MFA, what was cached,
 * and whose credentials came out (spec §2's acceptance matrix and §5).
 */
import assert from "node:assert/strict";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { startFakeAws } from "./fakes/server.ts";
import { randomTotpSeed } from "./fakes/totp.ts";
import { Sandbox } from "./_sandbox.ts";

const ACCOUNT = "123456789012";

function config(serial: string, seed: string) {
  return `[default]
region = us-east-1
mfa_process = oathtool --totp -b ${seed}

[profile jonsmith]
mfa_serial = ${serial}

[profile foo-readonly]
source_profile = jonsmith
role_arn = arn:aws:iam::${ACCOUNT}:role/ReadOnly

[profile foo-admin]
source_profile = jonsmith
role_arn = arn:aws:iam::${ACCOUNT}:role/Administrator
mfa_serial = ${serial}

[profile bar-role1]
source_profile = jonsmith
role_arn = arn:aws:iam::${ACCOUNT}:role/Role1
mfa_serial = ${serial}

[profile bar-role2]
source_profile = bar-role1
role_arn = arn:aws:iam::${ACCOUNT}:role/Role2
mfa_serial = ${serial}
`;
}

/** A sandbox user `jonsmith` with an MFA device, four roles and keys stored in the vault. */
async function setUp() {
  const aws = await startFakeAws();
  const seed = randomTotpSeed();
  const user = aws.addUser({ userName: "jonsmith", mfaSeed: seed });
  aws.addRole({ arn: `arn:aws:iam::${ACCOUNT}:role/ReadOnly` });
  for (const role of ["Administrator", "Role1", "Role2"]) {
    aws.addRole({
      arn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
      requireMfa: true,
      maxDuration: 43200,
    });
  }
  const sandbox = new Sandbox(config(user.mfaSerial!, seed));
  Object.assign(sandbox.env, aws.env("us-east-1"));
  await sandbox.addKeys("jonsmith", user);
  return { aws, sandbox, user };
}

async function whoAmI(
  aws: { env(r?: string): Record<string, string> },
  creds: Record<string, string>,
) {
  const client = new STSClient({
    region: "us-east-1",
    endpoint: aws.env().AWS_ENDPOINT_URL_STS,
    credentials: {
      accessKeyId: creds.AccessKeyId,
      secretAccessKey: creds.SecretAccessKey,
      sessionToken: creds.SessionToken,
    },
  });
  return (await client.send(new GetCallerIdentityCommand({}))).Arn;
}

const matrix: {
  args: string[];
  calls: string[];
  cached: string[];
  identity: string;
  temporary: boolean;
}[] = [
  {
    args: ["jonsmith", "--no-session"],
    calls: [],
    cached: [],
    identity: `arn:aws:iam::${ACCOUNT}:user/jonsmith`,
    temporary: false,
  },
  {
    args: ["jonsmith"],
    calls: ["GetSessionToken+mfa"],
    cached: ["sts.GetSessionToken"],
    identity: `arn:aws:iam::${ACCOUNT}:user/jonsmith`,
    temporary: true,
  },
  {
    args: ["foo-readonly"],
    calls: ["AssumeRole"],
    cached: [],
    identity: "assumed-role/ReadOnly/",
    temporary: true,
  },
  {
    args: ["foo-admin"],
    calls: ["GetSessionToken+mfa", "AssumeRole"],
    cached: ["sts.GetSessionToken"],
    identity: "assumed-role/Administrator/",
    temporary: true,
  },
  {
    args: ["foo-admin", "--duration=2h"],
    calls: ["AssumeRole+mfa"],
    cached: ["sts.AssumeRole"],
    identity: "assumed-role/Administrator/",
    temporary: true,
  },
  {
    args: ["bar-role2"],
    calls: ["GetSessionToken+mfa", "AssumeRole", "AssumeRole"],
    cached: ["sts.GetSessionToken"],
    identity: "assumed-role/Role2/",
    temporary: true,
  },
  {
    args: ["bar-role2", "--no-session"],
    calls: ["AssumeRole+mfa", "AssumeRole"],
    cached: ["sts.AssumeRole"],
    identity: "assumed-role/Role2/",
    temporary: true,
  },
];

for (const row of matrix) {
  Deno.test(`exec ${row.args.join(" ")}: ${row.calls.join(", ") || "no STS call"}`, async () => {
    const { aws, sandbox } = await setUp();
    await using _a = aws;
    await using _s = sandbox;
    const creds = JSON.parse(await sandbox.ok(["exec", "-j", ...row.args]));
    assert.deepEqual(aws.calls("sts").map((c) => c.action + (c.mfa ? "+mfa" : "")), row.calls);
    const sessions = (await sandbox.ok(["list", "--sessions"])).split("\n").filter(Boolean);
    assert.deepEqual(sessions.map((k) => k.split(":")[0]), row.cached);
    assert.equal("SessionToken" in creds, row.temporary);
    assert.ok((await whoAmI(aws, creds))!.includes(row.identity));

    // Running it again reuses what was cached: no second MFA call, nothing cached twice.
    aws.clearCalls();
    await sandbox.ok(["exec", "-j", ...row.args]);
    const again = aws.calls("sts").filter((c) => c.action !== "GetCallerIdentity");
    assert.equal(again.filter((c) => c.mfa).length, 0, "no MFA on the second run");
    if (row.cached.length) {
      assert.ok(
        again.length < row.calls.length,
        `cache used: ${JSON.stringify(again.map((c) => c.action))}`,
      );
    }
    const after = (await sandbox.ok(["list", "--sessions"])).split("\n").filter(Boolean);
    assert.deepEqual(after.map((k) => k.split(":")[0]), row.cached);
  });
}

Deno.test("org set-up: two member roles on one MFA device need one code a day", async () => {
  await using aws = await startFakeAws();
  const seed = randomTotpSeed();
  const me = aws.addUser({ userName: "me", mfaSeed: seed });
  aws.addRole({ arn: `arn:aws:iam::${ACCOUNT}:role/Member1`, requireMfa: true });
  aws.addRole({ arn: `arn:aws:iam::${ACCOUNT}:role/Member2`, requireMfa: true });
  await using sandbox = new Sandbox(`[profile org-master]
region = eu-west-1
[profile member1]
source_profile = org-master
role_arn = arn:aws:iam::${ACCOUNT}:role/Member1
mfa_serial = ${me.mfaSerial}
mfa_process = oathtool --totp -b ${seed}
[profile member2]
source_profile = org-master
role_arn = arn:aws:iam::${ACCOUNT}:role/Member2
mfa_serial = ${me.mfaSerial}
`);
  Object.assign(sandbox.env, aws.env(), { AWS_SESSION_TTL: "12h" });
  await sandbox.addKeys("org-master", me);
  await sandbox.ok(["exec", "-j", "member1"]);
  // member2 has no mfa_process: it can only work if no code is needed.
  await sandbox.ok(["exec", "-j", "member2"]);
  const tokens = aws.calls("sts", "GetSessionToken");
  assert.equal(tokens.length, 1);
  assert.equal(tokens[0].params.DurationSeconds, String(12 * 3600));
  assert.equal(aws.calls("sts").filter((c) => c.mfa).length, 1);
});

Deno.test("a changed role ARN is not masked by the cached role session", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  aws.allowMfaCodeReuse = true;
  await sandbox.ok(["exec", "-j", "foo-admin", "-d", "2h"]);
  aws.addRole({
    arn: `arn:aws:iam::${ACCOUNT}:role/NewAdmin`,
    requireMfa: true,
    maxDuration: 43200,
  });
  const text = Deno.readTextFileSync(sandbox.configPath).replace(
    "role/Administrator",
    "role/NewAdmin",
  );
  Deno.writeTextFileSync(sandbox.configPath, text);
  const creds = JSON.parse(await sandbox.ok(["exec", "-j", "foo-admin", "-d", "2h"]));
  assert.ok((await whoAmI(aws, creds))!.includes("assumed-role/NewAdmin/"));
  const sessions = (await sandbox.ok(["list", "--sessions"])).split("\n").filter(Boolean);
  assert.equal(sessions.length, 1, "the stale session was replaced, not kept beside the new one");
});

Deno.test("exec inside a shell that holds another profile's keys signs with the profile's own keys", async () => {
  const { aws, sandbox, user } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const out = await sandbox.ok([
    "exec",
    "foo-readonly",
    "--",
    "sh",
    "-c",
    "echo $AWS_VAULT $AWS_ACCESS_KEY_ID",
  ], {
    AWS_ACCESS_KEY_ID: "ASIAFROMOTHERPROFILE",
    AWS_SECRET_ACCESS_KEY: "other",
    AWS_SESSION_TOKEN: "other",
    AWS_VAULT: "other",
    AWS_PROFILE: "other",
  });
  assert.equal(aws.calls("sts", "AssumeRole")[0].accessKeyId, user.accessKeyId);
  const [vaultName, keyId] = out.trim().split(" ");
  assert.equal(vaultName, "foo-readonly");
  assert.notEqual(keyId, "ASIAFROMOTHERPROFILE");
});

Deno.test("exec passes the child's exit code and environment of spec §6", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const r = await sandbox.run(["exec", "jonsmith", "--", "sh", "-c", "env; exit 42"], {
    AWS_PROFILE: "x",
    AWS_SDK_LOAD_CONFIG: "1",
  });
  assert.equal(r.code, 42);
  const env = Object.fromEntries(
    r.stdout.split("\n").filter((l) => l.includes("=")).map((l) => l.split(/=(.*)/s, 2)),
  );
  assert.equal(env.AWS_VAULT, "jonsmith");
  assert.equal(env.AWS_REGION, "us-east-1");
  assert.equal(env.AWS_DEFAULT_REGION, "us-east-1");
  assert.match(env.AWS_CREDENTIAL_EXPIRATION, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(env.AWS_SESSION_TOKEN);
  assert.equal(env.AWS_PROFILE, undefined);
  assert.equal(env.AWS_SDK_LOAD_CONFIG, undefined);
});

Deno.test("concurrent refreshes of one profile make one STS call and leave one session", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const runs = await Promise.all([1, 2, 3].map(() => sandbox.run(["exec", "-j", "jonsmith"])));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  assert.equal(aws.calls("sts", "GetSessionToken").length, 1);
  const keys = runs.map((r) => JSON.parse(r.stdout).AccessKeyId);
  assert.equal(new Set(keys).size, 1, "all three got the same session");
  assert.equal((await sandbox.ok(["list", "--sessions"])).trim().split("\n").length, 1);
});

Deno.test("a wrong MFA code is a one-line error and nothing is cached", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const before = sandbox.snapshot();
  const r = await sandbox.run(["exec", "-j", "jonsmith", "-t", "000000"]);
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trim().split("\n").length, 1);
  assert.match(r.stderr, /MFA code/);
  assert.deepEqual(sandbox.snapshot(), before);
});

const faults: {
  name: string;
  fault: Parameters<Awaited<ReturnType<typeof startFakeAws>>["fault"]>[1];
  message: RegExp;
}[] = [
  { name: "refusing connections", fault: { kind: "refuse" }, message: /cannot reach STS/ },
  {
    name: "answering 500",
    fault: { kind: "500", times: 10 },
    message: /HTTP 500.*try again later/,
  },
  { name: "throttling", fault: { kind: "throttle", times: 10 }, message: /throttling/ },
  {
    name: "answering garbage",
    fault: { kind: "garbage", times: 10 },
    message: /response vault cannot read/,
  },
];

for (const { name, fault, message } of faults) {
  Deno.test(`STS ${name}: a clear one-line error, non-zero exit, the vault untouched`, async () => {
    const { aws, sandbox } = await setUp();
    await using _a = aws;
    await using _s = sandbox;
    await aws.fault("sts", fault);
    const before = sandbox.snapshot();
    const r = await sandbox.run(["exec", "-j", "foo-readonly"]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /unexpected error|at .*\.js/);
    assert.deepEqual(sandbox.snapshot(), before);
  });
}

Deno.test("STS endpoints are regional, global with sts_regional_endpoints = legacy", async () => {
  // No AWS_ENDPOINT_URL_STS here, and this machine reaches no AWS: the error names the host tried.
  await using sandbox = new Sandbox(`[profile eu]
region = eu-west-1
[profile legacy]
region = us-east-1
sts_regional_endpoints = legacy
`);
  for (const name of ["eu", "legacy"]) {
    await sandbox.addKeys(name, { accessKeyId: "AKIAOFFLINE", secretAccessKey: "s" });
  }
  const eu = await sandbox.run(["exec", "-j", "eu"]);
  assert.match(eu.stderr, /cannot reach STS.*sts\.eu-west-1\.amazonaws\.com/);
  const legacy = await sandbox.run(["exec", "-j", "legacy"]);
  assert.match(legacy.stderr, /cannot reach STS.*[^.]sts\.amazonaws\.com/);
});

Deno.test("AssumeRole carries external_id, role_session_name, session tags and source identity", async () => {
  await using aws = await startFakeAws();
  const user = aws.addUser({ userName: "tagger" });
  aws.addRole({ arn: `arn:aws:iam::${ACCOUNT}:role/Tagged`, externalId: "ext-123" });
  await using sandbox = new Sandbox(`[profile src]
[profile tagged]
source_profile = src
role_arn = arn:aws:iam::${ACCOUNT}:role/Tagged
external_id = ext-123
role_session_name = alice-session
session_tags = team=platform, env=prod
transitive_session_tags = team
source_identity = alice
`);
  Object.assign(sandbox.env, aws.env());
  await sandbox.addKeys("src", user);
  await sandbox.ok(["exec", "-j", "tagged"]);
  const [call] = aws.calls("sts", "AssumeRole");
  assert.equal(call.params.ExternalId, "ext-123");
  assert.equal(call.params.RoleSessionName, "alice-session");
  assert.equal(call.params.SourceIdentity, "alice");
  const tags = Object.fromEntries(
    [1, 2].map((i) => [call.params[`Tags.member.${i}.Key`], call.params[`Tags.member.${i}.Value`]]),
  );
  assert.deepEqual(tags, { team: "platform", env: "prod" });
  assert.equal(call.params["TransitiveTagKeys.member.1"], "team");
});

Deno.test("the ykman prompt driver is asked once, with the serial and no secret on its command line", async () => {
  const { aws, sandbox, user } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const seed = Deno.readTextFileSync(sandbox.configPath).match(/oathtool --totp -b (\S+)/)![1];
  // No mfa_process this time: the prompt driver must answer.
  Deno.writeTextFileSync(
    sandbox.configPath,
    Deno.readTextFileSync(sandbox.configPath).replace(/^mfa_process.*$/m, ""),
  );
  sandbox.fakeCommand(
    "ykman",
    `echo "$@" >> '${sandbox.home}/ykman.log'\noathtool --totp -b ${seed}`,
  );
  await sandbox.ok(["exec", "-j", "--prompt", "ykman", "bar-role2", "--no-session"]);
  const log = Deno.readTextFileSync(`${sandbox.home}/ykman.log`).trim().split("\n");
  assert.deepEqual(log, [`oath accounts code --single ${user.mfaSerial}`]);
  assert.doesNotMatch(log[0], new RegExp(user.secretAccessKey.replace(/[+/]/g, ".")));
});

Deno.test("alternating a user and a role over it needs one MFA code: the longer session serves both", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  for (const profile of ["foo-admin", "jonsmith", "foo-admin", "jonsmith"]) {
    await sandbox.ok(["exec", "-j", profile]);
  }
  assert.equal(aws.calls("sts").filter((c) => c.mfa).length, 1);
  const [session] = (await sandbox.ok(["list", "--sessions"])).trim().split("\n");
  assert.match(session, /^sts\.GetSessionToken:7h59m\d+s$/, "one 8h session kept");
});

Deno.test("a chain reuses a shorter live session; a longer final session replaces it once", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  aws.allowMfaCodeReuse = true;
  // The 1h session primes foo-admin's chain (its role lasts 1h anyway): no second code.
  for (
    const args of [["jonsmith"], ["foo-admin"], ["jonsmith", "-d", "8h"], ["foo-admin"], [
      "jonsmith",
    ]]
  ) {
    await sandbox.ok(["exec", "-j", ...args]);
  }
  const durations = aws.calls("sts", "GetSessionToken").map((c) => c.params.DurationSeconds);
  assert.deepEqual(durations, ["3600", "28800"]);
});

Deno.test("a duration AWS would refuse is an error before any prompt or call", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const r = await sandbox.run(["exec", "-j", "jonsmith", "-d", "99h"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /GetSessionToken duration of 99h is outside what AWS allows \(15m to 36h\)/,
  );
  const role = await sandbox.run(["exec", "-j", "foo-readonly", "-d", "13h"]);
  assert.match(role.stderr, /AssumeRole duration of 13h.*\(15m to 12h\)/);
  assert.equal(aws.calls("sts").length, 0);
});

Deno.test("a wrong passphrase deletes nothing; the next good run clears stale sessions", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  // An old-format key and an expired session, as aws-vault may have left them.
  for (const name of ["session,d29yaw,,1600000000", "sts.GetSessionToken,d29yaw,,1000000000"]) {
    Deno.writeTextFileSync(`${sandbox.vaultDir}/${name}`, "stale");
  }
  const before = sandbox.snapshot();
  const wrong = await sandbox.run(["exec", "-j", "jonsmith"], {
    AWS_VAULT_FILE_PASSPHRASE: "wrong",
  });
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /wrong passphrase/);
  assert.deepEqual(sandbox.snapshot(), before);
  await sandbox.ok(["exec", "-j", "jonsmith"]);
  const names = Object.keys(sandbox.snapshot());
  assert.ok(
    !names.some((n) => n.startsWith("session,") || n.endsWith(",1000000000")),
    names.join(" "),
  );
});

Deno.test("a damaged cached session is a cache miss, replaced by a fresh one", async () => {
  const { aws, sandbox, user } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const b64 = (s: string) => btoa(s).replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_");
  const future = Math.floor(Date.now() / 1000) + 7200;
  const damaged = `sts.GetSessionToken,${b64("jonsmith")},${b64(user.mfaSerial!)},${future}`;
  Deno.writeTextFileSync(`${sandbox.vaultDir}/${damaged}`, "not a JWE");
  const creds = JSON.parse(await sandbox.ok(["exec", "-j", "jonsmith"]));
  assert.match(creds.AccessKeyId, /^ASIA/);
  assert.equal(aws.calls("sts", "GetSessionToken").length, 1);
  assert.ok(!(damaged in sandbox.snapshot()), "the damaged session was replaced");
});
