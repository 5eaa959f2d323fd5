import assert from "node:assert/strict";
import { parseConfig, profileNames } from "./ini.ts";

function profile(text: string, name: string) {
  return parseConfig(text).profiles.get(name);
}

Deno.test("[default] and [profile NAME] are profiles, in file order", () => {
  const text = "[profile work]\nregion = eu-west-1\n[default]\nregion = us-east-1\n";
  const config = parseConfig(text);
  assert.deepEqual([...config.profiles.keys()], ["work", "default"]);
  assert.deepEqual(config.profiles.get("work"), { region: "eu-west-1" });
  assert.deepEqual(config.profiles.get("default"), { region: "us-east-1" });
});

Deno.test("[DEFAULT], [services x], [foo] and [Profile x] are not profiles, nor are their keys", () => {
  const text = [
    "[DEFAULT]",
    "region = a",
    "[services dev]",
    "sts =",
    "  endpoint_url = http://localhost",
    "[foo]",
    "region = b",
    "[Profile caps]",
    "region = c",
    "[profile real]",
    "region = d",
  ].join("\n");
  const config = parseConfig(text);
  assert.deepEqual([...config.profiles.keys()], ["real"]);
  assert.deepEqual(config.profiles.get("real"), { region: "d" });
  assert.equal(config.ssoSessions.size, 0);
});

Deno.test("section names are case-sensitive: [profile Work] and [profile work] differ", () => {
  const config = parseConfig("[profile Work]\nregion = a\n[profile work]\nregion = b\n");
  assert.equal(config.profiles.get("Work")?.region, "a");
  assert.equal(config.profiles.get("work")?.region, "b");
});

Deno.test("keys are case-insensitive (stored lowercase)", () => {
  assert.deepEqual(
    profile("[profile x]\nRole_Arn = arn:r\nmfa_Serial = arn:m\nREGION=eu-west-2\n", "x"),
    { role_arn: "arn:r", mfa_serial: "arn:m", region: "eu-west-2" },
  );
});

Deno.test("full-line # and ; comments are skipped", () => {
  const text = "# top\n; also\n[profile x]\n# region = wrong\n  ; region = wrong\nregion = ok\n";
  assert.deepEqual(profile(text, "x"), { region: "ok" });
});

Deno.test("inline comments after whitespace are stripped", () => {
  const text = [
    "[profile x]",
    "region = eu-west-1 # note",
    "mfa_serial = arn:aws:iam::1:mfa/me\t; why",
    "output = json #",
  ].join("\n");
  assert.deepEqual(profile(text, "x"), {
    region: "eu-west-1",
    mfa_serial: "arn:aws:iam::1:mfa/me",
    output: "json",
  });
});

Deno.test("# with no whitespace before it is part of the value (SSO start URL)", () => {
  const text = "[profile x]\nsso_start_url = https://x.awsapps.com/start#/ # the portal\n";
  assert.equal(profile(text, "x")?.sso_start_url, "https://x.awsapps.com/start#/");
});

Deno.test("a nested s3 block is stored as s3.KEY and the keys after it still parse", () => {
  const text = [
    "[profile x]",
    "region = us-west-2",
    "s3 =",
    "  max_concurrent_requests = 20",
    "  Addressing_Style = path # inline",
    "role_arn = arn:aws:iam::1:role/R",
    "[profile y]",
    "region = eu-central-1",
  ].join("\n");
  const config = parseConfig(text);
  assert.deepEqual(config.profiles.get("x"), {
    region: "us-west-2",
    s3: "",
    "s3.max_concurrent_requests": "20",
    "s3.addressing_style": "path",
    role_arn: "arn:aws:iam::1:role/R",
  });
  assert.deepEqual(config.profiles.get("y"), { region: "eu-central-1" });
});

Deno.test("uniformly indented keys are ordinary keys, not a nested block", () => {
  const text = "[profile x]\n  region = us-east-1\n  role_arn = arn:r\n";
  assert.deepEqual(profile(text, "x"), { region: "us-east-1", role_arn: "arn:r" });
});

