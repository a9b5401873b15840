// A light reader beside the load: one eth_getBalance of the latest block at a time on its own
// connection, a pause between them, its latency kept per call. A node whose main thread is busy
// building a block answers it late: the probe's percentiles show how long reads wait under load.
import { performance } from "node:perf_hooks";
import { HttpTransport } from "./rpc-client.js";

/** Pause between one read's answer and the next read. */
export const READ_PAUSE_MS = 20;
const BODY = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "eth_getBalance",
  params: ["0x0000000000000000000000000000000000000001", "latest"],
});

export class ReadProbe {
  private readonly transport: HttpTransport;
  private readonly latencies: number[] = [];
  private stopped = false;
  private failure: Error | undefined;
  private readonly loop: Promise<void>;

  private constructor(url: string) {
    this.transport = new HttpTransport(url, 1);
    this.loop = this.run();
  }

  /** Starts reading now, until `stop`. */
  static start(url: string): ReadProbe {
    return new ReadProbe(url);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const t = performance.now();
      try {
        const text = await this.transport.post(BODY);
        if (!text.includes('"result"'))
          throw new Error(`eth_getBalance answered without a result: ${text.slice(0, 200)}`);
        this.latencies.push(performance.now() - t);
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, READ_PAUSE_MS));
    }
  }

  /** Stops after the read in flight; its latencies in milliseconds, in call order. Throws where a read failed. */
  async stop(): Promise<number[]> {
    this.stopped = true;
    await this.loop;
    this.transport.close();
    if (this.failure !== undefined) throw new Error(`the read probe failed: ${this.failure.message}`);
    return this.latencies;
  }
}
