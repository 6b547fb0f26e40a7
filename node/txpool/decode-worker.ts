// Worker thread: decodes raw txs and recovers their senders with the state machine's pure
// decodeTransaction, so the main thread only checks pool rules.
import { parentPort } from 'node:worker_threads';
import { decodeRaw, type DecodeRequest, type DecodeResponse } from './decode.ts';

const port = parentPort;
if (port === null) throw new Error('decode-worker must run in a worker thread');
port.on('message', (req: DecodeRequest) => {
  const res: DecodeResponse = { id: req.id, results: req.raws.map((raw) => decodeRaw(raw, req.chainId)) };
  port.postMessage(res);
});
