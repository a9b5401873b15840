// Role identifiers of the core contracts (OpenZeppelin AccessControl: keccak256 of the role's name;
// the admin role is zero), and the reverse lookup used to word "missing role" errors.
import { type Hex, keccak256, toBytes, zeroHash } from "viem";

const role = (name: string): Hex => keccak256(toBytes(name));

/** The token's agent roles, one per power, and its admin role. */
export const TOKEN_ROLES = {
  DEFAULT_ADMIN_ROLE: zeroHash,
  MINTER_ROLE: role("MINTER_ROLE"),
  BURNER_ROLE: role("BURNER_ROLE"),
  FREEZER_ROLE: role("FREEZER_ROLE"),
  /** Forced transfers. */
  TRANSFER_AGENT_ROLE: role("TRANSFER_AGENT_ROLE"),
  RECOVERY_ROLE: role("RECOVERY_ROLE"),
  PAUSER_ROLE: role("PAUSER_ROLE"),
  SNAPSHOT_ROLE: role("SNAPSHOT_ROLE"),
} as const;

export type TokenRole = Exclude<keyof typeof TOKEN_ROLES, "DEFAULT_ADMIN_ROLE">;

/** Every agent role of the token (what `deployCore` gives the admin by default). */
export const TOKEN_AGENT_ROLES: readonly TokenRole[] = [
  "MINTER_ROLE",
  "BURNER_ROLE",
  "FREEZER_ROLE",
  "TRANSFER_AGENT_ROLE",
  "RECOVERY_ROLE",
  "PAUSER_ROLE",
  "SNAPSHOT_ROLE",
];

/** The identity registry's agent role (registers and removes identities and wallets). */
export const REGISTRY_AGENT_ROLE = role("AGENT_ROLE");

const NAMES = new Map<string, string>([
  ...Object.entries(TOKEN_ROLES).map(([name, hash]) => [hash, name] as [string, string]),
  [REGISTRY_AGENT_ROLE, "AGENT_ROLE"],
]);

/** A role's name from its hash, or the hash itself when unknown. */
export function roleName(hash: Hex): string {
  return NAMES.get(hash.toLowerCase()) ?? hash;
}
