/**
 * The session cache (spec §5): temporary credentials stored in the vault under
 * aws-vault's key names, reused while at least the minimum TTL remains.
 */
import { DamagedItemError, type Keyring } from "../vault/keyring.ts";
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

/**
 * What a session was made from: everything that changes the credentials except
 * the duration (role ARN, external id, tags...), and the duration asked for.
 */
export interface SessionInputs {
  inputs: string;
  /** Seconds requested; a session made for longer also serves a shorter request. */
  duration: number;
}

/** Extra field in the stored JSON; aws-vault ignores it, vault refuses to reuse a session whose inputs changed. */
const FINGERPRINT = "VaultFingerprint";

/** Whether a stored fingerprint (absent for sessions aws-vault wrote: trusted) serves `want`. */
function serves(stored: string | undefined, want: SessionInputs): boolean {
  if (stored === undefined) return true;
  try {
    const made = JSON.parse(stored) as SessionInputs;
    return made.inputs === want.inputs && made.duration >= want.duration;
  } catch {
    return false;
  }
}

/** The session cache over a keyring. */
export class SessionCache {
  constructor(
    private readonly keyring: Keyring,
    /** Seconds that must remain for a session to be reused (AWS_MIN_TTL). */
    private readonly minTtl: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** This slot's session keys, and the legacy or expired session keys of any profile. */
  private async scan(id: SessionId): Promise<{ slot: string[]; stale: string[] }> {
    const slot: string[] = [];
    const stale: string[] = [];
    for (const key of await this.keyring.keys()) {
      const parsed = parseSessionKey(key);
      if (isLegacySessionKey(key) || (parsed && parsed.expiration <= this.now())) {
        stale.push(key);
      } else if (
        parsed && parsed.type === id.type && parsed.profile === id.profile &&
        parsed.mfaSerial === id.mfaSerial
      ) {
        slot.push(key);
      }
    }
    return { slot, stale };
  }

  private async removeAll(keys: string[]): Promise<void> {
    for (const key of keys) await this.keyring.remove(key);
  }

  /**
   * A cached session for `id` with more than the minimum TTL left, made from the
   * same inputs for at least as long; sessions written by aws-vault carry no
   * fingerprint and are trusted. Stale sessions are deleted only once a
   * decryption has proven the passphrase, so a mistyped one deletes nothing.
   */
  async get(id: SessionId, want: SessionInputs): Promise<Credentials | undefined> {
    const limit = this.now().getTime() + this.minTtl * 1000;
    const { slot, stale } = await this.scan(id);
    for (const key of slot) {
      if (parseSessionKey(key)!.expiration.getTime() <= limit) continue;
      let item;
      try {
        item = await this.keyring.get(key);
      } catch (error) {
        // A damaged session is only a cache miss; the next put replaces it.
        if (error instanceof DamagedItemError) continue;
        throw error;
      }
      if (!item) continue;
      await this.removeAll(stale.splice(0));
      const { creds, extra } = decodeSession(item);
      if (serves(extra[FINGERPRINT], want)) return creds;
    }
    return undefined;
  }

  /** Stores a fresh session for `id`, then deletes the slot's older ones and stale sessions. */
  async put(id: SessionId, creds: Credentials, made: SessionInputs): Promise<void> {
    if (!creds.expiration) throw new Error("only expiring credentials can be cached");
    const { slot, stale } = await this.scan(id);
    const item = encodeSession({ ...id, expiration: creds.expiration }, creds, {
      [FINGERPRINT]: JSON.stringify(made),
    });
    await this.keyring.set(item);
    await this.removeAll([...stale, ...slot.filter((key) => key !== item.key)]);
  }

  /** Deletes every session, or those of one profile; returns how many went. */
  async clear(profile?: string): Promise<number> {
    let count = 0;
    for (const key of await this.keyring.keys()) {
      const parsed = parseSessionKey(key);
      const mine = parsed !== undefined && (profile === undefined || parsed.profile === profile);
      // Legacy keys name no profile we can trust: always deleted, counted only when clearing all.
      if (mine || isLegacySessionKey(key)) {
        await this.keyring.remove(key);
        if (mine || profile === undefined) count++;
      }
    }
    return count;
  }
}
