import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { parseProcessOutput, processCredentials } from "./process.ts";

Deno.test("credential_process output: temporary and long-term forms", () => {
  const temp = parseProcessOutput(
    "p",
    JSON.stringify({
      Version: 1,
      AccessKeyId: "ASIA",
      SecretAccessKey: "s",
      SessionToken: "t",
      Expiration: "2026-11-21T17:00:00+01:00",
    }),
  );
  assert.equal(temp.expiration?.toISOString(), "2026-11-21T16:00:00.000Z");
  assert.deepEqual(
    parseProcessOutput("p", '{"Version":1,"AccessKeyId":"AKIA","SecretAccessKey":"s"}'),
    {
      accessKeyId: "AKIA",
      secretAccessKey: "s",
    },
  );
});

Deno.test("credential_process output: each defect is named, never echoing the output", () => {
  const cases: [string, RegExp][] = [
    ["not json", /did not print JSON/],
    ["[]", /not an object/],
    ['{"Version":2,"AccessKeyId":"a","SecretAccessKey":"s"}', /Version 2/],
    ['{"Version":1,"SecretAccessKey":"topsecret"}', /no AccessKeyId/],
    ['{"Version":1,"AccessKeyId":"a","SecretAccessKey":"s","Expiration":"soon"}', /Expiration/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseProcessOutput("work", text), (e) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, message);
      assert.match(e.message, /profile work/);
      assert.doesNotMatch(e.message, /topsecret/);
      return true;
    });
  }
});

Deno.test("credential_process runs with /bin/sh -c and a failing command is reported", async () => {
  const creds = await processCredentials(
    "p",
    `printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"s"}' "A$((1+1))"`,
  );
  assert.equal(creds.accessKeyId, "A2");
  await assert.rejects(processCredentials("p", "exit 7"), /exit code 7/);
});
