// What every view gets, and gives back: the node, the live feed, and a cleanup for when the route
// changes (timers, feed listeners).
import type { ChainFeed } from "../chain-feed.js";
import type { ExecutorMonitor } from "../executor-stats.js";
import type { NodeClient } from "../rpc-client.js";

export interface ViewContext {
  client: NodeClient;
  feed: ChainFeed;
  executor: ExecutorMonitor;
}

/** Draws into `root`; the returned function undoes what keeps running. */
export type View = (root: HTMLElement, ctx: ViewContext) => () => void;
