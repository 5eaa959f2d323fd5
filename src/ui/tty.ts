/**
 * Questions asked on the controlling terminal (`/dev/tty`), so they work when
 * stdin and stdout are redirected (e.g. `eval "$(vault export ...)"`).
 * Callers import this module lazily; its own heavy dependency (the prompt
 * library) is loaded only when a hidden answer is asked for.
 */
import type { ReadStream, WriteStream } from "node:tty";
import { UserError } from "../errors.ts";

const TTY = "/dev/tty";

/** True when the process has a controlling terminal to ask questions on. */
export function hasTerminal(): boolean {
  try {
    Deno.openSync(TTY, { read: true, write: true }).close();
    return true;
  } catch {
    return false;
  }
}

/** Streams over the controlling terminal. */
export interface Terminal {
  input: ReadStream;
  output: WriteStream;
}

/** Opens the controlling terminal for reading and writing, or undefined when there is none. */
export async function openTerminal(): Promise<Terminal | undefined> {
  const [{ closeSync, openSync }, tty] = await Promise.all([import("node:fs"), import("node:tty")]);
  const fds: number[] = [];
  try {
    fds.push(openSync(TTY, "r"), openSync(TTY, "w"));
  } catch {
    fds.forEach((fd) => closeSync(fd));
    return undefined;
  }
  return { input: new tty.ReadStream(fds[0]), output: new tty.WriteStream(fds[1]) };
}

/** Leaves raw mode and closes the terminal's streams (and so its file descriptors). */
export function closeTerminal(term: Terminal): void {
  term.input.setRawMode(false);
  term.input.destroy();
  term.output.destroy();
}

/** Ctrl-C: the process ends with 130 once the terminal mode is restored. */
class Interrupted extends Error {}

const questionText = (question: string) => question.trim().replace(/:$/, "");

function endedError(question: string): UserError {
  return new UserError(`no answer to "${questionText(question)}": the input ended (Ctrl-D)`);
}

/**
 * Runs `ask` with streams over the controlling terminal, restores the terminal
 * and closes it afterwards; exits with 130 when the user pressed Ctrl-C.
 */
async function onTerminal<T>(
  question: string,
  hint: string | undefined,
  ask: (term: Terminal) => Promise<T>,
): Promise<T> {
  const term = await openTerminal();
  if (!term) {
    throw new UserError(
      `cannot ask "${questionText(question)}" without a terminal: ${
        hint ?? "run vault from a terminal"
      }`,
    );
  }
  let interrupted = false;
  try {
    return await ask(term);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    interrupted = true;
    throw error;
  } finally {
    closeTerminal(term);
    if (interrupted) Deno.exit(130);
  }
}

/**
 * Asks for a secret without echoing it (backspace edits). Ctrl-C restores the
 * terminal and exits with 130; Ctrl-D gives a UserError. Without a terminal,
 * a UserError says what was asked and `hint` (how to give it otherwise).
 */
export function promptHidden(question: string, hint?: string): Promise<string> {
  return onTerminal(question, hint, async ({ input, output }) => {
    const { default: password } = await import("@inquirer/password");
    // The library ignores Ctrl-D and would wait forever; treat it (and a hang-up) as end of input.
    const ended = new AbortController();
    const onKey = (_: unknown, key?: { ctrl?: boolean; name?: string }) => {
      if (key?.ctrl && key.name === "d") ended.abort();
    };
    const onEnd = () => ended.abort();
    input.on("keypress", onKey);
    input.on("end", onEnd);
    try {
      // toggleMask off: a secret must never be shown, not even on request.
      return await password(
        { message: question.trimEnd(), toggleMask: false },
        { input, output, signal: ended.signal },
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : "";
      if (name === "ExitPromptError") throw new Interrupted();
      if (name === "AbortPromptError") throw endedError(question);
      throw error;
    } finally {
      input.off("keypress", onKey);
      input.off("end", onEnd);
    }
  });
}

/** Asks for one line of visible text. Ctrl-C exits with 130; Ctrl-D on an empty line is a UserError. */
export function promptLine(question: string, hint?: string): Promise<string> {
  return onTerminal(question, hint, async ({ input, output }) => {
    const { createInterface } = await import("node:readline");
    const rl = createInterface({ input, output, terminal: true });
    try {
      return await new Promise<string>((resolve, reject) => {
        rl.on("SIGINT", () => {
          output.write("\n");
          reject(new Interrupted());
        });
        rl.on("close", () => reject(endedError(question)));
        rl.question(question, resolve);
      });
    } finally {
      rl.close();
    }
  });
}

/** Asks a yes/no question: `y` or `yes` (any case) is true, anything else false. */
export async function confirm(question: string, hint?: string): Promise<boolean> {
  return /^y(es)?$/i.test((await promptLine(question, hint)).trim());
}
