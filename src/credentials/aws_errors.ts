/**
 * One-line, actionable messages for errors the AWS SDK throws. Kept free of SDK
 * imports: it reads the fields every SDK error carries.
 */

import { UserError } from "../errors.ts";

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $response?: { statusCode?: number };
  cause?: unknown;
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n")[0].trim().replace(/\.$/, "");
}

/** Is this a failure to reach the endpoint at all (refused, reset, DNS, timeout)? */
function isNetworkError(e: SdkError): boolean {
  const codes = ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EAI_AGAIN", "EPIPE"];
  for (let err: SdkError | undefined = e; err; err = err.cause as SdkError | undefined) {
    if (err.code && codes.includes(err.code)) return true;
    if (
      /connection refused|ECONNREFUSED|error sending request|tcp connect|dns error/i.test(
        err.message ?? "",
      )
    ) {
      return true;
    }
    if (err.name === "TimeoutError") return true;
  }
  return false;
}

/** An STS call refused because of its MFA code: a prompt can ask for the next code. */
export class MfaRejected extends UserError {}

/** Did AWS refuse the call because of its MFA code (wrong, reused or out of date)? */
export function isMfaRejection(error: unknown): boolean {
  const message = firstLine((error as SdkError)?.message);
  return /MultiFactorAuthentication|MFA/i.test(message) && /fail|invalid/i.test(message);
}

/**
 * Describes `error` from `service` during `purpose` (e.g. `AssumeRole arn:... for
 * profile work`) as one line that says what went wrong and what to do.
 */
export function describeAwsError(error: unknown, service: string, purpose: string): string {
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? "Error";
  const message = firstLine(e.message);
  const status = e.$metadata?.httpStatusCode;
  if (isNetworkError(e)) {
    return `cannot reach ${service} for ${purpose}: ${
      message || name
    }: check your network, proxy or AWS_ENDPOINT_URL_* settings`;
  }
  if (isMfaRejection(e)) {
    return `${purpose}: AWS refused the MFA code (${message}): wait for the next code and try again`;
  }
  if (/session limit for roles assumed by role chaining/i.test(message)) {
    return `${purpose}: AWS limits roles assumed with temporary credentials (role chaining) to 1h: use --duration 1h`;
  }
  switch (name) {
    case "ExpiredToken":
    case "ExpiredTokenException":
      return `${purpose}: the credentials used have expired (${message}): run 'vault clear' and try again`;
    case "InvalidClientTokenId":
    case "UnrecognizedClientException":
      return `${purpose}: AWS does not recognise the access key (${message}): check it, or re-add it with 'vault add'`;
    case "SignatureDoesNotMatch":
      return `${purpose}: AWS rejected the signature, so the stored secret key is wrong: re-add it with 'vault add'`;
    case "AccessDenied":
    case "AccessDeniedException":
      return `${purpose}: access denied (${message}): check the role's trust policy and your permissions`;
    case "Throttling":
    case "ThrottlingException":
    case "TooManyRequestsException":
    case "RequestLimitExceeded":
      return `${purpose}: ${service} is throttling requests (${
        message || name
      }) even after retries: wait a minute and try again`;
    case "ValidationError":
      return `${purpose}: ${service} refused the request: ${message}`;
  }
  if (status !== undefined && status >= 500) {
    return `${purpose}: ${service} failed with HTTP ${status} (${name}): try again later`;
  }
  if (name === "SyntaxError" || /Deserialization|parse|Unexpected token|char \d+/i.test(message)) {
    return `${purpose}: ${service} sent a response vault cannot read: check AWS_ENDPOINT_URL_* or try again`;
  }
  return `${purpose}: ${service} error ${name}${message ? `: ${message}` : ""}`;
}
