/**
 * The profile picker of `vault use` without a name: a searchable list on the
 * controlling terminal (stdout belongs to the shell code `use` prints), recently
 * used profiles first.
 */
import { UserError } from "../errors.ts";

/**
 * The choices for a search term: the profiles in `recent` first (most recent
 * first), then the others in their given order; a term keeps the names that
 * contain it, ignoring case.
 */
export function orderProfiles(names: string[], recent: string[], term = ""): string[] {
  const known = new Set(names);
  const first = recent.filter((n) => known.has(n));
  const ordered = [...new Set([...first, ...names])];
  const needle = term.toLowerCase();
  return ordered.filter((n) => n.toLowerCase().includes(needle));
}

/** How the profile in use is marked in the list: `(in use, 42m left)`. */
export function activeLabel(expiresAt: number | undefined, nowMs: number): string {
  if (expiresAt === undefined) return "(in use)";
  const minutes = Math.floor((expiresAt * 1000 - nowMs) / 60_000);
  return minutes > 0 ? `(in use, ${minutes}m left)` : "(in use, expired)";
}

const noChoice = () => new UserError("no profile chosen", 130);

/**
 * Asks the user to pick one of `names` on /dev/tty (type to search, arrows and
 * Enter to choose). Ctrl-C or Escape: UserError("no profile chosen", 130).
 */
export async function pickProfile(
  names: string[],
  recent: string[],
  active?: { name: string; expiresAt?: number },
): Promise<string> {
  if (names.length === 0) {
    throw new UserError("no profiles to choose from: add one with 'vault add <profile>'");
  }
  const { closeTerminal, openTerminal } = await import("./tty.ts");
  const term = await openTerminal();
  if (!term) {
    throw new UserError(
      "no terminal to pick a profile on: name the profile on the command line",
      2,
    );
  }
  const { input, output } = term;
  // The library ends on Ctrl-C by itself; Escape is ours to turn into the same answer.
  const escape = new AbortController();
  const onKey = (_: unknown, key?: { name?: string }) => {
    if (key?.name === "escape") escape.abort();
  };
  input.on("keypress", onKey);
  try {
    const { default: search } = await import("@inquirer/search");
    return await search<string>({
      message: "Profile (type to search)",
      pageSize: 15,
      source: (term) =>
        orderProfiles(names, recent, term ?? "").map((n) => ({
          value: n,
          name: n === active?.name ? `${n}  ${activeLabel(active.expiresAt, Date.now())}` : n,
        })),
    }, { input, output, signal: escape.signal });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "ExitPromptError" || name === "AbortPromptError") throw noChoice();
    throw error;
  } finally {
    input.off("keypress", onKey);
    closeTerminal(term);
  }
}
