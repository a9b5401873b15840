// The rule codes of `checkTransfer` / `TransferRejected`, mirroring src/rwa/contracts/compliance/RuleCodes.sol:
// 0 passes, 1-15 are the token's own rules (in the order it checks them), 16 and up compliance modules'.

export const RULE = {
  OK: 0,
  PAUSED: 1,
  SENDER_FROZEN: 2,
  RECEIVER_FROZEN: 3,
  INSUFFICIENT_FREE_BALANCE: 4,
  SENDER_NOT_VERIFIED: 5,
  RECEIVER_NOT_VERIFIED: 6,
  COUNTRY_NOT_ALLOWED: 16,
  COUNTRY_RESTRICTED: 17,
  MAX_BALANCE_EXCEEDED: 18,
  MAX_INVESTORS_EXCEEDED: 19,
  MAX_INVESTORS_IN_COUNTRY_EXCEEDED: 20,
  SUPPLY_LIMIT_EXCEEDED: 21,
  TOKENS_LOCKED: 22,
  TRANSFER_LIMIT_EXCEEDED: 23,
} as const;

export type RuleName = keyof typeof RULE;

const NAMES = new Map<number, RuleName>(Object.entries(RULE).map(([name, code]) => [code, name as RuleName]));

/** The rule's name for a code ("UNKNOWN_RULE_<code>" for a code this SDK does not know, e.g. a custom module's). */
export function ruleName(code: number): string {
  return NAMES.get(code) ?? `UNKNOWN_RULE_${code}`;
}
