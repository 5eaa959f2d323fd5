/**
 * The parts of `~/.aws/config` vault uses, in file order. Keys are lowercased and values
 * trimmed; a nested block (`s3 =` then indented `key = value` lines) is stored under
 * `s3.key`.
 */
export interface ConfigFile {
  profiles: Map<string, Record<string, string>>;
  ssoSessions: Map<string, Record<string, string>>;
}

/** What a `[...]` header line opens. */
type Header =
  /** `profileForm` is true for `[profile default]`, whose keys beat `[default]`'s. */
  | { kind: "profile"; name: string; profileForm: boolean }
  | { kind: "sso-session"; name: string }
  /** `[DEFAULT]`, `[services x]`, `[foo]`, malformed headers: not read. */
  | { kind: "other" };

/** Reads a header line (already trimmed, starting with `[`); anything after `]` is ignored. */
function parseHeader(line: string): Header {
  const end = line.indexOf("]");
  if (end < 0) return { kind: "other" };
  const inner = line.slice(1, end).trim();
  if (inner === "default") return { kind: "profile", name: "default", profileForm: false };
  // Section names are case-sensitive: `[Profile x]` is not a profile.
  const m = /^(profile|sso-session)\s+(.+)$/.exec(inner);
  if (!m) return { kind: "other" };
  const name = m[2].trim();
  return m[1] === "profile"
    ? { kind: "profile", name, profileForm: true }
    : { kind: "sso-session", name };
}

function lines(text: string): string[] {
  return text.replace(/^\uFEFF/, "").split(/\r?\n/);
}

function isComment(trimmed: string): boolean {
  return trimmed.startsWith("#") || trimmed.startsWith(";");
}

/** Splits `key = value` (or `key: value`, as botocore and go-ini accept) at the first delimiter. */
function splitKeyValue(line: string): [key: string, value: string] | undefined {
  const at = line.search(/[=:]/);
  if (at <= 0) return undefined;
  const key = line.slice(0, at).trim().toLowerCase();
  if (key === "") return undefined;
  // A comment starts at `#` or `;` preceded by whitespace, so `start#/` in a URL survives.
  const raw = line.slice(at + 1);
  const comment = raw.search(/[ \t][#;]/);
  return [key, (comment < 0 ? raw : raw.slice(0, comment)).trim()];
}

/**
 * Parses AWS config text. `[default]` and `[profile default]` are both profile `default`;
 * when both exist their keys merge and `[profile default]` wins, wherever it sits in the file.
 * A repeated section merges, later keys winning. Lines indented deeper than a key with an empty
 * value form its nested block; any other indented line is an ordinary key (as go-ini, which
 * aws-vault uses, reads it). Malformed lines are skipped.
 */
export function parseConfig(text: string): ConfigFile {
  const profiles = new Map<string, Map<string, string>>();
  const profileDefault = new Map<string, string>();
  const ssoSessions = new Map<string, Map<string, string>>();

  let section: Map<string, string> | undefined; // undefined inside ignored sections
  // The empty-valued key whose deeper-indented lines form a nested block.
  let nest: { key: string; indent: number } | undefined;

  for (const line of lines(text)) {
    const trimmed = line.trim();
    if (trimmed === "" || isComment(trimmed)) continue;
    if (trimmed.startsWith("[")) {
      nest = undefined;
      const header = parseHeader(trimmed);
      if (header.kind === "other") {
        section = undefined;
        continue;
      }
      const map = header.kind === "sso-session" ? ssoSessions : profiles;
      if (!map.has(header.name)) map.set(header.name, new Map());
      section = header.kind === "profile" && header.profileForm && header.name === "default"
        ? profileDefault
        : map.get(header.name);
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (nest && indent > nest.indent) {
      const kv = splitKeyValue(trimmed);
      if (kv) section?.set(`${nest.key}.${kv[0]}`, kv[1]);
      continue;
    }
    const kv = splitKeyValue(trimmed);
    nest = kv?.[1] === "" ? { key: kv[0], indent } : undefined;
    if (kv) section?.set(kv[0], kv[1]);
  }

  // profileDefault only has keys when a `[profile default]` header created the "default" entry.
  for (const [key, value] of profileDefault) profiles.get("default")!.set(key, value);
  // Object.fromEntries defines own properties, so a key like `__proto__` stays plain data.
  const records = (maps: Map<string, Map<string, string>>) =>
    new Map([...maps].map(([name, keys]) => [name, Object.fromEntries(keys)]));
  return { profiles: records(profiles), ssoSessions: records(ssoSessions) };
}

/**
 * Names of the profiles in `text`, in file order, without building the full structure
 * (the completion fast path). Agrees with `parseConfig(text).profiles.keys()`.
 */
export function profileNames(text: string): string[] {
  const names = new Set<string>();
  for (const line of lines(text)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("[")) continue;
    const header = parseHeader(trimmed);
    if (header.kind === "profile") names.add(header.name);
  }
  return [...names];
}
