/** Running the user's helper commands (credential_process, mfa_process, prompt drivers). */
import { UserError } from "../errors.ts";

/**
 * Runs `command` with `/bin/sh -c`, stdin and stderr on the user's terminal (or
 * whatever vault has), and returns its stdout. A failure names `what`.
 */
export async function runForOutput(what: string, argv: string[]): Promise<string> {
  let output;
  try {
    output = await new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: "inherit",
      stdout: "piped",
      stderr: "inherit",
    }).output();
  } catch (e) {
    throw new UserError(`${what}: cannot run ${argv[0]}: ${(e as Error).message}`);
  }
  if (!output.success) {
    throw new UserError(`${what} failed with exit code ${output.code}: see its messages above`);
  }
  return new TextDecoder().decode(output.stdout);
}

/** Runs a shell command line as aws-vault does (`/bin/sh -c`). */
export function runShell(what: string, command: string): Promise<string> {
  return runForOutput(what, ["/bin/sh", "-c", command]);
}
