import assert from "node:assert/strict";
import { parseDuration } from "./duration.ts";

Deno.test("parseDuration reads Go durations into seconds", () => {
  const cases: [string, number][] = [
    ["1h", 3600],
    ["90m", 5400],
    ["3600s", 3600],
    ["1h30m", 5400],
    ["1.5h", 5400],
    ["2h0m0s", 7200],
    [".5m", 30],
    ["1500ms", 1.5],
    [" 12h ", 43200],
  ];
  for (const [text, seconds] of cases) assert.equal(parseDuration(text), seconds, text);
});

Deno.test("parseDuration reads a bare integer as seconds, like duration_seconds", () => {
  assert.equal(parseDuration("3600"), 3600);
  assert.equal(parseDuration("0"), 0);
});

Deno.test("parseDuration rejects text that is not a duration, quoting it", () => {
  for (const text of ["", "  ", "abc", "1.5", "1d", "h", "1h 30m", "-1h", "+1h", "1hh", "1h30"]) {
    assert.throws(() => parseDuration(text), (e: Error) => {
      assert.ok(!(e.name === "UserError"), "plain Error: the caller names profile and key");
      assert.ok(e.message.includes(`"${text}" is not a duration`), e.message);
      return true;
    }, text);
  }
});
