// The fakes as real clients see them: the SDK v3 STS and IAM clients and /usr/bin/aws.
import assert from "node:assert/strict";
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  type GetSessionTokenCommandInput,
  STSClient,
} from "@aws-sdk/client-sts";
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { type FakeAws, startFakeAws } from "./server.ts";
import { randomTotpSeed, totp } from "./totp.ts";

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const ROLE = "arn:aws:iam::123456789012:role/admin";
const MFA_ROLE = "arn:aws:iam::123456789012:role/mfa-admin";
const CHAIN_MESSAGE =
  "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.";
const BAD_CODE_MESSAGE = "MultiFactorAuthentication failed with invalid MFA one time pass code.";

/** SDK clients made during one test, all pointed at the fakes and destroyed at its end. */
class Clients {
  readonly #made: { destroy(): void }[] = [];

  constructor(readonly aws: FakeAws) {}

  sts(
    keys?: Keys,
    options: { endpoint?: string; maxAttempts?: number; systemClockOffset?: number } = {},
  ) {
    return this.#keep(
      new STSClient({
        region: "us-east-1",
        endpoint: this.aws.endpoint("sts"),
        maxAttempts: 1,
        ...(keys ? { credentials: keys } : {}),
        ...options,
      }),
    );
  }

  iam(keys: Keys, options: { endpoint?: string } = {}) {
    return this.#keep(
      new IAMClient({
        region: "us-east-1",
        endpoint: this.aws.endpoint("iam"),
        maxAttempts: 1,
        credentials: keys,
        ...options,
      }),
    );
  }

  #keep<T extends { destroy(): void }>(client: T): T {
    this.#made.push(client);
    return client;
  }

  destroy() {
    for (const client of this.#made) client.destroy();
  }
}

function fakeTest(name: string, fn: (aws: FakeAws, clients: Clients) => Promise<void>) {
  Deno.test(name, async () => {
    await using aws = await startFakeAws();
    const clients = new Clients(aws);
    try {
      await fn(aws, clients);
    } finally {
      clients.destroy();
    }
  });
}

function keysOf(
  credentials:
    | { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }
    | undefined,
): Keys {
  assert.ok(credentials?.AccessKeyId && credentials.SecretAccessKey);
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
  };
}

