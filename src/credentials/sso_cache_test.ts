import assert from "node:assert/strict";
import type { SsoSettings } from "../config/types.ts";
import { cliCacheFileNames, parseCliCacheFile, readCliToken } from "./sso_cache.ts";

const START_URL = "https://my-sso-portal.awsapps.com/start";
const legacy: SsoSettings = {
  startUrl: START_URL,
  region: "eu-west-1",
  accountId: "123456789012",
  roleName: "Admin",
  registrationScopes: [],
};
const session: SsoSettings = { ...legacy, sessionName: "my-sso" };
const now = new Date("2025-03-01T12:00:00Z");

// Names as `echo -n KEY | sha1sum` gives them, which is what the AWS CLI uses.
const BY_URL = "c7aaaf71fcc8777ae2475525ed049d39fe16c484.json";
const BY_SESSION = "0ad374308c5a4e22f723adf10145eafad7c4031c.json";

Deno.test("the CLI cache file is named by the sso-session name, or by the start URL", async () => {
  assert.deepEqual(await cliCacheFileNames(legacy), [BY_URL]);
  assert.deepEqual(await cliCacheFileNames(session), [BY_SESSION, BY_URL]);
});

function file(fields: Record<string, unknown>): string {
  return JSON.stringify({
    startUrl: START_URL,
    region: "eu-west-1",
    accessToken: "aoa-token",
    expiresAt: "2025-03-01T20:00:00Z",
    ...fields,
  });
}

Deno.test("a current token for the same start URL is used", () => {
  assert.deepEqual(parseCliCacheFile(file({}), legacy, now), {
    accessToken: "aoa-token",
    expiresAt: new Date("2025-03-01T20:00:00Z"),
  });
});

Deno.test("older CLI versions' `UTC` suffix is understood", () => {
  const token = parseCliCacheFile(file({ expiresAt: "2025-03-01T20:00:00UTC" }), legacy, now);
  assert.equal(token?.expiresAt.toISOString(), "2025-03-01T20:00:00.000Z");
});

Deno.test("expired tokens, other start URLs or regions and broken files are ignored", () => {
  assert.equal(
    parseCliCacheFile(file({ expiresAt: "2025-03-01T11:59:00Z" }), legacy, now),
    undefined,
  );
  assert.equal(
    parseCliCacheFile(file({ startUrl: "https://other/start" }), legacy, now),
    undefined,
  );
  assert.equal(parseCliCacheFile(file({ region: "us-east-1" }), legacy, now), undefined);
  assert.equal(parseCliCacheFile(file({ accessToken: "" }), legacy, now), undefined);
  assert.equal(parseCliCacheFile(file({ expiresAt: "soon" }), legacy, now), undefined);
  assert.equal(parseCliCacheFile("{not json", legacy, now), undefined);
  assert.equal(parseCliCacheFile("null", legacy, now), undefined);
});

Deno.test("readCliToken finds the token under HOME/.aws/sso/cache", async () => {
  const home = await Deno.makeTempDir();
  try {
    const dir = `${home}/.aws/sso/cache`;
    await Deno.mkdir(dir, { recursive: true });
    assert.equal(await readCliToken({ HOME: home }, session, now), undefined);
    await Deno.writeTextFile(`${dir}/${BY_SESSION}`, file({}));
    assert.equal((await readCliToken({ HOME: home }, session, now))?.accessToken, "aoa-token");
    // A legacy profile on the same start URL does not read the session's file.
    assert.equal(await readCliToken({ HOME: home }, legacy, now), undefined);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
