import assert from "node:assert/strict";
import { describeSession } from "./use.ts";

Deno.test("use says which profile it put in the shell and for how long", () => {
  const now = new Date(2026, 10, 21, 16, 36);
  assert.equal(
    describeSession("work", "eu-west-1", new Date(2026, 10, 21, 17, 41), now),
    "using work (eu-west-1) until 17:41, 1h05m left",
  );
  assert.equal(
    describeSession("prod", undefined, new Date(2026, 10, 21, 17, 5), now),
    "using prod until 17:05, 29m left",
  );
  assert.equal(
    describeSession("home", undefined, undefined, now),
    "using home: long-term keys, no expiry",
  );
});
