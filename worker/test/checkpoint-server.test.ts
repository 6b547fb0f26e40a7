// The solver's checkpoint server and the verifier's hostile-peer client: a real run served and
// fetched back (proofs checked against traceRoot), then a peer that lies in every way a verifier
// must survive: wrong proof, wrong bytes, truncated and oversized bodies, silence, a slow drip,
// redirects and refusals.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/logger.ts';
import { bytesToHex, type Hex } from '../../state-machine/crypto/hash.ts';
import { getBackend } from '../../state-machine/repops/backend.ts';
import { stateRoot } from '../../state-machine/training/commitments.ts';
import { parseTaskSpec } from '../../state-machine/training/spec-validate.ts';
import { stateLayout } from '../../state-machine/training/step-graph.ts';
import { WorkerState } from '../chain/worker-state.ts';
import { loadSpecDataset } from '../datasets/load.ts';
import { CheckpointCatalog } from '../serve/catalog.ts';
import { WorkerMetrics } from '../serve/metrics.ts';
import { startCheckpointServer, type CheckpointServer } from '../serve/server.ts';
import { datasetCandidates } from '../solver/task-inputs.ts';
import { CheckpointStore } from '../store/checkpoint-store.ts';
import { train } from '../trainer/train.ts';
import { CheckpointFetchError, fetchLeaf, fetchState, parseEndpoint, type FetchFailure } from '../verifier/fetch-checkpoint.ts';

const root = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'verity-ckpt-server-'));
const spec = parseTaskSpec({
  version: 1,
  name: 'digits-small',
  model: { kind: 'mlp', layers: [64, 16, 10] },
  dataset: { name: 'digits-8x8', format: 'csv', root: '0xf319ae56175cf8b249d0860c440769e1cd9c31cc967d826aedc3d24a0be616f4', path: join(root, 'worker', 'datasets', 'digits', 'digits.csv.gz'), samples: 1797, test: 297, inputScale: '0.0625' },
  optimizer: { kind: 'sgd-momentum', lr: '0.05', momentum: '0.9' },
  steps: 30,
  batchSize: 32,
  seed: '7',
  checkpointInterval: 10,
});
const layout = stateLayout(spec);
const limits = { timeoutMs: 800, maxJsonBytes: 64 * 1024 };
const store = new CheckpointStore(join(dir, 'store'));
const metrics = new WorkerMetrics();
const log = createLogger('test', 'silent');
let server: CheckpointServer;
let refusing: CheckpointServer;
let traceRoot: Hex;
let roots: Hex[];

beforeAll(async () => {
  const r = train({ spec, dataset: loadSpecDataset(spec, root), backend: getBackend('ts'), store, skipEval: true });
  traceRoot = r.traceRoot as Hex;
  roots = r.checkpoints.map((c) => c.root);
  const catalog = new CheckpointCatalog(store);
  expect(catalog.register(spec.steps, spec.checkpointInterval, roots).traceRoot).toBe(traceRoot);
  server = await startCheckpointServer({ host: '127.0.0.1', port: 0, catalog, metrics, log, address: '0x00' });
  refusing = await startCheckpointServer({ host: '127.0.0.1', port: 0, catalog, metrics, log, address: '0x00', refuse: true });
});

afterAll(async () => {
  await server.close();
  await refusing.close();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<FetchFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CheckpointFetchError) return e.reason;
    throw e;
  }
  throw new Error('expected a fetch failure');
}

describe('checkpoint server', () => {
  it('serves every checkpoint leaf with its proof, and the state tensor by tensor', async () => {
    for (let leaf = 0; leaf < roots.length; leaf++) {
      const p = await fetchLeaf(server.url, traceRoot, leaf, roots.length, limits);
      expect(p.root).toBe(roots[leaf]);
    }
    const state = await fetchState(server.url, roots[2], layout, limits);
    expect(bytesToHex(stateRoot(state))).toBe(roots[2]);
    const j = (await (await fetch(`${server.url}/checkpoints/${roots[2]}`)).json()) as { trace: { leaf: number; traceRoot: string }; tensors: { shape: number[] }[] };
    expect(j.trace).toMatchObject({ leaf: 2, traceRoot });
    expect(j.tensors.map((t) => t.shape)).toEqual(layout.map((s) => s.shape));
    expect((await fetch(`${server.url}/traces/${traceRoot}`)).status).toBe(200);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/verity_worker_served_bytes_total\{route="tensor",component="worker"\} [1-9]/);
  });

  it('answers unknown roots with 404, malformed ones with 400, and refuses everything in refuse mode', async () => {
    expect((await fetch(`${server.url}/checkpoints/0x${'ab'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${server.url}/checkpoints/xyz/tensors/0`)).status).toBe(400);
    expect((await fetch(`${server.url}/traces/${traceRoot}/leaves/99`)).status).toBe(404);
    expect(await failure(fetchLeaf(refusing.url, traceRoot, 1, roots.length, limits))).toBe('http-status');
  });
});

