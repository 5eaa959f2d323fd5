/**
 * `vault use [NAME]`: prints shell code that puts a profile's credentials into
 * the current shell. Only the shell function from `vault init` runs this (it sets
 * VAULT_SHELL) and evals the output, and only when the exit status is 0.
 */
import { profileNames } from "../config/ini.ts";
import { loadConfig } from "../config/load.ts";
import { NEEDS_INPUT_EXIT, UserError } from "../errors.ts";
import { isShell, type Shell } from "../shell/quote.ts";
import { renderEnv } from "../shell/script.ts";
import { useChanges } from "../shell/session_env.ts";
import { isStoredKeysKey } from "../vault/items.ts";
import { type CommandSpec, type Context, parseCommand } from "./_args.ts";
import {
  credentialOptionHelp,
  credentialOptions,
  fetchCredentials,
  keyringFor,
  minTtl,
} from "./_credentials.ts";

export const spec = {
  name: "use",
  summary: "Export a profile's credentials into this shell (needs the shell integration).",
  usage: "use [flags] [profile]",
  options: { ...credentialOptions, "no-input": { type: "boolean" } },
  optionHelp: {
    ...credentialOptionHelp,
    "no-input": "Never ask for an MFA code or passphrase: exit 3 when one is needed",
  },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

/** The shell whose function called us, or a UserError explaining how to load the function. */
export function callingShell(ctx: Context, command: string): Shell {
  const shell = ctx.env.VAULT_SHELL;
  if (shell && isShell(shell)) return shell;
  const guess = (ctx.env.SHELL ?? "").split("/").pop() ?? "";
  const hint = guess === "fish"
    ? "vault init fish | source"
    : `eval "$(vault init ${isShell(guess) ? guess : "zsh"})"`;
  throw new UserError(
    `'vault ${command}' changes your shell, so it needs vault's shell function: run '${hint}' ` +
      `(and add it to your shell's rc file), or use 'vault exec' instead`,
    2,
  );
}

/** Every profile name a user could pick: config sections and stored keys. */
async function knownProfiles(ctx: Context): Promise<string[]> {
  const { text } = await loadConfig(ctx.env);
  const stored = (await keyringFor(ctx).keys()).filter(isStoredKeysKey);
  return [...new Set([...profileNames(text), ...stored])];
}

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  const shell = callingShell(ctx, "use");
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UserError(
      `use: expected one profile name, got ${positionals.length}: see 'vault use --help'`,
      2,
    );
  }
  const recent = await import("../state/recent.ts");
  let name = positionals[0];
  if (name === undefined) {
    if (values["no-input"]) {
      throw new UserError("use: no profile named and --no-input given", NEEDS_INPUT_EXIT);
    }
    const { pickProfile } = await import("../ui/picker.ts");
    name = await pickProfile(await knownProfiles(ctx), await recent.recentProfiles(ctx.env));
  }
  const { profile, creds } = await fetchCredentials(ctx, name, values, {
    noInput: values["no-input"],
  });
  const changes = useChanges(ctx.env, name, creds, profile.region, minTtl(ctx));
  const code = renderEnv(shell, changes);
  await recent.recordUse(ctx.env, name);
  await Deno.stdout.write(new TextEncoder().encode(code));
  return 0;
}
