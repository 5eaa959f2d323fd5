/**
 * A throw-away user for end-to-end tests: its own HOME, config file, vault
 * directory and passphrase, and a way to run the real `vault` in it with a
 * clean environment (nothing from the developer's shell leaks in).
 */
import { vaultBin } from "./_bin.ts";

/** What one run of `vault` did. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cmd` with exactly `env` (nothing inherited) and `stdin` (default none); collects its output. */
export async function runProgram(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<RunResult> {
  const child = new Deno.Command(cmd, {
    args,
    env,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** A temporary user of vault. */
export class Sandbox implements AsyncDisposable {
  readonly home: string;
  readonly configPath: string;
  readonly vaultDir: string;
  /** Variables every run gets; tests add to it (fake endpoints, TTLs). */
  readonly env: Record<string, string>;

  constructor(config = "") {
    this.home = Deno.makeTempDirSync({ prefix: "vault-home-" });
    this.configPath = `${this.home}/.aws/config`;
    this.vaultDir = `${this.home}/.awsvault/keys`;
    Deno.mkdirSync(`${this.home}/.aws`);
    Deno.writeTextFileSync(this.configPath, config);
    this.env = {
      HOME: this.home,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      USER: "tester",
      AWS_CONFIG_FILE: this.configPath,
      AWS_VAULT_FILE_DIR: this.vaultDir,
      AWS_VAULT_FILE_PASSPHRASE: "correct horse",
      // The SDK must never find shared files of the developer running the tests.
      AWS_SHARED_CREDENTIALS_FILE: `${this.home}/.aws/credentials`,
      XDG_STATE_HOME: `${this.home}/.local/state`,
      XDG_RUNTIME_DIR: `${this.home}/run`,
    };
  }

  /** Runs `vault ARGS` with the sandbox's environment plus `extraEnv`. */
  async run(
    args: string[],
    extraEnv: Record<string, string> = {},
    stdin?: string,
  ): Promise<RunResult> {
    return await runProgram(vaultBin(), args, { ...this.env, ...extraEnv }, stdin);
  }

  /** Runs vault and fails the test, showing stderr, unless it exits 0. */
  async ok(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
    const r = await this.run(args, extraEnv);
    if (r.code !== 0) throw new Error(`vault ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  /** Stores long-term keys for `profile` the way a user would (`vault add --env`). */
  async addKeys(profile: string, keys: { accessKeyId: string; secretAccessKey: string }) {
    await this.ok(["add", "--env", "--no-add-config", "--", profile], {
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    });
  }

  /** Puts a stand-in program `name` (a /bin/sh `body`: xdg-open, ykman...) first on the PATH. */
  fakeCommand(name: string, body: string): void {
    const bin = `${this.home}/bin`;
    Deno.mkdirSync(bin, { recursive: true });
    Deno.writeTextFileSync(`${bin}/${name}`, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    if (!this.env.PATH.startsWith(`${bin}:`)) this.env.PATH = `${bin}:${this.env.PATH}`;
  }

  /** Every file of the vault directory with its bytes, to prove nothing changed. */
  snapshot(): Record<string, string> {
    const files: Record<string, string> = {};
    try {
      for (const e of Deno.readDirSync(this.vaultDir)) {
        files[e.name] = Deno.readTextFileSync(`${this.vaultDir}/${e.name}`);
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    files["<config>"] = Deno.readTextFileSync(this.configPath);
    return files;
  }

  async [Symbol.asyncDispose]() {
    await removeDir(this.home);
  }
}

/**
 * Removes a test directory. A shell killed with its tmux server (or a program it ran) may
 * still be writing there for a moment (fish writes its history), so a failed removal is retried.
 */
export async function removeDir(dir: string): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      return await Deno.remove(dir, { recursive: true });
    } catch (error) {
      if (attempt === 50 || error instanceof Deno.errors.NotFound) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
