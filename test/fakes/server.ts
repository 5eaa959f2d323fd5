/**
 * Strict fake AWS endpoints for tests, on 127.0.0.1 inside the test process. Real clients (the
 * SDK v3, `/usr/bin/aws --endpoint-url`) talk to them; every signed request is verified with
 * SigV4 against the keys the fake issued.
 *
 * ```ts
 * await using aws = await startFakeAws();
 * const alice = aws.addUser({ userName: "alice", mfaSeed: randomTotpSeed() });
 * aws.addRole({ arn: "arn:aws:iam::123456789012:role/admin", requireMfa: true, maxDuration: 43200 });
 * aws.addWebIdentityToken("token", "subject");
 * // Point the SDK at it (it honours AWS_ENDPOINT_URL_STS / _IAM); the CLI takes aws.url.
 * const env = aws.env("us-east-1");
 * await aws.fault("sts", { kind: "throttle", times: 2 }); // "500" | "throttle" | "garbage" | "refuse"
 * aws.calls("sts", "AssumeRole"); // [{ service, action, accessKeyId, params, mfa, ok, error? }]
 * ```
 *
 * One router serves every listener. It picks the service by the SigV4 credential scope's service
 * name (unsigned requests: the service whose route claims them), so `aws.url` serves all of
 * them. Each service also has its own listener, `aws.endpoint(service)`, which is what
 * {@link FakeAws.env} hands out: a `refuse` fault closes that listener only (the shared `aws.url`
 * keeps answering), and a request signed for another service is refused there as AWS refuses it.
 * To add a service, write a {@link Route} factory and append it to {@link ROUTES}.
 *
 * The state API ({@link AwsState}: `addUser`, `addAccessKey`, `accessKeysOf`, `addRole`,
 * `addWebIdentityToken`, `expireCredentials`, `keyPropagationCalls`, `allowMfaCodeReuse`,
 * `calls`, `clearCalls`) is inherited by {@link FakeAws}.
 * IAM Identity Center (SSO-OIDC and the SSO portal) keeps its state in `ssoState(aws)` of
 * ./sso_oidc.ts (assignments, approving device codes); the console federation endpoint's tokens
 * are in `signinTokens(aws)` of ./signin.ts.
 */
import { AwsError, AwsState, type Caller, type CallRecord, type Route } from "./aws.ts";
import { iamRoute } from "./iam.ts";
import { parseAuthorization, SigV4Error, type WireRequest } from "./sigv4.ts";
import { signinRoute } from "./signin.ts";
import { ssoRoute } from "./sso.ts";
import { ssoOidcRoute } from "./sso_oidc.ts";
import { stsRoute } from "./sts.ts";

/** The fake services, each made over the shared state. */
export const ROUTES: ((state: AwsState) => Route)[] = [
  stsRoute,
  iamRoute,
  ssoOidcRoute,
  ssoRoute,
  signinRoute,
];

/**
 * A failure to inject into a service's next `times` calls (every call when `times` is omitted):
 * `500` answers InternalFailure, `throttle` answers 400 Throttling "Rate exceeded", `garbage`
 * answers 200 with a body that is not XML, `refuse` stops the service's own listener so
 * connections are refused until {@link FakeAws.clearFaults}.
 */
export type Fault =
  | { kind: "500" | "throttle" | "garbage"; times?: number }
  | { kind: "refuse" };

type ResponseFault = Exclude<Fault["kind"], "refuse">;

const GARBAGE = "<<<this is not the XML you are looking for";

const FAULT_ERRORS = {
  "500": () =>
    new AwsError(
      "InternalFailure",
      "The request processing has failed because of an unknown error, exception or failure.",
      500,
      "Receiver",
    ),
  throttle: () => new AwsError("Throttling", "Rate exceeded", 400),
};

/** One HTTP listener on 127.0.0.1 that can stop and start again on the same port. */
class Listener {
  #server: Deno.HttpServer<Deno.NetAddr> | undefined;
  #port = 0;

  constructor(readonly handler: (request: Request) => Promise<Response>) {}

  start(): void {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: this.#port, onListen() {} },
      this.handler,
    );
    this.#port = this.#server.addr.port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await server?.shutdown();
  }

  get listening(): boolean {
    return this.#server !== undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }
}

/** The running fakes: the shared state plus the listeners and fault injection. */
export class FakeAws extends AwsState implements AsyncDisposable {
  readonly #routes = new Map<string, Route>();
  readonly #shared: Listener;
  readonly #own = new Map<string, Listener>();
  readonly #faults = new Map<string, { kind: ResponseFault; remaining: number }>();

  constructor() {
    super();
    for (const makeRoute of ROUTES) {
      const route = makeRoute(this);
      this.#routes.set(route.service, route);
      this.#own.set(route.service, new Listener((r) => this.#dispatch(r, route)));
    }
    this.#shared = new Listener((r) => this.#dispatch(r));
  }

