// Onboards an investor and makes a compliant transfer on a `weft node --rwa` chain.
import { formatUnits, parseUnits } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import * as rwa from "weft/rwa";

const { token, identityRegistry } = rwa.RWA_PREDEPLOYED;
// The suite's deployer is its issuer: registry agent, KYC claim issuer and token agent.
const { client: issuer } = await rwa.connectRwa(process.env.RPC_URL ?? rwa.DEFAULT_RPC, rwa.RWA_DEPLOYER_KEY);
const from = rwa.RWA_DEPLOYER_ADDRESS;
const investor = privateKeyToAccount(generatePrivateKey()).address;
const amount = parseUnits("100", 6); // WREF has 6 decimals
await rwa.mint(issuer, token, from, amount);

// Before onboarding, the token refuses the investor and says why.
console.log("before:", (await rwa.checkTransfer(issuer, token, from, investor, amount)).reason);

// Onboarding: an identity holding the investor's wallet (country 840, US), then a KYC claim on it.
const identityId = await rwa.registerIdentity(issuer, identityRegistry, investor, 840);
await rwa.addClaim(issuer, identityRegistry, { identityId, topic: rwa.KYC_TOPIC });

console.log("after:", (await rwa.checkTransfer(issuer, token, from, investor, amount)).rule);
await rwa.transfer(issuer, token, investor, amount);
console.log(`${investor} holds ${formatUnits(await rwa.balanceOf(issuer, token, investor), 6)} WREF`);
