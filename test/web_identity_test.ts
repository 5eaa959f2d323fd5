/**
 * Web identity end to end: `web_identity_token_file` and `web_identity_token_process`
 * exchanged with the fake STS's AssumeRoleWithWebIdentity, unsigned even when the
 * environment holds keys, and cached as `sts.AssumeRoleWithWebIdentity`.
 */
import assert from "node:assert/strict";
import { Sandbox } from "./_sandbox.ts";
import { type FakeAws, startFakeAws } from "./fakes/server.ts";

const ACCOUNT = "123456789012";
const WEB_ROLE = `arn:aws:iam::${ACCOUNT}:role/WebRole`;
const NEXT_ROLE = `arn:aws:iam::${ACCOUNT}:role/NextRole`;

async function setUp() {
  const aws = await startFakeAws();
  aws.addRole({ arn: WEB_ROLE });
  aws.addRole({ arn: NEXT_ROLE });
  aws.addWebIdentityToken("file-token", "system:serviceaccount:ci:deployer");
  aws.addWebIdentityToken("process-token", "repo:corp/app");
  const sandbox = new Sandbox();
  const tokenFile = `${sandbox.home}/token`;
  Deno.writeTextFileSync(tokenFile, "file-token\n");
  Deno.writeTextFileSync(
    sandbox.configPath,
    `[profile ci]
role_arn = ${WEB_ROLE}
web_identity_token_file = ${tokenFile}
role_session_name = ci-run
region = eu-west-1

[profile gha]
role_arn = ${WEB_ROLE}
web_identity_token_process = printf process-token

[profile next]
source_profile = ci
role_arn = ${NEXT_ROLE}

[profile broken]
role_arn = ${WEB_ROLE}
web_identity_token_file = ${sandbox.home}/missing-token
`,
  );
  // Keys in the environment must never sign the call: the fake would refuse a signature by an unknown key.
  Object.assign(sandbox.env, aws.env(), {
    AWS_ACCESS_KEY_ID: "AKIAFROMTHEENVIRONMENT",
    AWS_SECRET_ACCESS_KEY: "environment-secret",
  });
  return { aws, sandbox };
}

function roleOf(aws: FakeAws, accessKeyId: string): string | undefined {
  const identity = aws.sessions.get(accessKeyId)?.identity;
  return identity?.type === "assumed-role" ? identity.role.arn : undefined;
}

Deno.test("web_identity_token_file: an unsigned AssumeRoleWithWebIdentity, cached", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const creds = JSON.parse(await sandbox.ok(["export", "ci", "--format", "json"]));
  assert.equal(roleOf(aws, creds.AccessKeyId), WEB_ROLE);
  const [call] = aws.calls("sts", "AssumeRoleWithWebIdentity");
  assert.equal(call.ok, true);
  assert.equal(call.accessKeyId, undefined, "the call is not signed");
  assert.equal(call.params.WebIdentityToken, "file-token");
  assert.equal(call.params.RoleSessionName, "ci-run");
  assert.equal(call.params.DurationSeconds, "3600");

  const sessions = (await sandbox.ok(["list", "--sessions"])).split("\n").filter(Boolean);
  assert.deepEqual(sessions.map((k) => k.split(":")[0]), ["sts.AssumeRoleWithWebIdentity"]);
  aws.clearCalls();
  const again = JSON.parse(await sandbox.ok(["export", "ci", "--format", "json"]));
  assert.equal(again.AccessKeyId, creds.AccessKeyId);
  assert.equal(aws.calls().length, 0);
});

Deno.test("web_identity_token_process: the command's output is the token", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const creds = JSON.parse(await sandbox.ok(["export", "gha", "--format", "json", "-d", "15m"]));
  assert.equal(roleOf(aws, creds.AccessKeyId), WEB_ROLE);
  const [call] = aws.calls("sts", "AssumeRoleWithWebIdentity");
  assert.equal(call.params.WebIdentityToken, "process-token");
  assert.equal(call.params.DurationSeconds, "900");
});

Deno.test("a role on top of a web identity profile is assumed with its credentials", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const creds = JSON.parse(await sandbox.ok(["export", "next", "--format", "json"]));
  assert.equal(roleOf(aws, creds.AccessKeyId), NEXT_ROLE);
  assert.deepEqual(aws.calls("sts").map((c) => c.action), [
    "AssumeRoleWithWebIdentity",
    "AssumeRole",
  ]);
});

Deno.test("a missing token file is an error naming the file", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const r = await sandbox.run(["export", "broken"]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /^vault: cannot read web_identity_token_file .*missing-token of profile broken/,
  );
  assert.equal(aws.calls().length, 0);
});
