import type { Context } from "./_args.ts";

/** A loaded command module. */
export interface CommandModule {
  run(args: string[], ctx: Context): Promise<number>;
}

/**
 * Every subcommand with a one-line summary; modules load lazily so that a
 * command pays only for what it imports.
 */
export const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  add: { summary: "Add long-term credentials to the vault", load: () => import("./add.ts") },
  list: {
    summary: "List profiles, stored credentials and sessions",
    load: () => import("./list.ts"),
  },
  remove: { summary: "Remove credentials from the vault", load: () => import("./remove.ts") },
  clear: { summary: "Clear cached sessions", load: () => import("./clear.ts") },
  exec: { summary: "Run a command with a profile's credentials", load: () => import("./exec.ts") },
  export: { summary: "Print a profile's credentials", load: () => import("./export.ts") },
  use: {
    summary: "Export a profile's credentials into this shell",
    load: () => import("./use.ts"),
  },
  unuse: {
    summary: "Remove vault's credentials from this shell",
    load: () => import("./unuse.ts"),
  },
  login: { summary: "Open the AWS console for a profile", load: () => import("./login.ts") },
  rotate: { summary: "Rotate a profile's access key", load: () => import("./rotate.ts") },
  init: {
    summary: "Print the shell integration for zsh, bash or fish",
    load: () => import("./init.ts"),
  },
};

/** aws-vault's short names. */
export const aliases: Record<string, string> = { rm: "remove", ls: "list" };
