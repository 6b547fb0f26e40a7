// Fetches a checkpoint from a solver's server, treating every byte as hostile: each request has a
// deadline (connect, headers and body together) and a byte cap set by what the answer can honestly
// be (the spec fixes every tensor's size), redirects are refused, JSON is shape-checked, and nothing
// is used until it is proven: the leaf root against the committed traceRoot (pinned leaf count),
// each tensor against its hash, the hashes against the leaf root.
import { bytesToHex, hexToBytes, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { VerityError } from '../../state-machine/errors.ts';
import { merkleRoot, treeDepth, verifyMerkleProof } from '../../state-machine/merkle/tree.ts';
import { tensorFromBytes, tensorHash } from '../../state-machine/repops/tensor-hash.ts';
import { numel, type Tensor } from '../../state-machine/repops/tensor.ts';
import type { StateSlot } from '../../state-machine/training/graph.ts';

export type FetchFailure = 'bad-endpoint' | 'unreachable' | 'timeout' | 'http-status' | 'too-large' | 'truncated' | 'bad-json' | 'bad-proof' | 'bad-hash';

export class CheckpointFetchError extends VerityError {
  readonly reason: FetchFailure;
  constructor(reason: FetchFailure, message: string) {
    super('CHECKPOINT_FETCH', message, { reason });
    this.reason = reason;
  }
}

export interface FetchLimits {
  /** whole-request deadline (connect, headers, body), ms */
  timeoutMs: number;
  /** cap on a JSON answer, bytes */
  maxJsonBytes: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 10_000, maxJsonBytes: 4 * 1024 * 1024 };

const HEX32 = /^0x[0-9a-f]{64}$/;

/** The endpoint a solver committed, if it is a plain http(s) URL (no credentials, bounded length). */
export function parseEndpoint(endpoint: string): string {
  if (endpoint.length === 0 || endpoint.length > 256) throw new CheckpointFetchError('bad-endpoint', 'endpoint is empty or too long');
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new CheckpointFetchError('bad-endpoint', `endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username !== '' || u.password !== '') {
    throw new CheckpointFetchError('bad-endpoint', `endpoint ${JSON.stringify(endpoint)} must be a plain http(s) URL`);
  }
  return u.href.replace(/\/+$/, '');
}

/** GET with a deadline and a byte cap; `exact` also refuses a shorter body. */
export async function getBounded(url: string, maxBytes: number, timeoutMs: number, exact = false): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { signal, redirect: 'error' });
  } catch (e) {
    if (signal.aborted) throw new CheckpointFetchError('timeout', `${url}: no answer within ${timeoutMs} ms`);
    throw new CheckpointFetchError('unreachable', `${url}: ${(e as Error).message}`);
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new CheckpointFetchError('http-status', `${url}: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new CheckpointFetchError('too-large', `${url}: ${declared} bytes declared, at most ${maxBytes} expected`);
  }
  const out = new Uint8Array(maxBytes);
  let n = 0;
  const reader = res.body?.getReader();
  try {
    for (;;) {
      const r = reader ? await reader.read() : { done: true as const, value: undefined };
      if (r.done) break;
      if (n + r.value.length > maxBytes) {
        await reader?.cancel().catch(() => undefined);
        throw new CheckpointFetchError('too-large', `${url}: more than ${maxBytes} bytes`);
      }
      out.set(r.value, n);
      n += r.value.length;
    }
  } catch (e) {
    if (e instanceof CheckpointFetchError) throw e;
    if (signal.aborted) throw new CheckpointFetchError('timeout', `${url}: body not complete within ${timeoutMs} ms`);
    throw new CheckpointFetchError('truncated', `${url}: ${(e as Error).message}`);
  }
  if (exact && n !== maxBytes) throw new CheckpointFetchError('truncated', `${url}: ${n} bytes, want ${maxBytes}`);
  return out.subarray(0, n);
}

async function getJson(url: string, limits: FetchLimits): Promise<Record<string, unknown>> {
  const bytes = await getBounded(url, limits.maxJsonBytes, limits.timeoutMs);
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new CheckpointFetchError('bad-json', `${url}: not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CheckpointFetchError('bad-json', `${url}: not a JSON object`);
  return v as Record<string, unknown>;
}

function hex32(v: unknown, what: string): Hex {
  if (typeof v !== 'string' || !HEX32.test(v.toLowerCase())) throw new CheckpointFetchError('bad-json', `${what} is not a 32-byte hex string`);
  return v.toLowerCase() as Hex;
}

function hexList(v: unknown, length: number, what: string): Bytes[] {
  if (!Array.isArray(v) || v.length !== length) throw new CheckpointFetchError('bad-json', `${what} is not a list of ${length} hashes`);
  return v.map((h, i) => hexToBytes(hex32(h, `${what}[${i}]`)));
}

export interface ProvenLeaf {
  leaf: number;
  root: Hex;
  siblings: Bytes[];
}

/** Checkpoint leaf `leaf` of `traceRoot` from the solver, with its proof checked. */
export async function fetchLeaf(endpoint: string, traceRoot: Hex, leaf: number, leafCount: number, limits: FetchLimits): Promise<ProvenLeaf> {
  const base = parseEndpoint(endpoint);
  const j = await getJson(`${base}/traces/${traceRoot}/leaves/${leaf}`, limits);
  const root = hex32(j.root, 'root');
  const siblings = hexList(j.proof, treeDepth(leafCount), 'proof');
  if (!verifyMerkleProof(hexToBytes(traceRoot), hexToBytes(root), { index: leaf, siblings }, leafCount)) {
    throw new CheckpointFetchError('bad-proof', `leaf ${leaf} (${root}) is not proven against traceRoot ${traceRoot}`);
  }
  return { leaf, root, siblings };
}

/** The state whose C_t is `root`, tensor by tensor, every tensor checked against the layout and its hash. */
export async function fetchState(endpoint: string, root: Hex, layout: readonly StateSlot[], limits: FetchLimits): Promise<Tensor[]> {
  const base = parseEndpoint(endpoint);
  const j = await getJson(`${base}/checkpoints/${root}`, limits);
  if (!Array.isArray(j.tensors) || j.tensors.length !== layout.length) {
    throw new CheckpointFetchError('bad-json', `checkpoint ${root}: want ${layout.length} tensors`);
  }
  const hashes = (j.tensors as unknown[]).map((t, i) => hexToBytes(hex32((t as { hash?: unknown } | null)?.hash, `tensors[${i}].hash`)));
  if (bytesToHex(merkleRoot(hashes)) !== root) throw new CheckpointFetchError('bad-hash', `checkpoint ${root}: tensor hashes do not make its root`);
  const state: Tensor[] = [];
  for (let i = 0; i < layout.length; i++) {
    const size = 4 * numel(layout[i].shape);
    const bytes = await getBounded(`${base}/checkpoints/${root}/tensors/${i}`, size, limits.timeoutMs, true);
    const t = tensorFromBytes('f32', layout[i].shape, bytes);
    if (bytesToHex(tensorHash(t)) !== bytesToHex(hashes[i])) throw new CheckpointFetchError('bad-hash', `checkpoint ${root}: tensor ${i} does not match its hash`);
    state.push(t);
  }
  return state;
}

/** Runs `fn` up to 1 + retries times, waiting retryDelayMs · 2^n between tries; rethrows the last failure. */
export async function withRetries<T>(retries: number, retryDelayMs: number, fn: () => Promise<T>, onFail: (e: unknown, attempt: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      onFail(e, attempt);
      if (attempt >= retries) throw e;
      await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** attempt));
    }
  }
}
