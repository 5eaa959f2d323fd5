/**
 * `vault add` and the passphrase as typed at a terminal: the key id echoes, the
 * secret does not, a new vault's passphrase is asked twice, a typo is asked again.
 */
import assert from "node:assert/strict";
import { vaultBin } from "./_bin.ts";
import { Sandbox } from "./_sandbox.ts";
import { Tmux } from "./tmux.ts";

Deno.test("vault add asks on the terminal, hides the secret and the passphrase, stores what was typed", async () => {
  await using sandbox = new Sandbox();
  const { AWS_VAULT_FILE_PASSPHRASE: _, ...env } = sandbox.env;
  const secret = "typed/Secret+Key0123456789";
  // stdin and stdout redirected: the questions must still reach the terminal.
  const add =
    `'${vaultBin()}' add work </dev/null >/dev/null 2>"$HOME/add.err"; echo "add exited $?"`;
  const show =
    `'${vaultBin()}' export -n --format json work > "$HOME/creds.json"; echo "export exited $?"`;
  await using term = await Tmux.start({ command: ["sh", "-c", `${add}; ${show}; sleep 30`], env });
  await term.waitFor(/Enter Access Key ID:/);
  await term.run("AKIATYPEDATTERMINAL1");
  await term.waitFor(/Secret Access Key/);
  await term.run(secret);
  await term.waitFor(/Choose a passphrase for the new vault/);
  await term.run("vault pass phrase");
  await term.waitFor(/Enter the same passphrase again/);
  await term.run("vault pass phrase");
  const added = await term.waitFor(/add exited \d+/);
  assert.match(added, /add exited 0/, Deno.readTextFileSync(`${sandbox.home}/add.err`));

  // Reading it back: a typo is asked again instead of ending the command.
  await term.waitFor(/Enter passphrase to unlock/);
  await term.run("vault pass frase");
  await term.waitFor(/Wrong passphrase .*try again/);
  await term.run("vault pass phrase");
  const screen = await term.waitFor(/export exited \d+/);
  assert.match(screen, /export exited 0/);
  assert.match(screen, /AKIATYPEDATTERMINAL1/);
  for (const hidden of [secret, "vault pass phrase", "vault pass frase"]) {
    assert.ok(!screen.includes(hidden), `${hidden} was echoed`);
  }
  const creds = JSON.parse(Deno.readTextFileSync(`${sandbox.home}/creds.json`));
  assert.deepEqual([creds.AccessKeyId, creds.SecretAccessKey], ["AKIATYPEDATTERMINAL1", secret]);
});
