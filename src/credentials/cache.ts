/**
 * The session cache (spec §5): temporary credentials stored in the vault under
 * aws-vault's key names, reused while at least the minimum TTL remains.
 */
import type { Keyring } from "../vault/keyring.ts";
import {
  decodeSession,
  encodeSession,
  isLegacySessionKey,
  parseSessionKey,
  type SessionType,
} from "../vault/items.ts";
import type { Credentials } from "./types.ts";

/** What one cache slot is for: at most one session per (type, profile, serial). */
export interface SessionId {
  type: SessionType;
  profile: string;
  /** The MFA serial used, or the SSO start URL, or "". */
  mfaSerial: string;
}

/** Extra field in the stored JSON; aws-vault ignores it, vault refuses to reuse a session whose inputs changed. */
const FINGERPRINT = "VaultFingerprint";

/** The session cache over a keyring. */
export class SessionCache {
  constructor(
    private readonly keyring: Keyring,
    /** Seconds that must remain for a session to be reused (AWS_MIN_TTL). */
    private readonly minTtl: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Keys of this slot's sessions; legacy and expired sessions of any profile are deleted on the way. */
  private async slotKeys(id: SessionId): Promise<string[]> {
    const slot: string[] = [];
    for (const key of await this.keyring.keys()) {
      if (isLegacySessionKey(key)) {
        await this.keyring.remove(key);
        continue;
      }
      const parsed = parseSessionKey(key);
      if (!parsed) continue;
      if (parsed.expiration.getTime() <= this.now().getTime()) {
        await this.keyring.remove(key);
      } else if (
        parsed.type === id.type && parsed.profile === id.profile &&
        parsed.mfaSerial === id.mfaSerial
      ) {
        slot.push(key);
      }
    }
    return slot;
  }

  /**
   * A cached session for `id` with more than the minimum TTL left and made from
   * the same inputs (`fingerprint`); sessions written by aws-vault carry none and are trusted.
   */
  async get(id: SessionId, fingerprint: string): Promise<Credentials | undefined> {
    const limit = this.now().getTime() + this.minTtl * 1000;
    for (const key of await this.slotKeys(id)) {
      const expiration = parseSessionKey(key)!.expiration;
      if (expiration.getTime() <= limit) continue;
      const item = await this.keyring.get(key);
      if (!item) continue;
      const { creds, extra } = decodeSession(item);
      const stored = extra[FINGERPRINT];
      if (stored !== undefined && stored !== fingerprint) continue;
      return creds;
    }
    return undefined;
  }

  /** Stores a fresh session for `id`, replacing the slot's older ones. */
  async put(id: SessionId, creds: Credentials, fingerprint: string): Promise<void> {
    if (!creds.expiration) throw new Error("only expiring credentials can be cached");
    const old = await this.slotKeys(id);
    const item = encodeSession({ ...id, expiration: creds.expiration }, creds, {
      [FINGERPRINT]: fingerprint,
    });
    await this.keyring.set(item);
    for (const key of old) if (key !== item.key) await this.keyring.remove(key);
  }

  /** Deletes every session, or those of one profile; returns how many went. */
  async clear(profile?: string): Promise<number> {
    let count = 0;
    for (const key of await this.keyring.keys()) {
      const parsed = parseSessionKey(key);
      if (
        isLegacySessionKey(key) || (parsed && (profile === undefined || parsed.profile === profile))
      ) {
        await this.keyring.remove(key);
        count++;
      }
    }
    return count;
  }
}
