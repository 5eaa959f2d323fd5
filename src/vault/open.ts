/** Opens the keyring the user chose (spec section 3: `--backend`, `AWS_VAULT_BACKEND`). */
import type { Env } from "../env.ts";
import { UserError } from "../errors.ts";
import { fileDir, FileKeyring } from "./file.ts";
import type { Keyring } from "./keyring.ts";
import { passphraseSource } from "./passphrase.ts";

export { fileDir };

/**
 * The keyring for `--backend` (else `AWS_VAULT_BACKEND`, else `file`). Only
 * aws-vault's file backend exists so far; any other backend is a UserError.
 */
export function openKeyring(
  env: Env,
  opts: { backend?: string; fileDir?: string; noInput?: boolean } = {},
): Keyring {
  const backend = opts.backend || env.AWS_VAULT_BACKEND || "file";
  if (backend !== "file") {
    const from = opts.backend ? `--backend=${backend}` : `AWS_VAULT_BACKEND=${backend}`;
    throw new UserError(
      `the "${backend}" backend (${from}) is not supported yet: use --backend=file ` +
        `(aws-vault's encrypted file vault)`,
    );
  }
  const dir = fileDir(env, opts.fileDir);
  return new FileKeyring({ dir, passphrase: passphraseSource(env, dir, opts.noInput) });
}
