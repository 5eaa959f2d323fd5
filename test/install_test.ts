/** install.sh as a new user runs it: a working program, shell files, safe re-runs, rc edits only on request. */
import assert from "node:assert/strict";
import { root } from "./_bin.ts";

function denoDir(): string {
  return Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
}

async function install(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command("bash", {
    args: [`${root}/install.sh`, ...args],
    // The machine's environment (proxy and CA settings included), a fresh HOME, and the
    // existing Deno cache so that the bundler is not downloaded again for every test.
    env: { ...Deno.env.toObject(), DENO_DIR: denoDir(), CI: "true", ...env },
    clearEnv: true,
    stdin: "null",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

function run(bin: string, args: string[], env: Record<string, string>): string {
  const out = new Deno.Command(bin, { args, env, clearEnv: true }).outputSync();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

Deno.test("install.sh installs a working vault under another name, re-runs safely, edits rc files only when told", async () => {
  const home = Deno.makeTempDirSync({ prefix: "vault-install-home-" });
  // A space in the prefix: the rc line is code, the path must stay one word.
  const prefix = `${home}/my prefix`;
  const env = { HOME: home, SHELL: "/bin/bash" };
  try {
    const first = await install(["--prefix", prefix, "--name", "awsv"], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /installed .*\/bin\/awsv: a (launcher|deno compile binary)/);
    // Without a terminal and without --shell-setup, the rc file is not touched; the line is shown.
    assert.throws(() => Deno.statSync(`${home}/.bashrc`));
    assert.match(first.stderr, /init bash --cmd awsv/);

    const bin = `${prefix}/bin/awsv`;
    assert.match(run(bin, ["--version"], { HOME: home }), /^vault \d/);
    for (
      const file of [
        "shell/vault.zsh",
        "shell/vault.bash",
        "shell/vault.fish",
        "completions/_vault",
      ]
    ) {
      assert.ok(Deno.statSync(`${prefix}/share/vault/${file}`).isFile, file);
    }
    assert.match(run(bin, ["init", "bash", "--cmd", "awsv"], { HOME: home }), /awsv/);

    const again = await install(["--prefix", prefix, "--name", "awsv", "--shell-setup"], env);
    assert.equal(again.code, 0, again.stderr);
    const third = await install(["--prefix", prefix, "--name", "awsv", "--shell-setup"], env);
    assert.equal(third.code, 0, third.stderr);
    const rc = Deno.readTextFileSync(`${home}/.bashrc`);
    assert.equal(rc.split(`init bash --cmd awsv`).length - 1, 1, "the init line is added once");
    const shell = new Deno.Command("bash", {
      args: ["-i", "-c", "type -t awsv"],
      env: { HOME: home, PATH: "/usr/bin:/bin", TERM: "dumb" },
      clearEnv: true,
      stdin: "null",
    }).outputSync();
    assert.equal(
      new TextDecoder().decode(shell.stdout).trim(),
      "function",
      "the rc line defines awsv",
    );
    assert.match(run(bin, ["--version"], { HOME: home }), /^vault \d/);
    assert.deepEqual(
      [...Deno.readDirSync(`${prefix}/share`)].map((e) => e.name),
      ["vault"],
      "no half-swapped share directories left behind",
    );
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});

Deno.test("install.sh refuses an unusable --name before building anything", async () => {
  const home = Deno.makeTempDirSync({ prefix: "vault-install-home-" });
  try {
    const r = await install(["--prefix", `${home}/p`, "--name", "x;rm"], { HOME: home });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--name must be/);
    assert.throws(() => Deno.statSync(`${home}/p`));
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});
