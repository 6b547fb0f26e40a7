// The libp2p host: TCP, noise, yamux, identify and gossipsub, with our peer key and a gater that
// refuses banned peers both ways.
import './polyfill.ts';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { gossipsub, type GossipSub } from '@libp2p/gossipsub';
import { identify } from '@libp2p/identify';
import type { Identify } from '@libp2p/identify';
import type { Libp2p, PeerId, PrivateKey } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { createLibp2p } from 'libp2p';
import { sha256Of } from '../../state-machine/crypto/hash.ts';
import { LIMITS } from './wire.ts';

export type P2pHost = Libp2p<{ identify: Identify; pubsub: GossipSub }>;

export interface HostOptions {
  privateKey: PrivateKey;
  host: string;
  port: number;
  isBanned: (peer: PeerId) => boolean;
}

export async function createHost(o: HostOptions): Promise<P2pHost> {
  return createLibp2p({
    privateKey: o.privateKey,
    addresses: { listen: [`/ip4/${o.host}/tcp/${o.port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: {
      denyDialPeer: (peer) => o.isBanned(peer),
      denyInboundEncryptedConnection: (peer) => o.isBanned(peer),
    },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // blocks carry the sequencer's signature; a libp2p signature per message adds nothing
        globalSignaturePolicy: 'StrictNoSign',
        // content-addressed: the same block from two peers is one message
        msgIdFn: (msg) => sha256Of(msg.data),
        // our validator sees (and scores) moderately oversize messages; far larger ones die in the decoder
        maxInboundDataLength: LIMITS.gossipBytes + LIMITS.gossipBytes / 2,
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        emitSelf: false,
        awaitRpcHandler: true,
      }),
    },
  });
}
