import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import { configPath, loadConfig } from "./load.ts";

Deno.test("configPath is AWS_CONFIG_FILE when set, else ~/.aws/config", () => {
  assert.equal(configPath({ HOME: "/home/u", AWS_CONFIG_FILE: "/etc/aws.cfg" }), "/etc/aws.cfg");
  assert.equal(configPath({ HOME: "/home/u" }), "/home/u/.aws/config");
  assert.equal(configPath({ HOME: "/home/u/", AWS_CONFIG_FILE: "" }), "/home/u/.aws/config");
});

Deno.test("configPath expands a leading ~/ in AWS_CONFIG_FILE", () => {
  assert.equal(configPath({ HOME: "/home/u", AWS_CONFIG_FILE: "~/cfg/aws" }), "/home/u/cfg/aws");
  assert.equal(configPath({ HOME: "/home/u", AWS_CONFIG_FILE: "a/~/b" }), "a/~/b");
});

Deno.test("configPath without HOME is a UserError pointing at AWS_CONFIG_FILE", () => {
  assert.throws(() => configPath({}), (e: Error) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /HOME is not set.*AWS_CONFIG_FILE/);
    return true;
  });
  assert.equal(configPath({ AWS_CONFIG_FILE: "/x" }), "/x");
});

Deno.test("loadConfig reads and parses the file, keeping the text as it is", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/config`;
    const text = "\uFEFF[profile work]\r\nregion = eu-west-1 # c\r\n";
    await Deno.writeTextFile(path, text);
    const loaded = await loadConfig({ HOME: "/nowhere", AWS_CONFIG_FILE: path });
    assert.equal(loaded.path, path);
    assert.equal(loaded.text, text);
    assert.deepEqual(loaded.config.profiles.get("work"), { region: "eu-west-1" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig treats a missing file as an empty config", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const loaded = await loadConfig({ HOME: dir });
    assert.equal(loaded.path, `${dir}/.aws/config`);
    assert.equal(loaded.text, "");
    assert.equal(loaded.config.profiles.size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig reports an unreadable config as a UserError naming the path", async () => {
  const dir = await Deno.makeTempDir(); // a directory cannot be read as a file, even by root
  try {
    await assert.rejects(loadConfig({ HOME: "/nowhere", AWS_CONFIG_FILE: dir }), (e: Error) => {
      assert.ok(e instanceof UserError);
      assert.ok(e.message.includes(`cannot read the AWS config file ${dir}`), e.message);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
