import assert from "node:assert/strict";
import type { Env } from "../env.ts";
import { UserError } from "../errors.ts";
import { parseConfig } from "./ini.ts";
import { resolveProfile } from "./resolve.ts";
import type { ProfileConfig, ProfileFlags } from "./types.ts";
import { JONSMITH_MFA, README } from "./_testdata.ts";

const PATH = "/home/u/.aws/config";

function resolveIn(
  text: string,
  name: string,
  opts: { env?: Env; flags?: ProfileFlags; stored?: string[] } = {},
): ProfileConfig {
  return resolveProfile(parseConfig(text), name, {
    env: opts.env ?? {},
    flags: opts.flags,
    hasStoredKeys: (n) => (opts.stored ?? []).includes(n),
    configPath: PATH,
  });
}

/** Asserts a one-line UserError whose message contains every fragment. */
function assertUserError(run: () => unknown, ...fragments: string[]): void {
  assert.throws(run, (e: Error) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.ok(!e.message.includes("\n"), "one line");
    for (const f of fragments) assert.ok(e.message.includes(f), `"${e.message}" lacks "${f}"`);
    return true;
  });
}

/** The source profile a resolved profile builds on. */
function sourceOf(profile: ProfileConfig): ProfileConfig {
  assert.equal(profile.source.kind, "profile");
  return (profile.source as { profile: ProfileConfig }).profile;
}

const DEFAULTS = {
  sessionTags: {},
  transitiveSessionTags: [],
  assumeRoleDuration: 3600,
  assumeRoleDurationSet: false,
  sessionDuration: 3600,
  chainedSessionDuration: 8 * 3600,
  federationDuration: 3600,
};

Deno.test("README example: every profile resolves to the expected chain", () => {
  const stored = ["jonsmith"];
  const jonsmith: ProfileConfig = {
    ...DEFAULTS,
    name: "jonsmith",
    source: { kind: "stored-keys", name: "jonsmith" },
    region: "us-east-1",
    mfaSerial: JONSMITH_MFA,
  };
  const role = (name: string, arn: string, mfa: boolean, source: ProfileConfig) => ({
    ...DEFAULTS,
    name,
    source: { kind: "profile" as const, profile: source },
    region: "us-east-1",
    roleArn: arn,
    ...(mfa ? { mfaSerial: JONSMITH_MFA } : {}),
  });
  const barRole1 = role("bar-role1", "arn:aws:iam::333333333333:role/Role1", true, jonsmith);

  assert.deepEqual(resolveIn(README, "jonsmith", { stored }), jonsmith);
  assert.deepEqual(
    resolveIn(README, "foo-readonly", { stored }),
    role("foo-readonly", "arn:aws:iam::22222222222:role/ReadOnly", false, jonsmith),
  );
  assert.deepEqual(
    resolveIn(README, "foo-admin", { stored }),
    role("foo-admin", "arn:aws:iam::22222222222:role/Administrator", true, jonsmith),
  );
  assert.deepEqual(resolveIn(README, "bar-role1", { stored }), barRole1);
  assert.deepEqual(
    resolveIn(README, "bar-role2", { stored }),
    role("bar-role2", "arn:aws:iam::333333333333:role/Role2", true, barRole1),
  );
});

Deno.test("home/work example: roles on work build on work's stored keys", () => {
  const text = `[profile home]
mfa_serial = arn:aws:iam::111111111111:mfa/home
[profile work]
mfa_serial = arn:aws:iam::222222222222:mfa/work
region = eu-west-1
[profile work-read_only_role]
role_arn = arn:aws:iam::333333333333:role/read_only_role
source_profile = work
[profile work-admin_role]
role_arn = arn:aws:iam::333333333333:role/admin_role
source_profile = work
`;
  const stored = ["jonsmith", "home", "work"];
  const home = resolveIn(text, "home", { stored });
  assert.deepEqual(home.source, { kind: "stored-keys", name: "home" });
  assert.equal(home.mfaSerial, "arn:aws:iam::111111111111:mfa/home");
  assert.equal(home.region, undefined);

  for (const name of ["work-read_only_role", "work-admin_role"]) {
    const p = resolveIn(text, name, { stored });
    assert.equal(p.roleArn, `arn:aws:iam::333333333333:role/${name.slice(5)}`);
    assert.equal(p.mfaSerial, undefined, "the role itself has no mfa_serial");
    const work = sourceOf(p);
    assert.deepEqual(work.source, { kind: "stored-keys", name: "work" });
    assert.equal(work.mfaSerial, "arn:aws:iam::222222222222:mfa/work");
  }
});

