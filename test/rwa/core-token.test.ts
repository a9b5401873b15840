// The regulated token and its identity registry, through the SDK, against a running Weft node and
// anvil: every rule with a case that passes and one that breaks it (verification, claims, pause,
// freezes, roles, recovery, permits), plus forced transfers, batches and record-date snapshots.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseEventLogs, zeroAddress } from "viem";
import {
  addClaim,
  addTrustedIssuer,
  addWallet,
  approve,
  balanceOf,
  balanceOfAt,
  batchBurn,
  batchForcedTransfer,
  batchFreezePartialTokens,
  batchMint,
  batchSetAddressFrozen,
  batchTransfer,
  batchUnfreezePartialTokens,
  burn,
  canReceive,
  canSend,
  canTransfer,
  checkTransfer,
  deleteIdentity,
  forcedTransfer,
  freezePartialTokens,
  getFrozenTokens,
  grantTokenRole,
  identityOf,
  identityRegistryAbi,
  isFrozen,
  isVerified,
  mint,
  pause,
  RULE,
  read,
  recoveryAddress,
  registerIdentity,
  regulatedTokenAbi,
  removeClaim,
  removeTrustedIssuer,
  removeWallet,
  revokeClaim,
  send,
  setAddressFrozen,
  setFrozenTokens,
  signPermit,
  snapshot,
  submitPermit,
  totalSupply,
  totalSupplyAt,
  transfer,
  transferFrom,
  unfreezePartialTokens,
  unpause,
  updateCountry,
  verificationStatus,
  walletsOf,
} from "../../src/rwa/sdk/core.js";
import { AML, coreFixture, DE, FR, KYC, rejects, US } from "./core-fixture.js";
import { describeOnTargets } from "./harness.js";

