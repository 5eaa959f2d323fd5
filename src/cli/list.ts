/** `vault list`: profiles, stored credentials and sessions. Needs no passphrase. */
import { formatDuration } from "../config/duration.ts";
import { profileNames } from "../config/ini.ts";
import { loadConfig } from "../config/load.ts";
import { UserError } from "../errors.ts";
import { isStoredKeysKey, parseSessionKey, type SessionKey } from "../vault/items.ts";
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
    profiles: "Print only profile names, one per line",
    credentials: "Print only the names of stored credentials",
    sessions: "Print only the session keys",
    json: "Print everything as JSON, for scripts",
  },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

/** One row of the table. */
export interface ListRow {
  profile: string;
  credentials: boolean;
  sessions: SessionKey[];
}

/** Rows in config order, then stored keys the config does not name. Expired sessions are left out. */
export function listRows(profiles: string[], keys: string[], now: Date): ListRow[] {
  const stored = new Set(keys.filter(isStoredKeysKey));
  const sessions = keys.map(parseSessionKey).filter((s): s is SessionKey =>
    s !== undefined && s.expiration.getTime() > now.getTime()
  );
  const names = [...new Set([...profiles, ...stored])];
  return names.map((profile) => ({
    profile,
    credentials: stored.has(profile),
    sessions: sessions.filter((s) => s.profile === profile),
  }));
}

/** The Profile / Credentials / Sessions table, sessions as `type:time-left`. */
export function formatTable(rows: ListRow[], now: Date): string {
  const cells = rows.map((r) => [
    r.profile,
    r.credentials ? r.profile : "-",
    r.sessions.length
      ? r.sessions.map((s) =>
        `${s.type}:${formatDuration(Math.floor((s.expiration.getTime() - now.getTime()) / 1000))}`
      ).join(", ")
      : "-",
  ]);
  const header = ["Profile", "Credentials", "Sessions"];
  const table = [header, header.map((h) => "=".repeat(h.length)), ...cells];
  const widths = [0, 1].map((i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) =>
    `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`.trimEnd()
  )
    .join("\n") + "\n";
}

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  if (parsed.positionals.length) {
    throw new UserError("list: takes no arguments: see 'vault list --help'", 2);
  }
  const { values } = parsed;
  const keys = await keyringFor(ctx).keys();
  const { text } = await loadConfig(ctx.env);
  const now = new Date();
  const rows = listRows(profileNames(text), keys, now);
  let out: string;
  if (values.profiles) out = rows.map((r) => r.profile).join("\n");
  else if (values.credentials) {
    out = rows.filter((r) => r.credentials).map((r) => r.profile).join("\n");
  } else if (values.sessions) out = keys.filter((k) => parseSessionKey(k)).join("\n");
  else if (values.json) {
    out = JSON.stringify(
      rows.map((r) => ({
        profile: r.profile,
        credentials: r.credentials,
        sessions: r.sessions.map((s) => ({
          type: s.type,
          mfaSerial: s.mfaSerial,
          expiration: s.expiration.toISOString(),
          secondsLeft: Math.floor((s.expiration.getTime() - now.getTime()) / 1000),
        })),
      })),
      null,
      2,
    );
  } else {
    await Deno.stdout.write(new TextEncoder().encode(formatTable(rows, now)));
    return 0;
  }
  if (out) console.log(out);
  return 0;
}
