/**
 * `vault use [NAME]`: prints shell code that puts a profile's credentials into
 * the current shell. Only the shell function from `vault init` runs this (it sets
 * VAULT_SHELL) and evals the output, and only when the exit status is 0.
 */
import { UserError } from "../errors.ts";
import { isShell, type Shell } from "../shell/quote.ts";
import { renderEnv } from "../shell/script.ts";
import { useChanges } from "../shell/session_env.ts";
import { type CommandSpec, type Context, parseCommand } from "./_args.ts";
import {
  chosenProfile,
  credentialOptionHelp,
  credentialOptions,
  fetchCredentials,
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

/** The shell the user typed the command in: the parent process, else $SHELL. */
function interactiveShell(ctx: Context): Shell {
  let parent = "";
  try {
    parent = Deno.readTextFileSync(`/proc/${Deno.ppid}/comm`).trim().replace(/^-/, "");
  } catch { /* no /proc (macOS): $SHELL is the best guess */ }
  const guess = isShell(parent) ? parent : (ctx.env.SHELL ?? "").split("/").pop() ?? "";
  return isShell(guess) ? guess : "zsh";
}

const RC_FILES: Record<Shell, string> = {
  zsh: "~/.zshrc",
  bash: "~/.bashrc",
  fish: "~/.config/fish/config.fish",
};

/** The shell whose function called us, or a UserError explaining how to load the function. */
export function callingShell(ctx: Context, command: string): Shell {
  const shell = ctx.env.VAULT_SHELL;
  if (shell && isShell(shell)) return shell;
  const user = interactiveShell(ctx);
  const line = user === "fish" ? "vault init fish | source" : `eval "$(vault init ${user})"`;
  const instead = command === "use" ? ", or run one command with 'vault exec'" : "";
  throw new UserError(
    `'vault ${command}' changes your shell, so it needs vault's shell function: add '${line}' ` +
      `to ${RC_FILES[user]} and open a new shell${instead}`,
    2,
  );
}

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  const shell = callingShell(ctx, "use");
  const { values, positionals } = parsed;
  // No AWS_PROFILE fallback here: `vault use` alone means "let me pick".
  const name = await chosenProfile(ctx, "use", positionals, {
    fromEnv: false,
    noInput: values["no-input"],
  });
  const { profile, creds } = await fetchCredentials(ctx, name, values, {
    noInput: values["no-input"],
  });
  const changes = useChanges(ctx.env, name, creds, profile.region, minTtl(ctx));
  const code = renderEnv(shell, changes);
  await (await import("../state/recent.ts")).recordUse(ctx.env, name);
  await Deno.stdout.write(new TextEncoder().encode(code));
  console.error(`vault: ${describeSession(name, profile.region, creds.expiration, new Date())}`);
  return 0;
}

/** The one line `use` says on success, e.g. `using work (eu-west-1) until 17:36, 59m left`. */
export function describeSession(
  name: string,
  region: string | undefined,
  expiration: Date | undefined,
  now: Date,
): string {
  const where = region ? ` (${region})` : "";
  if (!expiration) return `using ${name}${where}: long-term keys, no expiry`;
  const minutes = Math.max(0, Math.floor((expiration.getTime() - now.getTime()) / 60_000));
  const left = minutes >= 60
    ? `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`
    : `${minutes}m`;
  const clock = [expiration.getHours(), expiration.getMinutes()].map((n) =>
    String(n).padStart(2, "0")
  );
  return `using ${name}${where} until ${clock.join(":")}, ${left} left`;
}
