/**
 * `vault use` / `vault unuse` end to end: real zsh, bash and fish in tmux, the
 * real program, the strict fake STS, MFA typed at the terminal.
 */
import assert from "node:assert/strict";
import { quote, type Shell, shells } from "../src/shell/quote.ts";
import { Sandbox } from "./_sandbox.ts";
import { IDLE, PROMPT_LINE, run, type Session, sh, withShell } from "./_shells.ts";
import { startFakeAws } from "./fakes/server.ts";
import { randomTotpSeed, totp } from "./fakes/totp.ts";

const HOSTILE = ["$(touch pwned)", "a'b", "x;y", "--help"];

/** A fake AWS with `work` (MFA) and `prod` users, and a vault holding their keys and hostile names. */
async function setUp() {
  const aws = await startFakeAws();
  const seed = randomTotpSeed();
  const work = aws.addUser({ userName: "work-user", mfaSeed: seed });
  const prod = aws.addUser({ userName: "prod-user" });
  const config = `[profile work]
region = us-east-1
mfa_serial = ${work.mfaSerial}

[profile prod]
region = eu-west-1

[profile evil-region]
region = $(touch pwned-region)
`;
  const sandbox = new Sandbox(config);
  Object.assign(sandbox.env, aws.env());
  await sandbox.addKeys("work", work);
  await sandbox.addKeys("prod", prod);
  await sandbox.addKeys("evil-region", prod);
  for (const name of HOSTILE) await sandbox.addKeys(name, prod);
  return { aws, sandbox, seed, work, prod };
}

type Fixture = Awaited<ReturnType<typeof setUp>>;

/** Runs `fn` in `shell` with the fixture's config and vault settings (plus `env`), then cleans up. */
async function withVaultShell(
  shell: Shell,
  env: Record<string, string>,
  fn: (s: Session, fixture: Fixture) => Promise<void>,
) {
  const fixture = await setUp();
  await using _aws = fixture.aws;
  await using sandbox = fixture.sandbox;
  const { PATH: _, ...sandboxEnv } = sandbox.env;
  await withShell(
    shell,
    { config: Deno.readTextFileSync(sandbox.configPath), env: { ...sandboxEnv, ...env } },
    (s) => fn(s, fixture),
  );
}

async function show(s: Session, name: string): Promise<string> {
  const out = await run(s, sh.show(s.shell, name), new RegExp(`^${name}=(\\[.*\\]|<unset>)$`, "m"));
  return out.match(new RegExp(`^${name}=(\\[.*\\]|<unset>)$`, "m"))![1];
}

