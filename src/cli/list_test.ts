import assert from "node:assert/strict";
import { formatSessionKey } from "../vault/items.ts";
import { formatTable, listRows } from "./list.ts";

const now = new Date("2026-11-21T12:00:00Z");
const keys = [
  "work",
  "orphan",
  formatSessionKey({
    type: "sts.GetSessionToken",
    profile: "work",
    mfaSerial: "arn:aws:iam::1:mfa/me",
    expiration: new Date("2026-11-21T13:05:00Z"),
  }),
  formatSessionKey({
    type: "sts.AssumeRole",
    profile: "admin",
    mfaSerial: "",
    expiration: new Date("2026-11-21T11:00:00Z"),
  }),
];

Deno.test("list: config profiles in order, then stored keys the config lacks; expired sessions hidden", () => {
  const rows = listRows(["default", "work", "admin"], keys, now);
  assert.deepEqual(rows.map((r) => [r.profile, r.credentials, r.sessions.length]), [
    ["default", false, 0],
    ["work", true, 1],
    ["admin", false, 0],
    ["orphan", true, 0],
  ]);
});

Deno.test("list: the table shows the session type and time left", () => {
  const table = formatTable(listRows(["work"], keys, now), now).split("\n");
  assert.match(table[0], /^Profile\s+Credentials\s+Sessions$/);
  assert.match(table[2], /^work\s+work\s+sts\.GetSessionToken:1h05m$/);
  assert.match(table[3], /^orphan\s+orphan\s+-$/);
});