async function rejectsWith(promise: Promise<unknown>, name: string, message?: string | RegExp) {
  await assert.rejects(promise, (e: Error) => {
    assert.equal(e.name, name, e.message);
    if (typeof message === "string") assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

/** A six-digit code that is none of the codes valid around now. */
function wrongCode(seed: string): string {
  const valid = [-60_000, -30_000, 0, 30_000, 60_000].map((d) => totp(seed, Date.now() + d));
  return ["000000", "111111", "222222", "333333", "444444", "555555"].find((c) =>
    !valid.includes(c)
  )!;
}

async function oathtool(seed: string): Promise<string> {
  const out = await new Deno.Command("oathtool", { args: ["--totp", "-b", seed], stdout: "piped" })
    .output();
  assert.equal(out.code, 0);
  return new TextDecoder().decode(out.stdout).trim();
}

/** Asserts an expiration about `seconds` from now, give or take a minute. */
function assertExpiresIn(expiration: Date | undefined, seconds: number) {
  assert.ok(expiration instanceof Date);
  const expected = Date.now() + seconds * 1000;
  assert.ok(Math.abs(expiration.getTime() - expected) < 60_000, `${expiration.toISOString()}`);
}

fakeTest("GetCallerIdentity answers the user the SDK signed for", async (aws, clients) => {
  const alice = aws.addUser({ userName: "alice", account: "111122223333" });
  const identity = await clients.sts(alice).send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Arn, "arn:aws:iam::111122223333:user/alice");
  assert.equal(identity.Account, "111122223333");
  assert.match(identity.UserId ?? "", /^AIDA[A-Z2-7]{17}$/);
  assert.deepEqual(aws.calls("sts", "GetCallerIdentity").map((c) => [c.accessKeyId, c.ok]), [
    [alice.accessKeyId, true],
  ]);
});

fakeTest("a wrong secret or an unknown key is refused", async (aws, clients) => {
  const alice = aws.addUser({ userName: "alice" });
  await rejectsWith(
    clients.sts({ ...alice, secretAccessKey: `${alice.secretAccessKey}x` })
      .send(new GetCallerIdentityCommand({})),
    "SignatureDoesNotMatch",
    /^The request signature we calculated does not match/,
  );
  await rejectsWith(
    clients.sts({ ...alice, accessKeyId: "AKIAIOSFODNN7EXAMPLE" }).send(
      new GetCallerIdentityCommand({}),
    ),
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
  );
  assert.deepEqual(aws.calls().map((c) => c.error), [
    "SignatureDoesNotMatch",
    "InvalidClientTokenId",
  ]);
});

fakeTest(
  "a clock more than 15 minutes off is refused until the SDK corrects it",
  async (aws, clients) => {
    const alice = aws.addUser({ userName: "alice" });
    const skewed = clients.sts(alice, { systemClockOffset: -20 * 60_000 });
    await rejectsWith(
      skewed.send(new GetCallerIdentityCommand({})),
      "SignatureDoesNotMatch",
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    // The SDK took the server's Date header from the refusal and fixed its clock offset.
    assert.equal((await skewed.send(new GetCallerIdentityCommand({}))).Arn, alice.arn);
  },
);

fakeTest(
  "GetSessionToken without MFA issues working 12-hour session credentials",
  async (aws, clients) => {
    const alice = aws.addUser({ userName: "alice" });
    const { Credentials } = await clients.sts(alice).send(new GetSessionTokenCommand({}));
    assert.match(Credentials?.AccessKeyId ?? "", /^ASIA[A-Z2-7]{16}$/);
    assertExpiresIn(Credentials?.Expiration, 43200);
    const session = keysOf(Credentials);
    const identity = await clients.sts(session).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, alice.arn);
    assert.equal(aws.sessions.get(session.accessKeyId)?.mfa, false);
    await rejectsWith(
      clients.sts(alice).send(new GetSessionTokenCommand({ DurationSeconds: 129601 })),
      "ValidationError",
      "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: " +
        "Member must have value less than or equal to 129600",
    );
  },
);

fakeTest(
  "temporary credentials need their own session token and stop at expiry",
  async (aws, clients) => {
    const alice = aws.addUser({ userName: "alice" });
    const other = keysOf(
      (await clients.sts(alice).send(new GetSessionTokenCommand({}))).Credentials,
    );
    const session = keysOf(
      (await clients.sts(alice).send(new GetSessionTokenCommand({}))).Credentials,
    );
    const call = (keys: Keys) => clients.sts(keys).send(new GetCallerIdentityCommand({}));
    await rejectsWith(call({ ...session, sessionToken: undefined }), "InvalidClientTokenId");
    await rejectsWith(
      call({ ...session, sessionToken: other.sessionToken }),
      "InvalidClientTokenId",
    );
    await call(session);
    aws.expireCredentials(session.accessKeyId);
    await rejectsWith(
      call(session),
      "ExpiredToken",
      "The security token included in the request is expired",
    );
  },
);

fakeTest("GetSessionToken with MFA takes codes from totp() and oathtool", async (aws, clients) => {
  const seeds = [randomTotpSeed(), randomTotpSeed()];
  const alice = aws.addUser({ userName: "alice", mfaSeed: seeds[0] });
  const bob = aws.addUser({ userName: "bob", mfaSeed: seeds[1] });
  assert.equal(alice.mfaSerial, "arn:aws:iam::123456789012:mfa/alice");
  for (const [user, code] of [[alice, totp(seeds[0])], [bob, await oathtool(seeds[1])]] as const) {
    const { Credentials } = await clients.sts(user).send(
      new GetSessionTokenCommand({
        SerialNumber: user.mfaSerial,
        TokenCode: code,
        DurationSeconds: 3600,
      }),
    );
    assertExpiresIn(Credentials?.Expiration, 3600);
    assert.equal(aws.sessions.get(keysOf(Credentials).accessKeyId)?.mfa, true);
  }
  assert.deepEqual(aws.calls("sts", "GetSessionToken").map((c) => c.mfa), [true, true]);
});

fakeTest("a wrong, reused or foreign MFA code is refused", async (aws, clients) => {
  const seed = randomTotpSeed();
  const alice = aws.addUser({ userName: "alice", mfaSeed: seed });
  const bob = aws.addUser({ userName: "bob", mfaSeed: randomTotpSeed() });
  const getSessionToken = (input: GetSessionTokenCommandInput, keys: Keys = alice) =>
    clients.sts(keys).send(new GetSessionTokenCommand(input));
  const serial = alice.mfaSerial!;
  await rejectsWith(
    getSessionToken({ SerialNumber: serial, TokenCode: wrongCode(seed) }),
    "AccessDenied",
    BAD_CODE_MESSAGE,
  );
  await rejectsWith(
    getSessionToken({ SerialNumber: serial, TokenCode: "12345" }),
    "ValidationError",
    /at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6$/,
  );
  await rejectsWith(
    getSessionToken({ SerialNumber: serial, TokenCode: totp(seed) }, bob),
    "AccessDenied",
    /^MultiFactorAuthentication failed, unable to validate MFA code/,
  );
  const code = totp(seed);
  await getSessionToken({ SerialNumber: serial, TokenCode: code });
  await rejectsWith(
    getSessionToken({ SerialNumber: serial, TokenCode: code }),
    "AccessDenied",
    BAD_CODE_MESSAGE,
  );
  aws.allowMfaCodeReuse = true;
  await getSessionToken({ SerialNumber: serial, TokenCode: code });
});

fakeTest("GetSessionToken refuses session credentials", async (aws, clients) => {
  const alice = aws.addUser({ userName: "alice" });
  const session = keysOf(
    (await clients.sts(alice).send(new GetSessionTokenCommand({}))).Credentials,
  );
  await rejectsWith(
    clients.sts(session).send(new GetSessionTokenCommand({})),
    "AccessDenied",
    "Cannot call GetSessionToken with session credentials",
  );
});

fakeTest(
  "AssumeRole from session credentials, and chaining limited to one hour",
  async (aws, clients) => {
    const alice = aws.addUser({ userName: "alice" });
    aws.addRole({ arn: ROLE, maxDuration: 43200 });
    const session = keysOf(
      (await clients.sts(alice).send(new GetSessionTokenCommand({}))).Credentials,
    );
    const assume = (keys: Keys, input: Partial<AssumeRoleCommandInput>) =>
      clients.sts(keys).send(
        new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "alice", ...input }),
      );

    const first = await assume(session, {});
    assert.equal(first.AssumedRoleUser?.Arn, "arn:aws:sts::123456789012:assumed-role/admin/alice");
    assertExpiresIn(first.Credentials?.Expiration, 3600);
    const role = keysOf(first.Credentials);
    const identity = await clients.sts(role).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, "arn:aws:sts::123456789012:assumed-role/admin/alice");
    assert.match(identity.UserId ?? "", /^AROA[A-Z2-7]{17}:alice$/);

    await rejectsWith(assume(role, { DurationSeconds: 3601 }), "ValidationError", CHAIN_MESSAGE);
    await rejectsWith(assume(session, { DurationSeconds: 7200 }), "ValidationError", CHAIN_MESSAGE);
    await assume(role, { DurationSeconds: 3600 });
    // From long-term keys the role's own maximum applies.
    const long = await assume(alice, { DurationSeconds: 43200 });
    assertExpiresIn(long.Credentials?.Expiration, 43200);
  },
);

