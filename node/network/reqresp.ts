// Request/response over a libp2p stream: the requester writes one frame and closes its side; the
// responder writes frames and closes. Both ends bound frame size, and the requester bounds time.
import type { PeerId, Stream } from '@libp2p/interface';
import { PeerMessageError } from './errors.ts';
import type { P2pHost } from './p2p.ts';
import { decodeMsgpack, frame, readFrames } from './wire.ts';

/** Sends a frame, waiting for the stream's buffer to drain when it asks to. */
export async function sendFrame(stream: Stream, value: unknown): Promise<void> {
  if (!stream.send(frame(value))) await stream.onDrain();
}

/** The first frame of a stream (decoded), or a PeerMessageError. */
export async function readFirst(stream: Stream, maxFrame: number): Promise<unknown> {
  for await (const f of readFrames(stream, maxFrame)) return decodeMsgpack(f);
  throw new PeerMessageError('malformed', 'stream closed before a request');
}

/**
 * Opens `protocol` to `peer`, sends `req` and yields each response frame (msgpack bytes). The whole exchange
 * is aborted after `timeoutMs` (a PeerMessageError 'timeout').
 */
export async function* request(host: P2pHost, peer: PeerId, protocol: string, req: unknown, maxFrame: number, timeoutMs: number): AsyncGenerator<Uint8Array> {
  const signal = AbortSignal.timeout(timeoutMs);
  let stream: Stream;
  try {
    stream = await host.dialProtocol(peer, protocol, { signal });
  } catch (e) {
    if (signal.aborted) throw new PeerMessageError('timeout', `dial ${protocol} timed out`);
    throw e;
  }
  const onAbort = (): void => stream.abort(new PeerMessageError('timeout', `${protocol} timed out after ${timeoutMs} ms`));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await sendFrame(stream, req);
    await stream.close({ signal });
    yield* readFrames(stream, maxFrame);
    if (signal.aborted) throw new PeerMessageError('timeout', `${protocol} timed out after ${timeoutMs} ms`);
  } catch (e) {
    if (signal.aborted && !(e instanceof PeerMessageError)) throw new PeerMessageError('timeout', `${protocol} timed out after ${timeoutMs} ms`);
    throw e;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (stream.status === 'open') stream.abort(new Error('request done'));
  }
}
