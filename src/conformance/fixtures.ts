// Where the ethereum/tests fixtures are read from: ../shared/fixtures/ethereum-tests beside the clone
// (CI and every developer machine have it; README.md says what it holds), or $WEFT_FIXTURES. Never
// copied into the project.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const ETHEREUM_TESTS = resolve(
  process.env.WEFT_FIXTURES ?? resolve(process.cwd(), "../shared/fixtures/ethereum-tests"),
);

export const GENERAL_STATE_TESTS = join(ETHEREUM_TESTS, "GeneralStateTests");

/**
 * The skip option of a test that reads the fixtures: a reason on a clone without them, so `npm test`
 * says what it did not run instead of failing; false in CI (CI=true), where their absence must fail.
 */
export function withoutFixtures(): string | false {
  if (existsSync(GENERAL_STATE_TESTS) || process.env.CI === "true") return false;
  return `no ethereum/tests fixtures at ${GENERAL_STATE_TESTS} (README.md: "Conformance fixtures"; WEFT_FIXTURES names another folder)`;
}
