/** `vault add NAME`: store long-term keys in the vault. */
import { appendProfile } from "../config/append.ts";
import { loadConfig } from "../config/load.ts";
import { SessionCache } from "../credentials/cache.ts";
import type { Credentials } from "../credentials/types.ts";
import { UserError } from "../errors.ts";
import { writeFileAtomic } from "../fsutil/atomic.ts";
import { encodeStoredKeys, isStoredKeysKey } from "../vault/items.ts";
import { type CommandSpec, type Context, oneProfile, parseCommand } from "./_args.ts";
import { keyringFor } from "./_credentials.ts";

export const spec = {
  name: "add",
  summary: "Add long-term credentials for a profile to the vault.",
  usage: "add [flags] <profile>",
  options: {
    env: { type: "boolean" },
    "add-config": { type: "boolean" },
    "no-add-config": { type: "boolean" },
  },
  optionHelp: {
    env: "Read the keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    "add-config": "Add a [profile] section to the config when missing (default)",
    "no-add-config": "Leave the config file alone",
  },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

/** A profile name vault can store and write to a config section. */
export function checkProfileName(command: string, name: string): string {
  // deno-lint-ignore no-control-regex
  if (!name.trim() || /[\x00-\x1f\x7f[\]]/.test(name) || name !== name.trim()) {
    throw new UserError(
      `${command}: ${
        JSON.stringify(name)
      } is not a usable profile name: use no brackets, control characters or surrounding spaces`,
      2,
    );
  }
  if (!isStoredKeysKey(name) || name === "." || name === "..") {
    throw new UserError(
      `${command}: the vault keeps sessions under names like ${
        JSON.stringify(name)
      }: choose another profile name`,
      2,
    );
  }
  return name;
}

async function readKeys(ctx: Context, fromEnv: boolean): Promise<Credentials> {
  if (fromEnv) {
    const accessKeyId = ctx.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = ctx.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new UserError(
        "add --env: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set",
        2,
      );
    }
    if (ctx.env.AWS_SESSION_TOKEN) {
      throw new UserError(
        "add --env: the environment holds temporary credentials (AWS_SESSION_TOKEN is set): add long-term keys, e.g. after 'vault unuse'",
        2,
      );
    }
    return { accessKeyId, secretAccessKey };
  }
  const tty = await import("../ui/tty.ts");
  const accessKeyId = (await tty.promptLine("Enter Access Key ID: ")).trim();
  const secretAccessKey = (await tty.promptHidden("Enter Secret Access Key: ")).trim();
  if (!accessKeyId || !secretAccessKey) {
    throw new UserError("add: both the access key id and the secret access key are needed", 2);
  }
  return { accessKeyId, secretAccessKey };
}

export async function run(args: string[], ctx: Context): Promise<number> {
  // aws-vault's flag library takes `--add-config=false`; node's parseArgs has no boolean values.
  const normalised = args.map((a) =>
    /^--add-config=(false|0)$/i.test(a)
      ? "--no-add-config"
      : a.replace(/^--add-config=(true|1)$/i, "--add-config")
  );
  const parsed = parseCommand(spec, normalised, ctx);
  if (!parsed) return 0;
  const name = checkProfileName("add", oneProfile("add", parsed.positionals));
  const { path, text, config } = await loadConfig(ctx.env);
  const section = config.profiles.get(name);
  const sourceProfile = section?.source_profile ?? config.profiles.get("default")?.source_profile;
  if (sourceProfile && sourceProfile !== name) {
    throw new UserError(
      `add: profile ${name} has source_profile = ${sourceProfile}, so its credentials come from ${sourceProfile}: run 'vault add ${sourceProfile}' instead`,
      2,
    );
  }
  const addConfig = !parsed.values["no-add-config"] && !section;
  // A name the config cannot hold fails here, before anything is asked or stored.
  if (addConfig) appendProfile(text, name, {});
  const keys = await readKeys(ctx, parsed.values.env === true);
  const keyring = keyringFor(ctx);
  await keyring.set(encodeStoredKeys(name, keys));
  await new SessionCache(keyring, 0).clear(name);
  console.log(`Added credentials to profile "${name}" in vault`);
  if (addConfig) {
    // Re-read: the prompts may have taken a while, and an edit made meanwhile must survive.
    const current = await loadConfig(ctx.env);
    const newConfig = appendProfile(current.text, name, {});
    // Write through a symlinked config (dotfiles) to the file it points at.
    const target = await Deno.realPath(path).catch(() => path);
    const mode = await Deno.stat(target).then((s) => (s.mode ?? 0o600) & 0o777, () => 0o600);
    await Deno.mkdir(target.replace(/\/[^/]*$/, "") || "/", { recursive: true, mode: 0o700 });
    await writeFileAtomic(target, newConfig, mode);
    console.log(`Added profile ${name} to ${path}`);
  }
  return 0;
}
