import assert from "node:assert/strict";
import { join } from "node:path";
import { passphraseSource } from "./passphrase.ts";

Deno.test("AWS_VAULT_FILE_PASSPHRASE is the passphrase, even when empty", async () => {
  assert.equal(
    await passphraseSource({ HOME: "/h", AWS_VAULT_FILE_PASSPHRASE: "s3cret" })(),
    "s3cret",
  );
  assert.equal(await passphraseSource({ HOME: "/h", AWS_VAULT_FILE_PASSPHRASE: "" })(), "");
});

Deno.test("the variable has no second answer after a wrong one", async () => {
  const source = passphraseSource({ HOME: "/h", AWS_VAULT_FILE_PASSPHRASE: "x" });
  assert.equal(await source({ again: true }), undefined);
});

Deno.test("without the variable and without a terminal, the error names the vault and the variable", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = join(dir, "ask.ts");
    await Deno.writeTextFile(
      script,
      `import { passphraseSource } from ${
        JSON.stringify(new URL("./passphrase.ts", import.meta.url).href)
      };
try {
  await passphraseSource({ HOME: "/home/u" })();
  console.log("no error");
} catch (e) {
  console.log(e.name + ": " + e.message);
}
`,
    );
    const config = new URL("../../deno.json", import.meta.url).pathname;
    // setsid: no controlling terminal, as under CI or cron.
    const out = await new Deno.Command("setsid", {
      args: ["-w", Deno.execPath(), "run", "-A", "--config", config, script],
      stdin: "null",
    }).output();
    assert.equal(
      new TextDecoder().decode(out.stdout).trim(),
      'UserError: cannot ask "Enter passphrase to unlock "/home/u/.awsvault/keys"" without a terminal: ' +
        "set AWS_VAULT_FILE_PASSPHRASE to the vault passphrase",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
