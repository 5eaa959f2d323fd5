import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "../errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flags every command accepts before or after its name, as aws-vault does. */
export const globalOptions = {
  backend: { type: "string" },
  prompt: { type: "string" },
  "file-dir": { type: "string" },
  "pass-cmd": { type: "string" },
  "pass-dir": { type: "string" },
  "pass-prefix": { type: "string" },
  debug: { type: "boolean" },
} as const satisfies Options;

/** The name of a global flag. */
export type GlobalFlag = keyof typeof globalOptions;

/** What main knows before a command runs. */
export interface Context {
  env: Readonly<Record<string, string | undefined>>;
  backend?: string;
  prompt?: string;
  fileDir?: string;
  passCmd?: string;
  passDir?: string;
  passPrefix?: string;
  debug: boolean;
}

/** The Context field each global flag sets. */
const GLOBAL_FIELDS = {
  backend: "backend",
  prompt: "prompt",
  "file-dir": "fileDir",
  "pass-cmd": "passCmd",
  "pass-dir": "passDir",
  "pass-prefix": "passPrefix",
  debug: "debug",
} as const satisfies Record<GlobalFlag, keyof Context>;

/** True when `name` (without `--`) is a global flag. */
export function isGlobalFlag(name: string): name is GlobalFlag {
  return Object.hasOwn(globalOptions, name);
}

/** Records a global flag's value (`true` for a boolean flag) in `ctx`. */
export function setGlobal(ctx: Context, flag: GlobalFlag, value: string | boolean): void {
  (ctx as unknown as Record<string, string | boolean>)[GLOBAL_FIELDS[flag]] = value;
}

/** Describes one subcommand for dispatch, help and completion. */
export interface CommandSpec<O extends Options> {
  name: string;
  summary: string;
  /** Usage line after `vault `, e.g. `add [flags] <profile>`. */
  usage: string;
  options: O;
  /** One line of help per option, keyed by option name. */
  optionHelp: { [K in keyof O]: string };
}

/**
 * Parses a command's arguments with node:util parseArgs, turning its errors into
 * one-line UserErrors that name the command and point at --help. Returns undefined
 * after printing help when --help/-h was given.
 */
export function parseCommand<O extends Options>(
  spec: CommandSpec<O>,
  args: string[],
  ctx: Context,
) {
  const options = { ...spec.options, ...globalOptions, help: { type: "boolean", short: "h" } };
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: false });
  } catch (e) {
    const reason = (e as Error).message.split("\n")[0].replace(/\. To specify .*$/, "");
    throw new UserError(`${spec.name}: ${reason}: see 'vault ${spec.name} --help'`, 2);
  }
  const values = parsed.values as Record<string, unknown>;
  if (values.help) {
    console.log(helpText(spec));
    return undefined;
  }
  for (const flag of Object.keys(globalOptions) as GlobalFlag[]) {
    const value = values[flag];
    if (typeof value === "string" || value === true) setGlobal(ctx, flag, value);
  }
  return {
    values: values as { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string },
    positionals: parsed.positionals,
  };
}

/** Help text of one command: usage, summary and its flags. */
export function helpText<O extends Options>(spec: CommandSpec<O>): string {
  const lines = [`usage: vault ${spec.usage}`, "", spec.summary];
  const names = Object.keys(spec.options);
  if (names.length) {
    lines.push("", "Flags:");
    for (const name of names) {
      const opt = spec.options[name];
      const short = opt.short ? `-${opt.short}, ` : "    ";
      const arg = opt.type === "string" ? ` <${name.toUpperCase()}>` : "";
      lines.push(`  ${short}--${name}${arg}`.padEnd(34) + spec.optionHelp[name]);
    }
  }
  return lines.join("\n");
}

/** Exactly one positional profile name, or a UserError saying what is missing. */
export function oneProfile(command: string, positionals: string[]): string {
  if (positionals.length === 0) {
    throw new UserError(`${command}: missing profile name: run 'vault ${command} <profile>'`, 2);
  }
  if (positionals.length > 1) {
    throw new UserError(
      `${command}: expected one profile name, got ${positionals.length}: see 'vault ${command} --help'`,
      2,
    );
  }
  return positionals[0];
}
