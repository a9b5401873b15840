// ERC-1643 documents of a token (DocumentRegistry): names are short strings stored as bytes32.
import { type Address, type Hex, hexToString, stringToHex } from "viem";
import type { RwaClient, RwaReader } from "./client.js";
import { DOCUMENT_REGISTRY_ABI as abi } from "./markets-abi.js";
import { readMarket, sendMarket } from "./markets-call.js";

export interface TokenDocument {
  name: string;
  uri: string;
  documentHash: Hex;
  /** Block timestamp of the last set. */
  lastModified: bigint;
}

/** A document name as ERC-1643's bytes32 (UTF-8, at most 32 bytes, zero-padded). */
export function documentName(name: string): Hex {
  if (name === "") throw new Error("document name must not be empty");
  if (new TextEncoder().encode(name).length > 32) throw new Error(`document name "${name}" is longer than 32 bytes`);
  return stringToHex(name, { size: 32 });
}

function nameOf(name: Hex): string {
  return hexToString(name, { size: 32 });
}

/** Creates or replaces a document (issuer only). */
export function setDocument(
  client: RwaClient,
  registry: Address,
  doc: { name: string; uri: string; documentHash: Hex },
) {
  return sendMarket(client, {
    address: registry,
    abi,
    functionName: "setDocument",
    args: [documentName(doc.name), doc.uri, doc.documentHash],
  });
}

export function removeDocument(client: RwaClient, registry: Address, name: string) {
  return sendMarket(client, { address: registry, abi, functionName: "removeDocument", args: [documentName(name)] });
}

/** The document, or undefined when none has that name. */
export async function getDocument(
  client: RwaReader,
  registry: Address,
  name: string,
): Promise<TokenDocument | undefined> {
  const [uri, documentHash, lastModified] = await readMarket(client, {
    address: registry,
    abi,
    functionName: "getDocument",
    args: [documentName(name)],
  });
  return uri === "" ? undefined : { name, uri, documentHash, lastModified };
}

/** Every document name set now. */
export async function getAllDocuments(client: RwaReader, registry: Address): Promise<string[]> {
  const names = await readMarket(client, { address: registry, abi, functionName: "getAllDocuments", args: [] });
  return names.map(nameOf);
}
