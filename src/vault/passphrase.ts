/** Where the file vault's passphrase comes from (spec section 4). */
import type { Env } from "../env.ts";
import { NEEDS_INPUT_EXIT, UserError } from "../errors.ts";
import { fileDir } from "./file.ts";

/**
 * A memoised passphrase source: `AWS_VAULT_FILE_PASSPHRASE` when set (set but
 * empty counts as set), else a hidden prompt on the terminal naming `dir`.
 * The prompt module is loaded only when it is needed. With `noInput` (auto
 * refresh), a passphrase that would have to be asked for is an error instead.
 */
export function passphraseSource(
  env: Env,
  dir = fileDir(env),
  noInput = false,
): () => Promise<string> {
  let passphrase: Promise<string> | undefined;
  const ask = async () => {
    const fromEnv = env.AWS_VAULT_FILE_PASSPHRASE;
    if (fromEnv !== undefined) return fromEnv;
    if (noInput) {
      throw new UserError(
        `the vault in ${dir} needs its passphrase: set AWS_VAULT_FILE_PASSPHRASE or run the command yourself`,
        NEEDS_INPUT_EXIT,
      );
    }
    const { promptHidden } = await import("../ui/tty.ts");
    return await promptHidden(
      `Enter passphrase to unlock "${dir}": `,
      "set AWS_VAULT_FILE_PASSPHRASE to the vault passphrase",
    );
  };
  return () => passphrase ??= ask();
}
