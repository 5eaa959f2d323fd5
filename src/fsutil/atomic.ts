/**
 * Crash-safe file writes: a reader sees either the old file or the whole new
 * one, never a half-written secret.
 */
import { basename, dirname, join } from "node:path";
import { UserError } from "../errors.ts";

const TEMP_PREFIX = ".vault-tmp-";
const TEMP_NAME = /^\.vault-tmp-[0-9a-f]{16}$/;

/** True for the name of a temporary file left by `writeFileAtomic` (e.g. after a crash). */
export function isAtomicTempName(name: string): boolean {
  return TEMP_NAME.test(basename(name));
}

function tempPath(dir: string): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  return join(
    dir,
    TEMP_PREFIX + Array.from(random, (b) => b.toString(16).padStart(2, "0")).join(""),
  );
}

/**
 * Writes `data` to `path` atomically: a new temp file in the same directory
 * (so the rename stays on one file system), written, chmod'ed to `mode`
 * (the open mode is subject to umask), fsync'ed, then renamed over `path`.
 * On any error the temp file is removed and `path` is left untouched.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  mode = 0o600,
): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const tmp = tempPath(dirname(path));
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(tmp, { write: true, createNew: true, mode });
    for (let done = 0; done < bytes.length;) {
      done += await file.write(bytes.subarray(done));
    }
    await Deno.chmod(tmp, mode);
    await file.sync();
    file.close();
    file = undefined;
    await Deno.rename(tmp, path);
  } catch (error) {
    file?.close();
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * Makes sure `path` is a directory, creating it (and missing parents) with
 * mode 0700 when absent. An existing directory keeps the mode its owner gave it.
 */
export async function ensurePrivateDir(path: string): Promise<void> {
  try {
    const info = await Deno.stat(path);
    if (!info.isDirectory) {
      throw new UserError(`${path} is not a directory: move it away or choose another directory`);
    }
    return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(path, { recursive: true, mode: 0o700 });
  // mkdir's mode is reduced by umask; the vault directory must be exactly 0700.
  await Deno.chmod(path, 0o700);
}
