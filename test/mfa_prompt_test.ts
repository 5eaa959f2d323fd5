/** MFA codes typed at the terminal: a slip or a code AWS refuses is asked again, not fatal. */
import assert from "node:assert/strict";
import { vaultBin } from "./_bin.ts";
import { Sandbox } from "./_sandbox.ts";
import { startFakeAws } from "./fakes/server.ts";
import { randomTotpSeed, totp } from "./fakes/totp.ts";
import { Tmux } from "./tmux.ts";

Deno.test("a mistyped or refused MFA code is asked again, and the right one works", async () => {
  await using aws = await startFakeAws();
  const seed = randomTotpSeed();
  const user = aws.addUser({ userName: "typist", mfaSeed: seed });
  await using sandbox = new Sandbox(`[profile work]\nmfa_serial = ${user.mfaSerial}\n`);
  Object.assign(sandbox.env, aws.env());
  await sandbox.addKeys("work", user);
  const script = `'${vaultBin()}' exec -j work > "$HOME/out.json"; echo "exec exited $?"; sleep 30`;
  await using term = await Tmux.start({ command: ["sh", "-c", script], env: sandbox.env });
  await term.waitFor(/Enter MFA code for/);
  await term.run("12345");
  await term.waitFor(/That is not a 6-digit code/);
  // A well-formed code that is wrong: AWS refuses it, vault asks for the next.
  const wrong = totp(seed) === "000000" ? "111111" : "000000";
  await term.run(wrong);
  await term.waitFor(/AWS refused that MFA code: enter the next one/);
  await term.waitFor(/Enter MFA code for[^\n]*\n[^\n]*AWS refused[^\n]*\n[^\n]*Enter MFA code for/);
  await term.run(totp(seed));
  const screen = await term.waitFor(/exec exited \d+/);
  assert.match(screen, /exec exited 0/);
  assert.match(JSON.parse(Deno.readTextFileSync(`${sandbox.home}/out.json`)).AccessKeyId, /^ASIA/);
  const attempts = aws.calls("sts", "GetSessionToken");
  assert.deepEqual(attempts.map((c) => c.ok), [false, true]);
});
