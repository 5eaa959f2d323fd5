import assert from "node:assert/strict";
import { closest, editDistance } from "./suggest.ts";

Deno.test("edit distance counts a swap of neighbours as one edit", () => {
  assert.equal(editDistance("wrok", "work"), 1);
  assert.equal(editDistance("usr", "use"), 1);
  assert.equal(editDistance("prod", "production"), 6);
});

Deno.test("closest suggests a likely typo and nothing for an unrelated name", () => {
  const profiles = ["work", "work-admin", "home", "production"];
  assert.equal(closest("wrok", profiles), "work");
  assert.equal(closest("prodution", profiles), "production");
  assert.equal(closest("staging", profiles), undefined);
  assert.equal(closest("usr", ["use", "unuse", "list"]), "use");
});
