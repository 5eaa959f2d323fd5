/**
 * vault with a real client, the AWS CLI v2 (/usr/bin/aws), against the fake STS:
 * as `vault exec`'s child, through `credential_process`, and through `--server`.
 */
import assert from "node:assert/strict";
import { vaultBin } from "./_bin.ts";
import { Sandbox } from "./_sandbox.ts";
import { startFakeAws } from "./fakes/server.ts";

const AWS = "/usr/bin/aws";
const ROLE = "arn:aws:iam::123456789012:role/Deploy";

async function setUp() {
  const aws = await startFakeAws();
  const user = aws.addUser({ userName: "alice" });
  aws.addRole({ arn: ROLE });
  const sandbox = new Sandbox(`[profile work]
region = eu-west-1

[profile deploy]
source_profile = work
role_arn = ${ROLE}
region = eu-west-1

[profile via-vault]
credential_process = '${vaultBin()}' exec -j deploy
region = eu-west-1
`);
  Object.assign(sandbox.env, aws.env());
  await sandbox.addKeys("work", user);
  return { aws, sandbox, user };
}

/** `aws sts get-caller-identity` against the fake, as JSON. */
function callerIdentity(url: string): string[] {
  return [AWS, "sts", "get-caller-identity", "--endpoint-url", url, "--output", "json"];
}

function identity(stdout: string): string {
  return JSON.parse(stdout).Arn;
}

Deno.test("the AWS CLI run by vault exec signs with the role's session", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const out = await sandbox.ok([
    "exec",
    "deploy",
    "--",
    ...callerIdentity(aws.url),
  ]);
  assert.match(identity(out), /^arn:aws:sts::123456789012:assumed-role\/Deploy\//);
  const cli = aws.calls("sts", "GetCallerIdentity");
  assert.equal(cli.length, 1);
  assert.ok(cli[0].ok);
  assert.match(cli[0].accessKeyId!, /^ASIA/);
});

Deno.test("the AWS CLI uses `vault exec -j` as its credential_process", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const cli = new Deno.Command(AWS, {
    args: [
      "sts",
      "get-caller-identity",
      "--profile",
      "via-vault",
      "--endpoint-url",
      aws.url,
      "--output",
      "json",
    ],
    env: sandbox.env,
    clearEnv: true,
    stdin: "null",
  });
  const out = await cli.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.match(identity(new TextDecoder().decode(out.stdout)), /assumed-role\/Deploy\//);
  assert.equal(aws.calls("sts", "AssumeRole").length, 1);
});

Deno.test("exec --server hands the child an endpoint, not keys, and refuses a wrong token", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const script = [
    'test -z "$AWS_ACCESS_KEY_ID" || { echo "keys leaked"; exit 9; }',
    `${AWS} sts get-caller-identity --endpoint-url ${aws.url} --output json`,
    // A request without the exact token must be refused.
    `'${Deno.execPath()}' eval 'const r = await fetch(Deno.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"), ` +
    `{ headers: { authorization: "wrong" } }); console.log("status", r.status);'`,
  ].join(" && ");
  const out = await sandbox.ok(["exec", "--server", "deploy", "--", "sh", "-c", script]);
  const [json, status] = out.split(/(?=status )/);
  assert.match(identity(json), /assumed-role\/Deploy\//);
  assert.equal(status.trim(), "status 403");
});

Deno.test("exec --server --lazy makes no STS call until the child asks for credentials", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  await sandbox.ok(["exec", "--server", "--lazy", "deploy", "--", "true"]);
  assert.equal(aws.calls("sts").length, 0);
  const out = await sandbox.ok([
    "exec",
    "--server",
    "--lazy",
    "deploy",
    "--",
    ...callerIdentity(aws.url),
  ]);
  assert.match(identity(out), /assumed-role\/Deploy\//);
  assert.equal(aws.calls("sts", "AssumeRole").length, 1);
});
