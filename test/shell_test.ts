/**
 * End-to-end tests of the shell integration in real interactive zsh, bash and
 * fish, driven through tmux: completion, the prompt segment, the `vault`
 * function's handling of `use`/`unuse`, auto refresh, hooks, and the number of
 * processes a prompt costs.
 */
import assert from "node:assert/strict";
import { quote, type Shell, shells } from "../src/shell/quote.ts";
import { renderEnv } from "../src/shell/script.ts";
import { root } from "./_bin.ts";
import { removeDir } from "./_sandbox.ts";
import * as shared from "./_shells.ts";
import {
  complete,
  editing,
  fresh,
  now,
  type Options,
  PROMPT_LINE,
  run,
  type Session,
  sh,
} from "./_shells.ts";

/** Profiles: ordinary ones, hostile names, and sections that are not profiles. */
const CONFIG = `[default]
region = eu-west-1

[profile work]
region = us-east-1

[profile home]

[profile $(touch pwned)]
[profile \`touch pwned2\`]
[profile a'b]
[profile x;y]
[profile my team]

[sso-session corp]
sso_start_url = https://example.awsapps.com/start#/

[services local]
`;

/** The shared helpers, with this file's CONFIG as the config file. */
function startShell(shell: Shell, options: Options = {}) {
  return shared.startShell(shell, { config: CONFIG, ...options });
}
function withShell(shell: Shell, options: Options, fn: (s: Session) => Promise<void>) {
  return shared.withShell(shell, { config: CONFIG, ...options }, fn);
}