Deno.test("an indented line after a key with a value is an ordinary key (as aws-vault reads it)", () => {
  const text = "[profile x]\nregion = us-east-1\n    role_arn = arn:r\nmfa_serial = m\n";
  assert.deepEqual(profile(text, "x"), { region: "us-east-1", role_arn: "arn:r", mfa_serial: "m" });
});

Deno.test("[default] and [profile default] merge, [profile default] winning in either order", () => {
  const a = "[profile default]\nregion = from-profile\n[default]\nregion = plain\noutput = json\n";
  const b = "[default]\nregion = plain\noutput = json\n[profile default]\nregion = from-profile\n";
  for (const text of [a, b]) {
    const config = parseConfig(text);
    assert.deepEqual([...config.profiles.keys()], ["default"]);
    assert.deepEqual(config.profiles.get("default"), { region: "from-profile", output: "json" });
  }
  assert.deepEqual(profile("[profile default]\nregion = r\n", "default"), { region: "r" });
});

Deno.test("[sso-session NAME] sections are read apart from profiles", () => {
  const text = [
    "[sso-session corp]",
    "sso_start_url = https://corp.awsapps.com/start#/",
    "sso_region = eu-west-1",
    "sso_registration_scopes = sso:account:access",
    "[profile dev]",
    "sso_session = corp",
  ].join("\n");
  const config = parseConfig(text);
  assert.deepEqual([...config.profiles.keys()], ["dev"]);
  assert.deepEqual(config.ssoSessions.get("corp"), {
    sso_start_url: "https://corp.awsapps.com/start#/",
    sso_region: "eu-west-1",
    sso_registration_scopes: "sso:account:access",
  });
});

Deno.test("CRLF, BOM, blank lines, spacing around = and in headers are tolerated", () => {
  const text = "\uFEFF[ profile  work ]\r\n\r\nregion=eu-west-1\r\n   role_arn   =   arn:r   \r\n" +
    "[default]  # trailing comment\r\nregion : us-east-1\r\n";
  const config = parseConfig(text);
  assert.deepEqual(config.profiles.get("work"), { region: "eu-west-1", role_arn: "arn:r" });
  assert.deepEqual(config.profiles.get("default"), { region: "us-east-1" });
});

Deno.test("a repeated section merges, later keys winning, at its first position", () => {
  const text = "[profile a]\nregion = 1\nmfa_serial = m\n[profile b]\n[profile a]\nregion = 2\n";
  const config = parseConfig(text);
  assert.deepEqual([...config.profiles.keys()], ["a", "b"]);
  assert.deepEqual(config.profiles.get("a"), { region: "2", mfa_serial: "m" });
});

Deno.test("a header without ] opens no section, so its keys go nowhere", () => {
  const config = parseConfig("[profile a]\nregion = 1\n[profile broken\nregion = 2\n");
  assert.deepEqual([...config.profiles.keys()], ["a"]);
  assert.deepEqual(config.profiles.get("a"), { region: "1" });
});

Deno.test("keys named like Object properties stay plain data", () => {
  const section = profile("[profile x]\n__proto__ = p\nconstructor = c\n", "x");
  assert.equal(Object.getPrototypeOf(section), Object.prototype);
  assert.deepEqual(Object.entries(section!), [["__proto__", "p"], ["constructor", "c"]]);
});

Deno.test("profileNames lists the same profiles as parseConfig, in file order", () => {
  const text = [
    "[profile b]",
    "[sso-session s]",
    "[default]",
    "[ profile  a ]",
    "[services x]",
    "[profile b]",
    "[profile default]",
    "# [profile commented]",
  ].join("\n");
  assert.deepEqual(profileNames(text), ["b", "default", "a"]);
  assert.deepEqual(profileNames(text), [...parseConfig(text).profiles.keys()]);
  assert.deepEqual(profileNames(""), []);
});
