// Hostile bytes against the p2p decoders: whatever arrives as a gossip message, a range response
// or a stream of frames, the only error that escapes is a PeerMessageError (which scores the peer),
// and a stream never buffers more than one frame of the limit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pack } from '../../state-machine/codec/msgpack.ts';
import { PeerMessageError } from '../network/errors.ts';
import { checkSigned, asRangeItem, asRangeRequest, asSnapshotHead, asStatus, decodeGossipBlock, decodeGossipTxs, decodeMsgpack, readFrames } from '../network/wire.ts';

const CHAIN = 271828n;
const SEQUENCER = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';

function onlyPeerErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof PeerMessageError)) throw e;
  }
}

/** msgpack values shaped like our messages, with fields of every wrong type and size. */
const anyValue = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 70 }).map((b) => `0x${Buffer.from(b).toString('hex')}`)),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(fc.constantFrom('hash', 'header', 'transactions', 'number', 'chainId', 'block', 'receipts', 'logs', 'from', 'count', 'size', 'head', 'snapshot', 'parentHash', 'stateRoot', 'signature', 'gasUsed', 'txs'), tie('node'), { maxKeys: 8 })),
})).node;

describe('p2p decoders under hostile bytes', () => {
  it('gossip messages: random bytes and random msgpack values only ever raise PeerMessageError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2048 }), anyValue.map((v) => pack(v)), anyValue.map((v) => pack({ chainId: CHAIN, block: v }))), (bytes) => {
        // decoded, then the signature check a follower runs next
        onlyPeerErrors(() => checkSigned(decodeGossipBlock(bytes, CHAIN), SEQUENCER));
      }),
      { numRuns: 1500 },
    );
  });

  it('tx gossip: random bytes and values only ever raise PeerMessageError; what passes is 1..1024 byte strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }),
          anyValue.map((v) => pack(v)),
          anyValue.map((v) => pack({ chainId: CHAIN, txs: v })),
          fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }).map((txs) => pack({ chainId: CHAIN, txs })),
        ),
        (bytes) => {
          onlyPeerErrors(() => {
            const txs = decodeGossipTxs(bytes, CHAIN);
            expect(txs.length).toBeGreaterThan(0);
            for (const t of txs) expect(t).toBeInstanceOf(Uint8Array);
          });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('range, status and snapshot messages: only PeerMessageError', () => {
    fc.assert(
      fc.property(anyValue, fc.boolean(), (v, receipts) => {
        const bytes = pack(v);
        onlyPeerErrors(() => asRangeItem(decodeMsgpack(bytes), receipts));
        onlyPeerErrors(() => asRangeRequest(decodeMsgpack(bytes)));
        onlyPeerErrors(() => asStatus(decodeMsgpack(bytes)));
        onlyPeerErrors(() => asSnapshotHead(decodeMsgpack(bytes)));
      }),
      { numRuns: 1500 },
    );
  });

  it('frame streams: split anywhere, oversize declared lengths refused before their bytes arrive', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), async (chunks) => {
        let frames = 0;
        try {
          for await (const f of readFrames((async function* () { yield* chunks; })(), 256)) {
            expect(f.length).toBeLessThanOrEqual(256);
            frames++;
          }
        } catch (e) {
          if (!(e instanceof PeerMessageError)) throw e;
        }
        expect(frames).toBeLessThanOrEqual(chunks.reduce((s, c) => s + c.length, 0) / 4 + 1);
      }),
      { numRuns: 500 },
    );
    // a 4 GiB declared length is refused at once, with 4 bytes read
    const huge = new Uint8Array([0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
    await expect((async () => {
      for await (const _ of readFrames((async function* () { yield huge; })(), 1024)) void _;
    })()).rejects.toMatchObject({ offence: 'oversize' });
  });
});
