import assert from "node:assert/strict";
import { RECENT_LIMIT, recentPath, recentProfiles, recordUse } from "./recent.ts";

async function withState(fn: (env: Record<string, string>, dir: string) => void | Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "vault-recent-" });
  try {
    await fn({ HOME: `${dir}/home`, XDG_STATE_HOME: `${dir}/state` }, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("recentProfiles is empty before anything is recorded", async () => {
  await withState((env) => {
    assert.deepEqual(recentProfiles(env), []);
  });
});

Deno.test("recordUse puts the latest profile first, once", async () => {
  await withState(async (env) => {
    for (const name of ["work", "home", "prod", "work"]) assert.ok(await recordUse(env, name));
    assert.deepEqual(recentProfiles(env), ["work", "prod", "home"]);
  });
});

Deno.test("the list lives in $XDG_STATE_HOME/vault/recent, private to the user", async () => {
  await withState(async (env, dir) => {
    await recordUse(env, "work");
    assert.equal(recentPath(env), `${dir}/state/vault/recent`);
    assert.equal(await Deno.readTextFile(`${dir}/state/vault/recent`), "work\n");
    assert.equal((await Deno.stat(`${dir}/state/vault/recent`)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/state/vault`)).mode! & 0o777, 0o700);
  });
});

Deno.test("without XDG_STATE_HOME (or with a relative one) the list is under ~/.local/state", async () => {
  await withState(async (env, dir) => {
    const home = env.HOME;
    assert.equal(recentPath({ HOME: home }), `${home}/.local/state/vault/recent`);
    assert.equal(
      recentPath({ HOME: home, XDG_STATE_HOME: "rel/state" }),
      `${home}/.local/state/vault/recent`,
    );
    await recordUse({ HOME: home }, "home");
    assert.deepEqual(recentProfiles({ HOME: home }), ["home"]);
    assert.ok((await Deno.stat(`${dir}/home/.local/state/vault/recent`)).isFile);
  });
});

Deno.test("the list keeps the most recent names only", async () => {
  await withState(async (env) => {
    for (let i = 0; i < RECENT_LIMIT + 5; i++) await recordUse(env, `p${i}`);
    const names = recentProfiles(env);
    assert.equal(names.length, RECENT_LIMIT);
    assert.equal(names[0], `p${RECENT_LIMIT + 4}`);
    assert.ok(!names.includes("p0"));
  });
});

Deno.test("names that cannot be one line are not recorded, odd ones are kept as they are", async () => {
  await withState(async (env) => {
    await recordUse(env, "two\nlines");
    await recordUse(env, "");
    await recordUse(env, "$(touch pwned) a'b");
    assert.deepEqual(recentProfiles(env), ["$(touch pwned) a'b"]);
  });
});

Deno.test("a state directory that cannot be written does not make recordUse fail", async () => {
  await withState(async (env, dir) => {
    await Deno.writeTextFile(`${dir}/state`, "a file where the directory should be");
    assert.equal(await recordUse(env, "work"), false);
    assert.deepEqual(recentProfiles(env), []);
    assert.equal(await recordUse({}, "work"), false, "no HOME");
  });
});
