/**
 * aws-vault's `file` keyring backend: one JWE file per item, encrypted with a
 * passphrase (PBES2-HS256+A128KW key wrapping, A256GCM content), readable and
 * writable by aws-vault and by vault alike (spec section 4).
 */
import { join, resolve } from "node:path";
import { type Env, expandHome, homeDir } from "../env.ts";
import { UserError } from "../errors.ts";
import { ensurePrivateDir, isAtomicTempName, writeFileAtomic } from "../fsutil/atomic.ts";
import { itemJson, parseItemJson } from "./item_json.ts";
import { DamagedItemError, type Item, type Keyring } from "./keyring.ts";
import type { PassphraseRequest } from "./passphrase.ts";

const ALG = "PBES2-HS256+A128KW";
const ENC = "A256GCM";
/** aws-vault's (jose2go's) iteration count and salt size. */
const P2C = 8192;
const P2S_BYTES = 12;

const utf8 = new TextEncoder();

/** The vault directory: the flag, else `AWS_VAULT_FILE_DIR` (`~` expanded), else `~/.awsvault/keys`. */
export function fileDir(env: Env, flagDir?: string): string {
  const dir = flagDir || env.AWS_VAULT_FILE_DIR;
  if (!dir) return join(homeDir(env), ".awsvault", "keys");
  return resolve(expandHome(env, dir));
}

/** The file name of a key: only `%` and `/` are escaped, as aws-vault does. */
export function encodeFileName(key: string): string {
  return key.replaceAll("%", "%25").replaceAll("/", "%2F");
}

/** The key of a file name: every `%XX` is decoded, any other byte kept. */
export function decodeFileName(name: string): string {
  if (!name.includes("%")) return name;
  const raw = utf8.encode(name);
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const hex = String.fromCharCode(raw[i + 1], raw[i + 2]);
    if (raw[i] === 0x25 && i + 2 < raw.length && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(raw[i]);
    }
  }
  return new TextDecoder().decode(new Uint8Array(out));
}

/** `time.Now().String()` of Go in UTC, which aws-vault puts in the `created` header (ms precision). */
function goTimeString(date: Date): string {
  const [day, time] = date.toISOString().slice(0, -1).split("T");
  const [hms, fraction] = time.split(".");
  const digits = fraction.replace(/0+$/, "");
  return `${day} ${hms}${digits ? `.${digits}` : ""} +0000 UTC`;
}

async function seal(plaintext: Uint8Array, passphrase: string): Promise<string> {
  const { CompactEncrypt } = await import("jose");
  // Header keys in this order give aws-vault's bytes: jose appends p2c and p2s after them.
  return await new CompactEncrypt(plaintext)
    .setProtectedHeader({ alg: ALG, created: goTimeString(new Date()), enc: ENC })
    .setKeyManagementParameters({
      p2c: P2C,
      p2s: crypto.getRandomValues(new Uint8Array(P2S_BYTES)),
    })
    .encrypt(utf8.encode(passphrase));
}

type Opened =
  | { ok: true; plaintext: Uint8Array }
  | { ok: false; wrongPassphrase: boolean; detail: string };

/**
 * True when the passphrase unwraps the token's content key. jose hides an
 * unwrap failure behind a generic decryption failure (on purpose, against
 * oracles); here the AES-KW integrity check is what tells a wrong passphrase
 * from a damaged file.
 */
async function unwrapsKey(token: string, passphrase: string): Promise<boolean> {
  const [header, encryptedKey] = token.split(".");
  const { p2s, p2c } = JSON.parse(
    new TextDecoder().decode(Uint8Array.fromBase64(header, { alphabet: "base64url" })),
  );
  const salt = new Uint8Array([
    ...utf8.encode(ALG),
    0,
    ...Uint8Array.fromBase64(p2s, { alphabet: "base64url" }),
  ]);
  const base = await crypto.subtle.importKey("raw", utf8.encode(passphrase), "PBKDF2", false, [
    "deriveKey",
  ]);
  const kek = await crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations: p2c },
    base,
    { name: "AES-KW", length: 128 },
    false,
    ["unwrapKey"],
  );
  try {
    const wrapped = Uint8Array.fromBase64(encryptedKey, { alphabet: "base64url" });
    await crypto.subtle.unwrapKey("raw", wrapped, kek, "AES-KW", "AES-GCM", false, ["decrypt"]);
    return true;
  } catch {
    return false;
  }
}

async function open(file: string, passphrase: string): Promise<Opened> {
  const { compactDecrypt } = await import("jose");
  const token = file.trim(); // a newline added by an editor is not damage
  try {
    const { plaintext } = await compactDecrypt(token, utf8.encode(passphrase), {
      // PBES2 must be allowed explicitly; nothing else is accepted.
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
    });
    return { ok: true, plaintext };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "string" || !code.startsWith("ERR_J")) throw error;
    if (code === "ERR_JWE_DECRYPTION_FAILED" && !(await unwrapsKey(token, passphrase))) {
      return { ok: false, wrongPassphrase: true, detail: "the key check failed" };
    }
    const detail = code === "ERR_JWE_DECRYPTION_FAILED"
      ? "its content fails the integrity check"
      : `not an aws-vault JWE: ${(error as Error).message}`;
    return { ok: false, wrongPassphrase: false, detail };
  }
}

