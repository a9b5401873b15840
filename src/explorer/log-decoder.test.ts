import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters, pad, parseAbiItem, toEventSelector } from "viem";
import { decodeLog, KNOWN_EVENT_COUNT } from "./log-decoder.js";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const TRANSFER = toEventSelector("Transfer(address,address,uint256)");

describe("log decoding", () => {
  it("decodes an ERC-20 Transfer", () => {
    const log = { topics: [TRANSFER, pad(B), pad(A)], data: encodeAbiParameters([{ type: "uint256" }], [5n]) };
    assert.deepEqual(decodeLog(log), {
      name: "Transfer",
      args: [
        ["from", B],
        ["to", A],
        ["value", "5"],
      ],
    });
  });

  it("decodes the RWA suite's events (ABIs from src/rwa)", () => {
    const event = parseAbiItem(
      "event AddressFrozen(address indexed wallet, bool indexed isFrozen, address indexed agent)",
    );
    const log = { topics: [toEventSelector(event), pad(A), pad("0x01"), pad(B)], data: "0x" };
    assert.deepEqual(decodeLog(log)?.name, "AddressFrozen");
    assert.deepEqual(decodeLog(log)?.args[1], ["isFrozen", "true"]);
    assert.ok(KNOWN_EVENT_COUNT > 50, `${KNOWN_EVENT_COUNT} events known`);
  });

  it("leaves unknown events and misfit logs raw", () => {
    assert.equal(decodeLog({ topics: [pad("0x1234")], data: "0x" }), undefined);
    assert.equal(decodeLog({ topics: [], data: "0x" }), undefined);
    // An ERC-721 Transfer: the same topic0, the token id indexed, no data.
    assert.equal(decodeLog({ topics: [TRANSFER, pad(B), pad(A), pad("0x07")], data: "0x" }), undefined);
  });
});