Deno.test("region: flag > AWS_REGION > AWS_DEFAULT_REGION > section > include > [default]", () => {
  const text = `[default]
region = from-default
[profile inc]
region = from-include
[profile p]
include_profile = inc
region = from-section
[profile q]
include_profile = inc
[profile r]
`;
  const env = { AWS_REGION: "from-env", AWS_DEFAULT_REGION: "from-default-env" };
  const stored = ["p", "q", "r"];
  assert.equal(
    resolveIn(text, "p", { env, stored, flags: { region: "from-flag" } }).region,
    "from-flag",
  );
  assert.equal(resolveIn(text, "p", { env, stored }).region, "from-env");
  assert.equal(
    resolveIn(text, "p", { env: { AWS_DEFAULT_REGION: "from-default-env" }, stored }).region,
    "from-default-env",
  );
  assert.equal(resolveIn(text, "p", { stored }).region, "from-section");
  assert.equal(resolveIn(text, "q", { stored }).region, "from-include");
  assert.equal(resolveIn(text, "r", { stored }).region, "from-default");
  assert.equal(resolveIn("[profile r]\n", "r", { stored }).region, undefined);
});

Deno.test("an empty env var or setting counts as unset", () => {
  const text = "[default]\nregion = d\nmfa_serial = m\n[profile p]\nregion =\nmfa_serial =\n";
  const p = resolveIn(text, "p", { env: { AWS_REGION: "", AWS_SESSION_TTL: "" }, stored: ["p"] });
  assert.equal(p.region, "d");
  assert.equal(p.mfaSerial, "m");
  assert.equal(p.sessionDuration, 3600);
});

Deno.test("mfa_serial: flag > AWS_MFA_SERIAL > section > include > [default]", () => {
  const text = `[default]
mfa_serial = default-mfa
[profile inc]
mfa_serial = include-mfa
[profile p]
include_profile = inc
mfa_serial = section-mfa
[profile q]
include_profile = inc
[profile r]
`;
  const stored = ["p", "q", "r"];
  const env = { AWS_MFA_SERIAL: "env-mfa" };
  assert.equal(
    resolveIn(text, "p", { env, stored, flags: { mfaSerial: "flag" } }).mfaSerial,
    "flag",
  );
  assert.equal(resolveIn(text, "p", { env, stored }).mfaSerial, "env-mfa");
  assert.equal(resolveIn(text, "p", { stored }).mfaSerial, "section-mfa");
  assert.equal(resolveIn(text, "q", { stored }).mfaSerial, "include-mfa");
  assert.equal(resolveIn(text, "r", { stored }).mfaSerial, "default-mfa");
});

Deno.test("[default]'s mfa_serial is inherited by roles and their source (one MFA device)", () => {
  const text = `[default]
mfa_serial = arn:aws:iam::1:mfa/me
[profile org-master]
region = eu-west-1
[profile member1]
role_arn = arn:aws:iam::2:role/R
source_profile = org-master
`;
  const member = resolveIn(text, "member1", { stored: ["org-master"] });
  assert.equal(member.mfaSerial, "arn:aws:iam::1:mfa/me");
  assert.equal(sourceOf(member).mfaSerial, "arn:aws:iam::1:mfa/me");
});

Deno.test("every setting of [default] and of an include chain is inherited", () => {
  const text = `[default]
external_id = ext
role_session_name = me
[profile c]
sts_regional_endpoints = regional
endpoint_url = http://localhost:1
mfa_process = echo 123456
[profile b]
include_profile = c
source_identity = ident
session_tags = team=a
transitive_session_tags = team
role_arn = arn:b
[profile a]
include_profile = b
source_profile = base
`;
  const a = resolveIn(text, "a", { stored: ["base"] });
  assert.deepEqual({ ...a, source: undefined }, {
    ...DEFAULTS,
    name: "a",
    source: undefined,
    externalId: "ext",
    roleSessionName: "me",
    stsRegionalEndpoints: "regional",
    endpointUrl: "http://localhost:1",
    mfaProcess: "echo 123456",
    sourceIdentity: "ident",
    sessionTags: { team: "a" },
    transitiveSessionTags: ["team"],
    roleArn: "arn:b",
  });
  assert.equal(sourceOf(a).name, "base");
});

