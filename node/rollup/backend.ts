// verity_rollupConfig reads the chain's rollup configuration (the genesis' bridge parameters) from
// the RPC backend; this gives any node backend (sequencer, p2p follower, deriving node) that method.
import type { Genesis } from '../../genesis/index.ts';
import type { RollupConfigSource } from '../../rpc/methods/rollup.ts';

export function withRollupConfig<B extends object>(backend: B, genesis: Genesis): B & RollupConfigSource {
  return Object.assign(backend, { bridgeParams: () => genesis.modules.bridge });
}
