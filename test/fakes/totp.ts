/**
 * RFC 6238 TOTP (HMAC-SHA1, 30-second step, 6 digits) over base32 seeds, as virtual MFA devices
 * and `oathtool --totp -b SEED` compute it. The fake STS checks codes with {@link verifyTotp};
 * tests compute the code a user would type with {@link totp}.
 */
import { createHmac } from "node:crypto";

const STEP_SECONDS = 30;
const DIGITS = 6;
const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Decodes RFC 4648 base32 (case-insensitive; spaces and `=` padding ignored). */
export function base32Decode(text: string): Uint8Array {
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`invalid base32 character ${JSON.stringify(char)}`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

/** Encodes bytes as unpadded RFC 4648 base32, the form MFA seeds are shown in. */
export function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function codeForCounter(key: Uint8Array, counter: number): string {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) |
    (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 10 ** DIGITS).padStart(DIGITS, "0");
}

function counterAt(time: Date | number): number {
  return Math.floor(new Date(time).getTime() / 1000 / STEP_SECONDS);
}

/** The 6-digit code of `seedBase32` at `time` (default now), as an MFA app shows it. */
export function totp(seedBase32: string, time: Date | number = Date.now()): string {
  return codeForCounter(base32Decode(seedBase32), counterAt(time));
}

/**
 * The time step (30-second counter) that `code` belongs to when it is valid for `seedBase32` at
 * `time`, accepting one step either side for clock drift as AWS does; undefined when invalid.
 * The step lets a verifier refuse a code that was already used.
 */
export function totpStep(
  seedBase32: string,
  code: string,
  time: Date | number = Date.now(),
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const key = base32Decode(seedBase32);
  const counter = counterAt(time);
  return [counter - 1, counter, counter + 1].find((c) => codeForCounter(key, c) === code);
}

/** A fresh random 160-bit seed in base32, like the ones IAM generates for virtual MFA devices. */
export function randomTotpSeed(): string {
  return base32Encode(crypto.getRandomValues(new Uint8Array(20)));
}
