/**
 * SSO (IAM Identity Center) end to end: the real `vault` against the strict fake
 * SSO-OIDC and SSO portal. The test plays the user: it reads the sign-in page and
 * code vault prints on stderr and approves them in the fake.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { vaultBin } from "./_bin.ts";
import { type RunResult, Sandbox } from "./_sandbox.ts";
import { type FakeAws, startFakeAws } from "./fakes/server.ts";
import { ssoState } from "./fakes/sso_oidc.ts";

const START = "https://corp.awsapps.com/start";
const LEGACY_START = "https://legacy.awsapps.com/start";
const DEV_ACCOUNT = "111111111111";
const OPS_ACCOUNT = "222222222222";

const CONFIG = `[sso-session corp]
sso_start_url = ${START}
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = ${DEV_ACCOUNT}
sso_role_name = Developer
region = eu-west-1

[profile ops]
sso_session = corp
sso_account_id = ${OPS_ACCOUNT}
sso_role_name = Operator

[profile qa]
sso_session = corp
sso_account_id = ${DEV_ACCOUNT}
sso_role_name = Operator

[profile legacy]
sso_start_url = ${LEGACY_START}
sso_region = us-east-1
sso_account_id = ${DEV_ACCOUNT}
sso_role_name = Developer
`;

async function setUp() {
  const aws = await startFakeAws();
  const sso = ssoState(aws);
  sso.addAssignment(DEV_ACCOUNT, "Developer");
  sso.addAssignment(DEV_ACCOUNT, "Operator");
  sso.addAssignment(OPS_ACCOUNT, "Operator");
  const sandbox = new Sandbox(CONFIG);
  Object.assign(sandbox.env, aws.env());
  return { aws, sso, sandbox };
}

/** A running `vault` whose stderr is read as it arrives. */
class Running {
  stderr = "";
  readonly done: Promise<RunResult>;

  constructor(sandbox: Sandbox, args: string[]) {
    const child = new Deno.Command(vaultBin(), {
      args,
      env: sandbox.env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = new Response(child.stdout).text();
    const stderr = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        this.stderr += chunk;
      }
    })();
    this.done = (async () => {
      const [status, out] = await Promise.all([child.status, stdout, stderr]);
      return { code: status.code, stdout: out, stderr: this.stderr };
    })();
  }

  /** The sign-in page vault shows, and the code on it, once it has printed them. */
  async signInPage(): Promise<{ url: string; code: string }> {
    for (let i = 0; i < 300; i++) {
      const m = /(https:\/\/\S+\?user_code=([A-Z]{4}-[A-Z]{4}))/.exec(this.stderr);
      if (m) return { url: m[1], code: m[2] };
      const exited = await Promise.race([
        this.done.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 50)),
      ]);
      if (exited) break;
    }
    throw new Error(`vault printed no sign-in page:\n${this.stderr}`);
  }
}

function ok(r: RunResult): string {
  if (r.code !== 0) throw new Error(`vault exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** `vault export PROFILE --format json --stdout`, approving the device code it shows. */
async function exportWithSignIn(aws: FakeAws, sandbox: Sandbox, profile: string) {
  const run = new Running(sandbox, ["export", profile, "--format", "json", "--stdout"]);
  const page = await run.signInPage();
  ssoState(aws).approve(page.code);
  return { page, creds: JSON.parse(ok(await run.done)), stderr: run.stderr };
}

/** The text of `path` once something has written it. */
async function fileWhenWritten(path: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const text = await Deno.readTextFile(path).catch(() => "");
    if (text) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing was written to ${path}`);
}

/** The role behind credentials the fake issued. */
function roleOf(aws: FakeAws, accessKeyId: string): string | undefined {
  const identity = aws.sessions.get(accessKeyId)?.identity;
  return identity?.type === "assumed-role" ? identity.role.arn : undefined;
}