fakeTest(
  "AssumeRole enforces the role's maximum, existence and session name",
  async (aws, clients) => {
    const alice = aws.addUser({ userName: "alice" });
    aws.addRole({ arn: ROLE });
    const assume = (input: Partial<AssumeRoleCommandInput>) =>
      clients.sts(alice).send(
        new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "alice", ...input }),
      );
    await rejectsWith(
      assume({ DurationSeconds: 7200 }),
      "ValidationError",
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
    await rejectsWith(
      assume({ DurationSeconds: 899 }),
      "ValidationError",
      /greater than or equal to 900$/,
    );
    await rejectsWith(
      assume({ RoleArn: "arn:aws:iam::123456789012:role/missing" }),
      "AccessDenied",
      `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ` +
        "arn:aws:iam::123456789012:role/missing",
    );
    await rejectsWith(
      assume({ RoleSessionName: "has space" }),
      "ValidationError",
      "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy " +
        "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    await rejectsWith(
      assume({ RoleSessionName: "a" }),
      "ValidationError",
      /length greater than or equal to 2$/,
    );
    await rejectsWith(
      assume({ RoleSessionName: "a".repeat(65) }),
      "ValidationError",
      /less than or equal to 64$/,
    );
    await rejectsWith(
      assume({ RoleSessionName: undefined }),
      "ValidationError",
      /Value null at 'roleSessionName'/,
    );
  },
);

