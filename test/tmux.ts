/**
 * Drives an interactive program (a shell, usually) inside a private tmux server,
 * for tests that need a terminal: completion, prompts, questions on /dev/tty.
 *
 *   await using term = await Tmux.start({ command: ["bash", "--rcfile", rc, "-i"], env });
 *   await term.waitFor(/READY> $/m);
 *   await term.type("vault use wo");
 *   await term.keys("Tab");
 *   await term.waitFor("vault use work");
 *
 * Every wait has a timeout, and `kill` (or leaving an `await using` block) ends the
 * server and everything in it.
 */

/** How to start the program. */
export interface TmuxOptions {
  /** Program and arguments, run directly (no shell in between). */
  command: string[];
  /**
   * The program's whole environment: nothing else is inherited, so tests do not
   * depend on the developer's shell. TERM defaults to `screen` and PATH to the
   * test process's PATH.
   */
  env?: Record<string, string>;
  /** Working directory (default: the test process's). */
  cwd?: string;
  /** Terminal size (default 120x40). */
  width?: number;
  height?: number;
}

/** Options of `capture` and `waitFor`. */
export interface CaptureOptions {
  /** Keep colour escape sequences (tmux `capture-pane -e`). */
  escapes?: boolean;
  /** Include lines scrolled out of view. */
  history?: boolean;
}

let counter = 0;

/** Runs a tmux command against `socket`; throws when it fails unless `check` is false. */
async function tmux(socket: string, args: string[], check = true) {
  const out = await new Deno.Command("tmux", {
    args: ["-L", socket, "-f", "/dev/null", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const result = {
    ok: out.success,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr).trim(),
  };
  if (check && !result.ok) throw new Error(`tmux ${args[0]} failed: ${result.stderr}`);
  return result;
}

/** A program running in its own tmux server. */
export class Tmux {
  private constructor(readonly socket: string) {}

  /** Starts `options.command` in a new private tmux server. */
  static async start(options: TmuxOptions): Promise<Tmux> {
    const socket = `vault-test-${Deno.pid}-${++counter}-${crypto.randomUUID().slice(0, 8)}`;
    const env = { TERM: "screen", PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...options.env };
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const term = new Tmux(socket);
    await tmux(socket, [
      "new-session",
      "-d",
      "-x",
      String(options.width ?? 120),
      "-y",
      String(options.height ?? 40),
      ...(options.cwd ? ["-c", options.cwd] : []),
      "--",
      "env",
      "-i",
      ...assignments,
      ...options.command,
    ]);
    return term;
  }

  /** Types `text` literally (no key names). */
  async type(text: string): Promise<void> {
    await tmux(this.socket, ["send-keys", "-t", "0", "-l", "--", text]);
  }

  /** Presses keys by tmux name: `Enter`, `Tab`, `C-c`, `Escape`, `Up`... */
  async keys(...names: string[]): Promise<void> {
    await tmux(this.socket, ["send-keys", "-t", "0", ...names]);
  }

  /** Types `line` and presses Enter. */
  async run(line: string): Promise<void> {
    await this.type(line);
    await this.keys("Enter");
  }

  /** The pane's text now, lines joined where the terminal wrapped them. */
  async capture(options: CaptureOptions = {}): Promise<string> {
    const args = ["capture-pane", "-p", "-J", "-t", "0"];
    if (options.escapes) args.push("-e");
    if (options.history) args.push("-S", "-");
    return (await tmux(this.socket, args)).stdout;
  }

  /**
   * Waits until the pane matches `pattern` (a RegExp, text to find, or a test of the
   * whole screen) and returns the pane's text; throws with the last screen after
   * `timeoutMs` (default 10 s).
   */
  async waitFor(
    pattern: RegExp | string | ((screen: string) => boolean),
    options: CaptureOptions & { timeoutMs?: number } = {},
  ): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    const matches = typeof pattern === "function"
      ? pattern
      : typeof pattern === "string"
      ? (s: string) => s.includes(pattern)
      : (s: string) => pattern.test(s);
    let screen = "";
    while (Date.now() < deadline) {
      try {
        screen = await this.capture(options);
      } catch (error) {
        throw new Error(
          `${(error as Error).message} (waiting for ${pattern}); last screen:\n${screen}`,
        );
      }
      if (matches(screen)) return screen;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
  }

  /** Waits until the program has exited (its session ends); throws after `timeoutMs` (default 10 s). */
  async waitForExit(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await tmux(this.socket, ["has-session"], false)).ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for the program to exit; screen:\n${await this.capture()}`);
  }

  /** Ends the tmux server and everything running in it. Safe to call twice. */
  async kill(): Promise<void> {
    await tmux(this.socket, ["kill-server"], false);
    // tmux leaves its socket file behind.
    const dir = `${Deno.env.get("TMUX_TMPDIR") ?? "/tmp"}/tmux-${Deno.uid()}`;
    await Deno.remove(`${dir}/${this.socket}`).catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill();
  }
}
