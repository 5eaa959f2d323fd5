import assert from "node:assert/strict";
import { isShell, quote, type Shell, shells } from "./quote.ts";

/** Values that would run code, split words or start an option if quoting failed. */
export const hostile = [
  "$(touch pwned)",
  "`touch pwned`",
  "a'b",
  "x;y",
  "line1\nline2",
  "--help",
  "héllo wörld ✓",
  "back\\slash",
  "trailing\\",
  "\\'",
  "!!",
  "bang!x",
  "$HOME ${HOME} %F{red}",
  "*",
  "",
  "  spaced  ",
  "'",
  "''\\\\''",
];

/** Runs `code` with `shell -c` in an empty directory; returns stdout and whether anything was created. */
async function run(shell: Shell, code: string) {
  const dir = await Deno.makeTempDir({ prefix: "vault-quote-" });
  try {
    const args = shell === "fish" ? ["--no-config", "-c", code] : ["-c", code];
    const out = await new Deno.Command(shell, { args, cwd: dir, stdin: "null" }).output();
    const created = [...Deno.readDirSync(dir)].map((e) => e.name);
    return { stdout: new TextDecoder().decode(out.stdout), code: out.code, created };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (const shell of shells) {
  Deno.test(`quote(${shell}) reaches the shell as the exact value and runs nothing`, async () => {
    // One `printf` per value, separated by a NUL so that newlines inside values stay visible.
    const code = hostile.map((v) => `printf '%s\\000' ${quote(shell, v)}`).join("\n");
    const out = await run(shell, code);
    assert.equal(out.code, 0);
    assert.deepEqual(out.created, []);
    assert.deepEqual(out.stdout.split("\0").slice(0, -1), hostile);
  });

  Deno.test(`quote(${shell}) rejects a NUL`, () => {
    assert.throws(() => quote(shell, "a\0b"), /NUL/);
  });
}

Deno.test("quote uses single quotes so nothing inside is expanded", () => {
  assert.equal(quote("bash", "$x"), "'$x'");
  assert.equal(quote("zsh", "a'b"), `'a'\\''b'`);
  assert.equal(quote("fish", "a'b\\c"), `'a\\'b\\\\c'`);
});

Deno.test("isShell accepts only zsh, bash and fish", () => {
  assert.ok(isShell("zsh") && isShell("bash") && isShell("fish"));
  assert.ok(!isShell("sh") && !isShell("Zsh") && !isShell(""));
});
