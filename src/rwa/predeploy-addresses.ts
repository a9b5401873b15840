// Where `weft node --rwa` puts the RWA suite. Its deployer's key is keccak256("weft rwa deployer"),
// public on purpose (a dev chain: anyone may act as the issuer); the node funds it at genesis and
// deploys with nonces 0, 1, 2, ..., so every CREATE address below follows from the deployer and the
// suite's fixed order of transactions (deployRwaSuite). README.md's table mirrors this one; the node
// checks the deployment against it, and test/rwa/cli.test.ts checks both. No imports: `weft node`'s
// flag parser reads the deployer address without loading viem.

/** keccak256("weft rwa deployer"). */
export const RWA_DEPLOYER_KEY = "0x577bcfbd56906941cc4ed785fc29bc277cc64c9d05c1137a93969259a6f86c45" as const;
export const RWA_DEPLOYER_ADDRESS = "0x5c64C1c4a494ff78984469b397A303E224B25Ab5" as const;

/** The deployer's nonce once the whole suite is deployed (transactions 0 .. this - 1). */
export const RWA_PREDEPLOY_TX_COUNT = 39;

/** The suite's addresses on a `weft node --rwa` chain (keys as RwaSuite's). */
export const RWA_PREDEPLOYED = {
  identityRegistry: "0x41357108483db4a2b99a41993C3fC7caa349759d",
  compliance: "0xedb7c2251c4472607a8e22Eae8D392453507D5A8",
  token: "0x903eA7EFD830a16ac3088Cc66D96eD09Dd86B7d2",
  countryAllowModule: "0x3E188fb5644e32E35B267EEf7285Bb22cFd6a636",
  countryRestrictModule: "0x17eeFDf78c9DCe4073Fd5948065C1B2C434Fbb54",
  maxBalanceModule: "0x11a528cAB46301A617e0E4145D1138D569cF8805",
  maxInvestorsModule: "0xbeE50368c150dAFaDF6220Adffe37dc5Ba3a6648",
  supplyLimitModule: "0x0F208fB8932D7D8986Af38444cfAF4d7A6119f9C",
  lockUpModule: "0xA8f34676Fb40D61c322d3907ab6CDBf0e6762048",
  timeWindowModule: "0xEdcC7B411C8bB82DC62289819ccDCb2Bc69Da2cA",
  stablecoin: "0xB9816B4B1760668b58414009Fb66e61B68aD9581",
  documents: "0xe5CB42D0e3d3A20D324Dc1feE43e0567e5EEa6c8",
  distribution: "0xa7002aec7eabB4E9d272A77905033cFc0d81CE8E",
  ballot: "0xed730D3DA67158Fc855B3C638a8999aDE87B6dd3",
  navOracle: "0xD93F3a9f10f6C119ADdE7eC13d6DFae00be92b7c",
  vault: "0x374363BD8c12654CFc6e7449366cF51e61f5EbA6",
  settlement: "0x8Ce8630eDCdDA4Ed4075b9bcE88e0DA4C14b902f",
  pool: "0x8337BCC6CCa1B34aE0125bB9e266BfD36c5Bbf24",
  priceOracle: "0x3647b5F93A62886781FEDC4f226EDc5175Cbe5cB",
  lending: "0x90f0B2866F7c61F9624E02D1F7cb734735B5D5cf",
} as const;
