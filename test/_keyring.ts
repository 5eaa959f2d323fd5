/** A file keyring for tests whose passphrase source counts how often it is asked. */
import { FileKeyring } from "../src/vault/file.ts";

/**
 * The keyring and its counts: `n` first asks, `again` asks after a wrong answer.
 * Like AWS_VAULT_FILE_PASSPHRASE, the source has no second answer.
 */
export function countingKeyring(dir: string, passphrase = "correct horse") {
  const calls = { n: 0, again: 0 };
  const keyring = new FileKeyring({
    dir,
    passphrase: (request) => {
      if (request.again) {
        calls.again++;
        return Promise.resolve(undefined);
      }
      calls.n++;
      return Promise.resolve(passphrase);
    },
  });
  return { keyring, calls };
}
