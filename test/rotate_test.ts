/**
 * `vault rotate` end to end against the fake IAM and STS: the new key is stored
 * and works, the old one is deleted with the new one (waiting for IAM to accept
 * it), the source chain's sessions are dropped, and a failure half-way leaves
 * either nothing changed or a message that says exactly what is left to do.
 */
import assert from "node:assert/strict";
import { Sandbox } from "./_sandbox.ts";
import { type FakeAws, startFakeAws } from "./fakes/server.ts";
import { randomTotpSeed } from "./fakes/totp.ts";

const ACCOUNT = "123456789012";

async function setUp() {
  const aws = await startFakeAws();
  const seed = randomTotpSeed();
  const alice = aws.addUser({ userName: "alice" });
  const bob = aws.addUser({ userName: "bob", mfaSeed: seed });
  aws.addRole({ arn: `arn:aws:iam::${ACCOUNT}:role/Admin` });
  const sandbox = new Sandbox(`[default]
region = us-east-1

[profile alice]

[profile admin]
source_profile = alice
role_arn = arn:aws:iam::${ACCOUNT}:role/Admin

[profile bob]
mfa_serial = ${bob.mfaSerial}
mfa_process = oathtool --totp -b ${seed}

[profile sso]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_account_id = ${ACCOUNT}
sso_role_name = Admin
`);
  Object.assign(sandbox.env, aws.env());
  await sandbox.addKeys("alice", alice);
  await sandbox.addKeys("bob", bob);
  return { aws, sandbox, alice, bob };
}

/** The keys `vault` holds for a profile, as `export --no-session` gives them. */
async function storedKeyId(sandbox: Sandbox, profile: string): Promise<string> {
  return JSON.parse(await sandbox.ok(["export", profile, "-n", "--format", "json"])).AccessKeyId;
}

/** The session keys in the vault directory (their names say whose they are). */
function sessions(sandbox: Sandbox): string[] {
  return Object.keys(sandbox.snapshot()).filter((name) => name.includes(","));
}

function keyIds(aws: FakeAws, user: string): string[] {
  return aws.accessKeysOf(user).map((k) => k.accessKeyId);
}

Deno.test("rotate through a role profile: new key stored and working, old key deleted, chain sessions dropped", async () => {
  const { aws, sandbox, alice } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  await sandbox.ok(["export", "alice"]); // caches a GetSessionToken session for alice
  await sandbox.ok(["export", "bob"]); // and one for bob, which must survive
  assert.equal(sessions(sandbox).length, 2);
  aws.keyPropagationCalls = 2; // IAM refuses the new key twice before it works
  aws.clearCalls();

  const r = await sandbox.run(["rotate", "admin"]);
  assert.equal(r.code, 0, r.stderr);
  const [newKey] = keyIds(aws, "alice");
  assert.deepEqual(keyIds(aws, "alice"), [newKey], "only the new key is left");
  assert.notEqual(newKey, alice.accessKeyId);
  assert.equal(await storedKeyId(sandbox, "alice"), newKey);
  assert.match(r.stderr, new RegExp(`deleted the old access key ${alice.accessKeyId}`));

  // IAM was called as the user with the old key; the old key was deleted with the new one.
  const iam = aws.calls("iam");
  assert.deepEqual(
    iam.map((c) => `${c.action}:${c.accessKeyId === newKey ? "new" : "old"}:${c.error ?? "ok"}`),
    [
      "GetUser:old:ok",
      "CreateAccessKey:old:ok",
      "DeleteAccessKey:new:InvalidClientTokenId",
      "DeleteAccessKey:new:InvalidClientTokenId",
      "DeleteAccessKey:new:ok",
    ],
  );
  assert.equal(iam.at(-1)!.params.AccessKeyId, alice.accessKeyId);
  assert.equal(aws.calls("sts").length, 0, "no MFA session for a chain without MFA");

  const left = sessions(sandbox);
  assert.equal(left.length, 1);
  assert.equal(left[0].split(",")[1], btoa("bob").replace(/=+$/, ""));
  // The new key works for the whole chain.
  await sandbox.ok(["export", "admin"]);
});

Deno.test("a profile with MFA calls IAM in an MFA session; -n uses the keys directly", async () => {
  const { aws, sandbox, bob } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  aws.clearCalls();
  await sandbox.ok(["rotate", "bob"]);
  const [session] = aws.calls("sts", "GetSessionToken");
  assert.equal(session.mfa, true);
  assert.equal(session.accessKeyId, bob.accessKeyId);
  const [getUser, create] = aws.calls("iam");
  assert.match(getUser.accessKeyId!, /^ASIA/);
  assert.match(create.accessKeyId!, /^ASIA/);
  const afterFirst = keyIds(aws, "bob");
  assert.equal(afterFirst.length, 1);
  assert.equal(await storedKeyId(sandbox, "bob"), afterFirst[0]);

  aws.clearCalls();
  await sandbox.ok(["rotate", "bob", "-n"]);
  assert.equal(aws.calls("sts").length, 0);
  assert.equal(aws.calls("iam", "CreateAccessKey")[0].accessKeyId, afterFirst[0]);
  assert.notDeepEqual(keyIds(aws, "bob"), afterFirst);
});

Deno.test("CreateAccessKey refused: the vault is unchanged byte for byte", async () => {
  const { aws, sandbox, alice } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  await sandbox.ok(["export", "alice"]);
  aws.addAccessKey("alice"); // IAM allows two keys per user: a third is refused
  const before = sandbox.snapshot();
  const r = await sandbox.run(["rotate", "alice"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^vault: rotate: IAM user alice already has two access keys/m);
  assert.deepEqual(sandbox.snapshot(), before);
  assert.ok(keyIds(aws, "alice").includes(alice.accessKeyId));
});

Deno.test("DeleteAccessKey failing: the message states the new key is stored and the old one still active", async () => {
  const { aws, sandbox, alice } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  // IAM fails every attempt of the next call (DeleteAccessKey) after it made the new key.
  const create = aws.createAccessKey.bind(aws);
  aws.createAccessKey = (user, unpropagated) => {
    const key = create(user, unpropagated);
    void aws.fault("iam", { kind: "500", times: 3 });
    return key;
  };
  const r = await sandbox.run(["rotate", "alice"]);
  assert.equal(r.code, 1);
  const newKey = keyIds(aws, "alice").find((k) => k !== alice.accessKeyId)!;
  assert.equal(await storedKeyId(sandbox, "alice"), newKey);
  assert.ok(keyIds(aws, "alice").includes(alice.accessKeyId), "the old key is still there");
  const message = r.stderr.split("\n").find((l) => l.startsWith("vault: rotate:"))!;
  assert.ok(
    message.includes(`new access key ${newKey} is stored for profile alice and works`),
    message,
  );
  assert.ok(message.includes(`old key ${alice.accessKeyId} is still active`), message);
  assert.ok(
    message.includes(
      `vault exec alice -n -- aws iam delete-access-key --user-name alice --access-key-id ${alice.accessKeyId}`,
    ),
    message,
  );
});

Deno.test("a profile without stored keys has nothing to rotate", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const r = await sandbox.run(["rotate", "sso"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /profile sso has credentials from SSO, not stored keys/);
  assert.equal(aws.calls().length, 0);
});
