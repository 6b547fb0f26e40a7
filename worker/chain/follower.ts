// Follows the task module's events over JSON-RPC. eth_getLogs over block ranges is the record: the
// follower reads (last processed block, head] in bounded ranges, hands each range's events to the
// worker (which persists them and the new cursor before the next range), and sleeps. A WebSocket
// `logs` subscription, when the node offers one, only wakes it early, so a dropped socket loses
// nothing. Every failure (node down, restarting, timing out) is retried with capped exponential
// backoff, forever; the WebSocket reconnects the same way.
import WebSocket from 'ws';
import type { Logger } from '../../infra/logger.ts';
import { TASK_ADDRESS, type ChainClient, type TaskEvent } from './client.ts';

export class Backoff {
  private current: number;
  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.current = minMs;
  }
  next(): number {
    const d = this.current;
    this.current = Math.min(this.maxMs, this.current * 2);
    return d;
  }
  reset(): void {
    this.current = this.minMs;
  }
}

export interface FollowerOptions {
  client: ChainClient;
  /** ws:// URL for the logs subscription; null: poll only */
  wsUrl: string | null;
  /** sleep between polls when nothing woke the follower, ms */
  pollMs: number;
  /** most blocks per eth_getLogs (the node caps ranges; a refused range is halved) */
  maxRange?: bigint;
  /** the last block already processed */
  cursor: () => bigint;
  /** processes one range's events; must persist `toBlock` as the new cursor before returning */
  onEvents: (events: TaskEvent[], toBlock: bigint) => Promise<void>;
  /** called with the head after every successful poll (deadline checks) */
  onHead: (head: bigint) => Promise<void>;
  /** called when the node answers again after failures */
  onRecovered?: () => void;
  log: Logger;
}

/** http(s)://host:port/… → ws(s)://host:port/… (the node serves both on one port). */
export function wsUrlFor(rpcUrl: string): string | null {
  const m = /^http(s?):\/\/(.*)$/i.exec(rpcUrl);
  return m ? `ws${m[1]}://${m[2]}` : null;
}

export class EventFollower {
  private stopped = false;
  private wake: (() => void) | null = null;
  private woken = false;
  private socket: WebSocket | null = null;
  private socketTimer: NodeJS.Timeout | null = null;
  private readonly wsBackoff = new Backoff(250, 10_000);
  private loop: Promise<void> | null = null;
  private maxRange: bigint;
  /** true while the node answers (for logs: say "reconnected" once) */
  private healthy = true;

  constructor(private readonly o: FollowerOptions) {
    this.maxRange = o.maxRange ?? 2_000n;
  }

  start(): void {
    this.loop = this.run();
    if (this.o.wsUrl !== null) this.connectSocket();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.socketTimer) clearTimeout(this.socketTimer);
    this.socket?.terminate();
    this.poke();
    await this.loop;
  }

  /** Wakes the poll loop now (a subscription notification, or work that wants a fresh look). */
  poke(): void {
    this.woken = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopped) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(t);
        self.wake = null;
        self.woken = false;
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(100, 2_000);
    while (!this.stopped) {
      try {
        await this.pollOnce();
        if (!this.healthy) {
          this.o.log.info('node reachable again; following events');
          this.o.onRecovered?.();
        }
        this.healthy = true;
        backoff.reset();
        await this.sleep(this.o.pollMs);
      } catch (e) {
        const delay = backoff.next();
        if (this.healthy) this.o.log.warn({ err: (e as Error).message, retryMs: delay }, 'event poll failed; retrying');
        else this.o.log.debug({ err: (e as Error).message, retryMs: delay }, 'event poll failed again');
        this.healthy = false;
        await this.sleep(delay);
      }
    }
  }

  private async pollOnce(): Promise<void> {
    const head = await this.o.client.blockNumber();
    let from = this.o.cursor() + 1n;
    while (from <= head && !this.stopped) {
      const to = from + this.maxRange - 1n < head ? from + this.maxRange - 1n : head;
      let events: TaskEvent[];
      try {
        events = await this.o.client.taskEvents(from, to);
      } catch (e) {
        // a node that caps ranges (or results) tighter than we asked: halve and retry
        if (/range|results|limit/i.test((e as Error).message) && this.maxRange > 1n) {
          this.maxRange = this.maxRange / 2n;
          this.o.log.debug({ maxRange: this.maxRange.toString() }, 'eth_getLogs range refused; narrowing');
          continue;
        }
        throw e;
      }
      await this.o.onEvents(events, to);
      from = to + 1n;
    }
    await this.o.onHead(head);
  }

  private connectSocket(): void {
    if (this.stopped || this.o.wsUrl === null) return;
    const ws = new WebSocket(this.o.wsUrl, { handshakeTimeout: 5_000, maxPayload: 16 * 1024 * 1024 });
    this.socket = ws;
    let subscribed = false;
    ws.on('open', () => {
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['logs', { address: TASK_ADDRESS }] }));
    });
    ws.on('message', (data: WebSocket.RawData) => {
      let msg: { id?: number; result?: unknown; error?: { message?: string }; method?: string };
      try {
        msg = JSON.parse(data.toString()) as typeof msg;
      } catch {
        return;
      }
      if (msg.id === 1) {
        if (msg.error) {
          this.o.log.info({ err: msg.error.message }, 'node refused the logs subscription; polling only');
          ws.close();
          return;
        }
        subscribed = true;
        this.wsBackoff.reset();
        this.o.log.debug('subscribed to task events over WebSocket');
      } else if (msg.method === 'eth_subscription') {
        this.poke();
      }
    });
    ws.on('error', (err) => this.o.log.debug({ err: err.message }, 'websocket error'));
    ws.on('close', () => {
      if (this.socket === ws) this.socket = null;
      if (this.stopped) return;
      const delay = this.wsBackoff.next();
      if (subscribed) this.o.log.info({ retryMs: delay }, 'event subscription closed; polling meanwhile, reconnecting');
      this.socketTimer = setTimeout(() => this.connectSocket(), delay);
      this.poke();
    });
  }
}
