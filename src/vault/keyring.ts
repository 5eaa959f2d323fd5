import { UserError } from "../errors.ts";

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

/**
 * An item that exists but is not a readable aws-vault item (a damaged or foreign
 * file), as opposed to a wrong passphrase: callers that can do without the item
 * (the session cache) skip it.
 */
export class DamagedItemError extends UserError {}
