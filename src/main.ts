/**
 * Entry point: picks one subcommand and runs it. Nothing else lives here, so that
 * the fast paths (prompt, completion, a cached `use`) load only their own module.
 */
import { type Context, globalOptions, isGlobalFlag, setGlobal } from "./cli/_args.ts";
import { aliases, commands } from "./cli/_registry.ts";
import { UserError } from "./errors.ts";
import { closest } from "./suggest.ts";
import { VERSION } from "./version.ts";
import "./self.ts";

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length)) + 2;
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return [
    "usage: vault [--backend=file|pass] [--file-dir=DIR] [--pass-dir=DIR] [--pass-cmd=CMD]",
    "             [--pass-prefix=PREFIX] [--prompt=DRIVER] <command> [args]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run 'vault <command> --help' for a command's flags.",
  ].join("\n");
}

/** Splits leading global flags (`--backend=file list`) from the command and its arguments. */
function splitGlobal(argv: string[], ctx: Context): string[] {
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("--"); i++) {
    const [flag, inline] = argv[i].slice(2).split(/=(.*)/s, 2);
    if (!isGlobalFlag(flag)) break;
    if (globalOptions[flag].type === "boolean") {
      setGlobal(ctx, flag, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UserError(`--${flag} needs a value`, 2);
    setGlobal(ctx, flag, value);
  }
  return argv.slice(i);
}

async function main(argv: string[]): Promise<number> {
  const ctx: Context = { env: Deno.env.toObject(), debug: false };
  const rest = splitGlobal(argv, ctx);
  const [first, ...args] = rest;
  if (first === "--version" || first === "-v" || first === "version") {
    console.log(`vault ${VERSION}`);
    return 0;
  }
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    if (first === "help" && args[0]) return main([args[0], "--help"]);
    console.log(usage());
    return first === undefined ? 2 : 0;
  }
  const name = aliases[first] ?? first;
  const command = commands[name];
  if (!command) {
    const likely = closest(first, [...Object.keys(commands), ...Object.keys(aliases)]);
    const hint = likely ? `did you mean 'vault ${likely}'?` : "run 'vault --help' for the list";
    throw new UserError(`unknown command '${first}': ${hint}`, 2);
  }
  return await (await command.load()).run(args, ctx);
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (e) {
    if (e instanceof UserError) {
      console.error(`vault: ${e.message}`);
      code = e.exitCode;
    } else {
      console.error(`vault: unexpected error: ${(e as Error)?.stack ?? e}`);
      code = 70;
    }
  }
  Deno.exit(code);
}
