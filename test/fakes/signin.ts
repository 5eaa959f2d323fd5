/**
 * Fake AWS console federation endpoint (`https://signin.aws.amazon.com/federation`):
 * `Action=getSigninToken` trades temporary credentials the fake STS (or SSO portal) issued for
 * a sign-in token, `Action=login` redirects a valid token to its `Destination`.
 *
 * Strict as AWS is: only role and federation-token sessions are accepted (not long-term keys,
 * not GetSessionToken sessions), `SessionDuration` is refused with federation tokens and must lie
 * within 900..43200, and a sign-in token expires after 15 minutes. vault finds it through
 * `AWS_VAULT_SIGNIN_URL`, which {@link FakeAws.env} sets.
 */
import { AwsError, type AwsState, type Route, type Session } from "./aws.ts";
import type { WireRequest } from "./sigv4.ts";

/** A sign-in token getSigninToken handed out. */
export interface SigninToken {
  token: string;
  session: Session;
  sessionDuration?: number;
  expiresAt: Date;
}

const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const tokens = new WeakMap<AwsState, Map<string, SigninToken>>();

/** The sign-in tokens the fake issued for `aws`, by token. */
export function signinTokens(aws: AwsState): Map<string, SigninToken> {
  let map = tokens.get(aws);
  if (!map) {
    map = new Map();
    tokens.set(aws, map);
  }
  return map;
}

function badRequest(code: string, message: string): AwsError {
  return new AwsError(code, message, 400);
}

/** The session named in getSigninToken's `Session` JSON, checked as AWS checks it. */
function sessionFrom(aws: AwsState, text: string | undefined, now: Date): Session {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text ?? "");
  } catch {
    throw badRequest("InvalidSession", "Session is not valid JSON");
  }
  const { sessionId, sessionKey, sessionToken } = json ?? {};
  if ([sessionId, sessionKey, sessionToken].some((v) => typeof v !== "string" || v === "")) {
    throw badRequest("InvalidSession", "Session needs sessionId, sessionKey and sessionToken");
  }
  const session = aws.sessions.get(sessionId as string);
  if (
    !session || session.secretAccessKey !== sessionKey || session.sessionToken !== sessionToken ||
    session.expiration.getTime() <= now.getTime()
  ) {
    throw new AwsError("InvalidSession", "The session credentials are invalid or expired", 403);
  }
  if (
    session.issuedBy !== "AssumeRole" && session.issuedBy !== "GetFederationToken" &&
    session.issuedBy !== "AssumeRoleWithWebIdentity"
  ) {
    throw new AwsError(
      "InvalidSession",
      `Credentials from ${session.issuedBy} cannot sign in to the console`,
      403,
    );
  }
  return session;
}

/** The sign-in route over `aws`. */
export function signinRoute(aws: AwsState): Route {
  const issued = signinTokens(aws);
  const describe = (request: WireRequest) => {
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(request.query)) params[k] = v;
    const action = request.method === "GET" &&
        (params.Action === "getSigninToken" || params.Action === "login")
      ? params.Action
      : "";
    return { action, params, mfa: false };
  };
  return {
    service: "signin",
    endpointEnv: "AWS_VAULT_SIGNIN_URL",
    describe,
    claimsUnsigned: (request) => request.path === "/federation" && describe(request).action !== "",
    allowsUnsigned: (action) => action === "getSigninToken" || action === "login",
    handle({ action, params, now }) {
      if (action === "getSigninToken") {
        const session = sessionFrom(aws, params.Session, now);
        let sessionDuration: number | undefined;
        if (params.SessionDuration !== undefined) {
          if (session.issuedBy === "GetFederationToken") {
            throw badRequest(
              "InvalidParameter",
              "SessionDuration cannot be used with credentials from GetFederationToken",
            );
          }
          sessionDuration = Number(params.SessionDuration);
          if (
            !/^\d+$/.test(params.SessionDuration) || sessionDuration < 900 ||
            sessionDuration > 43200
          ) {
            throw badRequest("InvalidParameter", "SessionDuration must be 900..43200 seconds");
          }
        }
        const token = crypto.getRandomValues(new Uint8Array(48)).toBase64({
          alphabet: "base64url",
        });
        issued.set(token, {
          token,
          session,
          sessionDuration,
          expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS),
        });
        return Response.json({ SigninToken: token });
      }
      const token = issued.get(params.SigninToken ?? "");
      if (!token || token.expiresAt.getTime() <= now.getTime()) {
        throw new AwsError("InvalidSigninToken", "The sign-in token is invalid or expired", 400);
      }
      if (!params.Issuer) throw badRequest("InvalidParameter", "Issuer is required");
      let destination: URL;
      try {
        destination = new URL(params.Destination ?? "");
      } catch {
        throw badRequest("InvalidParameter", "Destination must be a URL");
      }
      return new Response(null, { status: 302, headers: { location: destination.href } });
    },
    errorResponse(error) {
      return new Response(`${error.code}: ${error.message}\n`, {
        status: error.status,
        headers: { "content-type": "text/plain" },
      });
    },
  };
}
