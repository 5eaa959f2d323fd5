import assert from "node:assert/strict";
import { shells } from "./quote.ts";
import { renderEnv, renderInit } from "./script.ts";

/** Evals `script` in `shell` with `env`, then prints each of `names` as `name=value` or `name unset`. */
async function evalIn(shell: string, script: string, env: Record<string, string>, names: string[]) {
  const dir = await Deno.makeTempDir({ prefix: "vault-script-" });
  try {
    const show = names.map((n) =>
      shell === "fish"
        ? `if set -q ${n}; printf '%s=%s\\000' ${n} "$${n}"; else; printf '%s unset\\000' ${n}; end`
        : `if [ -n "\${${n}+x}" ]; then printf '%s=%s\\000' ${n} "$${n}"; else printf '%s unset\\000' ${n}; fi`
    );
    // The script arrives through the environment, as `eval "$(vault use ...)"` receives it.
    const code = `eval "$SCRIPT"\n${show.join("\n")}`;
    const args = shell === "fish" ? ["--no-config", "-c", code] : ["-c", code];
    const out = await new Deno.Command(shell, {
      args,
      cwd: dir,
      env: { ...env, SCRIPT: script },
      stdin: "null",
    }).output();
    assert.deepEqual([...Deno.readDirSync(dir)], [], "the script created a file");
    return new TextDecoder().decode(out.stdout).split("\0").slice(0, -1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Values that would run code or split the line if they were not quoted (quote_test.ts has the full list). */
const values = ["$(touch pwned)", "`touch pwned`", "a'b", "x;y", "two\nlines", "back\\slash'"];

for (const shell of shells) {
  Deno.test(`renderEnv(${shell}) sets and unsets variables when evaled`, async () => {
    const set = values.map((v, i): [string, string] => [`V${i}`, v]);
    const script = renderEnv(shell, { set, unset: ["AWS_PROFILE", "NOT_THERE"] });
    const names = [...set.map(([n]) => n), "AWS_PROFILE", "NOT_THERE"];
    const got = await evalIn(shell, script, { AWS_PROFILE: "old" }, names);
    assert.deepEqual(got, [
      ...set.map(([n, v]) => `${n}=${v}`),
      "AWS_PROFILE unset",
      "NOT_THERE unset",
    ]);
  });

  Deno.test(`renderEnv(${shell}) exports what it sets to child processes`, async () => {
    const script = renderEnv(shell, { set: [["AWS_VAULT", "work"]], unset: [] });
    const dir = await Deno.makeTempDir();
    try {
      const code = `eval "$SCRIPT"; env`;
      const args = shell === "fish" ? ["--no-config", "-c", code] : ["-c", code];
      const out = await new Deno.Command(shell, { args, cwd: dir, env: { SCRIPT: script } })
        .output();
      assert.match(new TextDecoder().decode(out.stdout), /^AWS_VAULT=work$/m);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("renderEnv prints one line per change in the shell's syntax", () => {
  const changes = { set: [["AWS_VAULT", "work"]] as [string, string][], unset: ["AWS_PROFILE"] };
  assert.equal(renderEnv("zsh", changes), "unset AWS_PROFILE\nexport AWS_VAULT='work'\n");
  assert.equal(renderEnv("bash", changes), "unset AWS_PROFILE\nexport AWS_VAULT='work'\n");
  assert.equal(renderEnv("fish", changes), "set -e AWS_PROFILE\nset -gx AWS_VAULT 'work'\n");
});

Deno.test("renderEnv rejects names that are not plain variable names", () => {
  for (const name of ["", "1A", "A-B", "A;touch x", "$(x)", "A B", "A\n"]) {
    assert.throws(
      () => renderEnv("bash", { set: [[name, "v"]], unset: [] }),
      /invalid environment variable name/,
    );
    assert.throws(
      () => renderEnv("fish", { set: [], unset: [name] }),
      /invalid environment variable name/,
    );
  }
});

for (const shell of shells) {
  Deno.test(`renderInit(${shell}) hands the program path and function name to the integration`, async () => {
    const bin = "/opt/it's $(touch pwned)/vault";
    // The integration runs after the completion and sees the variables of the header.
    const integration = shell === "fish"
      ? "printf '%s|%s|%s\\n' $__vault_bin $__vault_cmd (_vault)"
      : `printf '%s|%s|%s\\n' "$__vault_bin" "$__vault_cmd" "$(_vault)"`;
    const completion = shell === "zsh"
      ? "echo completion" // a function body, as completions/_vault is
      : shell === "bash"
      ? "_vault() { echo completion; }"
      : "function _vault; echo completion; end";
    const script = renderInit(shell, { bin, cmd: "av", integration, completion });
    const dir = await Deno.makeTempDir();
    try {
      const args = shell === "fish" ? ["--no-config", "-c", script] : ["-c", script];
      const out = await new Deno.Command(shell, { args, cwd: dir }).output();
      assert.equal(new TextDecoder().decode(out.stdout), `${bin}|av|completion\n`);
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
