/// <reference lib="dom" />
// A JSON-RPC 2.0 client over the node's WebSocket: calls, batches and eth_subscribe notifications.
// It reconnects with backoff; the page re-syncs from the last block it saw.

export class RpcError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

interface Reply {
  id?: number;
  result?: unknown;
  error?: { code: number; message: string };
  method?: string;
  params?: { subscription: string; result: unknown };
}

export interface Call {
  method: string;
  params: unknown[];
}

export class WsRpc {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subs = new Map<string, (result: unknown) => void>();

  constructor(
    private readonly url: string,
    private readonly onState: (state: 'connecting' | 'live' | 'offline') => void,
  ) {}

  /** Opens the socket; resolves once open. `onClose` runs when it drops. */
  open(onClose: () => void): Promise<void> {
    this.onState('connecting');
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      ws.onopen = () => {
        this.onState('live');
        resolve();
      };
      ws.onerror = () => reject(new Error('websocket error'));
      ws.onclose = () => {
        this.ws = null;
        for (const p of this.pending.values()) p.reject(new Error('connection closed'));
        this.pending.clear();
        this.subs.clear();
        this.onState('offline');
        onClose();
      };
      ws.onmessage = (ev) => this.receive(String(ev.data));
    });
  }

  private receive(text: string): void {
    const msg = JSON.parse(text) as Reply | Reply[];
    for (const m of Array.isArray(msg) ? msg : [msg]) {
      if (m.method === 'eth_subscription' && m.params) {
        this.subs.get(m.params.subscription)?.(m.params.result);
        continue;
      }
      if (typeof m.id !== 'number') continue;
      const p = this.pending.get(m.id);
      if (!p) continue;
      this.pending.delete(m.id);
      if (m.error) p.reject(new RpcError(m.error.code, m.error.message));
      else p.resolve(m.result);
    }
  }

  private request(id: number): Promise<unknown> {
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** Drops the connection (its onClose then runs). */
  close(): void {
    this.ws?.close();
  }

  call<T>(method: string, params: unknown[] = []): Promise<T> {
    if (!this.ws) return Promise.reject(new Error('not connected'));
    const id = this.nextId++;
    const p = this.request(id);
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return p as Promise<T>;
  }

  /** One JSON-RPC batch; each entry settles on its own. */
  batch(calls: Call[]): Promise<unknown>[] {
    if (calls.length === 0) return [];
    if (!this.ws) return calls.map(() => Promise.reject(new Error('not connected')));
    const body = calls.map((c) => ({ jsonrpc: '2.0', id: this.nextId++, method: c.method, params: c.params }));
    const out = body.map((b) => this.request(b.id));
    this.ws.send(JSON.stringify(body));
    return out;
  }

  async subscribe(params: unknown[], onResult: (result: unknown) => void): Promise<string> {
    const id = await this.call<string>('eth_subscribe', params);
    this.subs.set(id, onResult);
    return id;
  }
}
