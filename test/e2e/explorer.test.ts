// The explorer page a started node serves at GET /, in headless Chromium (Debian's `chromium`, driven
// by playwright-core): it goes live over the node's WebSocket, shows a new block within a second of it
// being mined, and its transaction, address and token pages show what the node knows. Screenshots are
// kept in test-artifacts/ (or $WEFT_TEST_ARTIFACTS). Weft only: anvil serves no page. Without Chromium
// the test is skipped, except under CI=true, where it fails.
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { encodeFunctionData, formatEther, parseAbi } from "viem";
import { DEV, ROOT, rpc, startTarget, TARGET, type Target } from "./harness.js";
import { TOKEN_ABI, tokenBytecode, word } from "./token.js";

const CHROMIUM = process.env.WEFT_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = process.env.WEFT_TEST_ARTIFACTS ?? join(ROOT, "test-artifacts");
const CI = process.env.CI === "true";

function skipReason(): string | false {
  if (TARGET === "anvil") return "anvil serves no explorer page";
  if (existsSync(CHROMIUM) || CI) return false;
  return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set WEFT_CHROMIUM): the browser test is skipped`;
}

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`CI=true needs Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);
  // Root (containers, CI) cannot use Chromium's sandbox.
  const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

interface Receipt {
  blockNumber: string;
  contractAddress: string | null;
  status: string;
}

async function send(node: Target, tx: Record<string, string>): Promise<{ hash: string; receipt: Receipt }> {
  const hash = await rpc<string>(node.url, "eth_sendTransaction", [{ from: DEV[0].address, ...tx }]);
  const receipt = await rpc<Receipt>(node.url, "eth_getTransactionReceipt", [hash]);
  assert.equal(receipt.status, "0x1");
  return { hash, receipt };
}

/** What the page threw or logged as an error: a broken page fails the test even if it draws. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return errors;
}

describe("the explorer page at GET /", { skip: skipReason() }, () => {
  let node: Target;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let token: string;
  let transfer: { hash: string; receipt: Receipt };

  before(async () => {
    browser = await launch();
    node = await startTarget();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    pageErrors = watchErrors(page);
    mkdirSync(ARTIFACTS, { recursive: true });
    const deployed = await send(node, { data: `${await tokenBytecode()}${word(10n ** 24n)}` });
    token = deployed.receipt.contractAddress!;
  });

  after(async () => {
    await browser?.close();
    await node?.stop();
  });

  it("goes live and shows a block within a second of it being mined", async (t) => {
    await page.goto(`${node.url}/`);
    await page.waitForSelector('#status[data-state="live"]', { timeout: 10_000 });
    const data = encodeFunctionData({ abi: parseAbi(TOKEN_ABI), functionName: "transfer", args: [DEV[1].address, 5n] });
    transfer = await send(node, { to: token, data });
    const mined = Date.now();
    const block = Number(transfer.receipt.blockNumber);
    await page.waitForSelector(`tr[data-block="${block}"]`, { timeout: 1000 });
    const shownAfterMs = Date.now() - mined;
    assert.ok(shownAfterMs <= 1000, `block ${block} shown ${shownAfterMs} ms after it was mined`);
    t.diagnostic(`block ${block} shown ${shownAfterMs} ms after its receipt was read; screenshots in ${ARTIFACTS}`);
    await page.waitForSelector(`tr[data-tx="${transfer.hash}"]`, { timeout: 1000 });
    await page.screenshot({ path: join(ARTIFACTS, "explorer-home.png"), fullPage: true });
  });

  it("the transaction page shows the receipt, the decoded Transfer log and the call trace", async () => {
    await page.click(`tr[data-tx="${transfer.hash}"] a[href^="#/tx/"]`);
    await page.waitForSelector("#call-trace", { timeout: 10_000 });
    assert.equal(await page.textContent("#tx-status"), "success");
    const log = (await page.textContent(".decoded-log"))!;
    assert.match(log, /^Transfer/);
    assert.match(log, new RegExp(`from\\s*${DEV[0].address}`, "i"));
    assert.match(log, new RegExp(`to\\s*${DEV[1].address}`, "i"));
    assert.match(log, /value\s*5$/);
    assert.match((await page.textContent("#call-trace"))!, /^CALL .*0xa9059cbb/);
    await page.screenshot({ path: join(ARTIFACTS, "explorer-tx.png"), fullPage: true });
  });

  it("the address page shows the balance, nonce, code and the address's transactions", async () => {
    await page.goto(`${node.url}/#/address/${DEV[0].address}`);
    await page.waitForSelector(`#address-txs tr[data-tx="${transfer.hash}"]`, { timeout: 10_000 });
    await page.waitForSelector("#balance", { timeout: 10_000 });
    const balance = BigInt(await rpc<string>(node.url, "eth_getBalance", [DEV[0].address, "latest"]));
    assert.equal(await page.textContent("#balance"), `${formatEther(balance)} ETH`);
    assert.match((await page.textContent("main"))!, /Nonce\s*2/);
    assert.match((await page.textContent("main"))!, /none \(an externally owned account\)/);
    await page.screenshot({ path: join(ARTIFACTS, "explorer-address.png"), fullPage: true });
  });

  it("the token page lists the holders from the token's Transfer logs", async () => {
    await page.goto(`${node.url}/#/token/${token}`);
    await page.waitForSelector(`tr[data-holder="${DEV[1].address.toLowerCase()}"]`, { timeout: 10_000 });
    const text = (await page.textContent("main"))!;
    assert.match(text, /Holders \(2\)/);
    assert.match(text, /Paused\s*n\/a/, "the bench token is not an RWA token");
    await page.screenshot({ path: join(ARTIFACTS, "explorer-token.png"), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});

describe("the explorer page with --auth-token", { skip: skipReason() }, () => {
  let node: Target;
  let browser: Browser;

  before(async () => {
    browser = await launch();
    node = await startTarget({ args: ["--auth-token", "s3cret"] });
  });

  after(async () => {
    await browser?.close();
    await node?.stop();
  });

  it("is served without the token, asks for it, and goes live with ?token=", async () => {
    const res = await fetch(`${node.url}/`);
    assert.equal(res.status, 200, "the static page needs no token");
    assert.match(res.headers.get("content-security-policy")!, /frame-ancestors 'none'/);
    await res.text();
    const page = await browser.newPage();
    const pageErrors = watchErrors(page);
    await page.goto(`${node.url}/`);
    await page.waitForSelector(".token-form", { timeout: 10_000 });
    await page.goto(`${node.url}/?token=s3cret`);
    await page.waitForSelector('#status[data-state="live"]', { timeout: 10_000 });
    assert.equal(new URL(page.url()).search, "", "the token is taken out of the address bar");
    await page.waitForSelector('tr[data-block="0"]', { timeout: 10_000 });
    // The 401 of the first, tokenless load is the one console error expected.
    assert.ok(
      pageErrors.every((e) => /401/.test(e)),
      pageErrors.join("\n"),
    );
  });
});
