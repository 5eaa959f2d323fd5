/**
 * An error the user caused or can fix. `main` prints its message as one line
 * (`vault: <message>`) and exits with `exitCode`; nothing else is printed.
 */
/** Exit code when a value had to be asked for but asking was not allowed (`use --no-input`). */
export const NEEDS_INPUT_EXIT = 3;

export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = "UserError";
  }
}
