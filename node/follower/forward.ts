// A follower has no pool of its own: eth_sendRawTransaction goes to the sequencer's JSON-RPC. Calls
// made in one event-loop turn (one client batch) travel as one JSON-RPC batch.
import { bytesToHex, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { NetworkError } from '../network/errors.ts';

interface Waiting {
  raw: Bytes;
  resolve: (h: Hex) => void;
  reject: (e: Error) => void;
}

interface RpcReply {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

const FORWARD_TIMEOUT_MS = 15_000;

export class TxForwarder {
  private queue: Waiting[] = [];
  private scheduled = false;

  constructor(readonly url: string) {}

  send(raw: Bytes): Promise<Hex> {
    return new Promise((resolve, reject) => {
      this.queue.push({ raw, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    let replies: RpcReply[];
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch.map((w, id) => ({ jsonrpc: '2.0', id, method: 'eth_sendRawTransaction', params: [bytesToHex(w.raw)] }))),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
      const body: unknown = await res.json();
      if (!Array.isArray(body)) throw new Error(`HTTP ${res.status}: not a batch reply`);
      replies = body as RpcReply[];
    } catch (e) {
      const err = new NetworkError('SEQUENCER_UNREACHABLE', `could not forward to the sequencer: ${(e as Error).message}`);
      for (const w of batch) w.reject(err);
      return;
    }
    const byId = new Map(replies.map((r) => [r.id, r]));
    batch.forEach((w, id) => {
      const r = byId.get(id);
      if (r && typeof r.result === 'string') w.resolve(r.result as Hex);
      else w.reject(new NetworkError('TX_FORWARD_REFUSED', typeof r?.error?.message === 'string' ? r.error.message : 'the sequencer gave no answer', { sequencerCode: r?.error?.code }));
    });
  }
}