Deno.test("include_profile layers: own section > include > its include > [default]", () => {
  const text = `[default]
region = d
mfa_serial = d
role_arn = d
external_id = d
[profile c]
region = c
mfa_serial = c
role_arn = c
[profile b]
include_profile = c
region = b
mfa_serial = b
[profile a]
include_profile = b
region = a
`;
  const a = resolveIn(text, "a", { stored: ["a"] });
  assert.deepEqual([a.region, a.mfaSerial, a.roleArn, a.externalId], ["a", "b", "c", "d"]);
});

Deno.test("include_profile = default is not a cycle", () => {
  const text = "[default]\nregion = d\n[profile a]\ninclude_profile = default\n";
  assert.equal(resolveIn(text, "a", { stored: ["a"] }).region, "d");
});

Deno.test("durations: flag > env > duration_seconds > built-in defaults", () => {
  const text =
    "[default]\nduration_seconds = 900\n[profile p]\nduration_seconds = 2h\n[profile q]\n";
  const stored = ["p", "q"];
  const env = {
    AWS_ASSUME_ROLE_TTL: "3h",
    AWS_SESSION_TOKEN_TTL: "4h",
    AWS_CHAINED_SESSION_TOKEN_TTL: "10h",
    AWS_FEDERATION_TOKEN_TTL: "5h",
  };
  const durations = (p: ProfileConfig) => [
    p.assumeRoleDuration,
    p.assumeRoleDurationSet,
    p.sessionDuration,
    p.chainedSessionDuration,
    p.federationDuration,
  ];
  assert.deepEqual(
    durations(resolveIn(text, "p", { env, stored, flags: { duration: 1800 } })),
    [1800, true, 1800, 1800, 1800],
  );
  assert.deepEqual(durations(resolveIn(text, "p", { env, stored })), [
    3 * 3600,
    true,
    4 * 3600,
    10 * 3600,
    5 * 3600,
  ]);
  // duration_seconds sets only the AssumeRole duration.
  assert.deepEqual(durations(resolveIn(text, "p", { stored })), [
    7200,
    true,
    3600,
    8 * 3600,
    3600,
  ]);
  assert.deepEqual(durations(resolveIn(text, "q", { stored })), [900, true, 3600, 8 * 3600, 3600]);
  assert.deepEqual(durations(resolveIn("[profile q]\n", "q", { stored })), [
    3600,
    false,
    3600,
    8 * 3600,
    3600,
  ]);
});

Deno.test("AWS_SESSION_TTL sets both session-token durations unless their own vars are set", () => {
  const text = "[profile org-master]\n";
  const stored = ["org-master"];
  const legacy = resolveIn(text, "org-master", { env: { AWS_SESSION_TTL: "12h" }, stored });
  assert.equal(legacy.sessionDuration, 12 * 3600);
  assert.equal(legacy.chainedSessionDuration, 12 * 3600);
  assert.equal(legacy.assumeRoleDuration, 3600);
  const own = resolveIn(text, "org-master", {
    env: {
      AWS_SESSION_TTL: "12h",
      AWS_SESSION_TOKEN_TTL: "2h",
      AWS_CHAINED_SESSION_TOKEN_TTL: "9h",
    },
    stored,
  });
  assert.equal(own.sessionDuration, 2 * 3600);
  assert.equal(own.chainedSessionDuration, 9 * 3600);
});

