// geth's txpool namespace, for looking into the pool on a devnet. A sender's transactions are
// "pending" while their nonces run on from the account's nonce without a gap, "queued" after one.
import type { SignedTx } from '../../state-machine/chain/types.ts';
import type { Address } from '../../state-machine/types.ts';
import type { RpcBackend } from '../backend.ts';
import { formatTx, qty, type JsonObject } from '../format.ts';
import { method, type MethodTable } from './method.ts';

interface Split {
  pending: Map<Address, SignedTx[]>;
  queued: Map<Address, SignedTx[]>;
}

async function splitPool(backend: RpcBackend): Promise<Split> {
  const bySender = new Map<Address, SignedTx[]>();
  for (const tx of backend.pendingTransactions()) {
    const list = bySender.get(tx.from) ?? [];
    list.push(tx);
    bySender.set(tx.from, list);
  }
  const out: Split = { pending: new Map(), queued: new Map() };
  for (const [from, txs] of bySender) {
    txs.sort((a, b) => (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0));
    let next = await backend.getNonce(from, 'latest');
    const pending: SignedTx[] = [];
    const queued: SignedTx[] = [];
    for (const tx of txs) {
      if (tx.nonce === next && queued.length === 0) {
        pending.push(tx);
        next++;
      } else {
        queued.push(tx);
      }
    }
    if (pending.length > 0) out.pending.set(from, pending);
    if (queued.length > 0) out.queued.set(from, queued);
  }
  return out;
}

function content(groups: Map<Address, SignedTx[]>): JsonObject {
  const out: JsonObject = {};
  for (const [from, txs] of groups) {
    const byNonce: JsonObject = {};
    for (const tx of txs) byNonce[tx.nonce.toString(10)] = formatTx(tx, null);
    out[from] = byNonce;
  }
  return out;
}

const count = (groups: Map<Address, SignedTx[]>): number => [...groups.values()].reduce((n, l) => n + l.length, 0);

export const txpoolMethods: MethodTable = {
  txpool_status: method([], async ({ backend }) => {
    const s = await splitPool(backend);
    return { pending: qty(count(s.pending)), queued: qty(count(s.queued)) };
  }),
  txpool_content: method([], async ({ backend }) => {
    const s = await splitPool(backend);
    return { pending: content(s.pending), queued: content(s.queued) };
  }),
};
