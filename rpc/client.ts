// Typed client for Verity nodes: a viem public client (every eth_* action) extended with the
// verity_* namespace, decoded into the same types the node uses. Works over http(s) and ws(s) URLs.
import { createPublicClient, http, rpcSchema, webSocket, type PublicRpcSchema } from 'viem';
import { bytesToHex, type Bytes, type Hex } from '../state-machine/crypto/hash.ts';
import type { StateProof } from '../state-machine/store/proof.ts';
import type { BlockTag, StateProofJson, SyncStatus } from './backend.ts';
import { qty } from './format.ts';

interface SyncStatusWire {
  role: 'sequencer' | 'follower';
  headNumber: Hex;
  headHash: Hex;
  targetNumber: Hex;
  pendingTxs: number;
  snapshotNumber: Hex | null;
}

interface StateProofWire {
  key: Hex;
  value: Hex | null;
  stateRoot: Hex;
  blockNumber: Hex;
  proof: StateProof;
}

type BlockTagWire = 'latest' | 'pending' | 'earliest' | 'safe' | 'finalized' | Hex;

/** The verity_* methods in viem's schema form, so `client.request` is typed for them too. */
export type VerityRpcSchema = [
  { Method: 'verity_syncStatus'; Parameters?: undefined; ReturnType: SyncStatusWire },
  { Method: 'verity_getProof'; Parameters: [Hex] | [Hex, BlockTagWire]; ReturnType: StateProofWire },
];

export interface VerityClientOptions {
  /** per-request timeout, ms (viem's default is 10 s) */
  timeoutMs?: number;
}

export function createVerityClient(url: string, options: VerityClientOptions = {}) {
  const transport = /^wss?:/.test(url)
    ? webSocket(url, { timeout: options.timeoutMs })
    : http(url, { timeout: options.timeoutMs });
  return createPublicClient({ transport, rpcSchema: rpcSchema<[...PublicRpcSchema, ...VerityRpcSchema]>() }).extend(
    (client) => ({
      verity: {
        async syncStatus(): Promise<SyncStatus> {
          const s = await client.request({ method: 'verity_syncStatus' });
          return {
            role: s.role,
            headNumber: BigInt(s.headNumber),
            headHash: s.headHash,
            targetNumber: BigInt(s.targetNumber),
            pendingTxs: s.pendingTxs,
            snapshotNumber: s.snapshotNumber === null ? null : BigInt(s.snapshotNumber),
          };
        },
        /** The value under a state key and its proof against that block's stateRoot. */
        async getProof(key: Bytes | Hex, block: BlockTag = 'latest'): Promise<StateProofJson> {
          const k = typeof key === 'string' ? key : bytesToHex(key);
          const tag: BlockTagWire = typeof block === 'bigint' ? qty(block) : block;
          const p = await client.request({ method: 'verity_getProof', params: [k, tag] });
          return { key: p.key, value: p.value, stateRoot: p.stateRoot, blockNumber: BigInt(p.blockNumber), proof: p.proof };
        },
      },
    }),
  );
}

export type VerityClient = ReturnType<typeof createVerityClient>;
