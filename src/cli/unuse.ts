/** `vault unuse`: prints shell code that removes what `vault use` set. */
import { UserError } from "../errors.ts";
import { renderEnv } from "../shell/script.ts";
import { unuseChanges } from "../shell/session_env.ts";
import { type CommandSpec, type Context, parseCommand } from "./_args.ts";
import { callingShell } from "./use.ts";

export const spec = {
  name: "unuse",
  summary: "Remove the credentials 'vault use' put into this shell.",
  usage: "unuse",
  options: {},
  optionHelp: {},
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  const shell = callingShell(ctx, "unuse");
  if (parsed.positionals.length) {
    throw new UserError("unuse: takes no profile name: run 'vault unuse'", 2);
  }
  await Deno.stdout.write(new TextEncoder().encode(renderEnv(shell, unuseChanges(ctx.env))));
  return 0;
}
