/** `vault exec` and the terminal's signals: one Ctrl-C reaches the child once. */
import assert from "node:assert/strict";
import { vaultBin } from "./_bin.ts";
import { Sandbox } from "./_sandbox.ts";
import { Tmux } from "./tmux.ts";

Deno.test("one Ctrl-C reaches the wrapped command once (Terraform aborts hard on two)", async () => {
  await using sandbox = new Sandbox("[profile work]\n");
  await sandbox.addKeys("work", { accessKeyId: "AKIASIGNALS", secretAccessKey: "s" });
  // Python runs its handler for each delivery (a shell's trap would fold two into one).
  const child = [
    "import signal, sys, time",
    "n = 0",
    "def on_int(*_):",
    "    global n; n += 1; print(f'interrupt {n}', flush=True)",
    "signal.signal(signal.SIGINT, on_int)",
    "print('ready', flush=True)",
    "time.sleep(3)",
    "time.sleep(1)",
  ].join("\n");
  await using term = await Tmux.start({
    command: [vaultBin(), "exec", "-n", "work", "--", "/usr/bin/python3", "-c", child],
    env: sandbox.env,
  });
  await term.waitFor(/ready/);
  await term.keys("C-c");
  await term.waitFor(/interrupt 1/);
  await new Promise((r) => setTimeout(r, 1000));
  assert.doesNotMatch(await term.capture(), /interrupt 2/);
});