/** How many wrong passphrases a command accepts before it gives up. */
const PASSPHRASE_TRIES = 3;

/**
 * The file backend. Listing and removing need no passphrase; the passphrase
 * callback is called once, and only when an item is decrypted or encrypted (and
 * again after a wrong answer, up to three tries, when it has another answer).
 * Before the first write the passphrase is proven on an existing item, so a
 * mistyped one never leaves a file that the real one cannot open; with no item
 * yet, the callback is told it is creating the vault (so it asks twice).
 */
export class FileKeyring implements Keyring {
  readonly dir: string;
  readonly #askPassphrase: (request: PassphraseRequest) => Promise<string | undefined>;
  #passphrase?: Promise<string>;
  #tries = 1;
  #proven = false;

  constructor(opts: {
    dir: string;
    passphrase: (request: PassphraseRequest) => Promise<string | undefined>;
  }) {
    this.dir = opts.dir;
    this.#askPassphrase = opts.passphrase;
  }

  #passphraseOnce(creating = false): Promise<string> {
    return this.#passphrase ??= this.#askPassphrase({ creating }).then((answer) => {
      if (answer === undefined) throw new UserError(`no passphrase for the vault in ${this.dir}`);
      return answer;
    });
  }

  /** After a wrong answer: true when another one was given (and becomes the passphrase). */
  async #askAgain(): Promise<boolean> {
    if (this.#tries >= PASSPHRASE_TRIES) return false;
    this.#tries++;
    const answer = await this.#askPassphrase({ again: true });
    if (answer === undefined) {
      this.#tries = PASSPHRASE_TRIES; // no other answer will come: do not ask again
      return false;
    }
    this.#passphrase = Promise.resolve(answer);
    return true;
  }

  /** Opens `token`, asking again while the passphrase is wrong and another answer comes. */
  async #open(token: string): Promise<Opened> {
    for (;;) {
      const opened = await open(token, await this.#passphraseOnce());
      if (opened.ok || !opened.wrongPassphrase || !(await this.#askAgain())) return opened;
    }
  }

  #path(key: string): string {
    if (key === "" || key === "." || key === ".." || key.includes("\0")) {
      throw new UserError(`"${key}" cannot be stored in the file vault: use another name`);
    }
    return join(this.dir, encodeFileName(key));
  }

  /** Names of the item files: every file except vault's own unfinished temp files. */
  async #fileNames(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.dir)) {
        if (!entry.isDirectory && !isAtomicTempName(entry.name)) names.push(entry.name);
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw new UserError(`cannot list the vault ${this.dir}: ${(error as Error).message}`);
    }
    return names.sort();
  }

  /** The error for a file that did not open: nothing on disk is changed after it. */
  #failure(path: string, failed: { wrongPassphrase: boolean; detail: string }): UserError {
    if (failed.wrongPassphrase) {
      return new UserError(
        `wrong passphrase for the vault in ${this.dir}: ` +
          `try again, and check AWS_VAULT_FILE_PASSPHRASE if you set it`,
      );
    }
    return new DamagedItemError(
      `${path} is not a readable aws-vault item (${failed.detail}): ` +
        `move it out of ${this.dir} or restore it from a backup`,
    );
  }

  /**
   * Proves the passphrase on the first existing file that is an aws-vault item
   * at all; with no file, the vault is being created.
   */
  async #prove(): Promise<void> {
    const names = await this.#fileNames();
    if (names.length === 0) await this.#passphraseOnce(true);
    for (const name of names) {
      const path = join(this.dir, name);
      const token = await Deno.readTextFile(path).catch(() => undefined);
      if (token === undefined) continue;
      const opened = await this.#open(token);
      if (opened.ok) break;
      if (opened.wrongPassphrase) throw this.#failure(path, opened);
    }
    this.#proven = true;
  }

  /** Every key in the vault, sorted by file name; no passphrase needed. */
  async keys(): Promise<string[]> {
    return (await this.#fileNames()).map(decodeFileName);
  }

  /** The item under `key`, or undefined when there is none. */
  async get(key: string): Promise<Item | undefined> {
    const path = this.#path(key);
    let token: string;
    try {
      token = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
    }
    const opened = await this.#open(token);
    if (!opened.ok) throw this.#failure(path, opened);
    const item = parseItemJson(key, opened.plaintext);
    if (!item) {
      throw this.#failure(path, {
        wrongPassphrase: false,
        detail: "its content is not a keyring item",
      });
    }
    this.#proven = true;
    return item;
  }

  /** Stores `item` atomically (file 0600, directory 0700), replacing any item under its key. */
  async set(item: Item): Promise<void> {
    const path = this.#path(item.key);
    if (!this.#proven) await this.#prove();
    const token = await seal(utf8.encode(itemJson(item)), await this.#passphraseOnce());
    await ensurePrivateDir(this.dir);
    await writeFileAtomic(path, token, 0o600);
  }

  /** Deletes the item under `key`; a missing item is not an error (another process may have won). */
  async remove(key: string): Promise<void> {
    try {
      await Deno.remove(this.#path(key));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}
