/** `vault add` as typed at a terminal: the key id echoes, the secret does not, both are stored. */
import assert from "node:assert/strict";
import { vaultBin } from "./_bin.ts";
import { Sandbox } from "./_sandbox.ts";
import { Tmux } from "./tmux.ts";

Deno.test("vault add asks on the terminal, hides the secret, and stores what was typed", async () => {
  await using sandbox = new Sandbox();
  const secret = "typed/Secret+Key0123456789";
  // stdin and stdout redirected: the questions must still reach the terminal.
  const script =
    `'${vaultBin()}' add work </dev/null >/dev/null 2>"$HOME/add.err"; echo "add exited $?"; sleep 30`;
  await using term = await Tmux.start({ command: ["sh", "-c", script], env: sandbox.env });
  await term.waitFor(/Enter Access Key ID:/);
  await term.run("AKIATYPEDATTERMINAL1");
  await term.waitFor(/Secret Access Key/);
  await term.run(secret);
  const screen = await term.waitFor(/add exited \d+/);
  assert.match(screen, /add exited 0/, Deno.readTextFileSync(`${sandbox.home}/add.err`));
  assert.match(screen, /AKIATYPEDATTERMINAL1/);
  assert.ok(!screen.includes(secret), "the secret was echoed");
  const creds = JSON.parse(await sandbox.ok(["export", "--format", "json", "-n", "work"]));
  assert.deepEqual([creds.AccessKeyId, creds.SecretAccessKey], ["AKIATYPEDATTERMINAL1", secret]);
});
