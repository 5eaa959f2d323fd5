/**
 * Opening pages in the user's browser: `open` on macOS, `xdg-open` elsewhere
 * (Debian's `/usr/bin/open` is openvt, not a browser launcher).
 */
import { UserError } from "../errors.ts";

/** How long to wait for the launcher to report a failure before assuming it worked. */
const LAUNCH_WAIT_MS = 3000;
/** How long a one-time link stays open for the browser to follow. */
const PRIVATE_LINK_WAIT_MS = 120_000;

function launcher(): string {
  return Deno.build.os === "darwin" ? "open" : "xdg-open";
}

/**
 * Asks the desktop to open `url`; false when no launcher could be started or it
 * failed. Launchers that stay running (some start the browser and wait for it)
 * are left to run once the wait is over.
 */
export async function openUrl(url: string): Promise<boolean> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(launcher(), {
      args: [url],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
  } catch {
    return false;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stillRunning = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), LAUNCH_WAIT_MS);
  });
  try {
    return await Promise.race([child.status.then((s) => s.success), stillRunning]);
  } finally {
    clearTimeout(timer);
    child.unref();
  }
}

/**
 * Opens a URL that carries a secret (a console sign-in token) without putting it
 * on the launcher's command line, where every local user can read it: the browser
 * is sent to a one-time link on 127.0.0.1 that redirects to `url` once, then closes.
 */
export async function openPrivately(url: string): Promise<void> {
  const nonce = crypto.getRandomValues(new Uint8Array(24)).toBase64({
    alphabet: "base64url",
    omitPadding: true,
  });
  const followed = Promise.withResolvers<void>();
  let used = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    if (used || new URL(request.url).pathname !== `/${nonce}`) {
      return new Response("This link has already been used.\n", { status: 404 });
    }
    used = true;
    followed.resolve();
    return new Response(null, {
      status: 302,
      headers: { location: url, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (!await openUrl(`http://127.0.0.1:${server.addr.port}/${nonce}`)) {
      throw new UserError(
        `cannot open a browser (${launcher()} failed or is missing): use --stdout to print the link`,
      );
    }
    const gaveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PRIVATE_LINK_WAIT_MS);
    });
    if (!await Promise.race([followed.promise.then(() => true), gaveUp])) {
      throw new UserError(
        `the browser did not open the sign-in link within ${PRIVATE_LINK_WAIT_MS / 1000}s: ` +
          `use --stdout to print the link`,
      );
    }
  } finally {
    clearTimeout(timer);
    await server.shutdown();
  }
}