fakeTest("a role that requires MFA is refused without it", async (aws, clients) => {
  const seed = randomTotpSeed();
  const alice = aws.addUser({ userName: "alice", mfaSeed: seed });
  aws.addRole({ arn: MFA_ROLE, requireMfa: true });
  const assume = (keys: Keys, input: Partial<AssumeRoleCommandInput> = {}) =>
    clients.sts(keys).send(
      new AssumeRoleCommand({ RoleArn: MFA_ROLE, RoleSessionName: "alice", ...input }),
    );
  await rejectsWith(assume(alice), "AccessDenied", /is not authorized to perform: sts:AssumeRole/);
  const plain = keysOf((await clients.sts(alice).send(new GetSessionTokenCommand({}))).Credentials);
  await rejectsWith(assume(plain), "AccessDenied", /is not authorized to perform: sts:AssumeRole/);
  await rejectsWith(
    assume(alice, { SerialNumber: alice.mfaSerial, TokenCode: wrongCode(seed) }),
    "AccessDenied",
    BAD_CODE_MESSAGE,
  );

  // MFA in the AssumeRole call itself.
  const now = Date.now();
  await assume(alice, { SerialNumber: alice.mfaSerial, TokenCode: totp(seed, now) });
  // MFA carried by a session from GetSessionToken with MFA: no code needed any more.
  const mfaSession = keysOf(
    (await clients.sts(alice).send(
      new GetSessionTokenCommand({
        SerialNumber: alice.mfaSerial,
        TokenCode: totp(seed, now + 30_000),
      }),
    )).Credentials,
  );
  await assume(mfaSession);
  await assume(mfaSession);
  assert.deepEqual(aws.calls("sts", "AssumeRole").map((c) => [c.mfa, c.ok]), [
    [false, false],
    [false, false],
    [true, false],
    [true, true],
    [false, true],
    [false, true],
  ]);
});

fakeTest(
  "a role that requires an ExternalId is refused without the right one",
  async (aws, clients) => {
    const alice = aws.addUser({ userName: "alice" });
    aws.addRole({ arn: ROLE, externalId: "partner-42" });
    const assume = (ExternalId?: string) =>
      clients.sts(alice).send(
        new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "alice", ExternalId }),
      );
    await rejectsWith(assume(), "AccessDenied");
    await rejectsWith(assume("partner-41"), "AccessDenied");
    await assume("partner-42");
  },
);

