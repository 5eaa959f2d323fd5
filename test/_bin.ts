/**
 * The `vault` executable the end-to-end tests run: the installed launcher named
 * by VAULT_TEST_BIN (test/run.sh builds and installs one), else a launcher
 * script that runs src/main.ts with the current Deno.
 */
let cached: string | undefined;

const repoRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Absolute path of an executable `vault` for tests. */
export function vaultBin(): string {
  if (cached) return cached;
  const fromEnv = Deno.env.get("VAULT_TEST_BIN");
  if (fromEnv) return (cached = fromEnv);
  const dir = Deno.makeTempDirSync({ prefix: "vault-bin-" });
  const path = `${dir}/vault`;
  // Tests give vault a fresh HOME; keep Deno's cache where it is so nothing is fetched again.
  const denoDir = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  Deno.writeTextFileSync(
    path,
    `#!/bin/sh\nDENO_DIR=${q(denoDir)} VAULT_EXE=${q(path)} exec ${
      q(Deno.execPath())
    } run --allow-all --quiet ` +
      `--config ${q(repoRoot + "/deno.json")} ${q(repoRoot + "/src/main.ts")} "$@"\n`,
  );
  Deno.chmodSync(path, 0o755);
  return (cached = path);
}

/** The repository's root directory. */
export const root = repoRoot;
