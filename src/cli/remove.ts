/** `vault remove NAME`: delete a profile's stored keys and sessions. */
import { SessionCache } from "../credentials/cache.ts";
import { UserError } from "../errors.ts";
import { type CommandSpec, type Context, oneProfile, parseCommand } from "./_args.ts";
import { keyringFor } from "./_credentials.ts";
import { clearProfileSessions } from "./clear.ts";

export const spec = {
  name: "remove",
  summary: "Remove a profile's credentials and sessions from the vault.",
  usage: "remove [flags] <profile>",
  options: {
    force: { type: "boolean", short: "f" },
    "sessions-only": { type: "boolean" },
  },
  optionHelp: {
    force: "Do not ask for confirmation",
    "sessions-only": "Only remove the profile's sessions, keep its keys",
  },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  const name = oneProfile("remove", parsed.positionals);
  const keyring = keyringFor(ctx);
  if (parsed.values["sessions-only"]) {
    const n = await clearProfileSessions(ctx, keyring, name);
    console.log(`Deleted ${n} sessions.`);
    return 0;
  }
  if (!(await keyring.keys()).includes(name)) {
    throw new UserError(
      `remove: no credentials stored for profile ${name}: 'vault list' shows what is stored`,
    );
  }
  if (!parsed.values.force) {
    const tty = await import("../ui/tty.ts");
    if (!tty.hasTerminal()) {
      throw new UserError(`remove: no terminal to confirm on: run 'vault remove -f ${name}'`, 2);
    }
    if (!(await tty.confirm(`Delete credentials for profile "${name}"? (y|N) `))) {
      return 0;
    }
  }
  await keyring.remove(name);
  await new SessionCache(keyring, 0).clear(name);
  console.log("Deleted credentials.");
  return 0;
}
