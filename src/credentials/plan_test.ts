import assert from "node:assert/strict";
import { JONSMITH_MFA, README } from "../config/_testdata.ts";
import { parseConfig } from "../config/ini.ts";
import { resolveProfile } from "../config/resolve.ts";
import type { ProfileFlags } from "../config/types.ts";
import { type Plan, planCredentials } from "./plan.ts";

const MFA = JONSMITH_MFA;
const config = parseConfig(
  README + `
[profile org-master]
region = eu-west-1
[profile member1]
source_profile = org-master
role_arn = arn:aws:iam::444444444444:role/Admin
mfa_serial = arn:aws:iam::555555555555:mfa/me
[profile member2]
source_profile = org-master
role_arn = arn:aws:iam::666666666666:role/Admin
mfa_serial = arn:aws:iam::555555555555:mfa/me
[profile other-device]
mfa_serial = arn:aws:iam::1:mfa/other
[profile over-other-device]
source_profile = other-device
role_arn = arn:aws:iam::1:role/x
mfa_serial = ${MFA}
`,
);

function plan(
  name: string,
  opts: { noSession?: boolean; flags?: ProfileFlags; env?: Record<string, string> } = {},
) {
  const profile = resolveProfile(config, name, {
    env: opts.env ?? {},
    flags: opts.flags,
    hasStoredKeys: (n) => ["jonsmith", "org-master", "other-device"].includes(n),
  });
  return planCredentials(profile, { noSession: opts.noSession });
}

/** The plan as the acceptance matrix talks about it: calls made, MFA or not, what is cached. */
function summary(p: Plan) {
  const calls: string[] = [];
  if (p.base.kind === "session-token") {
    calls.push(`GetSessionToken${p.base.mfaSerial ? "+mfa" : ""}`);
  }
  for (const r of p.roles) calls.push(`AssumeRole(${r.profile.name})${r.mfaSerial ? "+mfa" : ""}`);
  const cached = [
    ...(p.base.kind === "session-token" ? ["session"] : []),
    ...p.roles.filter((r) => r.cache).map((r) => `role:${r.profile.name}`),
  ];
  return { calls, cached };
}

// The acceptance matrix of spec §2.
const matrix: [string, { noSession?: boolean; flags?: ProfileFlags }, string[], string[]][] = [
  ["jonsmith", { noSession: true }, [], []],
  ["jonsmith", {}, ["GetSessionToken+mfa"], ["session"]],
  ["foo-readonly", {}, ["AssumeRole(foo-readonly)"], []],
  ["foo-admin", {}, ["GetSessionToken+mfa", "AssumeRole(foo-admin)"], ["session"]],
  ["foo-admin", { flags: { duration: 7200 } }, ["AssumeRole(foo-admin)+mfa"], ["role:foo-admin"]],
  ["bar-role2", {}, ["GetSessionToken+mfa", "AssumeRole(bar-role1)", "AssumeRole(bar-role2)"], [
    "session",
  ]],
  [
    "bar-role2",
    { noSession: true },
    ["AssumeRole(bar-role1)+mfa", "AssumeRole(bar-role2)"],
    ["role:bar-role1"],
  ],
];

for (const [name, opts, calls, cached] of matrix) {
  Deno.test(`plan: exec ${name} ${JSON.stringify(opts)} makes ${calls.join(", ") || "no call"}`, () => {
    assert.deepEqual(summary(plan(name, opts)), { calls, cached });
  });
}

Deno.test("plan: long-term keys alone give a 1h session by default, the flag's duration when given", () => {
  const base = plan("jonsmith").base;
  assert.equal(base.kind === "session-token" && base.duration, 3600);
  const flagged = plan("jonsmith", { flags: { duration: 12 * 3600 } }).base;
  assert.equal(flagged.kind === "session-token" && flagged.duration, 12 * 3600);
});

Deno.test("plan: a chain primes with an 8h session and AWS_SESSION_TTL=12h makes it a working day", () => {
  const base = plan("foo-admin").base;
  assert.equal(base.kind === "session-token" && base.duration, 8 * 3600);
  const day = plan("foo-admin", { env: { AWS_SESSION_TTL: "12h" } }).base;
  assert.equal(day.kind === "session-token" && day.duration, 12 * 3600);
});

Deno.test("plan: roles on a source without MFA prime with the role's serial, one code for both members", () => {
  for (const member of ["member1", "member2"]) {
    const p = plan(member, { env: { AWS_SESSION_TTL: "12h" } });
    assert.equal(p.base.kind, "session-token");
    if (p.base.kind !== "session-token") return;
    // Same cache slot for both roles: (org-master, the shared serial).
    assert.equal(p.base.profile, "org-master");
    assert.equal(p.base.mfaSerial, "arn:aws:iam::555555555555:mfa/me");
    assert.equal(p.base.duration, 12 * 3600);
    assert.equal(p.roles.length, 1);
    assert.equal(p.roles[0].mfaSerial, undefined, "the role rides on the MFA session");
  }
});

Deno.test("plan: a chained role asking for more than 1h is capped at 1h and says so", () => {
  const p = plan("bar-role2", { flags: { duration: 2 * 3600 } });
  assert.equal(p.base.kind, "session-token");
  const [middle, top] = p.roles;
  // --duration is for the final credentials; the role in the middle keeps its own 1h.
  assert.deepEqual([middle.duration, middle.cappedFrom], [3600, undefined]);
  assert.deepEqual([top.duration, top.cappedFrom], [3600, 2 * 3600]);
});

Deno.test("plan: a source whose own MFA device differs is not primed with the role's serial", () => {
  const p = plan("over-other-device");
  assert.equal(p.base.kind, "stored-keys");
  assert.equal(p.roles[0].mfaSerial, MFA);
});

Deno.test("plan: a profile with no source of credentials is an error naming it", () => {
  const bare = resolveProfile(parseConfig("[profile empty]\nregion = x\n"), "empty", {
    env: {},
    hasStoredKeys: () => false,
  });
  assert.throws(() => planCredentials(bare), /credentials missing for profile empty/);
});
