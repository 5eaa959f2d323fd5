/** `vault list`: profiles, stored credentials and sessions, as aws-vault lists them. Needs no passphrase. */
import type { ConfigFile } from "../config/ini.ts";
import { loadConfig } from "../config/load.ts";
import { UserError } from "../errors.ts";
import {
  isOidcTokenKey,
  isStoredKeysKey,
  parseSessionKey,
  type SessionKey,
} from "../vault/items.ts";
import { type CommandSpec, type Context, parseCommand } from "./_args.ts";
import { keyringFor } from "./_credentials.ts";

export const spec = {
  name: "list",
  summary: "List profiles, the credentials stored for them, and their sessions.",
  usage: "list [flags]",
  options: {
    profiles: { type: "boolean" },
    credentials: { type: "boolean" },
    sessions: { type: "boolean" },
    json: { type: "boolean" },
  },
  optionHelp: {
    profiles: "Print only the config's profile names, one per line",
    credentials: "Print only the names of stored credentials",
    sessions: "Print only the sessions (type:time-left) and SSO tokens (oidc:URL)",
    json: "Print everything as JSON, for scripts",
  },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

/** Time left as Go prints a duration truncated to seconds (`1h5m0s`, `42m13s`), as aws-vault does. */
export function goDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (h) return `${h}h${m}m${sec}s`;
  if (m) return `${m}m${sec}s`;
  return `${sec}s`;
}

/** A session's label: `type:time-left`. */
function sessionLabel(s: SessionKey, now: Date): string {
  return `${s.type}:${goDuration((s.expiration.getTime() - now.getTime()) / 1000)}`;
}

/** What the vault holds, by kind, from its key names alone. */
export interface VaultContents {
  credentials: string[];
  /** Live sessions (expired ones are left out). */
  sessions: SessionKey[];
  /** Start URLs of stored SSO tokens. */
  ssoTokens: string[];
}

/** Sorts the vault's keys into credentials, live sessions and SSO tokens. */
export function vaultContents(keys: string[], now: Date): VaultContents {
  return {
    credentials: keys.filter(isStoredKeysKey),
    sessions: keys.map(parseSessionKey).filter((s): s is SessionKey =>
      s !== undefined && s.expiration.getTime() > now.getTime()
    ),
    ssoTokens: keys.filter(isOidcTokenKey).map((k) => k.slice("oidc:".length)),
  };
}

/** The SSO start URL a profile section names, directly or through its `[sso-session]`. */
function startUrlOf(config: ConfigFile, profile: string): string | undefined {
  const section = config.profiles.get(profile);
  if (!section) return undefined;
  const session = section.sso_session ? config.ssoSessions.get(section.sso_session) : undefined;
  return session?.sso_start_url ?? section.sso_start_url;
}

/** One table row: profile, credentials, session labels (`-` for none). */
export type Row = [string, string, string[]];

/**
 * The rows aws-vault prints: each config profile with its stored keys and
 * sessions (SSO token included), then stored keys with no profile, then
 * sessions no profile row showed.
 */
export function tableRows(config: ConfigFile, contents: VaultContents, now: Date): Row[] {
  const stored = new Set(contents.credentials);
  const shown = new Set<string>();
  const rows: Row[] = [];
  for (const profile of config.profiles.keys()) {
    const labels: string[] = [];
    const url = startUrlOf(config, profile);
    if (url !== undefined && contents.ssoTokens.includes(url)) labels.push(`oidc:${url}`);
    for (const s of contents.sessions) if (s.profile === profile) labels.push(sessionLabel(s, now));
    labels.forEach((l) => shown.add(l));
    rows.push([profile, stored.has(profile) ? profile : "-", labels]);
  }
  for (const name of contents.credentials) {
    if (!config.profiles.has(name)) rows.push(["-", name, []]);
  }
  for (const label of allLabels(contents, now)) {
    if (!shown.has(label)) rows.push(["-", "-", [label]]);
  }
  return rows;
}

/** Every SSO token and session label, as `list --sessions` prints them. */
function allLabels(contents: VaultContents, now: Date): string[] {
  return [
    ...contents.ssoTokens.map((url) => `oidc:${url}`),
    ...contents.sessions.map((s) => sessionLabel(s, now)),
  ];
}

/** The Profile / Credentials / Sessions table. */
export function formatTable(rows: Row[]): string {
  const cells = rows.map(([p, c, s]) => [p, c, s.length ? s.join(", ") : "-"]);
  const header = ["Profile", "Credentials", "Sessions"];
  const table = [header, header.map((h) => "=".repeat(h.length)), ...cells];
  const widths = [0, 1].map((i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) =>
    `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`.trimEnd()
  ).join("\n") + "\n";
}

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  if (parsed.positionals.length) {
    throw new UserError("list: takes no arguments: see 'vault list --help'", 2);
  }
  const { values } = parsed;
  const now = new Date();
  const contents = vaultContents(await keyringFor(ctx).keys(), now);
  const { config } = await loadConfig(ctx.env);
  let lines: string[];
  if (values.credentials) lines = contents.credentials;
  else if (values.profiles) lines = [...config.profiles.keys()];
  else if (values.sessions) lines = allLabels(contents, now);
  else if (values.json) {
    const names = [...new Set([...config.profiles.keys(), ...contents.credentials])];
    lines = [JSON.stringify(
      names.map((profile) => ({
        profile,
        credentials: contents.credentials.includes(profile),
        sessions: contents.sessions.filter((s) => s.profile === profile).map((s) => ({
          type: s.type,
          mfaSerial: s.mfaSerial,
          expiration: s.expiration.toISOString(),
          secondsLeft: Math.floor((s.expiration.getTime() - now.getTime()) / 1000),
        })),
      })),
      null,
      2,
    )];
  } else {
    await Deno.stdout.write(
      new TextEncoder().encode(formatTable(tableRows(config, contents, now))),
    );
    return 0;
  }
  if (lines.length) console.log(lines.join("\n"));
  return 0;
}
