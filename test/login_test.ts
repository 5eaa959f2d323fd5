/**
 * `vault login` end to end against the fake STS and the fake console federation
 * endpoint (AWS_VAULT_SIGNIN_URL): IAM users go through GetFederationToken, role
 * credentials are used as they are, and the link lands on the region's console.
 */
import assert from "node:assert/strict";
import { Sandbox } from "./_sandbox.ts";
import { type FakeAws, startFakeAws } from "./fakes/server.ts";
import { signinTokens } from "./fakes/signin.ts";

const ACCOUNT = "123456789012";
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;

async function setUp() {
  const aws = await startFakeAws();
  const alice = aws.addUser({ userName: "alice" });
  aws.addRole({ arn: ADMIN, maxDuration: 43200 });
  const sandbox = new Sandbox(`[profile alice]
region = eu-west-1

[profile admin]
source_profile = alice
role_arn = ${ADMIN}
region = cn-north-1
`);
  Object.assign(sandbox.env, aws.env());
  await sandbox.addKeys("alice", alice);
  aws.clearCalls();
  return { aws, sandbox, alice };
}

/** The login link's parts, and the sign-in token it carries as the fake issued it. */
function parseLogin(aws: FakeAws, text: string) {
  const url = new URL(text.trim());
  const token = signinTokens(aws).get(url.searchParams.get("SigninToken") ?? "");
  assert.ok(token, `the link carries a sign-in token the endpoint issued: ${text}`);
  return { url, token };
}

Deno.test("an IAM user's keys go through GetFederationToken; the link opens the region's console", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const { url, token } = parseLogin(aws, await sandbox.ok(["login", "alice", "--stdout"]));
  assert.equal(url.origin, sandbox.env.AWS_VAULT_SIGNIN_URL);
  assert.equal(url.searchParams.get("Action"), "login");
  assert.equal(url.searchParams.get("Issuer"), "vault");
  assert.equal(
    url.searchParams.get("Destination"),
    "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1",
  );
  assert.equal(token.session.issuedBy, "GetFederationToken");
  assert.equal(token.sessionDuration, undefined);
  assert.deepEqual(aws.calls("sts").map((c) => c.action), [
    "GetCallerIdentity",
    "GetFederationToken",
  ]);
  const federation = aws.calls("sts", "GetFederationToken")[0].params;
  assert.equal(federation.Name, "alice");
  assert.equal(federation.DurationSeconds, "3600");
  assert.deepEqual(JSON.parse(federation.Policy), {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  });
  // The link works: the endpoint redirects to the console.
  const response = await fetch(url, { redirect: "manual" });
  await response.body?.cancel();
  assert.equal(response.status, 302);
  assert.equal(response.headers.get("location"), url.searchParams.get("Destination"));
});

Deno.test("--duration sets the federation token's lifetime (AWS_FEDERATION_TOKEN_TTL too)", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  await sandbox.ok(["login", "alice", "--stdout", "-d", "2h"]);
  await sandbox.ok(["login", "alice", "--stdout"], { AWS_FEDERATION_TOKEN_TTL: "30m" });
  assert.deepEqual(
    aws.calls("sts", "GetFederationToken").map((c) => c.params.DurationSeconds),
    ["7200", "1800"],
  );
  const sent = aws.calls("signin", "getSigninToken").map((c) => c.params.SessionDuration);
  assert.deepEqual(sent, [undefined, undefined], "federation tokens carry no SessionDuration");
});

Deno.test("role credentials are used as they are, with --path and the China console", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const out = await sandbox.ok(["login", "admin", "--stdout", "--path", "s3/home", "-d", "2h"]);
  const { url, token } = parseLogin(aws, out);
  assert.equal(
    url.searchParams.get("Destination"),
    "https://cn-north-1.console.amazonaws.cn/s3/home?region=cn-north-1",
  );
  const identity = token.session.identity;
  assert.equal(identity.type === "assumed-role" && identity.role.arn, ADMIN);
  assert.equal(token.sessionDuration, 7200);
  assert.equal(aws.calls("sts", "GetFederationToken").length, 0);
});

Deno.test("without --stdout the browser gets a one-time link, never the sign-in token", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  // A browser that records the address it was given and follows one redirect.
  sandbox.fakeCommand(
    "xdg-open",
    `printf '%s' "$1" > "${sandbox.home}/argv"
curl -s -o /dev/null -w '%{redirect_url}' "$1" > "${sandbox.home}/redirect"`,
  );
  const r = await sandbox.run(["login", "alice"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "");
  const argv = Deno.readTextFileSync(`${sandbox.home}/argv`);
  assert.match(argv, /^http:\/\/127\.0\.0\.1:\d+\/[\w-]+$/);
  const { url } = parseLogin(aws, Deno.readTextFileSync(`${sandbox.home}/redirect`));
  assert.ok(!argv.includes(url.searchParams.get("SigninToken")!));
});

Deno.test("a duration the console does not allow is refused before any call", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const r = await sandbox.run(["login", "admin", "--stdout", "-d", "13h"]);
  assert.equal(r.code, 2);
  // The role's own limit (AssumeRole, 12h) is the console's too: the plan refuses it first.
  assert.match(r.stderr, /AssumeRole duration of 13h is outside what AWS allows \(15m to 12h\)/);
  assert.equal(aws.calls().length, 0);
});

Deno.test("an unreachable sign-in endpoint is named, without the credentials sent to it", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const endpoint = `http://127.0.0.1:${closed.addr.port}/federation`;
  closed.close();
  const r = await sandbox.run(["login", "alice", "--stdout"], { AWS_VAULT_SIGNIN_URL: endpoint });
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^vault: cannot reach the AWS sign-in endpoint ${endpoint}`));
  const [federation] = aws.calls("sts", "GetFederationToken");
  assert.ok(federation.ok);
  for (const secret of [...aws.sessions.values()].map((s) => s.secretAccessKey)) {
    assert.ok(!r.stderr.includes(secret));
  }
  assert.ok(!r.stderr.includes("Session="), r.stderr);
});