/** The keys in the sandbox's vault (file names decoded). */
function vaultKeys(sandbox: Sandbox): string[] {
  return Object.keys(sandbox.snapshot()).filter((k) => k !== "<config>").map(decodeURIComponent);
}

Deno.test("device authorization end to end with --stdout, then one token for every profile on the start URL", async () => {
  const { aws, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const { page, creds, stderr } = await exportWithSignIn(aws, sandbox, "dev");
  assert.ok(stderr.includes(START), stderr);
  assert.ok(!JSON.stringify(creds).includes(page.code), "the sign-in page is never on stdout");
  assert.match(roleOf(aws, creds.AccessKeyId)!, new RegExp(`${DEV_ACCOUNT}:role/.*_Developer_`));

  const register = aws.calls("sso-oidc", "RegisterClient");
  assert.equal(register.length, 1);
  assert.deepEqual(JSON.parse(register[0].params.scopes), ["sso:account:access"]);
  assert.equal(aws.calls("sso-oidc", "StartDeviceAuthorization")[0].params.startUrl, START);
  const polls = aws.calls("sso-oidc", "CreateToken");
  assert.equal(polls.at(-1)!.ok, true);
  assert.deepEqual(
    polls.filter((c) => !c.ok).map((c) => c.error),
    polls.slice(0, -1).map(() => "AuthorizationPendingException"),
    "vault polls at the interval it was given (the fake answers slow_down to faster polls)",
  );
  const [get] = aws.calls("sso", "GetRoleCredentials");
  assert.equal(get.accessKeyId, undefined, "GetRoleCredentials is not SigV4-signed");
  assert.equal(get.params.account_id, DEV_ACCOUNT);
  assert.equal(get.params.role_name, "Developer");
  assert.ok(ssoState(aws).validToken(get.params["x-amz-sso_bearer_token"], new Date()));

  const keys = vaultKeys(sandbox);
  assert.ok(keys.includes(`oidc:${START}`), keys.join(" "));
  assert.ok(keys.some((k) => k.startsWith("sso.GetRoleCredentials,")), keys.join(" "));

  // The cached role session serves the same profile; another profile on the start URL reuses the token.
  aws.clearCalls();
  const again = JSON.parse(ok(await sandbox.run(["export", "dev", "--format", "json"])));
  assert.equal(again.AccessKeyId, creds.AccessKeyId);
  assert.equal(aws.calls().length, 0);
  const ops = JSON.parse(ok(await sandbox.run(["export", "ops", "--format", "json"])));
  assert.match(roleOf(aws, ops.AccessKeyId)!, new RegExp(`${OPS_ACCOUNT}:role/.*_Operator_`));
  assert.deepEqual(aws.calls().map((c) => c.action), ["GetRoleCredentials"]);
});

Deno.test("without --stdout the sign-in page opens in the browser (xdg-open)", async () => {
  const { aws, sso, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  sandbox.fakeCommand("xdg-open", `printf '%s' "$1" > "${sandbox.home}/opened"`);
  const run = new Running(sandbox, ["export", "legacy"]);
  const page = await run.signInPage();
  const opened = await fileWhenWritten(`${sandbox.home}/opened`);
  assert.equal(opened, page.url);
  sso.approve(page.code);
  assert.match(ok(await run.done), /^AWS_ACCESS_KEY_ID=ASIA/);
});

Deno.test("a token near its end is refreshed with its refresh token, without a browser", async () => {
  const { aws, sso, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  // Tokens that live 10 minutes are inside vault's 15-minute refresh window from the start.
  sso.accessTokenLifetime = 600;
  await exportWithSignIn(aws, sandbox, "dev");
  aws.clearCalls();
  ok(await sandbox.run(["export", "ops"]));
  // The refresh token rotates: the second refresh works only if vault kept the new one.
  ok(await sandbox.run(["export", "qa"]));
  assert.deepEqual(aws.calls("sso-oidc").map((c) => `${c.action}:${c.params.grantType}:${c.ok}`), [
    "CreateToken:refresh_token:true",
    "CreateToken:refresh_token:true",
  ]);
  assert.equal(aws.calls("sso", "GetRoleCredentials").filter((c) => c.ok).length, 2);
});

Deno.test("a token SSO rejects is dropped and the sign-in runs once more", async () => {
  const { aws, sso, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  await exportWithSignIn(aws, sandbox, "legacy");
  sso.expireAccessTokens(LEGACY_START);
  aws.clearCalls();
  // Same start URL, another role: no cached session, and the stored token is now refused.
  const config = Deno.readTextFileSync(sandbox.configPath).replace(
    /(\[profile legacy\][^[]*)Developer/,
    "$1Operator",
  );
  Deno.writeTextFileSync(sandbox.configPath, config);
  const { creds } = await exportWithSignIn(aws, sandbox, "legacy");
  assert.match(roleOf(aws, creds.AccessKeyId)!, /_Operator_/);
  assert.deepEqual(
    aws.calls("sso", "GetRoleCredentials").map((c) => c.error ?? "ok"),
    ["UnauthorizedException", "ok"],
  );
  assert.equal(aws.calls("sso-oidc", "StartDeviceAuthorization").length, 1);
});

Deno.test("a valid token in the AWS CLI's cache is used: no sign-in", async () => {
  const { aws, sso, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const token = sso.issueAccessToken(START);
  const dir = `${sandbox.home}/.aws/sso/cache`;
  Deno.mkdirSync(dir, { recursive: true });
  // What `aws sso login --sso-session corp` writes: the file is named by the session's SHA-1.
  const name = createHash("sha1").update("corp").digest("hex");
  Deno.writeTextFileSync(
    `${dir}/${name}.json`,
    JSON.stringify({
      startUrl: START,
      region: "eu-west-1",
      accessToken: token.accessToken,
      expiresAt: token.expiresAt.toISOString().replace(/\.\d+Z$/, "Z"),
    }),
  );
  const creds = JSON.parse(ok(await sandbox.run(["export", "dev", "--format", "json"])));
  assert.match(roleOf(aws, creds.AccessKeyId)!, /_Developer_/);
  assert.equal(aws.calls("sso-oidc").length, 0);
  assert.equal(
    aws.calls("sso", "GetRoleCredentials")[0].params["x-amz-sso_bearer_token"],
    token.accessToken,
  );
});

Deno.test("two shells exporting SSO profiles at once sign in once", async () => {
  const { aws, sso, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const first = new Running(sandbox, ["export", "dev", "--format", "json", "--stdout"]);
  const second = new Running(sandbox, ["export", "ops", "--format", "json", "--stdout"]);
  const page = await Promise.any([first.signInPage(), second.signInPage()]);
  sso.approve(page.code);
  const [a, b] = await Promise.all([first.done, second.done]);
  assert.match(roleOf(aws, JSON.parse(ok(a)).AccessKeyId)!, /_Developer_/);
  assert.match(roleOf(aws, JSON.parse(ok(b)).AccessKeyId)!, /_Operator_/);
  assert.equal(aws.calls("sso-oidc", "StartDeviceAuthorization").length, 1);
  assert.equal(
    [a.stderr, b.stderr].filter((s) => s.includes("user_code=")).length,
    1,
    "only one shell showed a sign-in page",
  );
});

Deno.test("a device code that expires before it is confirmed ends with a clear error", async () => {
  const { aws, sso, sandbox } = await setUp();
  await using _a = aws;
  await using _s = sandbox;
  const run = new Running(sandbox, ["export", "legacy", "--stdout"]);
  const page = await run.signInPage();
  sso.expireDeviceCodes();
  const r = await run.done;
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`vault: the SSO sign-in code ${page.code} expired`));
  assert.equal(r.stdout, "");
  assert.ok(!vaultKeys(sandbox).some((k) => k.startsWith("oidc:")), "no token stored");
});