Deno.test("target-only env vars and flags do not reach source profiles; region, MFA serial and TTLs do", () => {
  const env = {
    AWS_ROLE_ARN: "arn:aws:iam::9:role/FromEnv",
    AWS_ROLE_SESSION_NAME: "env-session",
    AWS_SESSION_TAGS: "a=1",
    AWS_TRANSITIVE_TAGS: "a",
    AWS_SOURCE_IDENTITY: "env-ident",
    AWS_MFA_SERIAL: "env-mfa",
    AWS_REGION: "env-region",
    AWS_SESSION_TTL: "12h",
  };
  const flags = { duration: 7200, mfaSerial: "flag-mfa", region: "flag-region" };
  const admin = resolveIn(README, "foo-admin", { env, stored: ["jonsmith"] });
  assert.equal(admin.roleArn, "arn:aws:iam::9:role/FromEnv");
  assert.equal(admin.roleSessionName, "env-session");
  assert.deepEqual(admin.sessionTags, { a: "1" });
  assert.deepEqual(admin.transitiveSessionTags, ["a"]);
  assert.equal(admin.sourceIdentity, "env-ident");
  assert.equal(admin.mfaSerial, "env-mfa");

  const jonsmith = sourceOf(admin);
  assert.equal(jonsmith.roleArn, undefined);
  assert.equal(jonsmith.roleSessionName, undefined);
  assert.deepEqual(jonsmith.sessionTags, {});
  assert.deepEqual(jonsmith.transitiveSessionTags, []);
  assert.equal(jonsmith.sourceIdentity, undefined);
  // AWS_MFA_SERIAL is not one of the target-only variables (spec §3): like [default], it is shared.
  assert.equal(jonsmith.mfaSerial, "env-mfa");
  assert.equal(jonsmith.region, "env-region");
  assert.equal(jonsmith.chainedSessionDuration, 12 * 3600);

  const flagged = resolveIn(README, "bar-role2", { flags, stored: ["jonsmith"] });
  assert.equal(flagged.mfaSerial, "flag-mfa");
  assert.equal(flagged.assumeRoleDuration, 7200);
  for (const source of [sourceOf(flagged), sourceOf(sourceOf(flagged))]) {
    assert.equal(source.mfaSerial, JONSMITH_MFA, source.name);
    assert.equal(source.assumeRoleDuration, 3600, source.name);
    assert.equal(source.chainedSessionDuration, 8 * 3600, source.name);
    assert.equal(source.region, "flag-region", source.name);
  }
});

Deno.test("session_tags and transitive_session_tags are parsed with spaces trimmed", () => {
  const text = "[profile p]\nsession_tags = team = ops , env=prod,,cost=\n" +
    "transitive_session_tags = team , env,\n";
  const p = resolveIn(text, "p", { stored: ["p"] });
  assert.deepEqual(p.sessionTags, { team: "ops", env: "prod", cost: "" });
  assert.deepEqual(p.transitiveSessionTags, ["team", "env"]);
  const env = { AWS_SESSION_TAGS: "x=1", AWS_TRANSITIVE_TAGS: "x" };
  const fromEnv = resolveIn(text, "p", { env, stored: ["p"] });
  assert.deepEqual(fromEnv.sessionTags, { x: "1" });
  assert.deepEqual(fromEnv.transitiveSessionTags, ["x"]);
});

Deno.test("source: stored keys win over source_profile and SSO", () => {
  const text = "[profile p]\nsource_profile = other\nsso_start_url = https://x\n[profile other]\n";
  assert.deepEqual(resolveIn(text, "p", { stored: ["p", "other"] }).source, {
    kind: "stored-keys",
    name: "p",
  });
});

Deno.test("source: source_profile naming the profile itself means its stored keys, not a cycle", () => {
  const text = "[profile p]\nsource_profile = p\nrole_arn = arn:r\n";
  const p = resolveIn(text, "p");
  assert.deepEqual(p.source, { kind: "stored-keys", name: "p" });
  assert.equal(p.roleArn, "arn:r");
});

Deno.test("source: a profile with stored keys and no section resolves, inheriting [default]", () => {
  const p = resolveIn("[default]\nregion = r\n", "keys-only", { stored: ["keys-only"] });
  assert.deepEqual(p, {
    ...DEFAULTS,
    name: "keys-only",
    source: { kind: "stored-keys", name: "keys-only" },
    region: "r",
  });
});