fakeTest(
  "AssumeRole records session tags, transitive keys and source identity",
  async (aws, clients) => {
    const alice = aws.addUser({ userName: "alice" });
    aws.addRole({ arn: ROLE });
    const first = await clients.sts(alice).send(
      new AssumeRoleCommand({
        RoleArn: ROLE,
        RoleSessionName: "alice",
        Tags: [{ Key: "team", Value: "blue" }, { Key: "cost", Value: "a b&c" }],
        TransitiveTagKeys: ["team"],
        SourceIdentity: "alice@example.com",
      }),
    );
    assert.equal(first.SourceIdentity, "alice@example.com");
    const session = aws.sessions.get(keysOf(first.Credentials).accessKeyId);
    assert.deepEqual(session?.tags, { team: "blue", cost: "a b&c" });
    assert.deepEqual(session?.transitiveTagKeys, ["team"]);
    // A chained session keeps the transitive tag and the source identity.
    const chained = await clients.sts(keysOf(first.Credentials)).send(
      new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "chained" }),
    );
    const next = aws.sessions.get(keysOf(chained.Credentials).accessKeyId);
    assert.deepEqual(next?.tags, { team: "blue" });
    assert.equal(next?.sourceIdentity, "alice@example.com");
  },
);

fakeTest("GetFederationToken serves IAM users only", async (aws, clients) => {
  const alice = aws.addUser({ userName: "alice" });
  const federated = await clients.sts(alice).send(
    new GetFederationTokenCommand({
      Name: "alice",
      Policy: '{"Version":"2012-10-17"}',
      DurationSeconds: 3600,
    }),
  );
  assert.equal(federated.FederatedUser?.Arn, "arn:aws:sts::123456789012:federated-user/alice");
  assertExpiresIn(federated.Credentials?.Expiration, 3600);
  const keys = keysOf(federated.Credentials);
  const identity = await clients.sts(keys).send(new GetCallerIdentityCommand({}));
  assert.equal(identity.UserId, "123456789012:alice");
  await rejectsWith(
    clients.sts(keys).send(new GetFederationTokenCommand({ Name: "again" })),
    "AccessDenied",
    "Cannot call GetFederationToken with session credentials",
  );
});

fakeTest(
  "AssumeRoleWithWebIdentity is unsigned and takes only registered tokens",
  async (aws, clients) => {
    aws.addRole({ arn: ROLE });
    aws.addWebIdentityToken("header.payload.signature", "system:serviceaccount:ci:deployer");
    const assume = (WebIdentityToken: string) =>
      clients.sts().send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: ROLE,
          RoleSessionName: "ci",
          WebIdentityToken,
        }),
      );
    const result = await assume("header.payload.signature");
    assert.equal(result.SubjectFromWebIdentityToken, "system:serviceaccount:ci:deployer");
    assert.equal(result.AssumedRoleUser?.Arn, "arn:aws:sts::123456789012:assumed-role/admin/ci");
    const identity = await clients.sts(keysOf(result.Credentials)).send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(identity.Arn, "arn:aws:sts::123456789012:assumed-role/admin/ci");
    await rejectsWith(assume("forged.token.value"), "InvalidIdentityTokenException");
    assert.deepEqual(
      aws.calls("sts", "AssumeRoleWithWebIdentity").map((c) => [c.accessKeyId, c.ok]),
      [
        [undefined, true],
        [undefined, false],
      ],
    );
  },
);

fakeTest("unsigned calls other than web identity are refused", async (aws) => {
  const response = await fetch(aws.endpoint("sts"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=GetCallerIdentity&Version=2011-06-15",
  });
  assert.equal(response.status, 403);
  assert.match(await response.text(), /<Code>MissingAuthenticationToken<\/Code>/);
});

