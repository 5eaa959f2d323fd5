import assert from "node:assert/strict";
import { Tmux } from "../../test/tmux.ts";
import { activeLabel, orderProfiles } from "./picker.ts";

Deno.test("recently used profiles come first, most recent first, then the rest in order", () => {
  const names = ["work", "home", "prod-eu", "prod-us"];
  assert.deepEqual(orderProfiles(names, ["prod-us", "deleted", "home"]), [
    "prod-us",
    "home",
    "work",
    "prod-eu",
  ]);
  assert.deepEqual(orderProfiles(names, []), names);
});

Deno.test("a search term keeps the names containing it, ignoring case", () => {
  const names = ["work", "Prod-EU", "prod-us", "home"];
  assert.deepEqual(orderProfiles(names, ["prod-us"], "PROD"), ["prod-us", "Prod-EU"]);
  assert.deepEqual(orderProfiles(names, [], "nothing"), []);
});

/** Runs pickProfile in a terminal; `keys` are typed once the list shows; returns what it printed. */
async function pick(keys: (term: Tmux) => Promise<void>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "vault-picker-" });
  const picker = new URL("./picker.ts", import.meta.url).href;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  await Deno.writeTextFile(
    `${dir}/pick.ts`,
    `import { pickProfile } from ${JSON.stringify(picker)};
try {
  console.log("PICKED=" + await pickProfile(["work", "home", "prod-eu", "prod-us", "$(touch pwned)"], ["prod-us"]));
} catch (e) {
  console.log("ERROR=" + e.message + " code=" + e.exitCode);
}
`,
  );
  const env: Record<string, string> = { HOME: Deno.env.get("HOME") ?? dir };
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir) env.DENO_DIR = denoDir;
  const term = await Tmux.start({
    command: [
      "sh",
      "-c",
      `"$0" run -A --quiet --config "$1" "$2/pick.ts" >"$2/out"; echo "EXIT=$?"; sleep 60`,
      Deno.execPath(),
      config,
      dir,
    ],
    env,
    cwd: dir,
  });
  try {
    await term.waitFor(/❯ prod-us/, { timeoutMs: 30_000 });
    await keys(term);
    await term.waitFor(/^EXIT=\d+/m, { timeoutMs: 30_000 });
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["out", "pick.ts"]);
    return await Deno.readTextFile(`${dir}/out`);
  } finally {
    await term.kill();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the picker searches and picks on the terminal, printing nothing else to stdout", async () => {
  const out = await pick(async (term) => {
    await term.type("prod");
    await term.waitFor(/❯ prod-us\s+prod-eu\s/);
    await term.keys("Down", "Enter");
  });
  assert.equal(out, "PICKED=prod-eu\n");
});

for (const key of ["Escape", "C-c"]) {
  Deno.test(`${key} in the picker means no profile chosen (exit 130)`, async () => {
    const out = await pick((term) => term.keys(key));
    assert.equal(out, "ERROR=no profile chosen code=130\n");
  });
}

Deno.test("the profile in use is marked with its time left", () => {
  const now = Date.UTC(2026, 10, 21, 12, 0);
  assert.equal(activeLabel(now / 1000 + 42 * 60 + 30, now), "(in use, 42m left)");
  assert.equal(activeLabel(now / 1000 - 5, now), "(in use, expired)");
  assert.equal(activeLabel(undefined, now), "(in use)");
});
