import assert from "node:assert/strict";
import { test } from "node:test";
import { reasonMatches } from "./exceptions.js";

test("an expected exception matches only the reasons that mean it", () => {
  assert.ok(reasonMatches("TransactionException.INTRINSIC_GAS_TOO_LOW", "INTRINSIC_GAS_TOO_LOW"));
  assert.ok(!reasonMatches("TransactionException.INTRINSIC_GAS_TOO_LOW", "INSUFFICIENT_FUNDS"));
});

test("alternatives joined by | match any of them", () => {
  const expected = "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS|TransactionException.INTRINSIC_GAS_TOO_LOW";
  assert.ok(reasonMatches(expected, "INSUFFICIENT_FUNDS"));
  assert.ok(reasonMatches(expected, "INTRINSIC_GAS_TOO_LOW"));
  assert.ok(!reasonMatches(expected, "NONCE_TOO_LOW"));
});

test("an exception name the table does not know never matches", () => {
  assert.ok(!reasonMatches("TransactionException.SOMETHING_NEW", "INTRINSIC_GAS_TOO_LOW"));
});
