/** `vault export NAME --format F`: print a profile's credentials. */
import { envPairs, formatEnv, formatIni, formatJson } from "../credentials/output.ts";
import { UserError } from "../errors.ts";
import { renderEnv } from "../shell/script.ts";
import { type CommandSpec, type Context, parseCommand } from "./_args.ts";
import {
  chosenProfile,
  credentialOptionHelp,
  credentialOptions,
  fetchCredentials,
} from "./_credentials.ts";

/** aws-vault's formats, plus `sh` and `fish` that are safe to eval. */
export const FORMATS = ["env", "export-env", "json", "ini", "sh", "fish"] as const;

export const spec = {
  name: "export",
  summary: "Print a profile's credentials in the chosen format.",
  usage: "export [flags] <profile>",
  options: { ...credentialOptions, format: { type: "string" } },
  optionHelp: {
    ...credentialOptionHelp,
    format: `One of ${FORMATS.join(", ")} (default env)`,
  },
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string }>>;

export async function run(args: string[], ctx: Context): Promise<number> {
  const parsed = parseCommand(spec, args, ctx);
  if (!parsed) return 0;
  const format = parsed.values.format ?? "env";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UserError(
      `export: unknown --format '${format}': use one of ${FORMATS.join(", ")}`,
      2,
    );
  }
  const name = await chosenProfile(ctx, "export", parsed.positionals, { fromEnv: true });
  const { profile, creds } = await fetchCredentials(ctx, name, parsed.values);
  const region = profile.region;
  let text: string;
  switch (format) {
    case "json":
      text = formatJson(creds);
      break;
    case "ini":
      text = formatIni(name, creds, region);
      break;
    case "sh":
    case "fish":
      text = renderEnv(format === "sh" ? "bash" : "fish", {
        set: envPairs(creds, region),
        unset: [],
      });
      break;
    default:
      text = formatEnv(creds, region, format === "export-env");
  }
  await Deno.stdout.write(new TextEncoder().encode(text));
  return 0;
}
