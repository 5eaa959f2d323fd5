import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { appendProfile } from "./append.ts";
import { parseConfig } from "./ini.ts";

const settings = { region: "eu-west-1", mfa_serial: "arn:aws:iam::1:mfa/me" };

Deno.test("appendProfile appends [profile NAME] after a blank line, keeping every byte", () => {
  const text = "# mine\n[default]\nregion = us-east-1   # keep this spacing\n";
  const out = appendProfile(text, "work", settings);
  assert.equal(
    out,
    text + "\n[profile work]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::1:mfa/me\n",
  );
  assert.deepEqual(parseConfig(out).profiles.get("work"), settings);
});

Deno.test("appendProfile adds a newline first only when the text lacks one", () => {
  assert.equal(
    appendProfile("[default]\nregion = a", "x", {}),
    "[default]\nregion = a\n\n[profile x]\n",
  );
  assert.equal(appendProfile("[default]\n", "x", {}), "[default]\n\n[profile x]\n");
});

Deno.test("appendProfile writes [default] for the default profile", () => {
  assert.equal(appendProfile("", "default", { region: "r" }), "[default]\nregion = r\n");
});

Deno.test("appendProfile keeps CRLF line endings in a CRLF file", () => {
  const text = "[profile a]\r\nregion = r\r\n";
  assert.equal(
    appendProfile(text, "b", { region: "s" }),
    text + "\r\n[profile b]\r\nregion = s\r\n",
  );
});

Deno.test("appendProfile round-trips names with inner spaces and # through the parser", () => {
  for (const name of ["my profile", "team#1", "a.b-c_d"]) {
    const out = appendProfile("", name, { region: "r" });
    assert.deepEqual(parseConfig(out).profiles.get(name), { region: "r" }, name);
  }
});

Deno.test("appendProfile rejects names with ], line breaks or outer spaces", () => {
  for (const name of ["a]b", "a\nb", "a\r", " a", "a ", ""]) {
    assert.throws(() => appendProfile("", name, {}), (e: Error) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /profile name .* cannot be written/);
      return true;
    }, JSON.stringify(name));
  }
});

Deno.test("appendProfile rejects settings that would not read back", () => {
  const cases: Record<string, string>[] = [
    { "a b": "x" },
    { "": "x" },
    { region: "a\nrole_arn = evil" },
    { k: "a # b" },
  ];
  for (const bad of cases) {
    assert.throws(() => appendProfile("", "p", bad), (e: Error) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /^profile "p": setting .* cannot be written/);
      return true;
    }, JSON.stringify(bad));
  }
});
