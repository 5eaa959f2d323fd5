/** `vault init`: what it prints, and that the shells accept it. */
import assert from "node:assert/strict";
import { type Shell, shells } from "../src/shell/quote.ts";
import { vaultBin } from "./_bin.ts";

const decoder = new TextDecoder();

async function vault(args: string[]) {
  const out = await new Deno.Command(vaultBin(), { args, stdin: "null" }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** Runs `script` in `shell` with a PATH that has no `vault` on it. */
async function inShell(shell: Shell, script: string) {
  const args = shell === "fish" ? ["--no-config", "-c", script] : ["-c", script];
  const out = await new Deno.Command(shell, {
    args,
    clearEnv: true,
    env: { HOME: "/nonexistent", PATH: "/usr/bin:/bin", VAULT: vaultBin() },
    stdin: "null",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

const load = (shell: Shell, extra = "") =>
  shell === "fish"
    ? `"$VAULT" init fish${extra} | source`
    : `eval "$("$VAULT" init ${shell}${extra})"`;

for (const shell of shells) {
  Deno.test(`init ${shell} prints code that ${shell} accepts and that runs the program by its path`, async () => {
    const init = await vault(["init", shell]);
    assert.equal(init.code, 0, init.stderr);
    assert.equal(init.stderr, "");
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/init`, init.stdout);
      const check = await new Deno.Command(shell, { args: ["-n", `${dir}/init`] }).output();
      assert.equal(check.code, 0, decoder.decode(check.stderr));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    // `vault` is not on PATH: the function must run the program through the path init wrote.
    const run = await inShell(shell, `${load(shell)}\nvault --version`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^vault \d+\.\d+\.\d+$/m);
  });

  Deno.test(`init ${shell} --cmd NAME defines NAME instead of vault`, async () => {
    const probe = shell === "zsh"
      ? "whence -w av vault"
      : shell === "bash"
      ? "echo av: $(type -t av); echo vault: $(type -t vault || echo none)"
      : "functions -q av; and echo 'av: function'; functions -q vault; or echo 'vault: none'";
    const run = await inShell(shell, `${load(shell, " --cmd av")}\n${probe}\nav --version`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^av: function$/m);
    assert.match(run.stdout, /^vault: none$/m);
    assert.match(run.stdout, /^vault \d+\.\d+\.\d+$/m);
  });
}

Deno.test("init refuses an unknown shell and names the supported ones", async () => {
  for (const args of [["init", "tcsh"], ["init"], ["init", "zsh", "bash"]]) {
    const out = await vault(args);
    assert.equal(out.code, 2);
    assert.equal(out.stdout, "");
    assert.match(out.stderr, /^vault: init: .*zsh, bash, fish/);
    assert.equal(out.stderr.trim().split("\n").length, 1);
  }
});

Deno.test("init refuses a --cmd that is not a function name", async () => {
  for (const name of ["a b", "$(touch pwned)", "1abc", "", "a;b", "-x"]) {
    const out = await vault(["init", "bash", `--cmd=${name}`]);
    assert.equal(out.code, 2, name);
    assert.equal(out.stdout, "");
    assert.match(out.stderr, /^vault: init: --cmd/);
  }
});