describeOnTargets(
  "RWA core: identity registry and regulated token",
  (t) => {
    const f = coreFixture(t);
    const token = () => f.core.token;
    const registry = () => f.core.identityRegistry;

    test("a compliant transfer: pre-check passes, tokens move, ERC-7943 views agree", async () => {
      const { admin, alice, bob } = f;
      await mint(admin, token(), alice.address, 1_000n);
      assert.deepEqual(await checkTransfer(alice.client, token(), alice.address, bob.address, 400n), {
        ok: true,
        code: 0,
        rule: "OK",
        reason: "",
      });
      assert.equal(await canTransfer(alice.client, token(), alice.address, bob.address, 400n), true);
      assert.equal(await canSend(alice.client, token(), alice.address), true);
      assert.equal(await canReceive(alice.client, token(), bob.address), true);
      const receipt = await transfer(alice.client, token(), bob.address, 400n);
      const [moved] = parseEventLogs({ abi: regulatedTokenAbi, logs: receipt.logs, eventName: "Transfer" });
      assert.deepEqual(moved?.args, { from: alice.address, to: bob.address, value: 400n });
      assert.equal(await balanceOf(admin, token(), alice.address), 600n);
      assert.equal(await balanceOf(admin, token(), bob.address), 400n);
      assert.equal(await totalSupply(admin, token()), 1_000n);
      assert.equal(
        await read(admin, { address: token(), abi: regulatedTokenAbi, functionName: "decimals", args: [] }),
        6,
      );
    });

    test("unverified sender: a wallet that lost its KYC claim cannot send until it has one again", async () => {
      const { admin, agent, kycIssuer, alice, bob } = f;
      await mint(admin, token(), alice.address, 100n);
      await removeClaim(agent, registry(), alice.identityId, KYC, kycIssuer.walletClient.account.address);
      assert.deepEqual(await verificationStatus(admin, registry(), alice.address), {
        status: "missing-claim",
        topic: KYC,
      });
      const check = await checkTransfer(admin, token(), alice.address, bob.address, 10n);
      assert.deepEqual(check, {
        ok: false,
        code: RULE.SENDER_NOT_VERIFIED,
        rule: "SENDER_NOT_VERIFIED",
        reason: "sender not verified",
      });
      assert.equal(await canSend(admin, token(), alice.address), false);
      const err = await rejects(
        transfer(alice.client, token(), bob.address, 10n),
        "TransferRejected",
        RULE.SENDER_NOT_VERIFIED,
      );
      assert.match(err.message, /transfer rejected: sender not verified \(rule 5 SENDER_NOT_VERIFIED\)/);

      await addClaim(kycIssuer, registry(), { identityId: alice.identityId, topic: KYC });
      await transfer(alice.client, token(), bob.address, 10n);
      assert.equal(await balanceOf(admin, token(), bob.address), 10n);
    });

    test("unverified receiver: no transfer or mint to a wallet without an identity, until it is onboarded", async () => {
      const { admin, alice, eve } = f;
      await mint(admin, token(), alice.address, 100n);
      assert.deepEqual(await verificationStatus(admin, registry(), eve.address), { status: "no-identity" });
      assert.equal(
        (await checkTransfer(admin, token(), alice.address, eve.address, 5n)).code,
        RULE.RECEIVER_NOT_VERIFIED,
      );
      assert.equal(await canReceive(admin, token(), eve.address), false);
      await rejects(transfer(alice.client, token(), eve.address, 5n), "TransferRejected", RULE.RECEIVER_NOT_VERIFIED);
      await rejects(mint(admin, token(), eve.address, 5n), "TransferRejected", RULE.RECEIVER_NOT_VERIFIED);

      await f.onboard(eve.account, DE);
      await transfer(alice.client, token(), eve.address, 5n);
      await mint(admin, token(), eve.address, 5n);
      assert.equal(await balanceOf(admin, token(), eve.address), 10n);
    });

    test("expired claim: verified until the KYC claim's expiry, then refused; a renewed claim restores it", async () => {
      const { admin, kycIssuer, alice } = f;
      const investor = await t.newAccount();
      const now = await t.now();
      const holder = await f.onboard(investor, FR, now + 1_000n);
      await mint(admin, token(), alice.address, 100n);
      await transfer(alice.client, token(), holder.address, 10n);

      await t.increaseTime(2_000);
      assert.equal(await isVerified(admin, registry(), holder.address), false);
      assert.deepEqual(await verificationStatus(admin, registry(), holder.address), {
        status: "missing-claim",
        topic: KYC,
      });
      await rejects(
        transfer(alice.client, token(), holder.address, 10n),
        "TransferRejected",
        RULE.RECEIVER_NOT_VERIFIED,
      );
      await rejects(transfer(holder.client, token(), alice.address, 1n), "TransferRejected", RULE.SENDER_NOT_VERIFIED);

      await addClaim(kycIssuer, registry(), {
        identityId: holder.identityId,
        topic: KYC,
        expiresAt: (await t.now()) + 1_000n,
      });
      await transfer(alice.client, token(), holder.address, 10n);
      assert.equal(await balanceOf(admin, token(), holder.address), 20n);
    });

    test("untrusted issuer: its claims are refused, and a de-trusted issuer's claims stop counting", async () => {
      const { admin, agent, kycIssuer, amlIssuer, alice, bob } = f;
      // Not an issuer at all, and an issuer outside its topic.
      await rejects(
        addClaim(agent, registry(), { identityId: bob.identityId, topic: KYC }),
        "IssuerNotTrustedForTopic",
      );
      await rejects(
        addClaim(kycIssuer, registry(), { identityId: bob.identityId, topic: AML }),
        "IssuerNotTrustedForTopic",
      );

      await mint(admin, token(), alice.address, 100n);
      await removeTrustedIssuer(admin, registry(), kycIssuer.walletClient.account.address);
      assert.equal(await isVerified(admin, registry(), alice.address), false);
      await rejects(transfer(alice.client, token(), bob.address, 1n), "TransferRejected", RULE.SENDER_NOT_VERIFIED);

      // Trusted again: the claims it wrote count again.
      await addTrustedIssuer(admin, registry(), kycIssuer.walletClient.account.address, [KYC]);
      assert.equal(await isVerified(admin, registry(), alice.address), true);
      await transfer(alice.client, token(), bob.address, 1n);
      // A second issuer for a topic is enough on its own.
      await addTrustedIssuer(admin, registry(), agent.walletClient.account.address, [AML]);
      await removeTrustedIssuer(admin, registry(), amlIssuer.walletClient.account.address);
      assert.equal(await isVerified(admin, registry(), bob.address), false);
      await addClaim(agent, registry(), { identityId: bob.identityId, topic: AML });
      assert.equal(await isVerified(admin, registry(), bob.address), true);
    });

    test("revoked claim: the issuer withdraws it and the wallet is unverified; irrevocable claims stay", async () => {
      const { admin, kycIssuer, alice, bob } = f;
      await mint(admin, token(), alice.address, 100n);
      await revokeClaim(kycIssuer, registry(), bob.identityId, KYC);
      await rejects(transfer(alice.client, token(), bob.address, 1n), "TransferRejected", RULE.RECEIVER_NOT_VERIFIED);
      await rejects(revokeClaim(kycIssuer, registry(), bob.identityId, KYC), "ClaimAlreadyRevoked");

      await addClaim(kycIssuer, registry(), { identityId: bob.identityId, topic: KYC, revocable: false });
      await rejects(revokeClaim(kycIssuer, registry(), bob.identityId, KYC), "ClaimNotRevocable");
      await transfer(alice.client, token(), bob.address, 1n);
    });

    test("paused: every holder transfer is refused while paused; only a pauser pauses", async () => {
      const { admin, agent, alice, bob } = f;
      await mint(admin, token(), alice.address, 100n);
      await rejects(pause(agent, token()), "AccessControlUnauthorizedAccount");
      const receipt = await pause(admin, token());
      assert.equal(parseEventLogs({ abi: regulatedTokenAbi, logs: receipt.logs, eventName: "Paused" }).length, 1);
      assert.equal((await checkTransfer(admin, token(), alice.address, bob.address, 1n)).code, RULE.PAUSED);
      assert.equal(await canTransfer(admin, token(), alice.address, bob.address, 1n), false);
      const err = await rejects(transfer(alice.client, token(), bob.address, 1n), "TransferRejected", RULE.PAUSED);
      assert.match(err.message, /token paused/);
      await unpause(admin, token());
      await transfer(alice.client, token(), bob.address, 1n);
    });

    test("frozen wallet: a frozen wallet can neither send nor receive; unfreezing restores it", async () => {
      const { admin, alice, bob } = f;
      await mint(admin, token(), alice.address, 100n);
      const receipt = await setAddressFrozen(admin, token(), alice.address, true);
      const [event] = parseEventLogs({ abi: regulatedTokenAbi, logs: receipt.logs, eventName: "AddressFrozen" });
      assert.deepEqual(event?.args, {
        wallet: alice.address,
        isFrozen: true,
        agent: admin.walletClient.account.address,
      });
      assert.equal(await isFrozen(admin, token(), alice.address), true);
      assert.equal(await canSend(admin, token(), alice.address), false);
      assert.equal(await canReceive(admin, token(), alice.address), false);
      await rejects(transfer(alice.client, token(), bob.address, 1n), "TransferRejected", RULE.SENDER_FROZEN);
      await rejects(transfer(bob.client, token(), alice.address, 0n), "TransferRejected", RULE.RECEIVER_FROZEN);
      await rejects(mint(admin, token(), alice.address, 1n), "TransferRejected", RULE.RECEIVER_FROZEN);
      assert.equal((await checkTransfer(admin, token(), bob.address, alice.address, 0n)).code, RULE.RECEIVER_FROZEN);

      await setAddressFrozen(admin, token(), alice.address, false);
      await transfer(alice.client, token(), bob.address, 1n);
    });

    test("partial freeze: only the free balance (balance - frozen) moves", async () => {
      const { admin, alice, bob } = f;
      await mint(admin, token(), alice.address, 1_000n);
      const receipt = await freezePartialTokens(admin, token(), alice.address, 700n);
      assert.deepEqual(
        parseEventLogs({ abi: regulatedTokenAbi, logs: receipt.logs }).map((l) => l.eventName),
        ["TokensFrozen", "Frozen"],
      );
      assert.equal(await getFrozenTokens(admin, token(), alice.address), 700n);
      assert.deepEqual(await checkTransfer(admin, token(), alice.address, bob.address, 301n), {
        ok: false,
        code: RULE.INSUFFICIENT_FREE_BALANCE,
        rule: "INSUFFICIENT_FREE_BALANCE",
        reason: "insufficient free balance",
      });
      const err = await rejects(
        transfer(alice.client, token(), bob.address, 301n),
        "ERC7943InsufficientUnfrozenBalance",
      );
      assert.deepEqual(err.args, [alice.address, 301n, 300n]);
      // More than the whole balance is the base ERC-20 error.
      await rejects(transfer(alice.client, token(), bob.address, 1_001n), "ERC20InsufficientBalance");
      await transfer(alice.client, token(), bob.address, 300n);

      await rejects(freezePartialTokens(admin, token(), alice.address, 1n), "FreezeExceedsBalance");
      await rejects(unfreezePartialTokens(admin, token(), alice.address, 701n), "UnfreezeExceedsFrozen");
      await unfreezePartialTokens(admin, token(), alice.address, 200n);
      await transfer(alice.client, token(), bob.address, 200n);
      assert.equal(await balanceOf(admin, token(), alice.address), 500n);

      // ERC-7943 setFrozenTokens overwrites, and may exceed the balance (withholding future receipts).
      await setFrozenTokens(admin, token(), alice.address, 2_000n);
      assert.equal(await getFrozenTokens(admin, token(), alice.address), 2_000n);
      await mint(admin, token(), alice.address, 100n);
      await rejects(transfer(alice.client, token(), bob.address, 1n), "ERC7943InsufficientUnfrozenBalance");
    });

    test("forced transfer: an agent moves tokens past freezes, unfreezing what it needs; the receiver must be verified", async () => {
      const { admin, agent, alice, bob, eve } = f;
      await mint(admin, token(), alice.address, 1_000n);
      await freezePartialTokens(admin, token(), alice.address, 800n);
      await setAddressFrozen(admin, token(), alice.address, true);

      const receipt = await forcedTransfer(admin, token(), alice.address, bob.address, 500n);
      const events = parseEventLogs({ abi: regulatedTokenAbi, logs: receipt.logs });
      // ERC-7943: the unfreeze (Frozen) comes before the Transfer, then ForcedTransfer.
      assert.deepEqual(
        events.map((e) => e.eventName),
        ["TokensUnfrozen", "Frozen", "Transfer", "ForcedTransfer"],
      );
      assert.deepEqual(events[0]?.args, { wallet: alice.address, amount: 300n });
      assert.equal(await getFrozenTokens(admin, token(), alice.address), 500n);
      assert.equal(await balanceOf(admin, token(), alice.address), 500n);
      assert.equal(await balanceOf(admin, token(), bob.address), 500n);

      await rejects(
        forcedTransfer(admin, token(), alice.address, eve.address, 1n),
        "TransferRejected",
        RULE.RECEIVER_NOT_VERIFIED,
      );
      await rejects(forcedTransfer(admin, token(), alice.address, bob.address, 501n), "ERC20InsufficientBalance");
      const err = await rejects(
        forcedTransfer(agent, token(), alice.address, bob.address, 1n),
        "AccessControlUnauthorizedAccount",
      );
      assert.match(err.message, /does not have TRANSFER_AGENT_ROLE/);
    });

    test("recovery: a lost wallet's balance and freezes move to a new wallet of the same identity only", async () => {
      const { admin, agent, alice, bob } = f;
      await mint(admin, token(), alice.address, 1_000n);
      await freezePartialTokens(admin, token(), alice.address, 250n);
      await setAddressFrozen(admin, token(), alice.address, true);
      const replacement = await t.newAccount();

      // Not (yet) a wallet of alice's identity, and bob's wallet belongs to another identity.
      await rejects(
        recoveryAddress(admin, token(), alice.address, replacement.address, alice.identityId),
        "RecoveryIdentityMismatch",
      );
      const err = await rejects(
        recoveryAddress(admin, token(), alice.address, bob.address, alice.identityId),
        "RecoveryIdentityMismatch",
      );
      assert.match(err.message, /both must be wallets of identity/);
      await rejects(
        recoveryAddress(admin, token(), alice.address, bob.address, bob.identityId),
        "RecoveryIdentityMismatch",
      );
      await addWallet(agent, registry(), alice.identityId, replacement.address);
      await rejects(
        recoveryAddress(agent, token(), alice.address, replacement.address, alice.identityId),
        "AccessControlUnauthorizedAccount",
      );

      const receipt = await recoveryAddress(admin, token(), alice.address, replacement.address, alice.identityId);
      const [event] = parseEventLogs({ abi: regulatedTokenAbi, logs: receipt.logs, eventName: "RecoverySuccess" });
      assert.deepEqual(event?.args, {
        lostWallet: alice.address,
        newWallet: replacement.address,
        identityId: alice.identityId,
      });
      assert.equal(await balanceOf(admin, token(), alice.address), 0n);
      assert.equal(await balanceOf(admin, token(), replacement.address), 1_000n);
      assert.equal(await getFrozenTokens(admin, token(), alice.address), 0n);
      assert.equal(await getFrozenTokens(admin, token(), replacement.address), 250n);
      assert.equal(await isFrozen(admin, token(), replacement.address), true);
      await removeWallet(agent, registry(), alice.address);
      assert.equal(await identityOf(admin, registry(), alice.address), 0n);
    });

    test("agent roles: each power needs its own role", async () => {
      const { admin, agent, alice, bob } = f;
      await mint(admin, token(), alice.address, 100n);
      const denied = async (p: Promise<unknown>, role: string) => {
        const err = await rejects(p, "AccessControlUnauthorizedAccount");
        assert.match(err.message, new RegExp(`does not have ${role}`));
      };
      await denied(mint(agent, token(), alice.address, 1n), "MINTER_ROLE");
      await denied(burn(agent, token(), alice.address, 1n), "BURNER_ROLE");
      await denied(setAddressFrozen(agent, token(), alice.address, true), "FREEZER_ROLE");
      await denied(freezePartialTokens(agent, token(), alice.address, 1n), "FREEZER_ROLE");
      await denied(forcedTransfer(agent, token(), alice.address, bob.address, 1n), "TRANSFER_AGENT_ROLE");
      await denied(recoveryAddress(agent, token(), alice.address, bob.address, 1n), "RECOVERY_ROLE");
      await denied(pause(agent, token()), "PAUSER_ROLE");
      await denied(snapshot(agent, token()), "SNAPSHOT_ROLE");
      await denied(
        grantTokenRole(agent, token(), "MINTER_ROLE", agent.walletClient.account.address),
        "DEFAULT_ADMIN_ROLE",
      );

      // A freezer can freeze, and only that.
      await grantTokenRole(admin, token(), "FREEZER_ROLE", agent.walletClient.account.address);
      await freezePartialTokens(agent, token(), alice.address, 10n);
      await setAddressFrozen(agent, token(), bob.address, true);
      await denied(mint(agent, token(), alice.address, 1n), "MINTER_ROLE");

      // Burning by a burner unfreezes what the free balance lacks.
      await burn(admin, token(), alice.address, 95n);
      assert.equal(await getFrozenTokens(admin, token(), alice.address), 5n);
      assert.equal(await totalSupply(admin, token()), 5n);
    });

    test("batch operations: mint, transfer, freeze, unfreeze, forced transfer and burn in one transaction each", async () => {
      const { admin, alice, bob, carol, dave } = f;
      const wallets = [alice.address, bob.address, carol.address];
      await batchMint(admin, token(), wallets, [100n, 200n, 300n]);
      await batchTransfer(carol.client, token(), [alice.address, bob.address], [10n, 20n]);
      assert.deepEqual(await Promise.all(wallets.map((w) => balanceOf(admin, token(), w))), [110n, 220n, 270n]);
      await batchFreezePartialTokens(admin, token(), wallets, [10n, 20n, 30n]);
      assert.deepEqual(await Promise.all(wallets.map((w) => getFrozenTokens(admin, token(), w))), [10n, 20n, 30n]);
      await batchUnfreezePartialTokens(admin, token(), wallets, [10n, 10n, 10n]);
      assert.deepEqual(await Promise.all(wallets.map((w) => getFrozenTokens(admin, token(), w))), [0n, 10n, 20n]);
      await batchSetAddressFrozen(admin, token(), [alice.address, bob.address], [true, true]);
      assert.equal(await isFrozen(admin, token(), bob.address), true);
      await batchSetAddressFrozen(admin, token(), [alice.address, bob.address], [false, false]);
      await batchForcedTransfer(
        admin,
        token(),
        [alice.address, bob.address],
        [dave.address, dave.address],
        [110n, 220n],
      );
      assert.equal(await balanceOf(admin, token(), dave.address), 330n);
      await batchBurn(admin, token(), [dave.address, carol.address], [330n, 270n]);
      assert.equal(await totalSupply(admin, token()), 0n);

      // All or nothing: one refused leg reverts the batch; mismatched lists are refused.
      await mint(admin, token(), alice.address, 50n);
      await rejects(
        batchTransfer(alice.client, token(), [bob.address, f.eve.address], [10n, 10n]),
        "TransferRejected",
        RULE.RECEIVER_NOT_VERIFIED,
      );
      assert.equal(await balanceOf(admin, token(), bob.address), 0n);
      await rejects(batchMint(admin, token(), [alice.address], [1n, 2n]), "ArrayLengthMismatch");
    });

    test("ERC-2612 permit: a signed allowance is accepted once, before its deadline, from its owner only", async () => {
      const { admin, alice, bob, carol } = f;
      await mint(admin, token(), alice.address, 500n);
      const deadline = (await t.now()) + 3_600n;
      const signed = await signPermit(alice.client, token(), { spender: bob.address, value: 300n, deadline });
      assert.equal(signed.nonce, 0n);
      await submitPermit(carol.client, token(), signed); // anyone may submit it
      assert.equal(
        await read(admin, {
          address: token(),
          abi: regulatedTokenAbi,
          functionName: "allowance",
          args: [alice.address, bob.address],
        }),
        300n,
      );
      await transferFrom(bob.client, token(), alice.address, carol.address, 200n);
      assert.equal(await balanceOf(admin, token(), carol.address), 200n);
      // transferFrom is still a regulated transfer: the receiver must be verified.
      await rejects(
        transferFrom(bob.client, token(), alice.address, f.eve.address, 50n),
        "TransferRejected",
        RULE.RECEIVER_NOT_VERIFIED,
      );
      await rejects(
        transferFrom(bob.client, token(), alice.address, carol.address, 101n),
        "ERC20InsufficientAllowance",
      );

      // Replayed (the nonce moved on), expired, or signed by someone else: refused.
      await rejects(submitPermit(carol.client, token(), signed), "ERC2612InvalidSigner");
      const expired = await signPermit(alice.client, token(), { spender: bob.address, value: 1n, deadline: 1n });
      await rejects(submitPermit(carol.client, token(), expired), "ERC2612ExpiredSignature");
      const forged = await signPermit(carol.client, token(), { spender: bob.address, value: 1n, deadline, nonce: 1n });
      await rejects(submitPermit(carol.client, token(), { ...forged, owner: alice.address }), "ERC2612InvalidSigner");
      // approve itself is not restricted.
      await approve(alice.client, token(), carol.address, 5n);
    });

    test("record-date snapshots: balances and supply as of each snapshot", async () => {
      const { admin, alice, bob } = f;
      await mint(admin, token(), alice.address, 1_000n);
      const first = await snapshot(admin, token());
      await transfer(alice.client, token(), bob.address, 300n);
      await mint(admin, token(), bob.address, 50n);
      const second = await snapshot(admin, token());
      await burn(admin, token(), alice.address, 100n);
      assert.equal(second, first + 1n);

      assert.equal(await balanceOfAt(admin, token(), alice.address, first), 1_000n);
      assert.equal(await balanceOfAt(admin, token(), bob.address, first), 0n);
      assert.equal(await totalSupplyAt(admin, token(), first), 1_000n);
      assert.equal(await balanceOfAt(admin, token(), alice.address, second), 700n);
      assert.equal(await balanceOfAt(admin, token(), bob.address, second), 350n);
      assert.equal(await totalSupplyAt(admin, token(), second), 1_050n);
      assert.equal(await balanceOf(admin, token(), alice.address), 600n);
      await rejects(balanceOfAt(admin, token(), alice.address, second + 1n), "SnapshotNotFound");
      await rejects(totalSupplyAt(admin, token(), 0n), "SnapshotNotFound");
    });

    test("ERC-165: the token reports ERC-7943 (0x3edbb4c4), ERC-20 and AccessControl", async () => {
      const supports = (id: `0x${string}`) =>
        read(f.admin, { address: token(), abi: regulatedTokenAbi, functionName: "supportsInterface", args: [id] });
      assert.equal(await supports("0x3edbb4c4"), true);
      assert.equal(await supports("0x36372b07"), true);
      assert.equal(await supports("0x7965db0b"), true);
      assert.equal(await supports("0xffffffff"), false);
    });

    test("identity registry: several wallets per identity share its claims; agents only; events", async () => {
      const { admin, agent, alice, bob } = f;
      const second = await t.newAccount();
      await rejects(
        addWallet(alice.client, registry(), alice.identityId, second.address),
        "AccessControlUnauthorizedAccount",
      );
      const receipt = await addWallet(agent, registry(), alice.identityId, second.address);
      const [registered] = parseEventLogs({
        abi: identityRegistryAbi,
        logs: receipt.logs,
        eventName: "IdentityRegistered",
      });
      assert.deepEqual(registered?.args, { wallet: second.address, identityId: alice.identityId, country: US });
      assert.equal(await isVerified(admin, registry(), second.address), true);
      assert.deepEqual(await walletsOf(admin, registry(), alice.identityId), [alice.address, second.address]);
      await rejects(addWallet(agent, registry(), bob.identityId, second.address), "WalletAlreadyRegistered");
      await rejects(registerIdentity(agent, registry(), second.address, FR), "WalletAlreadyRegistered");

      const moved = await updateCountry(agent, registry(), alice.identityId, DE);
      assert.equal(
        parseEventLogs({ abi: identityRegistryAbi, logs: moved.logs, eventName: "CountryUpdated" }).length,
        2,
      );
      assert.equal(
        await read(admin, {
          address: registry(),
          abi: identityRegistryAbi,
          functionName: "investorCountry",
          args: [second.address],
        }),
        DE,
      );

      const removed = await removeWallet(agent, registry(), second.address);
      assert.equal(
        parseEventLogs({ abi: identityRegistryAbi, logs: removed.logs, eventName: "IdentityRemoved" }).length,
        1,
      );
      assert.equal(await isVerified(admin, registry(), second.address), false);

      await deleteIdentity(agent, registry(), bob.identityId);
      assert.equal(await isVerified(admin, registry(), bob.address), false);
      await rejects(addWallet(agent, registry(), bob.identityId, second.address), "IdentityNotFound");
      await rejects(registerIdentity(agent, registry(), zeroAddress, US), "ZeroAddress");
    });

    test("the admin's configuration calls are refused to others", async () => {
      const { agent } = f;
      await rejects(
        send(agent, {
          address: token(),
          abi: regulatedTokenAbi,
          functionName: "setCompliance",
          args: [f.core.compliance],
        }),
        "AccessControlUnauthorizedAccount",
      );
      await rejects(
        addTrustedIssuer(agent, registry(), agent.walletClient.account.address, [KYC]),
        "AccessControlUnauthorizedAccount",
      );
    });
  },
  { isolate: true },
);
