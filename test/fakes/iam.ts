/**
 * Fake AWS IAM (Query protocol, version 2010-05-08): GetUser and the access key operations
 * `rotate` needs (ListAccessKeys, CreateAccessKey, DeleteAccessKey, UpdateAccessKey), with IAM's
 * two-keys-per-user limit, its refusal of session tokens obtained without MFA, and optional
 * propagation delay of new keys ({@link AwsState.keyPropagationCalls}).
 */
import {
  type AccessKey,
  AwsError,
  type AwsState,
  type Call,
  type Caller,
  type IamUser,
  identityAccount,
  invalidClientTokenId,
  isoSeconds,
  optionalStringParam,
  queryRoute,
  type Route,
  stringParam,
  validationError,
  xmlNode,
  xmlText,
} from "./aws.ts";

const USER_NAME = { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: "[\\w+=,.@-]+" };
const ACCESS_KEY_ID = { min: 16, max: 128, pattern: /^\w+$/, patternText: "[\\w]+" };

type SignedCall = Call & { caller: Caller };

/** The IAM route over `state`. */
export function iamRoute(state: AwsState): Route {
  // IAM refuses every call made with credentials it does not accept, whatever the operation.
  const guarded = (action: (call: SignedCall) => string | undefined) => (call: SignedCall) => {
    refuseUnacceptedCredentials(call.caller);
    return action(call);
  };
  return queryRoute({
    service: "iam",
    endpointEnv: "AWS_ENDPOINT_URL_IAM",
    version: "2010-05-08",
    xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
    actions: {
      GetUser: guarded((call) => userXml(targetUser(state, call))),
      ListAccessKeys: guarded((call) => {
        const user = targetUser(state, call);
        const keys = state.accessKeysOf(user.userName, user.account);
        return xmlText("UserName", user.userName) +
          xmlNode(
            "AccessKeyMetadata",
            ...keys.map((k) => xmlNode("member", ...accessKeyFields(k))),
          ) +
          xmlText("IsTruncated", false);
      }),
      CreateAccessKey: guarded((call) => {
        const key = state.createAccessKey(targetUser(state, call), state.keyPropagationCalls);
        return xmlNode(
          "AccessKey",
          ...accessKeyFields(key),
          xmlText("SecretAccessKey", key.secretAccessKey),
        );
      }),
      DeleteAccessKey: guarded((call) => {
        state.accessKeys.delete(ownKey(state, call).accessKeyId);
        return undefined;
      }),
      UpdateAccessKey: guarded((call) => {
        const status = stringParam(call.params, "Status", { min: 1, max: 8 });
        if (status !== "Active" && status !== "Inactive") {
          throw validationError(
            "Status",
            status,
            "Member must satisfy enum value set: [Active, Inactive]",
          );
        }
        ownKey(state, call).status = status;
        return undefined;
      }),
    },
  });
}

/**
 * IAM takes no session token from GetSessionToken unless it was obtained with MFA, and none from
 * GetFederationToken.
 */
function refuseUnacceptedCredentials(caller: Caller): void {
  const issuer = caller.session?.issuedBy;
  if ((issuer === "GetSessionToken" && !caller.mfa) || issuer === "GetFederationToken") {
    throw invalidClientTokenId();
  }
}

/** The user named by `UserName`, else the calling user; roles must name one. */
function targetUser(state: AwsState, call: SignedCall): IamUser {
  const { caller, params } = call;
  const userName = optionalStringParam(params, "UserName", USER_NAME);
  if (userName === undefined) {
    if (caller.identity.type === "user") return caller.identity.user;
    throw new AwsError(
      "ValidationError",
      "Must specify userName when calling with non-User credentials",
    );
  }
  const user = state.findUser(identityAccount(caller.identity), userName);
  if (!user) {
    throw new AwsError("NoSuchEntity", `The user with name ${userName} cannot be found.`, 404);
  }
  return user;
}

function ownKey(state: AwsState, call: SignedCall): AccessKey {
  const user = targetUser(state, call);
  const accessKeyId = stringParam(call.params, "AccessKeyId", ACCESS_KEY_ID);
  const key = state.accessKeys.get(accessKeyId);
  if (!key || key.user !== user) {
    throw new AwsError(
      "NoSuchEntity",
      `The Access Key with id ${accessKeyId} cannot be found.`,
      404,
    );
  }
  return key;
}

function userXml(user: IamUser): string {
  return xmlNode(
    "User",
    xmlText("Path", "/"),
    xmlText("UserName", user.userName),
    xmlText("UserId", user.userId),
    xmlText("Arn", user.arn),
    xmlText("CreateDate", isoSeconds(user.createDate)),
  );
}

function accessKeyFields(key: AccessKey): string[] {
  return [
    xmlText("UserName", key.user.userName),
    xmlText("AccessKeyId", key.accessKeyId),
    xmlText("Status", key.status),
    xmlText("CreateDate", isoSeconds(key.createDate)),
  ];
}
