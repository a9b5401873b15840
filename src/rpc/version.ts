// Weft's version: what `weft --version` prints and web3_clientVersion answers. A constant rather than a
// read of package.json at run time (the build may live outside the package); version.test.ts keeps the
// two equal.
export const WEFT_VERSION = "0.1.0";

export const CLIENT_VERSION = `weft/v${WEFT_VERSION}`;