Deno.test("source: sso_session with an [sso-session] section", () => {
  const text = `[sso-session corp]
sso_start_url = https://corp.awsapps.com/start#/
sso_region = eu-west-1
sso_registration_scopes = sso:account:access , other:scope
[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Developer
region = us-east-2
`;
  const dev = resolveIn(text, "dev");
  assert.deepEqual(dev.source, {
    kind: "sso",
    sso: {
      sessionName: "corp",
      startUrl: "https://corp.awsapps.com/start#/",
      region: "eu-west-1",
      accountId: "123456789012",
      roleName: "Developer",
      registrationScopes: ["sso:account:access", "other:scope"],
    },
  });
  assert.equal(dev.region, "us-east-2");
});

Deno.test("source: legacy inline sso_start_url settings", () => {
  const text = `[profile legacy]
sso_start_url = https://x.awsapps.com/start
sso_region = us-east-1
sso_account_id = 1
sso_role_name = Admin
`;
  assert.deepEqual(resolveIn(text, "legacy").source, {
    kind: "sso",
    sso: {
      startUrl: "https://x.awsapps.com/start",
      region: "us-east-1",
      accountId: "1",
      roleName: "Admin",
      registrationScopes: [],
    },
  });
});

Deno.test("source: web identity, then credential_process, then none", () => {
  const web =
    "[profile w]\nrole_arn = arn:r\nweb_identity_token_file = /t\ncredential_process = c\n";
  assert.deepEqual(resolveIn(web, "w").source, { kind: "web-identity", tokenFile: "/t" });
  const webProcess = "[profile w]\nweb_identity_token_process = get-token\n";
  assert.deepEqual(resolveIn(webProcess, "w").source, {
    kind: "web-identity",
    tokenProcess: "get-token",
  });
  const proc = "[profile c]\ncredential_process = /bin/creds --json # comment\n";
  assert.deepEqual(resolveIn(proc, "c").source, { kind: "process", command: "/bin/creds --json" });
  assert.deepEqual(resolveIn("[profile n]\nregion = r\n", "n").source, { kind: "none" });
});

Deno.test("error: an unknown profile never falls back to [default]", () => {
  const text = "[default]\nregion = us-east-1\n";
  assertUserError(
    () => resolveIn(text, "nope"),
    'profile "nope" not found',
    PATH,
    "vault add nope",
  );
  assertUserError(() => resolveIn("[profile a]\n", "default"), 'profile "default" not found');
  assertUserError(() => resolveIn("[profile Work]\n", "work"), 'profile "work" not found');
});

Deno.test("error: source_profile naming a missing profile", () => {
  assertUserError(
    () => resolveIn("[profile a]\nsource_profile = gone\n", "a"),
    'profile "a"',
    'source_profile "gone"',
    PATH,
  );
  // Inherited from [default]: the message says where the setting came from.
  assertUserError(
    () => resolveIn("[default]\nsource_profile = gone\n[profile a]\n", "a"),
    'profile "a"',
    'source_profile (from [default]) "gone"',
  );
});

Deno.test("error: include_profile naming a missing section", () => {
  assertUserError(
    () => resolveIn("[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = gone\n", "a"),
    'profile "b"',
    'include_profile "gone"',
    PATH,
  );
  // Stored keys alone give no settings to include.
  assertUserError(
    () => resolveIn("[profile a]\ninclude_profile = keys\n", "a", { stored: ["keys"] }),
    'include_profile "keys"',
  );
});

Deno.test("error: sso_session naming a missing [sso-session]", () => {
  const text = "[profile a]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n";
  assertUserError(() => resolveIn(text, "a"), 'profile "a"', 'sso_session "corp"', PATH);
});

Deno.test("error: an SSO profile missing one of its four settings", () => {
  const full: Record<string, string> = {
    sso_start_url: "https://x",
    sso_region: "us-east-1",
    sso_account_id: "1",
    sso_role_name: "R",
  };
  for (const missing of ["sso_region", "sso_account_id", "sso_role_name"]) {
    const lines = Object.entries(full).filter(([k]) => k !== missing).map(([k, v]) =>
      `${k} = ${v}`
    );
    assertUserError(
      () => resolveIn(`[profile a]\n${lines.join("\n")}\n`, "a"),
      'profile "a"',
      missing,
    );
  }
  for (const missing of ["sso_start_url", "sso_region"]) {
    const session = Object.entries(full).filter(([k]) => k !== missing && k.match(/url|region/))
      .map(([k, v]) => `${k} = ${v}`);
    const text = `[sso-session s]\n${session.join("\n")}\n` +
      "[profile a]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n";
    assertUserError(() => resolveIn(text, "a"), 'profile "a"', missing, "[sso-session s]");
  }
});