for (const shell of shells) {
  Deno.test(`${shell}: use exports a session, the prompt shows it, switching and unuse work`, async () => {
    await withVaultShell(shell, {}, async (s, { aws, seed, work, prod }) => {
      // Ctrl-C at the MFA prompt leaves the shell as it was.
      await s.term.run("vault use work");
      await s.term.waitFor(/Enter MFA code for arn:aws:iam::\d+:mfa\/work-user/);
      await s.term.keys("C-c");
      // A new, empty prompt: PROMPT_LINE would also match the line `vault use work` was typed on.
      await s.term.waitFor(IDLE);
      assert.equal(await show(s, "AWS_VAULT"), "<unset>");
      assert.equal(aws.calls("sts").length, 0);

      // The code is typed at the terminal while the function captures stdout.
      await s.term.run("vault use work");
      await s.term.waitFor(/Enter MFA code for/);
      await s.term.run(totp(seed));
      const screen = await s.term.waitFor(/\[0\] <[^>]*work \d/);
      assert.match(screen, /<[^>]*work (1h00m|59m)[^>]*> READY>/);
      assert.equal(await show(s, "AWS_VAULT"), "[work]");
      assert.match(await show(s, "AWS_ACCESS_KEY_ID"), /^\[ASIA/);
      assert.match(
        await show(s, "AWS_CREDENTIAL_EXPIRATION"),
        /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\]$/,
      );
      assert.equal(
        await show(s, "AWS_SESSION_EXPIRATION"),
        await show(s, "AWS_CREDENTIAL_EXPIRATION"),
      );
      assert.equal(await show(s, "AWS_REGION"), "[us-east-1]");
      assert.equal(await show(s, "AWS_PROFILE"), "<unset>");
      const [gst] = aws.calls("sts", "GetSessionToken");
      assert.equal(gst.accessKeyId, work.accessKeyId);
      assert.ok(gst.mfa);

      // Switching signs with prod's own keys, never with work's session.
      const said = await run(s, "vault use prod", PROMPT_LINE);
      assert.match(said, /vault: using prod \(eu-west-1\) until \d\d:\d\d, (59m|1h00m) left/);
      await s.term.waitFor(/<[^>]*prod \d/);
      const prodCall = aws.calls("sts", "GetSessionToken")[1];
      assert.equal(prodCall.accessKeyId, prod.accessKeyId);
      assert.equal(await show(s, "AWS_REGION"), "[eu-west-1]");

      // A failed use changes nothing.
      const before = await show(s, "AWS_ACCESS_KEY_ID");
      const failed = await run(s, `vault use nope; ${sh.status(shell)}`, /rc=\d+/);
      assert.match(failed, /profile "nope" not found/);
      assert.doesNotMatch(failed, /rc=0/);
      assert.equal(await show(s, "AWS_ACCESS_KEY_ID"), before);
      assert.equal(await show(s, "AWS_VAULT"), "[prod]");

      // Using work again needs no code: its session is cached.
      await run(s, "vault use work", PROMPT_LINE);
      assert.equal(await show(s, "AWS_VAULT"), "[work]");
      assert.equal(aws.calls("sts", "GetSessionToken").length, 2);

      await run(s, "vault unuse", PROMPT_LINE);
      for (
        const name of [
          "AWS_VAULT",
          "AWS_ACCESS_KEY_ID",
          "AWS_SESSION_TOKEN",
          "AWS_REGION",
          "VAULT_EXPIRES_AT",
        ]
      ) {
        assert.equal(await show(s, name), "<unset>", name);
      }
      assert.match(await run(s, "true", PROMPT_LINE), /<> READY>/);
    });
  });

  Deno.test(`${shell}: hostile profile names and region values are exported exactly, nothing runs`, async () => {
    await withVaultShell(shell, {}, async (s) => {
      for (const name of HOSTILE) {
        await run(s, `vault use -n -- ${quote(shell as Shell, name)}; ${sh.status(shell)}`, /rc=0/);
        assert.equal(await show(s, "AWS_VAULT"), `[${name}]`, name);
      }
      await run(s, `vault use -n evil-region; ${sh.status(shell)}`, /rc=0/);
      assert.equal(await show(s, "AWS_REGION"), "[$(touch pwned-region)]");
      // withShell asserts that nothing appeared in the shell's working directory.
    });
  });
}

Deno.test("the program refuses `use` without the shell function, with a hint", async () => {
  await using sandbox = new Sandbox("[profile work]\n");
  const r = await sandbox.run(["use", "work"], { SHELL: "/usr/bin/fish" });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /vault init fish \| source/);
});

for (const shell of shells) {
  Deno.test(`${shell}: auto refresh renews a due session in place, and says once when MFA is needed`, async () => {
    // A reuse window of 3599s makes a fresh 1h session due for renewal a second later.
    const env = { AWS_VAULT_AUTO_REFRESH: "1", AWS_MIN_TTL: "3599s" };
    await withVaultShell(
      shell,
      env,
      async (s, { aws, seed }) => {
        await run(s, "vault use prod", PROMPT_LINE);
        const first = await show(s, "AWS_ACCESS_KEY_ID");
        await run(s, "sleep 2", PROMPT_LINE);
        assert.ok(aws.calls("sts", "GetSessionToken").length >= 2, "renewed without being asked");
        assert.notEqual(await show(s, "AWS_ACCESS_KEY_ID"), first);
        assert.equal(await show(s, "AWS_VAULT"), "[prod]");

        await s.term.run("vault use work");
        await s.term.waitFor(/Enter MFA code for/);
        await s.term.run(totp(seed));
        await s.term.waitFor(/<[^>]*work \d/);
        const calls = aws.calls("sts").length;
        // The notice may come at the prompt right after `use` (if that took over a second)
        // or after the sleep: look for it in the whole history.
        await s.term.run("sleep 2");
        await s.term.waitFor(/renewing the credentials of work needs an MFA code/, {
          history: true,
        });
        const later = await run(s, "true", PROMPT_LINE);
        assert.doesNotMatch(later, /needs an MFA code/, "said once, not at every prompt");
        assert.equal(aws.calls("sts").length, calls, "no STS call without a code");
        assert.equal(await show(s, "AWS_VAULT"), "[work]");
      },
    );
  });
}
