/**
 * Fake SSO portal (REST-JSON): GetRoleCredentials, authorized by the access token in the
 * `x-amz-sso_bearer_token` header (never SigV4). A token Identity Center did not issue, or one
 * that expired, answers 401 UnauthorizedException; a role the user is not assigned answers 403.
 * The credentials it hands out are STS sessions of the fake, so they sign later calls.
 */
import { AwsError, type AwsState, type Route } from "./aws.ts";
import type { WireRequest } from "./sigv4.ts";
import { ssoState } from "./sso_oidc.ts";

const BEARER = "x-amz-sso_bearer_token";
/** Role credentials last as long as the permission set's session duration (1 h by default). */
const ROLE_SESSION_SECONDS = 3600;

/** The SSO portal route over the Identity Center state of `aws`. */
export function ssoRoute(aws: AwsState): Route {
  const state = ssoState(aws);
  const describe = (request: WireRequest) => {
    const isCredentials = request.method === "GET" && request.path === "/federation/credentials";
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(request.query)) params[k] = v;
    const bearer = request.headers.get(BEARER);
    if (bearer !== null) params[BEARER] = bearer;
    return { action: isCredentials ? "GetRoleCredentials" : "", params, mfa: false };
  };
  return {
    service: "sso",
    endpointEnv: "AWS_ENDPOINT_URL_SSO",
    describe,
    claimsUnsigned: (request) => describe(request).action !== "",
    allowsUnsigned: (action) => action === "GetRoleCredentials",
    handle({ action, params, requestId, now }) {
      if (action !== "GetRoleCredentials") {
        throw new AwsError("UnknownOperationException", `Unknown operation ${action}`, 404);
      }
      const token = state.validToken(params[BEARER] ?? "", now);
      if (!token) {
        throw new AwsError("UnauthorizedException", "Session token not found or invalid", 401);
      }
      const account = params.account_id ?? "";
      const roleName = params.role_name ?? "";
      if (!account || !roleName) {
        throw new AwsError("InvalidRequestException", "account_id and role_name are required");
      }
      const role = state.assignments.get(`${account}/${roleName}`);
      if (!role) throw new AwsError("ForbiddenException", "No access", 403);
      const session = aws.issueSession(now, ROLE_SESSION_SECONDS, {
        issuedBy: "AssumeRole",
        identity: { type: "assumed-role", role, sessionName: "sso-user" },
        mfa: false,
        tags: {},
        transitiveTagKeys: [],
      });
      return new Response(
        JSON.stringify({
          roleCredentials: {
            accessKeyId: session.accessKeyId,
            secretAccessKey: session.secretAccessKey,
            sessionToken: session.sessionToken,
            expiration: session.expiration.getTime(),
          },
        }),
        {
          status: 200,
          headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
        },
      );
    },
    errorResponse(error, requestId) {
      return new Response(JSON.stringify({ message: error.message }), {
        status: error.status,
        headers: {
          "content-type": "application/json",
          "x-amzn-errortype": error.code,
          "x-amzn-requestid": requestId,
        },
      });
    },
  };
}