/** A stub `vault` for the function's own logic: logs its arguments, prints `out`, exits `code`. */
async function writeStub(dir: string, behaviour: { out?: string; code?: number; stderr?: string }) {
  await Deno.writeTextFile(`${dir}/stub.out`, behaviour.out ?? "");
  await Deno.writeTextFile(`${dir}/stub.err`, behaviour.stderr ?? "");
  await Deno.writeTextFile(`${dir}/stub.code`, String(behaviour.code ?? 0));
  const path = `${dir}/stub-vault`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh
d=${quote("bash", dir)}
{ printf 'shell=%s' "\${VAULT_SHELL-none}"; for a in "$@"; do printf ' [%s]' "$a"; done; echo; } >>"$d/stub.log"
cat "$d/stub.out"
cat "$d/stub.err" >&2
exit "$(cat "$d/stub.code")"
`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

async function stubLog(dir: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(`${dir}/stub.log`)).split("\n").filter((l) => l);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** Starts a shell whose integration is sourced from shell/ and runs a stub through VAULT_BIN. */
async function withStub(shell: Shell, options: Options, fn: (s: Session) => Promise<void>) {
  const stubDir = await Deno.makeTempDir({ prefix: "vault-stub-" });
  try {
    const bin = await writeStub(stubDir, {});
    await withShell(
      shell,
      { load: { mode: "source" }, ...options, env: { VAULT_BIN: bin, ...options.env } },
      (s) => fn({ ...s, dir: stubDir }),
    );
  } finally {
    await Deno.remove(stubDir, { recursive: true });
  }
}

for (const shell of shells) {
  Deno.test(`${shell}: completes commands, profiles, flags and their values`, async () => {
    await withShell(shell, {}, async (s) => {
      await complete(s, "vault use wo", editing("vault use work"));
      await complete(s, "vault use d", editing("vault use default"));
      await complete(s, "vault rot", editing("vault rotate"));
      await complete(s, "vault init f", editing("vault init fish"));
      await complete(s, "vault use --no-in", editing("vault use --no-input"));
      await complete(s, "vault remove --sess", editing("vault remove --sessions-only"));
      await complete(
        s,
        "vault export work --format export-",
        editing("vault export work --format export-env"),
      );
      await complete(
        s,
        "vault export work --format=js",
        editing("vault export work --format=json"),
      );
      await complete(s, "vault --prompt yk", editing("vault --prompt ykman"));
      await complete(
        s,
        "vault exec -d 1h --region eu-west-1 wo",
        editing("vault exec -d 1h --region eu-west-1 work"),
      );
      // After `--`, the wrapped command completes: its name, then its own arguments.
      await complete(s, "vault exec work -- whoam", editing("vault exec work -- whoami"));
    });
  });

  Deno.test(`${shell}: lists every profile of the config file and nothing else`, async () => {
    await withShell(shell, {}, async (s) => {
      const screen = await complete(
        s,
        "vault use ",
        /default[\s\S]*x\\?;y|x\\?;y[\s\S]*default/,
        2,
      );
      for (const name of ["work", "home", "default", "a\\\\?'b", "pwned\\\\?\\)", "pwned2"]) {
        assert.match(screen, new RegExp(name), `${name} listed`);
      }
      assert.doesNotMatch(screen, /corp|services|local/);
    });
  });

  Deno.test(`${shell}: hostile profile names complete quoted and run nothing`, async () => {
    await withShell(shell, {}, async (s) => {
      await complete(s, "vault use x", editing("vault use x\\;y"));
      await complete(s, "vault use a", editing("vault use a\\'b"));
      await complete(s, "vault use my", editing("vault use my\\ team"));
      await complete(s, "vault use \\$", /READY> vault use \\\$\\?\(touch\\? pwned\\?\) *$/m);
    });
  });

  Deno.test(`${shell}: completion reads ~/.aws/config when AWS_CONFIG_FILE is unset`, async () => {
    await withShell(shell, { before: sh.unset(shell, ["AWS_CONFIG_FILE"]) }, async (s) => {
      await Deno.mkdir(`${s.dir}/home/.aws`);
      await Deno.writeTextFile(`${s.dir}/home/.aws/config`, "[profile only-in-home]\n");
      await complete(s, "vault use only", editing("vault use only-in-home"));
    });
  });

  Deno.test(`${shell}: the prompt shows the profile and time left in three colours`, async () => {
    await withShell(shell, {}, async (s) => {
      assert.match(await run(s, "true", PROMPT_LINE), /<> READY>/, "nothing without a profile");
      const t = now();
      await run(
        s,
        sh.set(shell, { AWS_VAULT: "work", VAULT_EXPIRES_AT: String(t + 42 * 60 + 30) }),
        /<work 42m>/,
      );
      let screen = await s.term.capture({ escapes: true });
      assert.ok(screen.includes("\x1b[32mwork 42m"), "green while fine");

      await run(
        s,
        sh.set(shell, { VAULT_EXPIRES_AT: String(t + 3600 + 5 * 60 + 30) }),
        /<work 1h05m>/,
      );
      await run(s, sh.set(shell, { VAULT_EXPIRES_AT: String(t + 5 * 60 + 30) }), /<work 5m>/);
      screen = await s.term.capture({ escapes: true });
      assert.ok(screen.includes("\x1b[33mwork 5m"), "yellow under 10 minutes");

      await run(s, sh.set(shell, { VAULT_EXPIRES_AT: String(t - 60) }), /<work expired>/);
      screen = await s.term.capture({ escapes: true });
      assert.ok(screen.includes("\x1b[31mwork expired"), "red once expired");

      await run(s, sh.unset(shell, ["VAULT_EXPIRES_AT"]), /<work>/);
      await run(s, sh.unset(shell, ["AWS_VAULT"]), /^\[0\] <> READY>/m);
    });
  });

  Deno.test(`${shell}: the prompt prints hostile profile names as text`, async () => {
    await withShell(shell, {}, async (s) => {
      const expires = String(now() + 42 * 60 + 30);
      for (const name of ["$(touch pwned)", "`touch pwned2`", "a'b", "x;y", "50%d \\w {left}"]) {
        await run(
          s,
          sh.set(shell, { AWS_VAULT: name, VAULT_EXPIRES_AT: expires }),
          `<${name} 42m>`,
        );
      }
    });
  });

  Deno.test(`${shell}: theme variables and the warning threshold change the segment`, async () => {
    const theme = shell === "zsh" ? "ZSH_THEME_VAULT" : "VAULT_PROMPT";
    const after = sh.set(shell, {
      [`${theme}_OK_FORMAT`]: "aws:{profile}/{left}",
      [`${theme}_WARN_PREFIX`]: "(!)",
      [`${theme}_WARN_SUFFIX`]: "(/!)",
      [`${theme}_PREFIX`]: "{",
      [`${theme}_SUFFIX`]: "}",
    });
    await withShell(shell, { after }, async (s) => {
      const expires = String(now() + 42 * 60 + 30);
      await run(
        s,
        sh.set(shell, { AWS_VAULT: "work", VAULT_EXPIRES_AT: expires }),
        /<\{.*aws:work\/42m.*\}>/,
      );
      await run(
        s,
        sh.set(shell, { AWS_VAULT_PROMPT_WARN_MINUTES: "60" }),
        /<\{\(!\)work 42m\(\/!\)\}>/,
      );
    });
  });

  Deno.test(`${shell}: --cmd renames the function and its completion`, async () => {
    await withShell(shell, { load: { mode: "init", cmd: "av" } }, async (s) => {
      await complete(s, "av use wo", editing("av use work"));
      await run(s, "av --version", /^vault \d+\.\d+\.\d+/m);
      const check = shell === "zsh"
        ? "whence -w vault av"
        : shell === "bash"
        ? "type -t vault av; echo $'vault:\\x20none'"
        : "functions -q vault; or echo 'vault: none'; functions -q av; and echo 'av: function'";
      const screen = await run(s, check, /av: function|^function$/m);
      assert.match(screen, /vault: none/);
    });
  });

  Deno.test(`${shell}: loading the integration twice adds its hook once`, async () => {
    await withShell(shell, { load: { mode: "init", times: 2 } }, async (s) => {
      const show = shell === "zsh"
        ? `print -r -- "hooks=\${(j:,:)precmd_functions}"`
        : shell === "bash"
        ? `printf 'hooks=%s\\n' "$PROMPT_COMMAND"`
        : `printf 'hooks=%s\\n' (string join , (functions --handlers-type generic | string match -e vault))`;
      const screen = await run(s, show, /^hooks=.*$/m);
      const hooks = screen.match(/^hooks=(.*)$/m)![1];
      assert.equal(hooks.match(/__vault_(precmd|prompt_command|on_prompt)\b/g)?.length, 1, hooks);
      await run(s, "vault --version", /^vault \d/m);
    });
  });

  Deno.test(`${shell}: use evals the program's output only when it succeeded`, async () => {
    await withStub(shell, {}, async (s) => {
      const hostile = "a'b!!$(touch pwned)`touch pwned2`\nline2 \\ %d";
      await writeStub(s.dir, {
        out: renderEnv(shell, {
          set: [["AWS_VAULT", "work"], ["HOSTILE", hostile]],
          unset: ["AWS_PROFILE"],
        }),
      });
      await run(s, sh.set(shell, { AWS_PROFILE: "old" }), PROMPT_LINE);
      await run(s, "vault use work", /<work>/);
      await run(s, sh.show(shell, "HOSTILE"), `HOSTILE=[${hostile}]`);
      await run(s, sh.show(shell, "AWS_PROFILE"), "AWS_PROFILE=<unset>");
      assert.deepEqual(await stubLog(s.dir), [`shell=${shell} [use] [work]`]);

      // A failure after some output: nothing of it is evaled, the status comes back.
      const partial = renderEnv(shell, {
        set: [["PARTIAL", "1"], ["AWS_VAULT", "home"]],
        unset: [],
      });
      await writeStub(s.dir, { out: partial, code: 1, stderr: "vault: boom\n" });
      await run(s, "vault --debug use home", /vault: boom/);
      await run(s, sh.status(shell), /^rc=1$/m);
      await run(s, sh.show(shell, "PARTIAL"), "PARTIAL=<unset>");
      await run(s, sh.show(shell, "AWS_VAULT"), "AWS_VAULT=[work]");

      // Help is shown, not evaled; other commands run the program as they are.
      await writeStub(s.dir, { out: "usage: vault use [flags] [profile]\n" });
      await run(s, "vault use --help", /^usage: vault use/m);
      await run(s, "vault list --profiles", /^\[\d+\] <work> READY>/m);
      const log = await stubLog(s.dir);
      assert.deepEqual(log.slice(1), [
        `shell=${shell} [--debug] [use] [home]`,
        "shell=none [use] [--help]",
        "shell=none [list] [--profiles]",
      ]);

      await writeStub(s.dir, {
        out: renderEnv(shell, { set: [], unset: ["AWS_VAULT", "HOSTILE"] }),
      });
      await run(s, "vault unuse", /^\[0\] <> READY>/m);
      await run(s, sh.show(shell, "HOSTILE"), "HOSTILE=<unset>");
    });
  });

  Deno.test(`${shell}: auto refresh renews due credentials before the prompt`, async () => {
    await withStub(shell, { env: { AWS_VAULT_AUTO_REFRESH: "1" } }, async (s) => {
      const t = now();
      await writeStub(s.dir, {
        out: renderEnv(shell, {
          set: [["VAULT_EXPIRES_AT", String(t + 3600 + 300)], [
            "VAULT_REFRESH_AT",
            String(t + 3600),
          ], [
            "REFRESHED",
            "yes",
          ]],
          unset: [],
        }),
      });
      await run(
        s,
        sh.set(shell, {
          AWS_VAULT: "work",
          VAULT_EXPIRES_AT: String(t + 200),
          VAULT_REFRESH_AT: String(t - 1),
        }),
        /<work 1h0[45]m>/,
      );
      await run(s, sh.show(shell, "REFRESHED"), "REFRESHED=[yes]");
      assert.deepEqual(await stubLog(s.dir), [`shell=${shell} [use] [--no-input] [--] [work]`]);
    });
  });

  for (
    const [code, message] of [[3, /needs an MFA code or passphrase: run 'vault use work'/], [
      1,
      /could not renew the credentials of work: run 'vault use work' to see why/,
    ]] as const
  ) {
    Deno.test(`${shell}: auto refresh that exits ${code} says so once and does not retry`, async () => {
      await withStub(shell, { env: { AWS_VAULT_AUTO_REFRESH: "1" } }, async (s) => {
        await writeStub(s.dir, { code, stderr: "vault: detail\n" });
        const t = now();
        await fresh(s);
        await s.term.run(
          sh.set(shell, {
            AWS_VAULT: "work",
            VAULT_EXPIRES_AT: String(t + 200),
            VAULT_REFRESH_AT: String(t - 1),
          }),
        );
        await s.term.run("true");
        await s.term.run("true");
        await s.term.run("echo DONE''MARK");
        const screen = await s.term.waitFor(/^DONEMARK$/m);
        assert.equal(screen.match(new RegExp(message.source, "g"))?.length, 1, screen);
        assert.doesNotMatch(screen, /vault: detail/);
        assert.equal((await stubLog(s.dir)).length, 1);
      });
    });
  }

  Deno.test(`${shell}: auto refresh is off unless AWS_VAULT_AUTO_REFRESH=1`, async () => {
    await withStub(shell, {}, async (s) => {
      const t = now();
      await run(
        s,
        sh.set(shell, {
          AWS_VAULT: "work",
          VAULT_EXPIRES_AT: String(t + 200),
          VAULT_REFRESH_AT: String(t - 1),
        }),
        /<work 3m>/,
      );
      await run(s, "true", /<work 3m>/);
      assert.deepEqual(await stubLog(s.dir), []);
    });
  });

  Deno.test(`${shell}: rendering the prompt starts ${shell === "fish" ? "at most one process" : "no process"}`, async () => {
    const count = async (renders: number) => {
      const dir = await Deno.makeTempDir();
      const log = `${dir}/strace.log`;
      try {
        const env = { AWS_VAULT: "work", VAULT_EXPIRES_AT: String(now() + 3000) };
        const s = await startShell(shell, { strace: log, env });
        try {
          await s.term.keys(...Array(renders).fill("Enter"));
          await s.term.run("echo DONE''MARK");
          await s.term.waitFor(/^DONEMARK$/m, { timeoutMs: 30_000 });
          await s.term.run("exit");
          await s.term.waitForExit();
        } finally {
          await s.term.kill();
          await removeDir(s.dir);
        }
        const lines = (await Deno.readTextFile(log)).split("\n");
        return lines.filter((l) =>
          /^\d+ +(clone3?|v?fork)\(/.test(l) && !l.includes("CLONE_THREAD")
        ).length;
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    };
    const base = await count(0);
    const extra = (await count(100)) - base;
    if (shell === "fish") assert.ok(extra <= 100, `${extra} processes for 100 prompts`);
    else assert.equal(extra, 0, `${extra} processes for 100 prompts`);
  });
}

Deno.test("bash: $? survives the prompt hook, for PS1 and for later PROMPT_COMMAND entries", async () => {
  await withShell("bash", { before: "PROMPT_COMMAND='__last=$?'" }, async (s) => {
    await run(s, "(exit 7)", /^\[7\] <> READY>/m);
    await run(s, "false", /^\[1\] <> READY>/m);
    await run(s, "(exit 5)", PROMPT_LINE);
    await run(s, `printf 'last=%s\\n' "$__last"`, /^last=5$/m);
  });
});

Deno.test("bash: completion works without bash-completion", async () => {
  await withShell("bash", { bashCompletion: false }, async (s) => {
    await complete(s, "vault use wo", editing("vault use work"));
    await complete(s, "vault exec work -- whoam", editing("vault exec work -- whoami"));
    await complete(s, "vault --backend=f", editing("vault --backend=file"));
  });
});

Deno.test("bash: the wrapped command's own completion runs with bash-completion", async () => {
  await withShell("bash", {}, async (s) => {
    await complete(s, "vault exec work -- ls --colo", editing("vault exec work -- ls --color"));
  });
});

Deno.test("zsh: the wrapped command's own completion runs after --", async () => {
  await withShell("zsh", {}, async (s) => {
    await complete(s, "vault exec work -- ls --colo", editing("vault exec work -- ls --color="));
    await complete(s, "vault ", /use +-- export a profile's credentials into this shell/);
  });
});

Deno.test("fish: the wrapped command's own completion runs after --", async () => {
  await withShell("fish", {}, async (s) => {
    await complete(s, "vault exec work -- ls --colo", editing("vault exec work -- ls --color"));
  });
});

Deno.test("zsh: completion works when compinit runs after the integration", async () => {
  await withShell("zsh", { compinitLate: true }, async (s) => {
    await complete(s, "vault use wo", editing("vault use work"));
  });
});

Deno.test("zsh: the oh-my-zsh plugin gives the function, completion and RPROMPT", async () => {
  const custom = await Deno.makeTempDir();
  await Deno.mkdir(`${custom}/plugins`);
  await Deno.symlink(`${root}/shell/oh-my-zsh/vault`, `${custom}/plugins/vault`);
  const stubDir = await Deno.makeTempDir();
  try {
    const bin = await writeStub(stubDir, {
      out: renderEnv("zsh", { set: [["AWS_VAULT", "home"]], unset: [] }),
    });
    const env = { ZSH_CUSTOM: custom, VAULT_BIN: bin };
    await withShell("zsh", { load: { mode: "oh-my-zsh" }, env }, async (s) => {
      await complete(s, "vault use wo", editing("vault use work"));
      await run(
        s,
        sh.set("zsh", { AWS_VAULT: "work", VAULT_EXPIRES_AT: String(now() + 42 * 60 + 30) }),
        /READY> +work 42m$/m,
      );
      await run(s, "vault use home", /READY> +home 4[12]m$/m);
    });
    await withShell("zsh", {
      load: { mode: "oh-my-zsh" },
      env: { ...env, SHOW_VAULT_PROMPT: "false" },
    }, async (s) => {
      await run(s, `print -r -- "rprompt=[$RPROMPT]"`, /^rprompt=\[\]$/m);
    });
  } finally {
    await Deno.remove(custom, { recursive: true });
    await Deno.remove(stubDir, { recursive: true });
  }
});

Deno.test("bash: interactive eval keeps `!` literal (history expansion does not reach eval)", async () => {
  await withStub("bash", {}, async (s) => {
    await writeStub(s.dir, {
      out: renderEnv("bash", { set: [["BANG", "!! !$ !-1 a!b"]], unset: [] }),
    });
    await run(s, "true", PROMPT_LINE);
    await run(s, "vault use work", PROMPT_LINE);
    await run(s, sh.show("bash", "BANG"), `BANG=[!! !$ !-1 a!b]`);
  });
});
