/**
 * The prompts are driven in a real terminal (tmux) with stdin and stdout of
 * the prompting process redirected, as in `eval "$(vault ...)"`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Tmux } from "../../test/tmux.ts";

const TTY_MODULE = new URL("./tty.ts", import.meta.url).href;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

interface Outcome {
  /** What the prompt returned, or the error it threw (name and message). */
  result?: { value?: unknown; error?: string; message?: string };
  exitCode: number;
  stdout: string;
  /** The terminal screen after the prompt finished. */
  screen: string;
  /** Terminal settings (`stty -g`) before and after the run. */
  sttyBefore: string;
  sttyAfter: string;
}

const readIfExists = (path: string) => Deno.readTextFile(path).catch(() => undefined);

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const text = await readIfExists(path);
    if (text !== undefined) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${path}`);
}

/** A script that calls `call` (an expression using tty.ts's exports) and saves the outcome to argv[0]. */
async function writeScript(dir: string, call: string): Promise<string> {
  const path = join(dir, "ask.ts");
  await Deno.writeTextFile(
    path,
    `import * as tty from ${JSON.stringify(TTY_MODULE)};
const out = Deno.args[0];
try {
  const value = await (${call});
  await Deno.writeTextFile(out, JSON.stringify({ value }));
} catch (e) {
  await Deno.writeTextFile(out, JSON.stringify({ error: e.name, message: e.message }));
}
`,
  );
  return path;
}

/** What the user does: text typed literally, or a key pressed by tmux name (`Enter`, `C-c`). */
type Step = { text: string } | string;
const typed = (text: string): Step => ({ text });

/**
 * Runs `call` in a fresh terminal, waits until `waitText` is on the screen,
 * performs `steps` and collects the outcome.
 */
async function inTerminal(call: string, waitText: string, steps: Step[]): Promise<Outcome> {
  const dir = await Deno.makeTempDir();
  const env: Record<string, string> = { HOME: Deno.env.get("HOME") ?? dir };
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir) env.DENO_DIR = denoDir;
  await using term = await Tmux.start({ command: ["bash", "--norc", "--noprofile"], env });
  try {
    const script = await writeScript(dir, call);
    const f = (name: string) => join(dir, name);
    await term.run(
      `stty -g > ${f("before")}; ${Deno.execPath()} run -A --config ${CONFIG} ` +
        `${script} ${f("result")} < /dev/null > ${f("stdout")} 2> ${f("stderr")}; ` +
        `echo $? > ${f("rc.tmp")}; stty -g > ${f("after")}; mv ${f("rc.tmp")} ${f("rc")}`,
    );
    await term.waitFor(waitText, { timeoutMs: 30_000 });
    for (const step of steps) {
      await (typeof step === "string" ? term.keys(step) : term.type(step.text));
    }
    const rc = await waitForFile(f("rc"));
    const result = await readIfExists(f("result"));
    return {
      result: result ? JSON.parse(result) : undefined,
      exitCode: Number(rc.trim()),
      stdout: await Deno.readTextFile(f("stdout")),
      screen: await term.capture({ history: true }),
      sttyBefore: await Deno.readTextFile(f("before")),
      sttyAfter: await Deno.readTextFile(f("after")),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("promptHidden reads a secret on the terminal without echoing it; backspace edits", async () => {
  const o = await inTerminal(
    'tty.promptHidden("Enter Secret Access Key: ")',
    "Enter Secret Access Key",
    [typed("zq8Wsecrett"), "BSpace", typed("!"), "Enter"],
  );
  assert.deepEqual(o.result, { value: "zq8Wsecret!" });
  assert.equal(o.exitCode, 0);
  assert.ok(!o.screen.includes("zq8W"), `the secret was shown:\n${o.screen}`);
  assert.equal(o.stdout, "");
  assert.equal(o.sttyAfter, o.sttyBefore);
});

Deno.test("Ctrl-C at a hidden prompt restores the terminal and exits with 130, stdout empty", async () => {
  const o = await inTerminal(
    'tty.promptHidden("Enter passphrase: ")',
    "Enter passphrase",
    [typed("abc"), "C-c"],
  );
  assert.equal(o.exitCode, 130);
  assert.equal(o.result, undefined);
  assert.equal(o.stdout, "");
  assert.equal(o.sttyAfter, o.sttyBefore);
});

Deno.test("Ctrl-D at a hidden prompt is a user error", async () => {
  const o = await inTerminal(
    'tty.promptHidden("Enter passphrase: ")',
    "Enter passphrase",
    [typed("ab"), "C-d"],
  );
  assert.equal(o.result?.error, "UserError");
  assert.match(o.result?.message ?? "", /no answer to "Enter passphrase".*input ended/);
  assert.equal(o.sttyAfter, o.sttyBefore);
});

Deno.test("promptLine echoes and returns the line", async () => {
  const o = await inTerminal(
    'tty.promptLine("Enter Access Key ID: ")',
    "Enter Access Key ID:",
    [typed("AKIAEXAMPLEX"), "BSpace", "Enter"],
  );
  assert.deepEqual(o.result, { value: "AKIAEXAMPLE" });
  assert.match(o.screen, /Enter Access Key ID: AKIAEXAMPLE/);
  assert.equal(o.stdout, "");
  assert.equal(o.sttyAfter, o.sttyBefore);
});

Deno.test("Ctrl-C at a line prompt exits with 130", async () => {
  const o = await inTerminal('tty.promptLine("Name: ")', "Name:", [typed("x"), "C-c"]);
  assert.equal(o.exitCode, 130);
  assert.equal(o.stdout, "");
  assert.equal(o.sttyAfter, o.sttyBefore);
});

Deno.test("confirm is true only for y or yes", async () => {
  const question = 'Delete credentials for profile "p"? (y|N) ';
  for (
    const [answer, expected] of [["YES", true], ["y", true], ["n", false], ["", false]] as const
  ) {
    const steps = answer ? [typed(answer), "Enter"] : ["Enter"];
    const o = await inTerminal(`tty.confirm(${JSON.stringify(question)})`, "(y|N)", steps);
    assert.deepEqual(o.result, { value: expected }, `answer ${JSON.stringify(answer)}`);
  }
});

Deno.test("without a terminal, prompts fail with a user error naming the question and the hint", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = await writeScript(
      dir,
      'tty.hasTerminal() ? "has terminal" : tty.promptHidden("Enter passphrase to unlock \\"/v\\": ", "set AWS_VAULT_FILE_PASSPHRASE")',
    );
    const result = join(dir, "result");
    // setsid: a new session has no controlling terminal, as under CI or cron.
    const run = await new Deno.Command("setsid", {
      args: ["-w", Deno.execPath(), "run", "-A", "--config", CONFIG, script, result],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    const outcome = JSON.parse(await Deno.readTextFile(result));
    assert.equal(outcome.error, "UserError");
    assert.equal(
      outcome.message,
      'cannot ask "Enter passphrase to unlock "/v"" without a terminal: set AWS_VAULT_FILE_PASSPHRASE',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