fakeTest("IAM creates, lists, deactivates and deletes access keys", async (aws, clients) => {
  const alice = aws.addUser({ userName: "alice" });
  const iam = clients.iam(alice);
  assert.equal((await iam.send(new GetUserCommand({}))).User?.Arn, alice.arn);
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({}));
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey);
  const fresh = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
  assert.equal((await clients.sts(fresh).send(new GetCallerIdentityCommand({}))).Arn, alice.arn);
  const listed = await iam.send(new ListAccessKeysCommand({}));
  assert.deepEqual(listed.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status]), [
    [alice.accessKeyId, "Active"],
    [fresh.accessKeyId, "Active"],
  ]);
  await rejectsWith(
    iam.send(new CreateAccessKeyCommand({})),
    "LimitExceededException",
    "Cannot exceed quota for AccessKeysPerUser: 2",
  );

  const freshIam = clients.iam(fresh);
  await freshIam.send(
    new UpdateAccessKeyCommand({ AccessKeyId: alice.accessKeyId, Status: "Inactive" }),
  );
  await rejectsWith(
    clients.sts(alice).send(new GetCallerIdentityCommand({})),
    "InvalidClientTokenId",
  );
  await freshIam.send(new DeleteAccessKeyCommand({ AccessKeyId: alice.accessKeyId }));
  assert.deepEqual(aws.accessKeysOf("alice").map((k) => k.accessKeyId), [fresh.accessKeyId]);
  await rejectsWith(
    freshIam.send(new DeleteAccessKeyCommand({ AccessKeyId: alice.accessKeyId })),
    "NoSuchEntityException",
    `The Access Key with id ${alice.accessKeyId} cannot be found.`,
  );
});

fakeTest("IAM keys can take a few calls to propagate", async (aws, clients) => {
  const alice = aws.addUser({ userName: "alice" });
  aws.keyPropagationCalls = 2;
  const { AccessKey } = await clients.iam(alice).send(new CreateAccessKeyCommand({}));
  const fresh = {
    accessKeyId: AccessKey!.AccessKeyId!,
    secretAccessKey: AccessKey!.SecretAccessKey!,
  };
  const call = () => clients.iam(fresh).send(new ListAccessKeysCommand({}));
  await rejectsWith(call(), "InvalidClientTokenId");
  await rejectsWith(call(), "InvalidClientTokenId");
  await call();
});

fakeTest("IAM takes session tokens only when they were obtained with MFA", async (aws, clients) => {
  const seed = randomTotpSeed();
  const alice = aws.addUser({ userName: "alice", mfaSeed: seed });
  const plain = keysOf((await clients.sts(alice).send(new GetSessionTokenCommand({}))).Credentials);
  await rejectsWith(clients.iam(plain).send(new GetUserCommand({})), "InvalidClientTokenId");
  const withMfa = keysOf(
    (await clients.sts(alice).send(
      new GetSessionTokenCommand({ SerialNumber: alice.mfaSerial, TokenCode: totp(seed) }),
    )).Credentials,
  );
  assert.equal((await clients.iam(withMfa).send(new GetUserCommand({}))).User?.UserName, "alice");
});

fakeTest(
  "the shared URL routes by the credential scope; service endpoints refuse others",
  async (aws, clients) => {
    const alice = aws.addUser({ userName: "alice" });
    const user = await clients.iam(alice, { endpoint: aws.url }).send(new GetUserCommand({}));
    assert.equal(user.User?.UserName, "alice");
    const identity = await clients.sts(alice, { endpoint: aws.url }).send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(identity.Arn, alice.arn);
    await rejectsWith(
      clients.iam(alice, { endpoint: aws.endpoint("sts") }).send(new GetUserCommand({})),
      "SignatureDoesNotMatch",
      /Credential should be scoped to correct service: 'sts'/,
    );
  },
);

