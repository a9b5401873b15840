// ERC-1643 documents, cash distributions and ballots, through the SDK, against a running Weft node and
// anvil: each rule with a case that passes and one that breaks it (issuer-only changes, record-date
// entitlements and weights that later transfers cannot change, one claim and one vote per holder,
// deadlines, eligibility of the claimant).
import assert from "node:assert/strict";
import { test } from "node:test";
import { keccak256, parseEventLogs, stringToHex, toHex, zeroHash } from "viem";
import { addClaim, balanceOfAt, removeClaim, setAddressFrozen, transfer } from "../../src/rwa/sdk/core.js";
import {
  approveStable,
  ballotResults,
  castVote,
  claimableDistribution,
  claimDistribution,
  createBallot,
  createDistribution,
  DOCUMENT_REGISTRY_ABI,
  deadlineIn,
  getAllDocuments,
  getDistribution,
  getDocument,
  leadingOption,
  mintTestUsd,
  reclaimDistribution,
  removeDocument,
  sendMarket,
  setDocument,
  stableBalanceOf,
  votingPower,
} from "../../src/rwa/sdk/markets.js";
import { KYC, rejects } from "./core-fixture.js";
import { describeOnTargets } from "./harness.js";
import { marketsFixture, tokens, usd } from "./markets-fixture.js";

const PROSPECTUS = { name: "prospectus", uri: "ipfs://prospectus-v1", documentHash: keccak256(toHex("prospectus v1")) };
const TERMS = { name: "terms", uri: "https://issuer.example/terms.pdf", documentHash: keccak256(toHex("terms")) };
const REPORT = { name: "annual-report-2024", uri: "ipfs://report-2024", documentHash: keccak256(toHex("report")) };

