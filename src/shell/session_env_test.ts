import assert from "node:assert/strict";
import { unuseChanges, useChanges, withoutVaultRegion } from "./session_env.ts";

const creds = {
  accessKeyId: "ASIA1",
  secretAccessKey: "s",
  sessionToken: "t",
  expiration: new Date("2026-11-21T16:00:00Z"),
};

Deno.test("use sets the session, the prompt's epoch expiry and the refresh time", () => {
  const { set, unset } = useChanges({}, "work", creds, "eu-west-1", 300);
  const vars = Object.fromEntries(set);
  assert.equal(vars.AWS_VAULT, "work");
  assert.equal(vars.AWS_CREDENTIAL_EXPIRATION, "2026-11-21T16:00:00Z");
  assert.equal(vars.AWS_SESSION_EXPIRATION, "2026-11-21T16:00:00Z");
  const epoch = Date.parse("2026-11-21T16:00:00Z") / 1000;
  assert.equal(vars.VAULT_EXPIRES_AT, String(epoch));
  assert.equal(vars.VAULT_REFRESH_AT, String(epoch - 300));
  assert.equal(vars.AWS_REGION, "eu-west-1");
  for (const gone of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"]) {
    assert.ok(unset.includes(gone));
  }
  assert.ok(!unset.some((k) => k in vars), "nothing is both unset and set");
});

Deno.test("switching to long-term keys drops the old session's token and expiry", () => {
  const { set, unset } = useChanges(
    { AWS_VAULT: "work" },
    "home",
    { accessKeyId: "AKIA", secretAccessKey: "s" },
    undefined,
    300,
  );
  assert.ok(!set.some(([k]) => k === "AWS_SESSION_TOKEN"));
  for (
    const k of [
      "AWS_SESSION_TOKEN",
      "AWS_CREDENTIAL_EXPIRATION",
      "VAULT_EXPIRES_AT",
      "VAULT_REFRESH_AT",
    ]
  ) {
    assert.ok(unset.includes(k), k);
  }
});

Deno.test("a region vault set is vault's to remove; one the user exported stays", () => {
  const ours = {
    VAULT_REGION: "eu-west-1",
    AWS_REGION: "eu-west-1",
    AWS_DEFAULT_REGION: "eu-west-1",
  };
  assert.ok(unuseChanges(ours).unset.includes("AWS_REGION"));
  assert.equal(withoutVaultRegion(ours).AWS_REGION, undefined);
  const theirs = { VAULT_REGION: "eu-west-1", AWS_REGION: "us-east-2" };
  assert.ok(!unuseChanges(theirs).unset.includes("AWS_REGION"));
  assert.equal(withoutVaultRegion(theirs).AWS_REGION, "us-east-2");
  assert.ok(!useChanges(theirs, "home", creds, undefined, 0).unset.includes("AWS_REGION"));
});

Deno.test("unuse removes every variable use sets", () => {
  const env = Object.fromEntries(useChanges({}, "work", creds, "eu-west-1", 300).set);
  const { unset } = unuseChanges(env);
  for (const k of Object.keys(env)) assert.ok(unset.includes(k), k);
});
