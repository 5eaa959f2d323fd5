/** Opens the keyring the user chose (spec section 3: `--backend`, `AWS_VAULT_BACKEND`). */
import type { Env } from "../env.ts";
import { UserError } from "../errors.ts";
import { fileDir, FileKeyring } from "./file.ts";
import type { Keyring } from "./keyring.ts";
import { passphraseSource } from "./passphrase.ts";
import { openPass } from "./pass.ts";

export { fileDir };

/** Where the keyring is and how to reach it: the global flags (empty = not given). */
export interface KeyringOptions {
  backend?: string;
  fileDir?: string;
  passCmd?: string;
  passDir?: string;
  passPrefix?: string;
  /** Never ask for the file vault's passphrase (auto refresh). */
  noInput?: boolean;
}

/**
 * The keyring for `--backend` (else `AWS_VAULT_BACKEND`, else `file`): aws-vault's
 * file or pass backend; any other backend is a UserError.
 */
export function openKeyring(env: Env, opts: KeyringOptions = {}): Keyring {
  const backend = opts.backend || env.AWS_VAULT_BACKEND || "file";
  if (backend === "pass") {
    return openPass(env, { cmd: opts.passCmd, dir: opts.passDir, prefix: opts.passPrefix });
  }
  if (backend !== "file") {
    const from = opts.backend ? `--backend=${backend}` : `AWS_VAULT_BACKEND=${backend}`;
    throw new UserError(
      `the "${backend}" backend (${from}) is not supported yet: use --backend=file ` +
        `(aws-vault's encrypted file vault) or --backend=pass (the pass password store)`,
    );
  }
  const dir = fileDir(env, opts.fileDir);
  return new FileKeyring({ dir, passphrase: passphraseSource(env, dir, opts.noInput) });
}
