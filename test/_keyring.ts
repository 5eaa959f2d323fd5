/** A file keyring for tests whose passphrase callback counts its calls. */
import { FileKeyring } from "../src/vault/file.ts";

/** The keyring and how often it asked for its passphrase. */
export function countingKeyring(dir: string, passphrase = "correct horse") {
  const calls = { n: 0 };
  const keyring = new FileKeyring({
    dir,
    passphrase: () => {
      calls.n++;
      return Promise.resolve(passphrase);
    },
  });
  return { keyring, calls };
}
