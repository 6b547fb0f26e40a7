// Errors of the p2p layer: a peer's message refused (with how bad it was) and network faults.
import { VerityError } from '../../state-machine/errors.ts';

/** How a refused message scores its sender: see scores.ts. */
export type Offence = 'malformed' | 'oversize' | 'wrong-chain' | 'bad-signature' | 'invalid-block' | 'far-future' | 'flood' | 'timeout' | 'conflict';

/** A peer's message that is refused; `offence` decides the score penalty. */
export class PeerMessageError extends VerityError {
  constructor(
    readonly offence: Offence,
    message: string,
  ) {
    super(`P2P_${offence.toUpperCase().replace(/-/g, '_')}`, message, { offence });
  }
}

/** The network could not do what was asked (no peer, protocol refused, sequencer unreachable). */
export class NetworkError extends VerityError {
  constructor(code: string, message: string, data?: Record<string, unknown>) {
    super(code, message, data);
  }
}
