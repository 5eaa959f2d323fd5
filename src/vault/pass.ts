/**
 * aws-vault's `pass` keyring backend (its keyring library's pass.go): one
 * password-store entry `<prefix>/<key>` per item, holding the item JSON. The
 * pass program does the gpg work; vault runs it with PASSWORD_STORE_DIR set,
 * secrets only on its stdin and stdout, its messages on the user's stderr.
 */
import { posix } from "node:path";
import { type Env, expandHome } from "../env.ts";
import { UserError } from "../errors.ts";
import { itemJson, parseItemJson } from "./item_json.ts";
import { DamagedItemError, type Item, type Keyring } from "./keyring.ts";

/** What the `--pass-cmd`, `--pass-dir` and `--pass-prefix` flags gave (empty = not given). */
export interface PassFlags {
  cmd?: string;
  dir?: string;
  prefix?: string;
}

/** The pass backend's settings after flags, environment and defaults. */
export interface PassSettings {
  cmd: string;
  dir: string;
  prefix: string;
}

/**
 * Flags, else `AWS_VAULT_PASS_CMD` (default `pass`), `AWS_VAULT_PASS_PASSWORD_STORE_DIR`
 * then `PASSWORD_STORE_DIR` (default `~/.password-store`; `~` expanded), `AWS_VAULT_PASS_PREFIX`.
 */
export function passSettings(env: Env, flags: PassFlags = {}): PassSettings {
  const dir = flags.dir || env.AWS_VAULT_PASS_PASSWORD_STORE_DIR || env.PASSWORD_STORE_DIR ||
    "~/.password-store";
  if (dir.startsWith("~") && dir !== "~" && !dir.startsWith("~/")) {
    throw new UserError(`cannot expand "${dir}" as the pass directory: write it in full`);
  }
  return {
    cmd: flags.cmd || env.AWS_VAULT_PASS_CMD || "pass",
    dir: expandHome(env, dir),
    prefix: flags.prefix || env.AWS_VAULT_PASS_PREFIX || "",
  };
}

/**
 * Go's filepath.Join, which aws-vault uses for entry names and paths: the
 * non-empty parts joined by `/` and cleaned (`//` and `.` collapse, no
 * trailing `/`), so that vault finds exactly the entries aws-vault wrote.
 */
export function goJoin(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  if (joined === "") return "";
  const clean = posix.normalize(joined);
  return clean.length > 1 && clean.endsWith("/") ? clean.slice(0, -1) : clean;
}

