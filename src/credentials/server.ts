/**
 * `exec --server`: an ECS-style credential endpoint on 127.0.0.1 that the
 * child's SDKs poll (AWS_CONTAINER_CREDENTIALS_FULL_URI), refreshing as credentials expire.
 */
import { rfc3339 } from "./output.ts";
import type { Credentials } from "./types.ts";

/** Refresh this long before expiry, so a client never receives nearly dead credentials. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** A running endpoint; dispose it to stop listening. */
export interface CredentialServer extends AsyncDisposable {
  url: string;
  /** The variables that point a child at the endpoint. */
  env: Record<string, string>;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, "");
}

/** Constant-time comparison, so the token cannot be guessed byte by byte. */
function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Serves `initial`, calling `refresh` once they are within five minutes of
 * expiry; with no `initial` (`--lazy`), `refresh` runs at the first request.
 */
export function serveCredentials(
  initial: Credentials | undefined,
  refresh: () => Promise<Credentials>,
): CredentialServer {
  const token = randomToken();
  let current: Credentials | undefined = initial;
  let pending: Promise<Credentials> | undefined;
  const fresh = async () => {
    const expires = current?.expiration?.getTime();
    if (!current || (expires !== undefined && expires - Date.now() < REFRESH_MARGIN_MS)) {
      pending ??= refresh().finally(() => (pending = undefined));
      current = await pending;
    }
    return current;
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    if (!sameToken(req.headers.get("authorization") ?? "", token)) {
      return new Response("invalid Authorization token\n", { status: 403 });
    }
    try {
      const c = await fresh();
      return Response.json({
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        Token: c.sessionToken,
        Expiration: c.expiration ? rfc3339(c.expiration) : undefined,
      });
    } catch (e) {
      return Response.json({ message: (e as Error).message }, { status: 500 });
    }
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  return {
    url,
    env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: url, AWS_CONTAINER_AUTHORIZATION_TOKEN: token },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
