// The RPC backend of a node on the network: the node's reads as they are, sync status with peers
// and the best known head, and (following) transactions forwarded to the sequencer.
import type { SyncStatus } from '../../rpc/backend.ts';
import type { Bytes, Hex } from '../../state-machine/crypto/hash.ts';
import type { SignedTx } from '../../state-machine/index.ts';
import { NodeBackend } from '../backend.ts';
import type { Chain } from '../chain/chain.ts';
import { NetworkError } from '../network/errors.ts';
import type { NetworkService } from '../network/service.ts';
import type { TxForwarder } from './forward.ts';

export class NetworkBackend extends NodeBackend {
  constructor(
    node: Chain,
    private readonly net: NetworkService,
    private readonly follow: boolean,
    private readonly forwarder: TxForwarder | null,
  ) {
    super(node);
  }

  override sendRawTransaction(raw: Bytes): Promise<Hex> {
    if (!this.follow) return super.sendRawTransaction(raw);
    if (this.forwarder === null) {
      return Promise.reject(new NetworkError('NO_SEQUENCER_RPC', 'this node follows the network and cannot reach the sequencer (start it with --sequencer-rpc URL)'));
    }
    return this.forwarder.send(raw);
  }

  override pendingTransactions(): SignedTx[] {
    return this.follow ? [] : super.pendingTransactions();
  }

  override syncStatus(): SyncStatus {
    const s = super.syncStatus();
    const best = this.net.bestKnown();
    return { ...s, role: this.follow ? 'follower' : 'sequencer', targetNumber: best > s.headNumber ? best : s.headNumber, peers: this.net.peerCount() };
  }
}
