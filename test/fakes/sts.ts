/**
 * Fake AWS STS (Query protocol, version 2011-06-15): GetCallerIdentity, GetSessionToken,
 * AssumeRole, GetFederationToken and AssumeRoleWithWebIdentity, with AWS's validation, trust
 * checks (MFA, ExternalId), duration limits (including the 1-hour limit on AssumeRole called
 * with temporary credentials) and error texts.
 */
import {
  AwsError,
  type AwsState,
  type Call,
  type Caller,
  identityAccount,
  identityArn,
  identityUserId,
  intParam,
  isoSeconds,
  optionalStringParam,
  queryList,
  queryRoute,
  type Route,
  type Session,
  stringParam,
  xmlNode,
  xmlText,
} from "./aws.ts";

const SESSION_NAME = { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/, patternText: "[\\w+=,.@-]*" };
const FEDERATED_NAME = { ...SESSION_NAME, max: 32 };
const ROLE_ARN = { min: 20, max: 2048 };
const SERIAL_NUMBER = {
  min: 9,
  max: 256,
  pattern: /^[\w+=/:,.@-]*$/,
  patternText: "[\\w+=/:,.@-]*",
};
const TOKEN_CODE = { min: 6, max: 6, pattern: /^\d*$/, patternText: "[\\d]*" };
const EXTERNAL_ID = {
  min: 2,
  max: 1224,
  pattern: /^[\w+=,.@:/-]*$/,
  patternText: "[\\w+=,.@:\\/-]*",
};
const POLICY = { min: 1, max: 2048 };

const ROLE_CHAINING_LIMIT = 3600;

/** The STS route over `state`. */
export function stsRoute(state: AwsState): Route {
  return queryRoute({
    service: "sts",
    endpointEnv: "AWS_ENDPOINT_URL_STS",
    version: "2011-06-15",
    xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
    actions: {
      GetCallerIdentity: ({ caller }) =>
        xmlText("Arn", identityArn(caller.identity)) +
        xmlText("UserId", identityUserId(caller.identity)) +
        xmlText("Account", identityAccount(caller.identity)),
      GetSessionToken: (call) => getSessionToken(state, call),
      AssumeRole: (call) => assumeRole(state, call),
      GetFederationToken: (call) => getFederationToken(state, call),
    },
    unsignedActions: {
      AssumeRoleWithWebIdentity: (call) => assumeRoleWithWebIdentity(state, call),
    },
  });
}

function credentialsXml(session: Session): string {
  return xmlNode(
    "Credentials",
    xmlText("AccessKeyId", session.accessKeyId),
    xmlText("SecretAccessKey", session.secretAccessKey),
    xmlText("SessionToken", session.sessionToken),
    xmlText("Expiration", isoSeconds(session.expiration)),
  );
}

function assumedRoleUserXml(session: Session): string {
  return xmlNode(
    "AssumedRoleUser",
    xmlText("Arn", identityArn(session.identity)),
    xmlText("AssumedRoleId", identityUserId(session.identity)),
  );
}

function refuseSessionCredentials(caller: Caller, action: string): void {
  if (caller.session) {
    throw new AwsError("AccessDenied", `Cannot call ${action} with session credentials`, 403);
  }
}

/** Whether the call carries an MFA code; checks it (and refuses a bad one) when it does. */
function mfaInCall(state: AwsState, call: Call & { caller: Caller }): boolean {
  const serial = optionalStringParam(call.params, "SerialNumber", SERIAL_NUMBER);
  const code = optionalStringParam(call.params, "TokenCode", TOKEN_CODE);
  if (serial === undefined && code === undefined) return false;
  if (serial === undefined || code === undefined) {
    throw new AwsError(
      "AccessDenied",
      "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass " +
        "code.",
      403,
    );
  }
  state.checkMfa(call.caller.sourceUser, serial, code, call.now);
  return true;
}

function getSessionToken(state: AwsState, call: Call & { caller: Caller }): string {
  const { caller, params } = call;
  refuseSessionCredentials(caller, "GetSessionToken");
  const duration = intParam(params, "DurationSeconds", { min: 900, max: 129600, fallback: 43200 });
  const mfa = mfaInCall(state, call);
  const session = state.issueSession(call.now, duration, {
    issuedBy: "GetSessionToken",
    identity: caller.identity,
    mfa,
    sourceUser: caller.sourceUser,
    tags: {},
    transitiveTagKeys: [],
  });
  return credentialsXml(session);
}

function notAuthorized(caller: Caller, action: string, resource: string): AwsError {
  return new AwsError(
    "AccessDenied",
    `User: ${identityArn(caller.identity)} is not authorized to perform: sts:${action} on ` +
      `resource: ${resource}`,
    403,
  );
}

function sessionTags(params: Record<string, string>) {
  const tags: Record<string, string> = {};
  for (const { Key, Value } of queryList(params, "Tags").values()) {
    if (Key === undefined || Value === undefined) {
      throw new AwsError("ValidationError", "Tags must each have a Key and a Value");
    }
    tags[Key] = Value;
  }
  const transitiveTagKeys = [...queryList(params, "TransitiveTagKeys").values()].map((e) => e[""]);
  return { tags, transitiveTagKeys };
}

