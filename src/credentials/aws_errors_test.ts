import assert from "node:assert/strict";
import { describeAwsError } from "./aws_errors.ts";

const purpose = "AssumeRole arn:aws:iam::1:role/x for profile work";

function sdkError(name: string, message: string, status = 400) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

Deno.test("AWS errors become one line that names the call and says what to do", () => {
  const cases: [unknown, RegExp][] = [
    [
      sdkError(
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
      ),
      /refused the MFA code.*next code/,
    ],
    [
      sdkError(
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      ),
      /role chaining.*--duration 1h/,
    ],
    [
      sdkError("AccessDenied", "User is not authorized to perform: sts:AssumeRole", 403),
      /access denied.*trust policy/,
    ],
    [
      sdkError("ExpiredToken", "The security token included in the request is expired"),
      /expired.*vault clear/,
    ],
    [sdkError("Throttling", "Rate exceeded"), /throttling.*wait/],
    [sdkError("InternalFailure", "", 503), /HTTP 503.*try again later/],
    [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      /cannot reach STS/,
    ],
    [
      sdkError("SignatureDoesNotMatch", "The request signature we calculated does not match", 403),
      /secret key is wrong.*vault add/,
    ],
  ];
  for (const [error, expected] of cases) {
    const message = describeAwsError(error, "STS", purpose);
    assert.match(message, expected);
    assert.ok(message.includes(purpose), message);
    assert.ok(!message.includes("\n"), message);
  }
});
