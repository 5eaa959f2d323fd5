import assert from "node:assert/strict";
import { base32Decode, base32Encode, randomTotpSeed, totp, totpStep } from "./totp.ts";

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (base32 below); the RFC lists 8-digit
// codes, a 6-digit device shows their last six digits.
const RFC_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

async function oathtool(seed: string, unixSeconds?: number): Promise<string> {
  const args = ["--totp", "-b", seed];
  if (unixSeconds !== undefined) args.push("-N", `@${unixSeconds}`);
  const out = await new Deno.Command("oathtool", { args, stdout: "piped" }).output();
  assert.equal(out.code, 0);
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("totp reproduces the RFC 6238 SHA-1 vectors", () => {
  for (const [seconds, code] of RFC_VECTORS) {
    assert.equal(totp(RFC_SEED, seconds * 1000), code.slice(-6), `at ${seconds}`);
  }
});

Deno.test("totp agrees with oathtool for random seeds and times", async () => {
  for (let i = 0; i < 5; i++) {
    const seed = randomTotpSeed();
    const seconds = 1_600_000_000 + i * 7_777_777;
    assert.equal(totp(seed, seconds * 1000), await oathtool(seed, seconds));
  }
});

Deno.test("totpStep accepts oathtool's current code", async () => {
  const seed = randomTotpSeed();
  const now = Date.now();
  const step = totpStep(seed, await oathtool(seed), now);
  assert.ok(step !== undefined && Math.abs(step - Math.floor(now / 30_000)) <= 1);
});

Deno.test("totpStep accepts one step either side, naming the step, and nothing further", () => {
  const seed = randomTotpSeed();
  const now = 1_700_000_015_000;
  const step = Math.floor(now / 30_000);
  assert.equal(totpStep(seed, totp(seed, now), now), step);
  assert.equal(totpStep(seed, totp(seed, now - 30_000), now), step - 1);
  assert.equal(totpStep(seed, totp(seed, now + 30_000), now), step + 1);
  const nearCodes = [-30_000, 0, 30_000].map((d) => totp(seed, now + d));
  const farCodes = [totp(seed, now - 60_000), totp(seed, now + 60_000)];
  for (const code of farCodes.filter((c) => !nearCodes.includes(c))) {
    assert.equal(totpStep(seed, code, now), undefined);
  }
});

Deno.test("totpStep refuses codes that are not six digits", () => {
  const seed = randomTotpSeed();
  const code = totp(seed);
  assert.equal(totpStep(seed, `${code}0`), undefined);
  assert.equal(totpStep(seed, code.slice(1)), undefined);
  assert.equal(totpStep(seed, "abcdef"), undefined);
});

Deno.test("base32 decodes RFC 4648 vectors, ignoring case, spaces and padding", () => {
  const text = (s: string) => new TextDecoder().decode(base32Decode(s));
  assert.equal(text("MZXW6YTBOI======"), "foobar");
  assert.equal(text("mzxw 6ytb oi"), "foobar");
  assert.equal(base32Encode(new TextEncoder().encode("foobar")), "MZXW6YTBOI");
  assert.throws(() => base32Decode("MZXW1"), /invalid base32/);
});