function assumeRole(state: AwsState, call: Call & { caller: Caller }): string {
  const { caller, params } = call;
  const roleArn = stringParam(params, "RoleArn", ROLE_ARN);
  const sessionName = stringParam(params, "RoleSessionName", SESSION_NAME);
  const duration = intParam(params, "DurationSeconds", { min: 900, max: 43200, fallback: 3600 });
  const externalId = optionalStringParam(params, "ExternalId", EXTERNAL_ID);
  const sourceIdentity = optionalStringParam(params, "SourceIdentity", SESSION_NAME);
  optionalStringParam(params, "Policy", POLICY);
  const { tags, transitiveTagKeys } = sessionTags(params);
  const role = state.roles.get(roleArn);
  if (!role || caller.identity.type === "federated-user") {
    throw notAuthorized(caller, "AssumeRole", roleArn);
  }
  const mfa = mfaInCall(state, call) || caller.mfa;
  if (
    (role.requireMfa && !mfa) || (role.externalId !== undefined && externalId !== role.externalId)
  ) {
    throw notAuthorized(caller, "AssumeRole", roleArn);
  }
  if (caller.session && duration > ROLE_CHAINING_LIMIT) {
    throw new AwsError(
      "ValidationError",
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role " +
        "chaining.",
    );
  }
  if (duration > role.maxDuration) {
    throw new AwsError(
      "ValidationError",
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  }
  const inherited = caller.session;
  const session = state.issueSession(call.now, duration, {
    issuedBy: "AssumeRole",
    identity: { type: "assumed-role", role, sessionName },
    mfa,
    sourceUser: caller.sourceUser,
    tags: { ...transitiveTags(inherited), ...tags },
    transitiveTagKeys: [
      ...new Set([...(inherited?.transitiveTagKeys ?? []), ...transitiveTagKeys]),
    ],
    sourceIdentity: inherited?.sourceIdentity ?? sourceIdentity,
  });
  const packed = Object.keys(tags).length > 0 || params.Policy !== undefined;
  return (session.sourceIdentity === undefined
    ? ""
    : xmlText("SourceIdentity", session.sourceIdentity)) +
    assumedRoleUserXml(session) +
    credentialsXml(session) +
    (packed ? xmlText("PackedPolicySize", 6) : "");
}

/** Tags a chained session carries over from the session that assumed it. */
function transitiveTags(session: Session | undefined): Record<string, string> {
  if (!session) return {};
  return Object.fromEntries(
    session.transitiveTagKeys.filter((k) => k in session.tags).map((k) => [k, session.tags[k]]),
  );
}

function getFederationToken(state: AwsState, call: Call & { caller: Caller }): string {
  const { caller, params } = call;
  refuseSessionCredentials(caller, "GetFederationToken");
  const name = stringParam(params, "Name", FEDERATED_NAME);
  const duration = intParam(params, "DurationSeconds", { min: 900, max: 129600, fallback: 43200 });
  optionalStringParam(params, "Policy", POLICY);
  if (caller.identity.type !== "user") throw notAuthorized(caller, "GetFederationToken", name);
  const user = caller.identity.user;
  const session = state.issueSession(call.now, duration, {
    issuedBy: "GetFederationToken",
    identity: { type: "federated-user", user, name },
    mfa: false,
    sourceUser: user,
    tags: {},
    transitiveTagKeys: [],
  });
  return credentialsXml(session) +
    xmlNode(
      "FederatedUser",
      xmlText("Arn", identityArn(session.identity)),
      xmlText("FederatedUserId", identityUserId(session.identity)),
    ) +
    (params.Policy === undefined ? "" : xmlText("PackedPolicySize", 6));
}

function assumeRoleWithWebIdentity(state: AwsState, call: Call): string {
  const { params } = call;
  const roleArn = stringParam(params, "RoleArn", ROLE_ARN);
  const sessionName = stringParam(params, "RoleSessionName", SESSION_NAME);
  const token = stringParam(params, "WebIdentityToken", { min: 4, max: 20000 });
  const duration = intParam(params, "DurationSeconds", { min: 900, max: 43200, fallback: 3600 });
  const web = state.webIdentityTokens.get(token);
  if (!web) {
    throw new AwsError(
      "InvalidIdentityToken",
      "The web identity token that was passed could not be validated by AWS. Get a new identity " +
        "token from the identity provider and then retry the request.",
    );
  }
  const role = state.roles.get(roleArn);
  // A web identity carries no MFA, so a role whose trust demands it cannot be assumed this way.
  if (!role || role.requireMfa || role.externalId !== undefined) {
    throw new AwsError(
      "AccessDenied",
      "Not authorized to perform sts:AssumeRoleWithWebIdentity",
      403,
    );
  }
  if (duration > role.maxDuration) {
    throw new AwsError(
      "ValidationError",
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  }
  const session = state.issueSession(call.now, duration, {
    issuedBy: "AssumeRoleWithWebIdentity",
    identity: { type: "assumed-role", role, sessionName },
    mfa: false,
    tags: {},
    transitiveTagKeys: [],
  });
  return xmlText("SubjectFromWebIdentityToken", web.subject) +
    xmlText("Audience", web.audience) +
    assumedRoleUserXml(session) +
    credentialsXml(session) +
    xmlText("Provider", web.provider);
}
