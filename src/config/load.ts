import { type Env, expandHome, homeDir } from "../env.ts";
import { UserError } from "../errors.ts";
import { type ConfigFile, parseConfig } from "./ini.ts";

function home(env: Env): string {
  try {
    return homeDir(env).replace(/\/+$/, "");
  } catch (e) {
    throw new UserError(`${(e as Error).message}, or set AWS_CONFIG_FILE`);
  }
}

/** The AWS config file: `$AWS_CONFIG_FILE` (a leading `~/` is expanded), else `~/.aws/config`. */
export function configPath(env: Env): string {
  const file = env.AWS_CONFIG_FILE;
  if (!file) return `${home(env)}/.aws/config`;
  return expandHome(env, file);
}

/**
 * Reads and parses the AWS config file. A missing file is an empty config (vault works with
 * stored keys alone); a file that exists but cannot be read is a UserError naming it.
 */
export async function loadConfig(
  env: Env,
): Promise<{ path: string; text: string; config: ConfigFile }> {
  const path = configPath(env);
  let text = "";
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      const reason = (e as Error).message.replace(/\s+/g, " ");
      throw new UserError(
        `cannot read the AWS config file ${path} (${reason}): ` +
          `make it a readable file or point AWS_CONFIG_FILE at one`,
      );
    }
  }
  return { path, text, config: parseConfig(text) };
}
