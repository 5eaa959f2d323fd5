/** `vault exec NAME [flags] [-- CMD ARGS...]`: run a command with a profile's credentials. */
import { credentialVars, formatJson, STALE_VARS } from "../credentials/output.ts";
import type { ProfileConfig } from "../config/types.ts";
import { UserError } from "../errors.ts";
import { VAULT_SHELL_VARS, withoutVaultRegion } from "../shell/session_env.ts";
import { type CommandSpec, type Context, globalOptions, parseCommand } from "./_args.ts";
import {
  chosenProfile,
  type CredentialFlags,
  credentialOptionHelp,
  credentialOptions,
  fetchCredentials,
  keyringFor,
  resolveNamed,
} from "./_credentials.ts";

export const spec = {
  name: "exec",
  summary: "Run a command (default $SHELL) with a profile's credentials in its environment.",
  usage: "exec [flags] <profile> [--] [command [args...]]",
  options: {
    ...credentialOptions,
    json: { type: "boolean", short: "j" },
    server: { type: "boolean", short: "s" },
    "ecs-server": { type: "boolean" },
    lazy: { type: "boolean" },
    "ec2-server": { type: "boolean" },
  },
  optionHelp: {
    ...credentialOptionHelp,
    json: "Print credential_process JSON instead of running a command",
    server: "Serve credentials to the command from a local ECS-style endpoint",
    "ecs-server": "Same as --server",
    lazy: "With --server, fetch credentials at the first request, not before",
    "ec2-server": "Not supported: use --server",
  },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

/**
 * Splits `[flags] profile [--] command...` so that the wrapped command's own
 * flags (`aws s3 ls --recursive`) are never read as vault's.
 */
export function splitCommand(args: string[]): { own: string[]; command: string[] } {
  const options = { ...spec.options, ...globalOptions };
  const takesValue = new Set(
    Object.entries(options).filter(([, o]) => o.type === "string").flatMap(([n, o]) => [
      `--${n}`,
      ...("short" in o ? [`-${o.short}`] : []),
    ]),
  );
  let seenProfile = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return { own: args.slice(0, i), command: args.slice(i + 1) };
    if (arg.startsWith("-") && arg !== "-") {
      if (takesValue.has(arg)) i++;
      continue;
    }
    if (seenProfile) return { own: args.slice(0, i), command: args.slice(i) };
    seenProfile = true;
  }
  return { own: args, command: [] };
}

/**
 * Signals passed on to the child. SIGINT, SIGQUIT and SIGWINCH come from the
 * terminal, which sends them to the child as well (it is in the same foreground
 * process group): forwarding them too would deliver each Ctrl-C twice, which
 * tools such as Terraform take as "abort immediately". vault only outlives them.
 */
const FORWARDED: Deno.Signal[] = ["SIGTERM", "SIGHUP", "SIGUSR1", "SIGUSR2"];
const FROM_TERMINAL: Deno.Signal[] = ["SIGINT", "SIGQUIT"];

/** Linux signal numbers, for the shell convention of exiting with 128+N. */
const SIGNAL_NUMBERS: Partial<Record<Deno.Signal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGSYS: 31,
};

/** Runs `argv` with `env`, forwarding signals; returns its exit code (128+N when killed by signal N). */
export async function runChild(argv: string[], env: Record<string, string>): Promise<number> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(argv[0], { args: argv.slice(1), env, clearEnv: true }).spawn();
  } catch (e) {
    const reason = e instanceof Deno.errors.NotFound ? "command not found" : (e as Error).message;
    throw new UserError(`exec: cannot run '${argv[0]}': ${reason}`, 127);
  }
  const listeners = [...FORWARDED, ...FROM_TERMINAL].map((signal) => {
    const handler = () => {
      if (!FORWARDED.includes(signal)) return;
      try {
        child.kill(signal);
      } catch { /* the child has already exited */ }
    };
    Deno.addSignalListener(signal, handler);
    return () => Deno.removeSignalListener(signal, handler);
  });
  try {
    const status = await child.status;
    return status.signal ? 128 + (SIGNAL_NUMBERS[status.signal] ?? 0) : status.code;
  } finally {
    for (const remove of listeners) remove();
  }
}

export async function run(args: string[], ctx: Context): Promise<number> {
  const { own, command } = splitCommand(args);
  const parsed = parseCommand(spec, own, ctx);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const name = await chosenProfile(ctx, "exec", positionals, { fromEnv: true });
  if (values.json && command.length) {
    throw new UserError(
      "exec: --json prints credentials and runs nothing: drop the command or -j",
      2,
    );
  }
  if (values["ec2-server"]) {
    throw new UserError(
      "exec: --ec2-server is not supported (it needs root to bind 169.254.169.254): use --server",
      2,
    );
  }
  const server = values.server || values["ecs-server"];
  if (server) return await runWithServer(ctx, name, values, command);
  const { profile, creds } = await fetchCredentials(ctx, name, values);
  if (values.json) {
    await Deno.stdout.write(new TextEncoder().encode(formatJson(creds)));
    return 0;
  }
  const env = childEnv(ctx, profile);
  for (const [k, v] of credentialVars(name, creds, profile.region)) env[k] = v;
  // The prompt segment reads the expiry as epoch seconds, so a subshell shows the time left too.
  if (creds.expiration) {
    env.VAULT_EXPIRES_AT = String(Math.floor(creds.expiration.getTime() / 1000));
  }
  return await runChild(commandOrShell(ctx, command), env);
}

/** The wrapped command, or the user's shell when none was given (said, as aws-vault says it). */
function commandOrShell(ctx: Context, command: string[]): string[] {
  if (command.length) return command;
  const shell = ctx.env.SHELL || "/bin/sh";
  console.error(`Starting subshell ${shell}, use \`exit\` to exit the subshell`);
  return [shell];
}

/**
 * The child's environment before credentials: this shell's, minus any credentials
 * a `vault use` left there, plus the profile's endpoint_url as the SDKs read it.
 */
function childEnv(ctx: Context, profile: ProfileConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(withoutVaultRegion(ctx.env))) if (v !== undefined) env[k] = v;
  for (const k of [...STALE_VARS, ...VAULT_SHELL_VARS]) delete env[k];
  if (profile.endpointUrl) env.AWS_ENDPOINT_URL = profile.endpointUrl;
  return env;
}

/** `--server`: the child gets an endpoint that serves (and refreshes) the credentials. */
async function runWithServer(
  ctx: Context,
  name: string,
  values: CredentialFlags & { lazy?: boolean },
  command: string[],
): Promise<number> {
  const refresh = async () => (await fetchCredentials(ctx, name, values)).creds;
  const [profile, initial] = values.lazy
    ? [await resolveNamed(ctx, keyringFor(ctx), name, values), undefined]
    : await fetchCredentials(ctx, name, values).then((r) => [r.profile, r.creds] as const);
  const { serveCredentials } = await import("../credentials/server.ts");
  await using server = serveCredentials(initial, refresh);
  // Not the keys, and not the passphrase that would let the child open the vault itself.
  const env = childEnv(ctx, profile);
  delete env.AWS_VAULT_FILE_PASSPHRASE;
  env.AWS_VAULT = name;
  if (profile.region) {
    Object.assign(env, { AWS_REGION: profile.region, AWS_DEFAULT_REGION: profile.region });
  }
  Object.assign(env, server.env);
  return await runChild(commandOrShell(ctx, command), env);
}
