import assert from "node:assert/strict";
import { splitCommand } from "./exec.ts";

Deno.test("exec: the wrapped command's flags are never read as vault's", () => {
  assert.deepEqual(splitCommand(["work", "aws", "s3", "ls", "--recursive"]), {
    own: ["work"],
    command: ["aws", "s3", "ls", "--recursive"],
  });
  assert.deepEqual(splitCommand(["-d", "2h", "work", "--", "env", "-i"]), {
    own: ["-d", "2h", "work"],
    command: ["env", "-i"],
  });
  assert.deepEqual(splitCommand(["--region", "eu-west-1", "work", "-j"]), {
    own: ["--region", "eu-west-1", "work", "-j"],
    command: [],
  });
  assert.deepEqual(splitCommand(["--pass-dir", "/s", "--pass-prefix", "p", "work", "env"]), {
    own: ["--pass-dir", "/s", "--pass-prefix", "p", "work"],
    command: ["env"],
  });
  assert.deepEqual(splitCommand(["work", "--duration=1h", "sh", "-c", "x"]), {
    own: ["work", "--duration=1h"],
    command: ["sh", "-c", "x"],
  });
});
