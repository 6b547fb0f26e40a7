// The dispute player's view of the chain over JSON-RPC: getDispute, the block number, and verde
// calls sent from the worker's key (the node's gas estimate runs each first, so a revert spends no
// nonce and comes back as the module's error).
import type { ChainClient } from '../chain/client.ts';
import type { DisputeChain, VerdeFn } from './player.ts';

export class DisputeMoveError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

export function rpcDisputeChain(client: ChainClient, clockBlocks: bigint, onSend?: (fn: VerdeFn, ok: boolean, error?: string) => void): DisputeChain {
  return {
    clockBlocks,
    dispute: (id) => client.getDispute(id),
    blockNumber: () => client.blockNumber(),
    async send(fn, args) {
      const out = await client.sendVerde(fn, args);
      onSend?.(fn, out.ok, out.ok ? undefined : out.error);
      if (!out.ok) throw new DisputeMoveError(out.error, `${fn} reverted: ${out.message}`);
    },
  };
}
