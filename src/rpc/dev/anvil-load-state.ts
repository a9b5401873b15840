import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { expectParams, parseData } from "../hex-codec.js";
import { devControl } from "./control.js";

const gunzipAsync = promisify(gunzip);

/**
 * anvil_loadState: sets every account of a dump (anvil_dumpState's hex: gzip-compressed or plain JSON
 * bytes); true. The JSON may be at most limits.maxStateDumpBytes long, inflated or not: a few MB of
 * gzip can inflate to gigabytes, which once ended the process.
 */
export async function anvilLoadState(params: readonly unknown[], ctx: RpcContext): Promise<boolean> {
  expectParams(params, 1);
  const json = await dumpJson(parseData(params[0], "state"), ctx.limits.maxStateDumpBytes);
  try {
    await devControl(ctx).loadState(json);
  } catch (error) {
    // A malformed dump is the caller's input, not a node failure.
    if (error instanceof Error && error.message.startsWith("state dump:")) throw invalidParams(error.message);
    throw error;
  }
  return true;
}

const tooLarge = (maxBytes: number, what: string) =>
  invalidParams(`state: ${what} more than ${maxBytes} bytes of JSON, the limit (--rpc-max-state-bytes)`);

/**
 * The dump's JSON bytes: inflated off the main thread and stopped at `maxBytes` where gzip-compressed,
 * else as given. Anything but a JSON object is refused here, so a dump cannot nest gzip or hex inside.
 */
export async function dumpJson(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  let json = data;
  if (data[0] === 0x1f && data[1] === 0x8b) {
    try {
      json = await gunzipAsync(data, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(maxBytes, "inflates to");
      throw invalidParams(`state: not valid gzip (${(error as Error).message})`);
    }
  } else if (data.length > maxBytes) {
    throw tooLarge(maxBytes, "holds");
  }
  if (json[firstNonSpace(json)] !== 0x7b) {
    throw invalidParams("state: expected a JSON object (as anvil_dumpState writes it), gzip-compressed or not");
  }
  return json;
}

function firstNonSpace(bytes: Uint8Array): number {
  let i = 0;
  // JSON's whitespace: space, tab, line feed, carriage return.
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i;
}
