import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { itemJson, parseItemJson } from "./item_json.ts";

const utf8 = new TextEncoder();

Deno.test("itemJson writes Go's JSON of keyring.Item, as aws-vault stores it", () => {
  const data = '{"AccessKeyID":"AKIA1","SecretAccessKey":"s/+="}';
  const json = itemJson({
    key: "work",
    data: utf8.encode(data),
    label: "aws-vault (work) <&>",
    description: "",
  });
  // Node's Buffer is an independent base64 encoder; Go escapes <, > and & in strings.
  assert.equal(
    json,
    `{"Key":"work","Data":"${Buffer.from(data).toString("base64")}",` +
      `"Label":"aws-vault (work) \\u003c\\u0026\\u003e","Description":"",` +
      `"KeychainNotTrustApplication":true,"KeychainNotSynchronizable":false}`,
  );
});

Deno.test("parseItemJson reads what itemJson wrote, from text or bytes", () => {
  const item = {
    key: "sts.GetSessionToken,d29yaw,,1893456000",
    data: new Uint8Array([0, 1, 254, 255]),
    label: "aws-vault session for work",
    description: "aws-vault session",
  };
  assert.deepEqual(parseItemJson(item.key, itemJson(item)), item);
  assert.deepEqual(parseItemJson(item.key, utf8.encode(itemJson(item) + "\n")), item);
});

Deno.test("parseItemJson takes the key asked for and tolerates missing fields", () => {
  assert.deepEqual(parseItemJson("asked", '{"Key":"other","Data":null}'), {
    key: "asked",
    data: new Uint8Array(),
    label: "",
    description: "",
  });
});

Deno.test("parseItemJson refuses text that is not an item", () => {
  for (const text of ["not json", "null", '"x"', '{"Data":5}', '{"Data":"***"}']) {
    assert.equal(parseItemJson("k", text), undefined, text);
  }
});