Deno.test("error: unparsable or zero durations name the profile and key", () => {
  assertUserError(
    () => resolveIn("[profile a]\nduration_seconds = 1 hour\n", "a", { stored: ["a"] }),
    'profile "a"',
    'duration_seconds "1 hour" is not a duration',
  );
  assertUserError(
    () => resolveIn("[default]\nduration_seconds = x\n", "a", { stored: ["a"] }),
    'profile "a"',
    "duration_seconds (from [default])",
  );
  for (
    const key of [
      "AWS_ASSUME_ROLE_TTL",
      "AWS_SESSION_TOKEN_TTL",
      "AWS_CHAINED_SESSION_TOKEN_TTL",
      "AWS_FEDERATION_TOKEN_TTL",
      "AWS_SESSION_TTL",
    ]
  ) {
    assertUserError(
      () => resolveIn("", "a", { env: { [key]: "soon" }, stored: ["a"] }),
      'profile "a"',
      `${key} "soon" is not a duration`,
    );
    assertUserError(
      () => resolveIn("", "a", { env: { [key]: "0s" }, stored: ["a"] }),
      'profile "a"',
      `${key} "0s" must be longer than 0s`,
    );
  }
  for (const duration of [0, -5, NaN]) {
    assertUserError(
      () => resolveIn("", "a", { flags: { duration }, stored: ["a"] }),
      'profile "a"',
      "--duration",
    );
  }
});

Deno.test("error: a tag list entry without key=value names the profile and key", () => {
  assertUserError(
    () => resolveIn("[profile a]\nsession_tags = team=ops,oops\n", "a", { stored: ["a"] }),
    'profile "a"',
    'session_tags entry "oops"',
  );
  assertUserError(
    () => resolveIn("", "a", { env: { AWS_SESSION_TAGS: "=v" }, stored: ["a"] }),
    'profile "a"',
    'AWS_SESSION_TAGS entry "=v"',
  );
});

Deno.test("error: source_profile cycles of any length name the cycle", () => {
  assertUserError(
    () => resolveIn("[profile a]\nsource_profile = b\n[profile b]\nsource_profile = a\n", "a"),
    'profile "a"',
    "source_profile cycle a -> b -> a",
  );
  const three = "[profile a]\nsource_profile = b\n[profile b]\nsource_profile = c\n" +
    "[profile c]\nsource_profile = a\n";
  assertUserError(() => resolveIn(three, "a"), "source_profile cycle a -> b -> c -> a");
  // A cycle below the target is named from where it starts.
  assertUserError(
    () => resolveIn(three + "[profile top]\nsource_profile = b\n", "top"),
    'profile "top"',
    "source_profile cycle b -> c -> a -> b",
  );
  // Stored keys end the chain before it loops back.
  assert.deepEqual(
    sourceOf(sourceOf(resolveIn(three, "a", { stored: ["c"] }))).source,
    { kind: "stored-keys", name: "c" },
  );
});

Deno.test("error: a source_profile cycle made by inheriting [default]'s source_profile", () => {
  const text = "[default]\nsource_profile = a\n[profile a]\nsource_profile = b\n[profile b]\n";
  assertUserError(() => resolveIn(text, "a"), "source_profile cycle a -> b -> a");
});

Deno.test("error: include_profile cycles of any length, including to itself, name the cycle", () => {
  assertUserError(
    () => resolveIn("[profile a]\ninclude_profile = a\n", "a"),
    'profile "a"',
    "include_profile cycle a -> a",
  );
  assertUserError(
    () => resolveIn("[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = a\n", "a"),
    "include_profile cycle a -> b -> a",
  );
  const three = "[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = c\n" +
    "[profile c]\ninclude_profile = a\n";
  assertUserError(() => resolveIn(three, "a"), "include_profile cycle a -> b -> c -> a");
  assertUserError(
    () => resolveIn(three + "[profile top]\ninclude_profile = b\n", "top"),
    'profile "top"',
    "include_profile cycle b -> c -> a -> b",
  );
});