function isExecutableFile(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Where Go's exec.LookPath finds `cmd`: as given when it has a `/`, else in PATH. */
export function lookPath(cmd: string, path = ""): string | undefined {
  if (cmd.includes("/")) return isExecutableFile(cmd) ? cmd : undefined;
  return path.split(":").map((dir) => posix.join(dir || ".", cmd)).find(isExecutableFile);
}

/** The pass keyring, or a UserError when the pass program cannot be found. */
export function openPass(env: Env, flags: PassFlags = {}): PassKeyring {
  const settings = passSettings(env, flags);
  const program = lookPath(settings.cmd, env.PATH);
  if (!program) {
    throw new UserError(
      `the pass program "${settings.cmd}" is not on PATH: install pass ` +
        `(https://www.passwordstore.org) or choose --backend=file`,
    );
  }
  return new PassKeyring({ ...settings, program, env });
}

/**
 * The pass backend. Listing walks the store for `*.gpg` files and needs no
 * gpg; get, set and remove run `pass show`, `pass insert -m -f` and `pass rm -f`.
 */
export class PassKeyring implements Keyring {
  readonly dir: string;
  readonly prefix: string;
  readonly #program: string;
  readonly #env: Record<string, string>;

  constructor(opts: PassSettings & { program: string; env: Env }) {
    this.dir = opts.dir;
    this.prefix = opts.prefix;
    this.#program = opts.program;
    const defined = Object.entries(opts.env).filter((e): e is [string, string] =>
      e[1] !== undefined
    );
    this.#env = { ...Object.fromEntries(defined), PASSWORD_STORE_DIR: opts.dir };
  }

  /** The entry name pass knows the item by. */
  #name(key: string): string {
    return goJoin(this.prefix, key);
  }

  async #exists(key: string): Promise<boolean> {
    try {
      await Deno.stat(goJoin(this.dir, this.prefix, `${key}.gpg`));
      return true;
    } catch {
      return false;
    }
  }

  /** Runs pass with `args`: stdin from `input` (else nothing), stdout kept only when `read`. */
  async #pass(args: string[], opts: { input?: string; read?: boolean } = {}) {
    let child;
    try {
      child = new Deno.Command(this.#program, {
        args,
        env: this.#env,
        clearEnv: true,
        stdin: opts.input === undefined ? "null" : "piped",
        stdout: opts.read ? "piped" : "null",
        stderr: "inherit",
      }).spawn();
    } catch (error) {
      throw new UserError(
        `cannot run ${this.#program}: ${(error as Error).message}: ` +
          `check --pass-cmd and AWS_VAULT_PASS_CMD`,
      );
    }
    if (opts.input !== undefined) {
      const writer = child.stdin.getWriter();
      // A pass that exits early closes its stdin; its exit code tells what went wrong.
      await writer.write(new TextEncoder().encode(opts.input)).catch(() => {});
      await writer.close().catch(() => {});
    }
    const out = await child.output();
    return { code: out.code, stdout: opts.read ? out.stdout : new Uint8Array() };
  }

  /** Every key under the prefix, in the order Go's filepath.Walk visits them. */
  async keys(): Promise<string[]> {
    const root = goJoin(this.dir, this.prefix);
    let info;
    try {
      info = await Deno.stat(root);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw new UserError(`cannot list the password store ${root}: ${(error as Error).message}`);
    }
    if (!info.isDirectory) {
      throw new UserError(`${root} is not a directory: check --pass-dir and --pass-prefix`);
    }
    try {
      return await walk(root, "");
    } catch (error) {
      throw new UserError(`cannot list the password store ${root}: ${(error as Error).message}`);
    }
  }

  /** The item under `key`, or undefined when the store has no entry for it. */
  async get(key: string): Promise<Item | undefined> {
    if (!(await this.#exists(key))) return undefined;
    const name = this.#name(key);
    const { code, stdout } = await this.#pass(["show", name], { read: true });
    if (code !== 0) {
      throw new UserError(
        `pass could not decrypt "${name}" in ${this.dir} (pass show exited ${code}): ` +
          `check that gpg has its secret key and gpg-agent can ask for the key's passphrase`,
      );
    }
    const item = parseItemJson(key, stdout);
    if (!item) {
      throw new DamagedItemError(
        `"${name}" in the password store ${this.dir} is not an aws-vault item: ` +
          `check --pass-prefix and AWS_VAULT_PASS_PREFIX, or move the entry elsewhere`,
      );
    }
    return item;
  }

  /** Stores `item` with `pass insert -m -f`, its JSON on pass's stdin. */
  async set(item: Item): Promise<void> {
    const name = this.#name(item.key);
    const { code } = await this.#pass(["insert", "-m", "-f", name], { input: itemJson(item) });
    if (code !== 0) {
      throw new UserError(
        `pass could not store "${name}" in ${this.dir} (pass insert exited ${code}): ` +
          `check that the store is initialised (pass init GPG-ID) and gpg can encrypt to its keys`,
      );
    }
  }

  /** Deletes the entry of `key`; a missing one is not an error (another process may have won). */
  async remove(key: string): Promise<void> {
    if (!(await this.#exists(key))) return;
    const name = this.#name(key);
    const { code } = await this.#pass(["rm", "-f", name]);
    if (code !== 0 && await this.#exists(key)) {
      throw new UserError(
        `pass could not remove "${name}" from ${this.dir} (pass rm exited ${code}): ` +
          `check that you may write to ${this.dir}`,
      );
    }
  }
}

/** Keys of the `*.gpg` files under `dir`, depth first in name order as Go's filepath.Walk. */
async function walk(dir: string, relative: string): Promise<string[]> {
  const entries = await Array.fromAsync(Deno.readDir(posix.join(dir, relative)));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const keys: string[] = [];
  for (const entry of entries) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory) keys.push(...(await walk(dir, path)));
    else if (entry.name.endsWith(".gpg")) keys.push(path.slice(0, -".gpg".length));
  }
  return keys;
}