fakeTest("each fault kind reaches the SDK as the error it causes", async (aws, clients) => {
  const alice = aws.addUser({ userName: "alice" });
  const call = () => clients.sts(alice).send(new GetCallerIdentityCommand({}));
  await aws.fault("sts", { kind: "500", times: 1 });
  await assert.rejects(
    call(),
    (e: Error & { $fault?: string; $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, "InternalFailure");
      assert.equal(e.$fault, "server");
      assert.equal(e.$metadata?.httpStatusCode, 500);
      return true;
    },
  );
  await aws.fault("sts", { kind: "throttle", times: 1 });
  await rejectsWith(call(), "Throttling", "Rate exceeded");
  await aws.fault("sts", { kind: "garbage", times: 1 });
  await assert.rejects(call(), /XML parse error/);
  await aws.fault("sts", { kind: "refuse" });
  await assert.rejects(call(), (e: Error & { code?: string }) => e.code === "ECONNREFUSED");
  // IAM is unaffected, and so is the shared URL.
  await clients.iam(alice).send(new GetUserCommand({}));
  await clients.sts(alice, { endpoint: aws.url }).send(new GetCallerIdentityCommand({}));
  aws.clearFaults("sts");
  await call();
  assert.deepEqual(aws.calls("sts").map((c) => c.error), [
    "InternalFailure",
    "Throttling",
    "garbage",
    undefined,
    undefined,
  ]);
});

fakeTest(
  "the SDK retries through a fault that lasts fewer calls than its attempts",
  async (aws, clients) => {
    const alice = aws.addUser({ userName: "alice" });
    await aws.fault("sts", { kind: "500", times: 2 });
    const identity = await clients.sts(alice, { maxAttempts: 3 }).send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(identity.Arn, alice.arn);
    assert.deepEqual(aws.calls("sts").map((c) => c.ok), [false, false, true]);
    await aws.fault("iam", { kind: "throttle" });
    for (let i = 0; i < 3; i++) {
      await rejectsWith(clients.iam(alice).send(new GetUserCommand({})), "Throttling");
    }
  },
);

/** The environment of a child process: ours without AWS_* settings, plus `extra`. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([k]) => !k.startsWith("AWS_")),
  );
  return {
    ...env,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

async function run(command: string, args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(command, {
    args,
    env,
    clearEnv: true,
    cwd: new URL("../..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

fakeTest("the SDK finds the fakes through env(): AWS_ENDPOINT_URL_STS and _IAM", async (aws) => {
  const alice = aws.addUser({ userName: "alice" });
  const script = `
    const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
    const { IAMClient, GetUserCommand } = await import("@aws-sdk/client-iam");
    const sts = new STSClient({}), iam = new IAMClient({});
    console.log((await sts.send(new GetCallerIdentityCommand({}))).Arn);
    console.log((await iam.send(new GetUserCommand({}))).User.UserName);
    sts.destroy(); iam.destroy();`;
  const result = await run(
    Deno.execPath(),
    ["eval", script],
    childEnv({
      ...aws.env("eu-west-1"),
      AWS_ACCESS_KEY_ID: alice.accessKeyId,
      AWS_SECRET_ACCESS_KEY: alice.secretAccessKey,
    }),
  );
  assert.equal(result.stdout, `${alice.arn}\nalice\n`, result.stderr);
  assert.deepEqual(aws.calls().map((c) => `${c.service}:${c.action}`), [
    "sts:GetCallerIdentity",
    "iam:GetUser",
  ]);
});

fakeTest("the AWS CLI v2 works against the fakes with --endpoint-url", async (aws) => {
  const alice = aws.addUser({ userName: "alice" });
  const cli = (secretAccessKey: string) =>
    run(
      "/usr/bin/aws",
      ["sts", "get-caller-identity", "--endpoint-url", aws.url, "--output", "json"],
      childEnv({
        AWS_ACCESS_KEY_ID: alice.accessKeyId,
        AWS_SECRET_ACCESS_KEY: secretAccessKey,
        AWS_REGION: "eu-central-1",
      }),
    );
  const [good, bad] = await Promise.all([cli(alice.secretAccessKey), cli("not-the-secret")]);
  assert.equal(good.code, 0, good.stderr);
  assert.equal(JSON.parse(good.stdout).Arn, alice.arn);
  assert.notEqual(bad.code, 0);
  assert.match(
    bad.stderr,
    /\(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation/,
  );
});
