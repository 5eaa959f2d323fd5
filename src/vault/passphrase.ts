/** Where the file vault's passphrase comes from (spec section 4). */
import type { Env } from "../env.ts";
import { NEEDS_INPUT_EXIT, UserError } from "../errors.ts";
import { fileDir } from "./file.ts";

/** Why the file vault asks: to create it, to open it, or again after a wrong answer. */
export interface PassphraseRequest {
  /** No item exists yet to check the answer against: ask for it twice. */
  creating?: boolean;
  /** The last answer was wrong. */
  again?: boolean;
}

/**
 * A passphrase source: `AWS_VAULT_FILE_PASSPHRASE` when set (set but empty
 * counts as set; asked `again`, it has no other answer: undefined), else a
 * hidden prompt on the terminal naming `dir`. The prompt module is loaded only
 * when it is needed. With `noInput` (auto refresh), a passphrase that would
 * have to be asked for is an error instead.
 */
export function passphraseSource(
  env: Env,
  dir = fileDir(env),
  noInput = false,
): (request?: PassphraseRequest) => Promise<string | undefined> {
  return async ({ creating = false, again = false } = {}) => {
    const fromEnv = env.AWS_VAULT_FILE_PASSPHRASE;
    if (fromEnv !== undefined) return again ? undefined : fromEnv;
    if (noInput) {
      throw new UserError(
        `the vault in ${dir} needs its passphrase: set AWS_VAULT_FILE_PASSPHRASE or run the command yourself`,
        NEEDS_INPUT_EXIT,
      );
    }
    const { promptHidden } = await import("../ui/tty.ts");
    const hint = "set AWS_VAULT_FILE_PASSPHRASE to the vault passphrase";
    if (again) return await promptHidden(`Wrong passphrase for "${dir}", try again: `, hint);
    if (!creating) return await promptHidden(`Enter passphrase to unlock "${dir}": `, hint);
    const first = await promptHidden(`Choose a passphrase for the new vault in "${dir}": `, hint);
    const second = await promptHidden("Enter the same passphrase again: ", hint);
    if (first !== second) {
      throw new UserError("the two passphrases differ: nothing was stored; run the command again");
    }
    return first;
  };
}