  /** Starts listening on ephemeral ports. */
  start(): this {
    this.#shared.start();
    for (const listener of this.#own.values()) listener.start();
    return this;
  }

  /** The shared endpoint, serving every service (what `--endpoint-url` of the CLI takes). */
  get url(): string {
    return this.#shared.url;
  }

  /** The endpoint of one service alone (what {@link env} hands out). */
  endpoint(service: string): string {
    return this.#listener(service).url;
  }

  /**
   * The variables that point the SDK at the fakes (`AWS_ENDPOINT_URL_STS`, ...), plus
   * `AWS_REGION` when a region is given.
   */
  env(region?: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const route of this.#routes.values()) {
      if (route.endpointEnv) env[route.endpointEnv] = this.endpoint(route.service);
    }
    if (region !== undefined) env.AWS_REGION = region;
    return env;
  }

  /** Injects a fault into `service`; see {@link Fault}. */
  async fault(service: string, fault: Fault): Promise<void> {
    const listener = this.#listener(service);
    if (fault.kind === "refuse") {
      await listener.stop();
      return;
    }
    this.#faults.set(service, { kind: fault.kind, remaining: fault.times ?? Infinity });
  }

  /** Removes injected faults (of one service, or all) and listens again where refused. */
  clearFaults(service?: string): void {
    for (const name of service === undefined ? this.#routes.keys() : [service]) {
      this.#faults.delete(name);
      const listener = this.#listener(name);
      if (!listener.listening) listener.start();
    }
  }

  /** Stops every listener. */
  async stop(): Promise<void> {
    await Promise.all([this.#shared, ...this.#own.values()].map((l) => l.stop()));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  #listener(service: string): Listener {
    const listener = this.#own.get(service);
    if (!listener) throw new Error(`no fake service ${service}`);
    return listener;
  }

  /** The route for a request on the shared endpoint: by credential scope, else by claim. */
  #routeFor(request: WireRequest): Route | undefined {
    const scope = /Credential=[^/,\s]*\/[^/,\s]*\/[^/,\s]*\/([^/,\s]+)\//.exec(
      request.headers.get("authorization") ?? "",
    );
    if (scope) return this.#routes.get(scope[1]);
    return [...this.#routes.values()].find((r) => r.claimsUnsigned(request));
  }

  #takeFault(service: string): ResponseFault | undefined {
    const fault = this.#faults.get(service);
    if (!fault) return undefined;
    if (--fault.remaining <= 0) this.#faults.delete(service);
    return fault.kind;
  }

  async #dispatch(request: Request, own?: Route): Promise<Response> {
    const url = new URL(request.url);
    const wire: WireRequest = {
      method: request.method,
      path: url.pathname,
      query: url.search.slice(1),
      headers: request.headers,
      body: new Uint8Array(await request.arrayBuffer()),
    };
    const route = own ?? this.#routeFor(wire);
    if (!route) return new Response("no fake AWS service takes this request\n", { status: 404 });
    const { action, params, mfa } = route.describe(wire);
    const record: CallRecord = { service: route.service, action, params, mfa, ok: false };
    this.log.push(record);
    const requestId = crypto.randomUUID();
    const fault = this.#takeFault(route.service);
    if (fault === "garbage") {
      record.error = fault;
      return new Response(GARBAGE, { status: 200, headers: { "content-type": "text/plain" } });
    }
    if (fault !== undefined) {
      const error = FAULT_ERRORS[fault]();
      record.error = error.code;
      return route.errorResponse(error, requestId);
    }
    try {
      const now = new Date();
      const auth = parseAuthorization(request.headers.get("authorization"));
      let caller: Caller | undefined;
      if (auth) {
        record.accessKeyId = auth.accessKeyId;
        if (auth.service !== route.service) {
          throw new AwsError(
            "SignatureDoesNotMatch",
            `Credential should be scoped to correct service: '${route.service}'. `,
            403,
          );
        }
        caller = this.authenticate(wire, auth, now);
      } else if (!route.allowsUnsigned(action)) {
        throw new AwsError(
          "MissingAuthenticationToken",
          "Request is missing Authentication Token",
          403,
        );
      }
      const response = await route.handle({ action, params, caller, requestId, now });
      record.ok = true;
      return response;
    } catch (e) {
      const error = e instanceof SigV4Error ? new AwsError(e.code, e.message, e.status) : e;
      if (!(error instanceof AwsError)) throw error;
      record.error = error.code;
      return route.errorResponse(error, requestId);
    }
  }
}

/** Starts the fakes on ephemeral ports of 127.0.0.1. */
export function startFakeAws(): Promise<FakeAws> {
  return Promise.resolve(new FakeAws().start());
}
