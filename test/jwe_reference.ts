/**
 * An independent reader and writer of aws-vault's file-vault JWE
 * (PBES2-HS256+A128KW + A256GCM, compact serialization), for tests only.
 * Built from node:crypto primitives alone: neither jose nor anything in src/,
 * so a shared mistake cannot make both sides agree.
 *
 * AES key wrap (RFC 3394) is written out over AES-128-ECB because Deno's
 * node:crypto does not offer the `id-aes128-wrap` cipher.
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";

const ALG = "PBES2-HS256+A128KW";
const KW_IV = Buffer.from("A6A6A6A6A6A6A6A6", "hex");

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const unb64url = (text: string) => Buffer.from(text, "base64url");

function aesEcb(key: Buffer, block: Buffer, decrypt: boolean): Buffer {
  const cipher = decrypt
    ? createDecipheriv("aes-128-ecb", key, null)
    : createCipheriv("aes-128-ecb", key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

function xorCounter(a: Buffer, t: number): Buffer {
  const out = Buffer.from(a);
  out.writeUInt32BE((out.readUInt32BE(4) ^ t) >>> 0, 4);
  return out;
}

/** RFC 3394 section 2.2.1. */
function aesKeyWrap(kek: Buffer, key: Buffer): Buffer {
  const n = key.length / 8;
  let a: Buffer = Buffer.from(KW_IV);
  const r = Array.from({ length: n }, (_, i) => key.subarray(i * 8, i * 8 + 8));
  for (let j = 0; j <= 5; j++) {
    for (let i = 1; i <= n; i++) {
      const b = aesEcb(kek, Buffer.concat([a, r[i - 1]]), false);
      a = xorCounter(b.subarray(0, 8), n * j + i);
      r[i - 1] = b.subarray(8);
    }
  }
  return Buffer.concat([a, ...r]);
}

/** RFC 3394 section 2.2.2; undefined when the integrity check fails (wrong key). */
function aesKeyUnwrap(kek: Buffer, wrapped: Buffer): Buffer | undefined {
  const n = wrapped.length / 8 - 1;
  let a: Buffer = wrapped.subarray(0, 8);
  const r = Array.from({ length: n }, (_, i) => wrapped.subarray(8 + i * 8, 16 + i * 8));
  for (let j = 5; j >= 0; j--) {
    for (let i = n; i >= 1; i--) {
      const b = aesEcb(kek, Buffer.concat([xorCounter(a, n * j + i), r[i - 1]]), true);
      a = b.subarray(0, 8);
      r[i - 1] = b.subarray(8);
    }
  }
  return a.equals(KW_IV) ? Buffer.concat(r) : undefined;
}

function kekFor(passphrase: string, p2s: Buffer, p2c: number): Buffer {
  const salt = Buffer.concat([Buffer.from(ALG), Buffer.from([0]), p2s]);
  return pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, p2c, 16, "sha256");
}

/**
 * Encrypts `plaintext` as aws-vault's keyring library (jose2go) does: header
 * keys sorted as Go's json.Marshal sorts a map, 12-byte salt, 8192 iterations.
 */
export function referenceEncrypt(
  plaintext: string,
  passphrase: string,
  created = "2020-02-03 04:05:06.789012345 +0000 UTC m=+0.012345678",
): string {
  const p2s = randomBytes(12);
  const header = `{"alg":"${ALG}","created":${
    JSON.stringify(created)
  },"enc":"A256GCM","p2c":8192,"p2s":"${b64url(p2s)}"}`;
  const protectedHeader = b64url(header);
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const gcm = createCipheriv("aes-256-gcm", cek, iv);
  gcm.setAAD(Buffer.from(protectedHeader, "ascii"));
  const ciphertext = Buffer.concat([gcm.update(Buffer.from(plaintext, "utf8")), gcm.final()]);
  return [
    protectedHeader,
    b64url(aesKeyWrap(kekFor(passphrase, p2s, 8192), cek)),
    b64url(iv),
    b64url(ciphertext),
    b64url(gcm.getAuthTag()),
  ].join(".");
}

/** What a token holds: the exact header JSON text, the plaintext, and the part sizes in bytes. */
export interface Decrypted {
  headerJson: string;
  plaintext: string;
  sizes: { encryptedKey: number; iv: number; tag: number };
}

/** Decrypts a token; throws "wrong passphrase" when the key unwrap check fails. */
export function referenceDecrypt(token: string, passphrase: string): Decrypted {
  const parts = token.split(".");
  if (parts.length !== 5) throw new Error(`expected 5 parts, got ${parts.length}`);
  const [protectedHeader, encryptedKey, iv, ciphertext, tag] = parts;
  const headerJson = unb64url(protectedHeader).toString("utf8");
  const header = JSON.parse(headerJson);
  if (header.alg !== ALG || header.enc !== "A256GCM") throw new Error(`unexpected header`);
  const cek = aesKeyUnwrap(
    kekFor(passphrase, unb64url(header.p2s), header.p2c),
    unb64url(encryptedKey),
  );
  if (!cek) throw new Error("wrong passphrase");
  const gcm = createDecipheriv("aes-256-gcm", cek, unb64url(iv));
  gcm.setAAD(Buffer.from(protectedHeader, "ascii"));
  gcm.setAuthTag(unb64url(tag));
  const plaintext = Buffer.concat([gcm.update(unb64url(ciphertext)), gcm.final()]);
  return {
    headerJson,
    plaintext: plaintext.toString("utf8"),
    sizes: {
      encryptedKey: unb64url(encryptedKey).length,
      iv: unb64url(iv).length,
      tag: unb64url(tag).length,
    },
  };
}
