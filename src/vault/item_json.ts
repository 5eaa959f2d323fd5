/**
 * An Item as Go's JSON of aws-vault's keyring.Item: what the file backend
 * encrypts and what the pass backend keeps in each password-store entry.
 * Pure: no I/O.
 */
import { goJson } from "./items.ts";
import type { Item } from "./keyring.ts";

/** The item JSON aws-vault's keyring library writes (Go struct field order, Data in std base64). */
export function itemJson(item: Item): string {
  return goJson({
    Key: item.key,
    Data: item.data.toBase64(),
    Label: item.label,
    Description: item.description,
    KeychainNotTrustApplication: true,
    KeychainNotSynchronizable: false,
  });
}

/** The item stored under `key` in item JSON, or undefined when the text is not one. */
export function parseItemJson(key: string, text: Uint8Array | string): Item | undefined {
  try {
    const json = JSON.parse(typeof text === "string" ? text : new TextDecoder().decode(text));
    const str = (v: unknown) => (typeof v === "string" ? v : "");
    if (typeof json !== "object" || json === null) return undefined;
    if (json.Data !== null && json.Data !== undefined && typeof json.Data !== "string") {
      return undefined;
    }
    const data = Uint8Array.fromBase64(str(json.Data));
    return { key, data, label: str(json.Label), description: str(json.Description) };
  } catch {
    return undefined;
  }
}
