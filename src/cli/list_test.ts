import assert from "node:assert/strict";
import { parseConfig } from "../config/ini.ts";
import { formatSessionKey } from "../vault/items.ts";
import { formatTable, goDuration, tableRows, vaultContents } from "./list.ts";

const now = new Date("2026-11-21T12:00:00Z");
const session = (profile: string, expiration: string) =>
  formatSessionKey({
    type: "sts.GetSessionToken",
    profile,
    mfaSerial: "arn:aws:iam::1:mfa/me",
    expiration: new Date(expiration),
  });
const keys = [
  "work",
  "orphan",
  session("work", "2026-11-21T13:05:00Z"),
  session("admin", "2026-11-21T11:00:00Z"), // expired
  session("gone", "2026-11-21T12:00:42Z"), // no profile
  "oidc:https://corp.awsapps.com/start",
];
const config = parseConfig(`[default]
[profile work]
[profile admin]
[profile sso]
sso_session = corp
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
`);

Deno.test("list: time left prints as Go prints a duration", () => {
  assert.deepEqual([3900, 2533, 42, 3600, -5].map(goDuration), [
    "1h5m0s",
    "42m13s",
    "42s",
    "1h0m0s",
    "0s",
  ]);
});

Deno.test("list: aws-vault's rows: profiles, then keys without a profile, then orphan sessions", () => {
  const rows = tableRows(config, vaultContents(keys, now), now);
  assert.deepEqual(rows, [
    ["default", "-", []],
    ["work", "work", ["sts.GetSessionToken:1h5m0s"]],
    ["admin", "-", []],
    ["sso", "-", ["oidc:https://corp.awsapps.com/start"]],
    ["-", "orphan", []],
    ["-", "-", ["sts.GetSessionToken:42s"]],
  ]);
  const table = formatTable(rows).split("\n");
  assert.match(table[0], /^Profile\s+Credentials\s+Sessions$/);
  assert.match(table[1], /^=======\s+===========\s+========$/);
  assert.match(table[3], /^work\s+work\s+sts\.GetSessionToken:1h5m0s$/);
  assert.match(table[6], /^-\s+orphan\s+-$/);
});
