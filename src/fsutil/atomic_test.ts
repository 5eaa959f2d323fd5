import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { ensurePrivateDir, isAtomicTempName, writeFileAtomic } from "./atomic.ts";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs `fn` with the process umask set to `mask`, restoring it afterwards. */
async function withUmask(mask: number, fn: () => Promise<void>): Promise<void> {
  const old = Deno.umask(mask);
  try {
    await fn();
  } finally {
    Deno.umask(old);
  }
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) out.push(entry.name);
  return out.sort();
}

const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

Deno.test("writeFileAtomic writes the bytes with mode 0600 and leaves no temp file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "item");
    await writeFileAtomic(path, "first");
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    assert.deepEqual(await Deno.readFile(path), new Uint8Array([1, 2, 3]));
    assert.equal(await mode(path), 0o600);
    assert.deepEqual(await names(dir), ["item"]);
  });
});

Deno.test("writeFileAtomic sets the exact mode whatever the umask", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "shared");
    await withUmask(0o077, () => writeFileAtomic(path, "x", 0o644));
    assert.equal(await mode(path), 0o644);
  });
});

Deno.test("writeFileAtomic writes a large payload completely", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "big");
    const data = crypto.getRandomValues(new Uint8Array(60000));
    await writeFileAtomic(path, data);
    assert.deepEqual(await Deno.readFile(path), data);
  });
});

Deno.test("a failed writeFileAtomic leaves the target untouched and removes its temp file", async () => {
  await withTempDir(async (dir) => {
    // A non-empty directory cannot be replaced by rename(2): the last step fails.
    const target = join(dir, "target");
    await Deno.mkdir(target);
    await Deno.writeTextFile(join(target, "inside"), "keep");
    await assert.rejects(writeFileAtomic(target, "new"));
    assert.deepEqual(await names(dir), ["target"]);
    assert.equal(await Deno.readTextFile(join(target, "inside")), "keep");
  });
});

Deno.test("writeFileAtomic into a missing directory fails without creating anything", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(writeFileAtomic(join(dir, "missing", "item"), "x"), Deno.errors.NotFound);
    assert.deepEqual(await names(dir), []);
  });
});

Deno.test("isAtomicTempName recognises only writeFileAtomic's temp names", () => {
  assert.equal(isAtomicTempName(".vault-tmp-0123456789abcdef"), true);
  assert.equal(isAtomicTempName("/some/dir/.vault-tmp-0123456789abcdef"), true);
  assert.equal(isAtomicTempName(".vault-tmp-notes"), false);
  assert.equal(isAtomicTempName("vault-tmp-0123456789abcdef"), false);
  assert.equal(isAtomicTempName("default"), false);
});

Deno.test("ensurePrivateDir creates missing directories with mode 0700", async () => {
  await withTempDir(async (dir) => {
    const nested = join(dir, "a", "b", "keys");
    await ensurePrivateDir(nested);
    assert.equal(await mode(nested), 0o700);
    const single = join(dir, "single");
    // A umask that removes the owner's write bit must not leave an unusable directory.
    await withUmask(0o277, () => ensurePrivateDir(single));
    assert.equal(await mode(single), 0o700);
  });
});

Deno.test("ensurePrivateDir keeps the mode of an existing directory", async () => {
  await withTempDir(async (dir) => {
    await Deno.chmod(dir, 0o755);
    await ensurePrivateDir(dir);
    assert.equal(await mode(dir), 0o755);
  });
});

Deno.test("ensurePrivateDir refuses a path that is a file", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "keys");
    await Deno.writeTextFile(file, "");
    await assert.rejects(ensurePrivateDir(file), (e) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /keys is not a directory/);
      return true;
    });
  });
});
