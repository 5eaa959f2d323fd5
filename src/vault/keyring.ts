/** One stored secret, in the shape aws-vault's keyring library gives it. */
export interface Item {
  key: string;
  data: Uint8Array;
  label: string;
  description: string;
}

/**
 * A store of items by key. Listing keys never needs the passphrase; get/set
 * may ask for it (at most once per process).
 */
export interface Keyring {
  keys(): Promise<string[]>;
  get(key: string): Promise<Item | undefined>;
  set(item: Item): Promise<void>;
  remove(key: string): Promise<void>;
}
