import assert from "node:assert/strict";
import {
  consoleDestination,
  federationEndpoint,
  loginUrl,
  signinTokenRequest,
} from "./console_url.ts";

const creds = {
  accessKeyId: "ASIAEXAMPLE",
  secretAccessKey: "se/cr+et",
  sessionToken: "to+ken/==",
};

Deno.test("commercial regions sign in at signin.aws.amazon.com and land on the region's console", () => {
  assert.equal(federationEndpoint("eu-west-1"), "https://signin.aws.amazon.com/federation");
  assert.equal(
    consoleDestination("eu-west-1"),
    "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1",
  );
});

Deno.test("China regions use the amazonaws.cn sign-in and console domains", () => {
  assert.equal(federationEndpoint("cn-north-1"), "https://signin.amazonaws.cn/federation");
  assert.equal(
    consoleDestination("cn-north-1"),
    "https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1",
  );
});

Deno.test("GovCloud regions use the amazonaws-us-gov.com sign-in and console domains", () => {
  assert.equal(
    federationEndpoint("us-gov-west-1"),
    "https://signin.amazonaws-us-gov.com/federation",
  );
  assert.equal(
    consoleDestination("us-gov-west-1"),
    "https://us-gov-west-1.console.amazonaws-us-gov.com/console/home?region=us-gov-west-1",
  );
});

Deno.test("AWS_VAULT_SIGNIN_URL replaces the federation endpoint", () => {
  assert.equal(
    federationEndpoint("cn-north-1", "http://127.0.0.1:8080/federation"),
    "http://127.0.0.1:8080/federation",
  );
});

Deno.test("--path picks the console page, keeping the region parameter", () => {
  assert.equal(
    consoleDestination("us-east-1", "/s3/home"),
    "https://us-east-1.console.aws.amazon.com/s3/home?region=us-east-1",
  );
  assert.equal(
    consoleDestination("us-east-1", "ec2/home?x=1"),
    "https://us-east-1.console.aws.amazon.com/ec2/home?x=1&region=us-east-1",
  );
});

Deno.test("without a region the console's front page is the destination", () => {
  assert.equal(consoleDestination(undefined), "https://console.aws.amazon.com/");
  assert.equal(
    consoleDestination(undefined, "iam/home"),
    "https://console.aws.amazon.com/iam/home",
  );
});

Deno.test("the getSigninToken request carries the session as URL-encoded JSON", () => {
  const url = new URL(signinTokenRequest("https://signin.aws.amazon.com/federation", creds));
  assert.equal(url.origin + url.pathname, "https://signin.aws.amazon.com/federation");
  assert.equal(url.searchParams.get("Action"), "getSigninToken");
  assert.equal(url.searchParams.get("SessionDuration"), null);
  assert.deepEqual(JSON.parse(url.searchParams.get("Session")!), {
    sessionId: "ASIAEXAMPLE",
    sessionKey: "se/cr+et",
    sessionToken: "to+ken/==",
  });
  // Characters that would change meaning in a query are escaped.
  assert.ok(!url.search.includes("+ken/"), url.search);
});

Deno.test("SessionDuration is sent only when asked for", () => {
  const url = new URL(signinTokenRequest("https://x/federation", creds, 7200));
  assert.equal(url.searchParams.get("SessionDuration"), "7200");
});

Deno.test("the login link names the issuer, the destination and the sign-in token", () => {
  const url = new URL(
    loginUrl(
      "https://signin.aws.amazon.com/federation",
      "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1",
      "tok&en=1",
    ),
  );
  assert.equal(url.searchParams.get("Action"), "login");
  assert.equal(url.searchParams.get("Issuer"), "vault");
  assert.equal(
    url.searchParams.get("Destination"),
    "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1",
  );
  assert.equal(url.searchParams.get("SigninToken"), "tok&en=1");
});
