/**
 * `vault init zsh|bash|fish [--cmd NAME]`: prints the shell integration (the
 * function, completion and prompt segment) for `eval "$(vault init zsh)"`,
 * `eval "$(vault init bash)"` or `vault init fish | source`.
 */
import { UserError } from "../errors.ts";
import { isShell, type Shell, shells } from "../shell/quote.ts";
import { renderInit } from "../shell/script.ts";
import { selfPath } from "../self.ts";
import { type CommandSpec, type Context, parseCommand } from "./_args.ts";

export const spec = {
  name: "init",
  summary: "Print the shell integration for zsh, bash or fish.",
  usage: "init <zsh|bash|fish> [--cmd NAME]",
  options: { cmd: { type: "string" } },
  optionHelp: { cmd: "Name of the shell function (default vault)" },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

const completionFile: Record<Shell, string> = {
  zsh: "_vault",
  bash: "vault.bash",
  fish: "vault.fish",
};
const howToLoad: Record<Shell, string> = {
  zsh: `eval "$(vault init zsh)"`,
  bash: `eval "$(vault init bash)"`,
  fish: "vault init fish | source",
};

/** A function name every shell accepts and that needs no quoting. */
const validCmd = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function chooseShell(positionals: string[]): Shell {
  const usage = `choose one of ${shells.join(", ")}, e.g. '${howToLoad.zsh}'`;
  if (positionals.length === 0) throw new UserError(`init: missing shell name: ${usage}`, 2);
  if (positionals.length > 1) throw new UserError(`init: expected one shell name: ${usage}`, 2);
  const [name] = positionals;
  if (!isShell(name)) throw new UserError(`init: unknown shell '${name}': ${usage}`, 2);
  return name;
}

/**
 * Reads a file shipped beside the program. The shell and completion folders sit
 * one level above the main module in a checkout (src/main.ts), in an install
 * (share/vault/lib/vault.js) and inside a compiled binary alike.
 */
function readShipped(folder: string, name: string): Promise<string> {
  return Deno.readTextFile(new URL(`../${folder}/${name}`, Deno.mainModule));
}

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  const shell = chooseShell(parsed.positionals);
  const cmd = parsed.values.cmd ?? "vault";
  if (!validCmd.test(cmd)) {
    throw new UserError(
      `init: --cmd '${cmd}' is not a usable function name: use letters, digits, '_' and '-', ` +
        "starting with a letter or '_'",
      2,
    );
  }
  const [integration, completion] = await Promise.all([
    readShipped("shell", `vault.${shell}`),
    readShipped("completions", completionFile[shell]),
  ]);
  const code = renderInit(shell, { bin: selfPath(), cmd, integration, completion });
  await Deno.stdout.write(new TextEncoder().encode(code));
  return 0;
}