describe('fetching from a hostile peer', () => {
  let hostile: Server;
  let url = '';
  /** route → what the peer does */
  const behave = new Map<string, (res: ServerResponse) => void>();

  beforeAll(async () => {
    hostile = createServer((req, res) => {
      const h = behave.get(req.url ?? '');
      if (h) h(res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hostile.closeAllConnections();
    await new Promise((r) => hostile.close(r));
  });

  const honest = async (path: string): Promise<Buffer> => Buffer.from(await (await fetch(`${server.url}${path}`)).arrayBuffer());
  const json = (body: unknown) => (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  it('rejects a leaf whose proof does not reach traceRoot, or has the wrong depth', async () => {
    const good = JSON.parse((await honest(`/traces/${traceRoot}/leaves/1`)).toString()) as { root: string; proof: string[] };
    behave.set(`/traces/${traceRoot}/leaves/1`, json({ ...good, root: roots[2] }));
    expect(await failure(fetchLeaf(url, traceRoot, 1, roots.length, limits))).toBe('bad-proof');
    behave.set(`/traces/${traceRoot}/leaves/1`, json({ ...good, proof: good.proof.slice(1) }));
    expect(await failure(fetchLeaf(url, traceRoot, 1, roots.length, limits))).toBe('bad-json');
    behave.set(`/traces/${traceRoot}/leaves/1`, (res) => res.writeHead(200).end('not json'));
    expect(await failure(fetchLeaf(url, traceRoot, 1, roots.length, limits))).toBe('bad-json');
  });

  it('rejects wrong tensor bytes, truncated and oversized bodies', async () => {
    const r = roots[1];
    const listing = await honest(`/checkpoints/${r}`);
    behave.set(`/checkpoints/${r}`, (res) => res.writeHead(200).end(listing));
    const t0 = await honest(`/checkpoints/${r}/tensors/0`);
    for (let i = 1; i < layout.length; i++) {
      const body = await honest(`/checkpoints/${r}/tensors/${i}`);
      behave.set(`/checkpoints/${r}/tensors/${i}`, (res) => res.writeHead(200).end(body));
    }
    const flipped = Buffer.from(t0);
    flipped[5] ^= 1;
    behave.set(`/checkpoints/${r}/tensors/0`, (res) => res.writeHead(200).end(flipped));
    expect(await failure(fetchState(url, r, layout, limits))).toBe('bad-hash');
    behave.set(`/checkpoints/${r}/tensors/0`, (res) => res.writeHead(200).end(t0.subarray(0, t0.length - 4)));
    expect(await failure(fetchState(url, r, layout, limits))).toBe('truncated');
    behave.set(`/checkpoints/${r}/tensors/0`, (res) => {
      res.writeHead(200, { 'content-length': String(t0.length) });
      res.write(t0.subarray(0, 100));
      setTimeout(() => res.destroy(), 20);
    });
    expect(await failure(fetchState(url, r, layout, limits))).toBe('truncated');
    behave.set(`/checkpoints/${r}/tensors/0`, (res) => res.writeHead(200).end(Buffer.concat([t0, t0])));
    expect(await failure(fetchState(url, r, layout, limits))).toBe('too-large');
    behave.set(`/checkpoints/${r}/tensors/0`, (res) => {
      res.writeHead(200);
      res.write(t0);
      res.end(t0);
    });
    expect(await failure(fetchState(url, r, layout, limits))).toBe('too-large');
    behave.set(`/checkpoints/${r}/tensors/0`, (res) => res.writeHead(200).end(t0));
    expect(bytesToHex(stateRoot(await fetchState(url, r, layout, limits)))).toBe(r);
  });

  it('gives up on a silent peer, a slow drip and a redirect within the deadline', async () => {
    const leafPath = `/traces/${traceRoot}/leaves/3`;
    behave.set(leafPath, () => undefined);
    let started = Date.now();
    expect(await failure(fetchLeaf(url, traceRoot, 3, roots.length, limits))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3 * limits.timeoutMs);
    behave.set(leafPath, (res) => {
      res.writeHead(200);
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 50);
    });
    started = Date.now();
    expect(await failure(fetchLeaf(url, traceRoot, 3, roots.length, limits))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3 * limits.timeoutMs);
    behave.set(leafPath, (res) => res.writeHead(302, { location: `${server.url}${leafPath}` }).end());
    expect(await failure(fetchLeaf(url, traceRoot, 3, roots.length, limits))).toBe('unreachable');
    expect(() => parseEndpoint('file:///etc/passwd')).toThrow(CheckpointFetchError);
    expect(() => parseEndpoint('http://user:pw@example.com')).toThrow(CheckpointFetchError);
    expect(await failure(fetchLeaf('http://127.0.0.1:1', traceRoot, 3, roots.length, limits))).toBe('unreachable');
  });
});

describe('worker files and data set lookup', () => {
  it('looks for a spec path hint only below the data set directories', () => {
    const c = datasetCandidates('/data', '../../etc/../passwd', 'x/../../y');
    expect(c.every((p) => p.startsWith('/data/'))).toBe(true);
    expect(datasetCandidates('/data', '../datasets/digits/digits.csv.gz', 'digits-8x8')).toEqual([
      '/data/datasets/digits/digits.csv.gz',
      '/data/digits/digits.csv.gz',
      '/data/digits.csv.gz',
      '/data/digits-8x8/digits.csv.gz',
      '/data/digits-8x8',
    ]);
  });

  it('keeps its state in one file and refuses a directory of another chain or key', () => {
    const d = join(dir, 'state');
    const s = WorkerState.open(d, 1n, '0xAbC');
    s.lastBlock = 42n;
    s.data.solving['7'] = { phase: 'claimed', specHash: '0x01' };
    s.save();
    expect(WorkerState.open(d, 1n, '0xabc').lastBlock).toBe(42n);
    expect(WorkerState.open(d, 1n, '0xabc').data.solving['7'].phase).toBe('claimed');
    expect(() => WorkerState.open(d, 2n, '0xabc')).toThrow(/chain/);
    expect(() => WorkerState.open(d, 1n, '0xdef')).toThrow(/belongs to/);
  });
});
