import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRoute, searchRoute } from "./router.js";

const HASH = `0x${"ab".repeat(32)}`;
const ADDRESS = `0x${"Cd".repeat(20)}`;

describe("hash routes", () => {
  it("name the view and its subject", () => {
    assert.deepEqual(parseRoute(""), { view: "home" });
    assert.deepEqual(parseRoute("#/"), { view: "home" });
    assert.deepEqual(parseRoute(`#/tx/${HASH}`), { view: "tx", hash: HASH });
    assert.deepEqual(parseRoute(`#/address/${ADDRESS}`), { view: "address", address: ADDRESS });
    assert.deepEqual(parseRoute(`#/token/${ADDRESS}`), { view: "token", address: ADDRESS });
    assert.deepEqual(parseRoute("#/block/12"), { view: "block", id: "12" });
    assert.deepEqual(parseRoute(`#/block/${HASH}`), { view: "block", id: HASH });
  });

  it("leave a malformed subject to the unknown view", () => {
    assert.deepEqual(parseRoute("#/tx/0x12"), { view: "unknown", path: "/tx/0x12" });
    assert.deepEqual(parseRoute("#/address/nope"), { view: "unknown", path: "/address/nope" });
    assert.deepEqual(parseRoute("#/block/-1"), { view: "unknown", path: "/block/-1" });
    assert.deepEqual(parseRoute("#/what"), { view: "unknown", path: "/what" });
  });

  it("the search box goes to a transaction, an address or a block", () => {
    assert.equal(searchRoute(` ${HASH} `), `/tx/${HASH}`);
    assert.equal(searchRoute(ADDRESS), `/address/${ADDRESS}`);
    assert.equal(searchRoute("42"), "/block/42");
    assert.equal(searchRoute("vitalik.eth"), undefined);
  });
});
