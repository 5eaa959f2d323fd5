/**
 * An error the user caused or can fix. `main` prints its message as one line
 * (`vault: <message>`) and exits with `exitCode`; nothing else is printed.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = "UserError";
  }
}
