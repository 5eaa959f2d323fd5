/**
 * `vault use` on a cached session must make no network call and load no AWS SDK
 * module: watched from outside with strace (files opened, sockets connected).
 */
import assert from "node:assert/strict";
import { vaultBin } from "./_bin.ts";
import { Sandbox } from "./_sandbox.ts";
import { startFakeAws } from "./fakes/server.ts";

/** Bundle chunks that hold the STS client. */
function isSdkFile(path: string): boolean {
  if (!path.endsWith(".js") || !path.includes("/share/vault/lib/")) return false;
  try {
    return Deno.readTextFileSync(path).includes("GetSessionTokenCommand");
  } catch {
    return false;
  }
}

Deno.test({
  name: "a cached `vault use` opens no SDK module and connects nowhere (installed build)",
  // Development runs resolve npm metadata eagerly; the property is about what users install.
  ignore: !Deno.env.get("VAULT_TEST_PREFIX"),
}, async () => {
  await using aws = await startFakeAws();
  const user = aws.addUser({ userName: "alice" });
  await using sandbox = new Sandbox("[profile work]\nregion = eu-west-1\n");
  Object.assign(sandbox.env, aws.env());
  await sandbox.addKeys("work", user);
  // First use fills the cache (and does load the SDK: the check below can fail).
  await sandbox.ok(["use", "work"], { VAULT_SHELL: "zsh" });
  assert.equal(aws.calls("sts", "GetSessionToken").length, 1);

  const trace = `${sandbox.home}/trace`;
  const strace = await new Deno.Command("strace", {
    args: ["-f", "-qq", "-e", "trace=openat,connect", "-o", trace, vaultBin(), "use", "work"],
    env: { ...sandbox.env, VAULT_SHELL: "zsh" },
    clearEnv: true,
    stdin: "null",
  }).output();
  assert.equal(strace.code, 0, new TextDecoder().decode(strace.stderr));
  assert.match(new TextDecoder().decode(strace.stdout), /export AWS_SESSION_TOKEN=/);
  assert.equal(aws.calls("sts").length, 1, "no second STS call");

  const lines = Deno.readTextFileSync(trace).split("\n");
  const opened = lines.map((l) => l.match(/openat\([^"]*"([^"]+)"/)?.[1]).filter((p): p is string =>
    !!p
  );
  assert.ok(opened.some((p) => p.includes(".awsvault")), "the trace saw the vault being read");
  assert.deepEqual(opened.filter(isSdkFile), []);
  const inet = lines.filter((l) => /connect\(.*AF_INET/.test(l));
  assert.deepEqual(inet, []);
});