describeOnTargets(
  "RWA markets: documents, distributions and ballots",
  (t) => {
    const f = marketsFixture(t);
    const documents = () => f.markets.documents;
    const distribution = () => f.markets.distribution;
    const ballot = () => f.markets.ballot;

    /** Record-date holdings alice 600, bob 300, carol 100 (1000 in all). */
    const holdings = async () => {
      await f.fund(f.alice.address, { tokens: tokens(600) });
      await f.fund(f.bob.address, { tokens: tokens(300) });
      await f.fund(f.carol.address, { tokens: tokens(100) });
    };

    /** The issuer escrows `amount` TUSD in a distribution whose claims close in an hour. */
    const distribute = async (amount: bigint) => {
      const { admin, markets } = f;
      await mintTestUsd(admin, markets.stablecoin, admin.walletClient.account.address, amount);
      await approveStable(admin, markets.stablecoin, distribution(), amount);
      return createDistribution(admin, distribution(), {
        paymentToken: markets.stablecoin,
        amount,
        claimDeadline: await deadlineIn(admin, 3600n),
      });
    };

    // ---- documents (ERC-1643) ----

    test("documents: the issuer sets, replaces, lists and removes them; reads see each change", async () => {
      const { admin, alice } = f;
      assert.deepEqual(await getAllDocuments(alice.client, documents()), []);
      assert.equal(await getDocument(alice.client, documents(), PROSPECTUS.name), undefined);

      const receipt = await setDocument(admin, documents(), PROSPECTUS);
      const [updated] = parseEventLogs({
        abi: DOCUMENT_REGISTRY_ABI,
        logs: receipt.logs,
        eventName: "DocumentUpdated",
      });
      assert.deepEqual(updated?.args, {
        _name: stringToHex(PROSPECTUS.name, { size: 32 }),
        _uri: PROSPECTUS.uri,
        _documentHash: PROSPECTUS.documentHash,
      });
      const block = await t.publicClient.getBlock({ blockNumber: receipt.blockNumber });
      assert.deepEqual(await getDocument(alice.client, documents(), PROSPECTUS.name), {
        ...PROSPECTUS,
        lastModified: block.timestamp,
      });
      await setDocument(admin, documents(), TERMS);
      await setDocument(admin, documents(), REPORT);
      assert.deepEqual(await getAllDocuments(alice.client, documents()), [PROSPECTUS.name, TERMS.name, REPORT.name]);

      // Replacing keeps one entry under the name.
      const v2 = { ...PROSPECTUS, uri: "ipfs://prospectus-v2", documentHash: keccak256(toHex("prospectus v2")) };
      await setDocument(admin, documents(), v2);
      assert.equal((await getDocument(alice.client, documents(), PROSPECTUS.name))?.uri, v2.uri);
      assert.equal((await getAllDocuments(alice.client, documents())).length, 3);

      // Removing one from the front leaves the others listed.
      const removed = await removeDocument(admin, documents(), PROSPECTUS.name);
      const [gone] = parseEventLogs({ abi: DOCUMENT_REGISTRY_ABI, logs: removed.logs, eventName: "DocumentRemoved" });
      assert.equal(gone?.args._uri, v2.uri);
      assert.equal(await getDocument(alice.client, documents(), PROSPECTUS.name), undefined);
      assert.deepEqual(new Set(await getAllDocuments(alice.client, documents())), new Set([TERMS.name, REPORT.name]));
      await removeDocument(admin, documents(), REPORT.name);
      assert.deepEqual(await getAllDocuments(alice.client, documents()), [TERMS.name]);
    });

    test("documents: only the issuer changes them; unknown, nameless and empty-URI ones are refused", async () => {
      const { admin, alice } = f;
      const err = await rejects(setDocument(alice.client, documents(), TERMS), "OwnableUnauthorizedAccount");
      assert.equal(err.args[0], alice.address);
      await setDocument(admin, documents(), TERMS);
      await rejects(removeDocument(alice.client, documents(), TERMS.name), "OwnableUnauthorizedAccount");
      assert.equal((await getDocument(alice.client, documents(), TERMS.name))?.uri, TERMS.uri);

      const missing = await rejects(removeDocument(admin, documents(), "no-such-doc"), "DocumentNotFound");
      assert.equal(missing.args[0], stringToHex("no-such-doc", { size: 32 }));
      await rejects(setDocument(admin, documents(), { ...TERMS, uri: "" }), "EmptyDocumentUri");
      // The SDK refuses a name that cannot be a bytes32; the contract refuses the zero name itself.
      assert.throws(() => setDocument(admin, documents(), { ...TERMS, name: "" }), /must not be empty/);
      assert.throws(() => setDocument(admin, documents(), { ...TERMS, name: "x".repeat(33) }), /longer than 32 bytes/);
      await rejects(
        sendMarket(admin, {
          address: documents(),
          abi: DOCUMENT_REGISTRY_ABI,
          functionName: "setDocument",
          args: [zeroHash, TERMS.uri, TERMS.documentHash],
        }),
        "EmptyDocumentName",
      );
    });

    // ---- distributions ----

    test("distribution: pro rata on the record-date balance; transfers after it change nothing", async () => {
      const { alice, bob, carol, dave, markets } = f;
      await holdings();
      const { id, snapshotId } = await distribute(usd(1000));
      assert.equal(id, 1n);
      // After the record date: alice sells half to bob and some to dave, who held nothing.
      await transfer(alice.client, f.core.token, bob.address, tokens(250));
      await transfer(alice.client, f.core.token, dave.address, tokens(50));
      assert.equal(await balanceOfAt(alice.client, f.core.token, alice.address, snapshotId), tokens(600));

      assert.equal(await claimableDistribution(alice.client, distribution(), id, alice.address), usd(600));
      assert.equal(await claimableDistribution(alice.client, distribution(), id, bob.address), usd(300));
      assert.equal(await claimableDistribution(alice.client, distribution(), id, dave.address), 0n);
      assert.equal(await claimDistribution(alice.client, distribution(), id), usd(600));
      assert.equal(await claimDistribution(bob.client, distribution(), id), usd(300));
      assert.equal(await claimDistribution(carol.client, distribution(), id), usd(100));
      assert.equal(await stableBalanceOf(alice.client, markets.stablecoin, alice.address), usd(600));
      assert.equal(await stableBalanceOf(alice.client, markets.stablecoin, bob.address), usd(300));
      await rejects(claimDistribution(dave.client, distribution(), id), "NothingToClaim");

      const payout = await getDistribution(alice.client, distribution(), id);
      assert.equal(payout.recordSupply, tokens(1000));
      assert.equal(payout.amount, usd(1000));
      assert.equal(payout.claimed, usd(1000));
    });

    test("distribution: one claim per holder, before the deadline; the issuer reclaims the rest after it", async () => {
      const { admin, alice, bob, markets } = f;
      await holdings();
      const { id } = await distribute(usd(1000));
      await claimDistribution(alice.client, distribution(), id);
      const twice = await rejects(claimDistribution(alice.client, distribution(), id), "AlreadyClaimed");
      assert.deepEqual(twice.args, [id, alice.address]);
      assert.equal(await claimableDistribution(alice.client, distribution(), id, alice.address), 0n);
      await rejects(reclaimDistribution(admin, distribution(), id), "ClaimPeriodNotOver");
      await rejects(reclaimDistribution(alice.client, distribution(), id), "OwnableUnauthorizedAccount");
      await rejects(claimDistribution(alice.client, distribution(), 99n), "UnknownDistribution");

      await t.increaseTime(3601);
      await rejects(claimDistribution(bob.client, distribution(), id), "ClaimPeriodOver");
      const issuer = admin.walletClient.account.address;
      assert.equal(await reclaimDistribution(admin, distribution(), id), usd(400)); // bob's and carol's
      assert.equal(await stableBalanceOf(admin, markets.stablecoin, issuer), usd(400));
      await rejects(reclaimDistribution(admin, distribution(), id), "AlreadyReclaimed");
    });

    test("distribution: only the issuer declares one, with an amount, a future deadline and holders", async () => {
      const { admin, alice, markets } = f;
      const params = async (amount: bigint) => ({
        paymentToken: markets.stablecoin,
        amount,
        claimDeadline: await deadlineIn(admin, 3600n),
      });
      await rejects(createDistribution(admin, distribution(), await params(usd(10))), "NoSupplyAtRecordDate");
      await holdings();
      await rejects(
        createDistribution(alice.client, distribution(), await params(usd(10))),
        "OwnableUnauthorizedAccount",
      );
      await rejects(createDistribution(admin, distribution(), await params(0n)), "ZeroAmount");
      await rejects(
        createDistribution(admin, distribution(), { ...(await params(usd(10))), claimDeadline: await t.now() }),
        "DeadlineNotInFuture",
      );
      // Nothing approved: the escrow pull fails in the payment token.
      await rejects(createDistribution(admin, distribution(), await params(usd(10))), "ERC20InsufficientAllowance");
    });

    test("distribution: a frozen or unverified holder keeps its entitlement but is paid only once eligible", async () => {
      const { admin, agent, kycIssuer, bob, carol } = f;
      await holdings();
      const { id } = await distribute(usd(1000));

      await setAddressFrozen(admin, f.core.token, carol.address, true);
      const frozen = await rejects(claimDistribution(carol.client, distribution(), id), "ClaimantNotEligible");
      assert.deepEqual(frozen.args, [id, carol.address]);
      assert.equal(await claimableDistribution(carol.client, distribution(), id, carol.address), usd(100));
      await setAddressFrozen(admin, f.core.token, carol.address, false);
      assert.equal(await claimDistribution(carol.client, distribution(), id), usd(100));

      const kycIssuerAddress = kycIssuer.walletClient.account.address;
      await removeClaim(agent, f.core.identityRegistry, bob.identityId, KYC, kycIssuerAddress);
      await rejects(claimDistribution(bob.client, distribution(), id), "ClaimantNotEligible");
      await addClaim(kycIssuer, f.core.identityRegistry, { identityId: bob.identityId, topic: KYC });
      assert.equal(await claimDistribution(bob.client, distribution(), id), usd(300));
    });

    // ---- ballots ----

    test("ballot: weight is the record-date balance, one vote each, tallied per option", async () => {
      const { admin, alice, bob, carol, dave } = f;
      await holdings();
      const { id } = await createBallot(admin, ballot(), {
        description: "Approve the 2025 budget",
        options: ["for", "against", "abstain"],
        deadline: await deadlineIn(admin, 3600n),
      });
      // After the record date alice moves 500 to dave: neither gains weight from it.
      await transfer(alice.client, f.core.token, dave.address, tokens(500));
      assert.equal(await votingPower(admin, ballot(), id, alice.address), tokens(600));
      assert.equal(await votingPower(admin, ballot(), id, dave.address), 0n);

      assert.equal(await castVote(alice.client, ballot(), id, 0), tokens(600));
      assert.equal(await castVote(bob.client, ballot(), id, 1), tokens(300));
      assert.equal(await castVote(carol.client, ballot(), id, 1), tokens(100));
      const noPower = await rejects(castVote(dave.client, ballot(), id, 1), "NoVotingPower");
      assert.deepEqual(noPower.args, [id, dave.address]);
      const twice = await rejects(castVote(bob.client, ballot(), id, 0), "AlreadyVoted");
      assert.deepEqual(twice.args, [id, bob.address]);
      await rejects(castVote(bob.client, ballot(), id, 3), "InvalidOption");

      assert.deepEqual(await ballotResults(admin, ballot(), id), {
        tallies: [tokens(600), tokens(400), 0n],
        closed: false,
      });
      assert.deepEqual(await leadingOption(admin, ballot(), id), { option: 0, weight: tokens(600), tied: false });
    });

    test("ballot: votes only inside the window; results close at the deadline; ties are reported", async () => {
      const { admin, alice, bob, carol } = f;
      await f.fund(alice.address, { tokens: tokens(300) });
      await f.fund(bob.address, { tokens: tokens(300) });
      await rejects(castVote(alice.client, ballot(), 1n, 0), "UnknownBallot"); // not opened yet
      const { id } = await createBallot(admin, ballot(), {
        description: "Elect the trustee",
        options: ["Ann", "Ben"],
        deadline: await deadlineIn(admin, 600n),
      });
      await castVote(alice.client, ballot(), id, 0);
      await castVote(bob.client, ballot(), id, 1);
      assert.deepEqual(await leadingOption(admin, ballot(), id), { option: 0, weight: tokens(300), tied: true });

      await t.increaseTime(601);
      await f.fund(carol.address, { tokens: tokens(1) }); // too late anyway
      const closed = await rejects(castVote(carol.client, ballot(), id, 0), "VotingClosed");
      assert.deepEqual(closed.args, [id]);
      assert.deepEqual(await ballotResults(admin, ballot(), id), { tallies: [tokens(300), tokens(300)], closed: true });
    });

    test("ballot: only the issuer opens one, with two or more options and a future deadline", async () => {
      const { admin, alice } = f;
      const deadline = await deadlineIn(admin, 600n);
      const params = { description: "Merge", options: ["yes", "no"], deadline };
      await rejects(createBallot(alice.client, ballot(), params), "OwnableUnauthorizedAccount");
      await rejects(createBallot(admin, ballot(), { ...params, options: ["yes"] }), "TooFewOptions");
      await rejects(createBallot(admin, ballot(), { ...params, deadline: await t.now() }), "DeadlineNotInFuture");
      assert.equal((await createBallot(admin, ballot(), params)).id, 1n);
    });
  },
  { isolate: true },
);
