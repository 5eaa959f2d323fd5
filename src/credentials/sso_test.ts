import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { encodeOidcToken } from "../vault/items.ts";
import {
  type Clock,
  type DeviceAuthorization,
  type OidcApi,
  pollForToken,
  type SsoToken,
  tokenAction,
  tokenFromItem,
  tokenItem,
} from "./sso.ts";

const client = { clientId: "cid", clientSecret: "secret", clientSecretExpiresAt: 1_900_000_000 };
const device: DeviceAuthorization = {
  deviceCode: "dc",
  userCode: "ABCD-EFGH",
  verificationUri: "https://device.sso.example/",
  verificationUriComplete: "https://device.sso.example/?user_code=ABCD-EFGH",
  expiresIn: 600,
  interval: 2,
};

function named(name: string): Error {
  const e = new Error(name);
  e.name = name;
  return e;
}

/** A CreateToken that answers `answers` in turn, and a clock that records the waits. */
function scripted(answers: (string | "token")[]) {
  let t = 0;
  const waits: number[] = [];
  const clock: Clock = {
    now: () => new Date(t),
    sleep: (ms) => {
      waits.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
  const api: OidcApi = {
    registerClient: () => Promise.reject(new Error("not used")),
    startDeviceAuthorization: () => Promise.reject(new Error("not used")),
    createToken(_c, grant) {
      assert.deepEqual(grant, { deviceCode: "dc" });
      const answer = answers.shift();
      if (answer === "token") return Promise.resolve({ accessToken: "at", expiresIn: 3600 });
      return Promise.reject(named(answer ?? "NoMoreAnswers"));
    },
  };
  return { api, clock, waits };
}

Deno.test("polling waits the interval while authorization is pending", async () => {
  const { api, clock, waits } = scripted([
    "AuthorizationPendingException",
    "AuthorizationPendingException",
    "token",
  ]);
  assert.equal((await pollForToken(api, client, device, clock)).accessToken, "at");
  assert.deepEqual(waits, [2000, 2000, 2000]);
});

Deno.test("slow_down adds 5 seconds to this and every later wait", async () => {
  const { api, clock, waits } = scripted([
    "SlowDownException",
    "AuthorizationPendingException",
    "SlowDownException",
    "token",
  ]);
  await pollForToken(api, client, device, clock);
  assert.deepEqual(waits, [2000, 7000, 7000, 12000]);
});

Deno.test("without an interval the RFC's 5 seconds are used", async () => {
  const { api, clock, waits } = scripted(["token"]);
  await pollForToken(api, client, { ...device, interval: undefined }, clock);
  assert.deepEqual(waits, [5000]);
});

Deno.test("expired_token stops polling with an error naming the code", async () => {
  const { api, clock } = scripted(["AuthorizationPendingException", "ExpiredTokenException"]);
  await assert.rejects(
    pollForToken(api, client, device, clock),
    (e) => e instanceof UserError && /ABCD-EFGH expired/.test(e.message),
  );
});

Deno.test("polling stops once the device code's lifetime is over, even if the service keeps saying pending", async () => {
  const { api, clock, waits } = scripted(Array(1000).fill("AuthorizationPendingException"));
  await assert.rejects(pollForToken(api, client, { ...device, expiresIn: 10 }, clock), /expired/);
  assert.ok(waits.length <= 5, `polled ${waits.length} times`);
});

Deno.test("a denied request and other errors end the flow", async () => {
  await assert.rejects(
    pollForToken(scripted(["AccessDeniedException"]).api, client, device, scripted([]).clock),
    (e) => e instanceof UserError && /denied/.test(e.message),
  );
  const other = scripted(["InvalidClientException"]);
  await assert.rejects(pollForToken(other.api, client, device, other.clock), {
    name: "InvalidClientException",
  });
});

const now = new Date("2025-03-01T12:00:00Z");
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

Deno.test("a token is used while it lasts, refreshed near its end when allowed, else signed in again", () => {
  const refreshable: SsoToken = {
    accessToken: "at",
    expiration: minutes(60),
    refreshToken: "rt",
    client,
  };
  assert.equal(tokenAction(refreshable, now, true), "use");
  assert.equal(tokenAction({ ...refreshable, expiration: minutes(10) }, now, true), "refresh");
  assert.equal(tokenAction({ ...refreshable, expiration: minutes(-10) }, now, true), "refresh");
  // The session's scopes do not include sso:account:access: no refresh.
  assert.equal(tokenAction({ ...refreshable, expiration: minutes(10) }, now, false), "use");
  assert.equal(tokenAction({ ...refreshable, expiration: minutes(-10) }, now, false), "sign-in");
  // Without a refresh token, or with an expired client registration, only a new sign-in helps.
  const plain: SsoToken = { accessToken: "at", expiration: minutes(-1) };
  assert.equal(tokenAction(plain, now, true), "sign-in");
  const oldClient = {
    ...refreshable,
    expiration: minutes(-1),
    client: { ...client, clientSecretExpiresAt: 1 },
  };
  assert.equal(tokenAction(oldClient, now, true), "sign-in");
  // Seconds left are not enough for a GetRoleCredentials call.
  assert.equal(tokenAction({ accessToken: "at", expiration: minutes(0.5) }, now, true), "sign-in");
});

Deno.test("the vault item has aws-vault's shape and ByteNess's client fields", () => {
  const item = tokenItem(
    "https://x.awsapps.com/start",
    { accessToken: "at", expiresIn: 28800, refreshToken: "rt", tokenType: "Bearer" },
    client,
    now,
  );
  assert.equal(item.key, "oidc:https://x.awsapps.com/start");
  assert.deepEqual(JSON.parse(new TextDecoder().decode(item.data)), {
    Token: {
      AccessToken: "at",
      ExpiresIn: 28800,
      IdToken: null,
      RefreshToken: "rt",
      TokenType: "Bearer",
      ResultMetadata: {},
    },
    Expiration: "2025-03-01T20:00:00Z",
    ClientID: "cid",
    ClientSecret: "secret",
    ClientSecretExpiresAt: "2030-03-17T17:46:40Z",
  });
  assert.deepEqual(tokenFromItem(item), {
    accessToken: "at",
    expiration: new Date("2025-03-01T20:00:00Z"),
    refreshToken: "rt",
    client,
  });
});

Deno.test("a token written by aws-vault 7 (no client, null refresh token) is read", () => {
  const item = encodeOidcToken("https://x/start", {
    AccessToken: "at",
    ExpiresIn: 100,
    IdToken: null,
    RefreshToken: null,
    TokenType: null,
    ResultMetadata: {},
  }, minutes(5));
  assert.deepEqual(tokenFromItem(item), {
    accessToken: "at",
    expiration: minutes(5),
    refreshToken: undefined,
    client: undefined,
  });
});
