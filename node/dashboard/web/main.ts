/// <reference lib="dom" />
// The dashboard's entry: connects to this node's WebSocket, follows module events from block 0,
// and re-reads the views an event (or a new head) makes stale. Nothing polls: every read answers a
// notification.
import type { Hex } from 'viem';
import type { Boot } from './boot.ts';
import { ADDR, decodeLog, f32FromBits, followedAddresses, followedTopics, portalAbi, slashingAbi, stakeAbi, taskAbi, verdeAbi, view, type DecodedLog, type RawLog, type ViewCall } from './codec.ts';
import { RpcError, WsRpc } from './rpc.ts';
import { render, setConnection, type RenderContext } from './render.ts';
import { disputeState, emptyState, taskState, type Board, type Dispute, type Staker, type Task } from './state.ts';

const LOG_CHUNK = 5_000n;
const state = emptyState();
const dirty = { tasks: new Set<bigint>(), disputes: new Set<bigint>(), stakers: new Set<string>(), board: true, totals: true, l1: false };
let boot: Boot = { chainId: '', blockIntervalMs: 0, stakers: [], opcodes: {}, l1: false };
let rpc: WsRpc;
/** the last block whose logs the page has */
let synced = -1n;

const ctx: RenderContext = { state, boot: () => boot };

let frame = 0;
function schedule(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    render(ctx);
  });
}

function ingest(raw: RawLog[]): void {
  for (const l of raw) {
    if (l.removed) continue;
    const key = `${l.blockNumber}:${l.logIndex}`;
    if (state.seen.has(key)) continue;
    state.seen.add(key);
    const d = decodeLog(l);
    if (d) apply(d);
    const n = BigInt(l.blockNumber);
    if (n > synced) synced = n;
  }
}

function apply(e: DecodedLog): void {
  const a = e.args;
  state.activity.unshift(e);
  if (state.activity.length > 40) state.activity.length = 40;
  if (e.module === 'task') {
    const id = a.taskId as bigint;
    const ts = taskState(state, id);
    dirty.tasks.add(id);
    dirty.totals = true;
    if (e.name === 'LossesReported') {
      const reporter = (a.reporter as string).toLowerCase();
      const steps = a.steps as readonly bigint[];
      const losses = f32FromBits(a.lossBits as readonly number[]);
      const m = ts.losses.get(reporter) ?? new Map<number, number>();
      steps.forEach((s, i) => m.set(Number(s), losses[i]));
      ts.losses.set(reporter, m);
    }
    if (e.name === 'Challenged') {
      const ds = disputeState(state, a.disputeId as bigint);
      ds.taskId = id;
      dirty.disputes.add(a.disputeId as bigint);
    }
    if (e.name === 'TaskFinalized' || e.name === 'DisputeResolved' || e.name === 'TaskClaimed') dirty.board = true;
    for (const who of [a.solver, a.verifier, a.challenger]) if (typeof who === 'string') dirty.stakers.add(who.toLowerCase());
  } else if (e.module === 'verde') {
    const id = a.disputeId as bigint;
    const ds = disputeState(state, id);
    dirty.disputes.add(id);
    if (e.name === 'DisputeOpened') {
      ds.taskId = a.taskId as bigint;
      ds.opened = { level: Number(a.level), leafCount: Number(a.leafCount) };
      dirty.totals = true;
    } else if (e.name === 'Narrowed') {
      const level = Number(a.level);
      const list = ds.narrowed.get(level) ?? [];
      list.push({ height: Number(a.height), index: Number(a.index) });
      ds.narrowed.set(level, list);
    } else if (e.name === 'Located') {
      ds.located.set(Number(a.level), Number(a.leaf));
    } else if (e.name === 'Refereed') {
      ds.refereed = { op: Number(a.op), opcode: Number(a.opcode), solverRight: a.solverRight as boolean, challengerRight: a.challengerRight as boolean, block: e.block };
    } else if (e.name === 'DisputeResolved') {
      if (ds.taskId !== null) dirty.tasks.add(ds.taskId);
      dirty.board = true;
    }
  } else if (e.module === 'stake') {
    dirty.stakers.add((a.staker as string).toLowerCase());
    dirty.totals = true;
  } else if (e.module === 'slashing') {
    state.slashes.unshift(e);
    dirty.stakers.add((a.offender as string).toLowerCase());
    dirty.totals = true;
  } else if (e.module === 'bridge') {
    if (e.name === 'DepositFinalized') state.deposits.unshift(e);
    if (e.name === 'WithdrawalInitiated') {
      const hash = a.withdrawalHash as Hex;
      state.withdrawals.set(hash, { log: e, hash, l1: 'initiated' });
      dirty.l1 = true;
    }
  }
}

// ---- reads -------------------------------------------------------------------------------------

let flushing = false;
let again = false;

async function flush(): Promise<void> {
  if (flushing) {
    again = true;
    return;
  }
  flushing = true;
  try {
    do {
      again = false;
      await flushOnce();
      schedule();
    } while (again);
  } catch (err) {
    // a dropped connection: the reconnect re-reads everything
    if (!(err instanceof Error && /closed|not connected/.test(err.message))) console.warn('dashboard read failed', err);
  } finally {
    flushing = false;
  }
}

async function flushOnce(): Promise<void> {
  const jobs: { call: ViewCall<unknown>; done: (v: unknown) => void }[] = [];
  const add = <T>(call: ViewCall<T>, done: (v: T) => void): void => void jobs.push({ call: call as ViewCall<unknown>, done: done as (v: unknown) => void });

  for (const id of take(dirty.tasks)) add(view<Task>(ADDR.task, taskAbi, 'getTask', [id]), (t) => {
    taskState(state, id).t = t;
    for (const who of [t.solver, ...t.verifiers]) if (!state.stakers.has(who.toLowerCase())) dirty.stakers.add(who.toLowerCase());
    if (t.disputeId > 0n && !state.disputes.get(t.disputeId)?.d) dirty.disputes.add(t.disputeId);
  });
  for (const id of take(dirty.disputes)) add(view<Dispute>(ADDR.verde, verdeAbi, 'getDispute', [id]), (d) => {
    const ds = disputeState(state, id);
    ds.d = d;
    ds.taskId = d.taskId;
    const level = d.level <= 3 ? d.level : d.level === 4 ? 3 : Math.max(0, ...ds.narrowed.keys(), ...ds.located.keys());
    if (level >= 1 && level <= 3 && !ds.leafCounts.has(level)) ds.leafCounts.set(level, d.leafCount);
    if (d.level <= 3) ds.leafCounts.set(d.level, d.leafCount);
    for (const who of [d.solver, d.challenger]) if (!state.stakers.has(who.toLowerCase())) dirty.stakers.add(who.toLowerCase());
  });
  for (const who of take(dirty.stakers)) add(view<Staker>(ADDR.stake, stakeAbi, 'stakerOf', [who]), (s) => state.stakers.set(who, s));
  if (dirty.board) {
    dirty.board = false;
    add(view<Board>(ADDR.task, taskAbi, 'leaderboard', [20n]), (b) => (state.board = b));
  }
  if (dirty.totals) {
    dirty.totals = false;
    const totals = { taskCount: 0n, disputeCount: 0n, totalStaked: 0n, totalBurned: 0n };
    add(view<bigint>(ADDR.task, taskAbi, 'taskCount'), (n) => {
      totals.taskCount = n;
      for (let i = 1n; i <= n; i++) if (!state.tasks.get(i)?.t) dirty.tasks.add(i);
    });
    add(view<bigint>(ADDR.verde, verdeAbi, 'disputeCount'), (n) => {
      totals.disputeCount = n;
      for (let i = 1n; i <= n; i++) if (!state.disputes.get(i)?.d) dirty.disputes.add(i);
    });
    add(view<bigint>(ADDR.stake, stakeAbi, 'totalStaked'), (n) => (totals.totalStaked = n));
    add(view<bigint>(ADDR.slashing, slashingAbi, 'totalBurned'), (n) => {
      totals.totalBurned = n;
      state.totals = totals;
    });
  }
  if (!state.verde) add(view<readonly [bigint, bigint, bigint]>(ADDR.verde, verdeAbi, 'params'), ([arity, clockBlocks]) => (state.verde = { arity, clockBlocks }));
  if (jobs.length > 0) {
    const results = rpc.batch(jobs.map((j) => ({ method: 'eth_call', params: [{ to: j.call.to, data: j.call.data }, 'latest'] })));
    const settled = await Promise.allSettled(results);
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') jobs[i].done(jobs[i].call.decode(r.value as Hex));
    });
    if (settled.some((r) => r.status === 'rejected' && !(r.reason instanceof RpcError))) throw (settled.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
  }
  if (dirty.tasks.size + dirty.disputes.size + dirty.stakers.size > 0 || dirty.totals || dirty.board) again = true;
  if (dirty.l1) {
    dirty.l1 = false;
    await readL1();
  }
}

function take<T>(s: Set<T>): T[] {
  const out = [...s];
  s.clear();
  return out;
}

/** Withdrawals' L1 state (proven, finalized) from the portal, when the page can reach an L1 RPC. */
async function readL1(): Promise<void> {
  const l1 = state.l1;
  if (!l1?.rpc) return;
  const pending = [...state.withdrawals.values()].filter((w) => w.l1 !== 'finalized');
  if (pending.length === 0) return;
  const calls = pending.flatMap((w) => [
    view<readonly [Hex, bigint, bigint]>(l1.portal, portalAbi, 'provenWithdrawals', [w.hash]),
    view<boolean>(l1.portal, portalAbi, 'finalizedWithdrawals', [w.hash]),
  ]);
  try {
    const res = await fetch(l1.rpc, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(calls.map((c, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_call', params: [{ to: c.to, data: c.data }, 'latest'] }))),
    });
    if (!res.ok) throw new Error(`L1 read: HTTP ${res.status}`);
    const out = (await res.json()) as { id: number; result?: Hex }[];
    const byId = new Map(out.map((o) => [o.id, o.result]));
    pending.forEach((w, i) => {
      const proven = byId.get(2 * i);
      const finalized = byId.get(2 * i + 1);
      if (finalized && calls[2 * i + 1].decode(finalized) === true) w.l1 = 'finalized';
      else if (proven && (calls[2 * i].decode(proven) as readonly [Hex, bigint, bigint])[1] > 0n) w.l1 = 'proven';
    });
    l1.reachable = true;
  } catch {
    l1.reachable = false;
  }
}

// ---- connection ---------------------------------------------------------------------------------

interface Head {
  number: Hex;
  hash: Hex;
  timestamp: Hex;
  gasUsed: Hex;
}

function onHead(h: Head): void {
  const n = BigInt(h.number);
  state.heads.push({ number: n, hash: h.hash, timestamp: BigInt(h.timestamp), gasUsed: BigInt(h.gasUsed), at: performance.now() });
  if (state.heads.length > 120) state.heads.shift();
  // withdrawals wait on L1, which sends the page nothing: look again every 20 L2 blocks
  if (state.l1?.rpc && n % 20n === 0n && [...state.withdrawals.values()].some((w) => w.l1 !== 'finalized')) dirty.l1 = true;
  if (dirty.l1) void flush();
  schedule();
}

async function fetchLogs(from: bigint, to: bigint): Promise<void> {
  let lo = from;
  let span = LOG_CHUNK;
  while (lo <= to) {
    const hi = lo + span - 1n < to ? lo + span - 1n : to;
    try {
      const logs = await rpc.call<RawLog[]>('eth_getLogs', [{ fromBlock: `0x${lo.toString(16)}`, toBlock: `0x${hi.toString(16)}`, address: followedAddresses, topics: [followedTopics] }]);
      ingest(logs);
      lo = hi + 1n;
    } catch (err) {
      // too many logs (or blocks) for one answer: halve the range
      if (err instanceof RpcError && span > 1n) span /= 2n;
      else throw err;
    }
  }
}

async function rollupConfig(): Promise<void> {
  try {
    const c = await rpc.call<Record<string, unknown>>('verity_rollupConfig');
    state.l1 = { portal: c.portal as Hex, rpc: boot.l1 ? '/dashboard/l1' : null, reachable: null };
    dirty.l1 = true;
  } catch {
    state.l1 = null;
  }
}

async function connect(): Promise<void> {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`;
  rpc = new WsRpc(url, (s) => setConnection(s));
  await rpc.open(() => reconnectLater());
  try {
    await follow();
  } catch (err) {
    // half set up: drop the socket, whose close schedules the next attempt
    rpc.close();
    throw err;
  }
}

async function follow(): Promise<void> {
  const buffered: RawLog[] = [];
  let live = false;
  await rpc.subscribe(['newHeads'], (h) => onHead(h as Head));
  await rpc.subscribe(['logs', { address: followedAddresses, topics: [followedTopics] }], (l) => {
    if (!live) {
      buffered.push(l as RawLog);
      return;
    }
    ingest([l as RawLog]);
    void flush();
  });
  await rollupConfig();
  const head = BigInt(await rpc.call<Hex>('eth_blockNumber'));
  // a node that came back with a shorter chain is another chain (a fresh devnet): start over
  if (head < synced) {
    location.reload();
    return;
  }
  if (state.heads.length === 0) await initialRate(head);
  await fetchLogs(synced + 1n, head);
  live = true;
  ingest(buffered);
  schedule();
  await flush();
}

/** Blocks per second from the timestamps of the head and a block 100 back (whole seconds). */
async function initialRate(head: bigint): Promise<void> {
  if (head < 2n) return;
  const back = head > 100n ? 100n : head - 1n;
  const [a, b] = await Promise.all([
    rpc.call<Head>('eth_getBlockByNumber', [`0x${head.toString(16)}`, false]),
    rpc.call<Head>('eth_getBlockByNumber', [`0x${(head - back).toString(16)}`, false]),
  ]);
  const dt = Number(BigInt(a.timestamp) - BigInt(b.timestamp));
  if (dt > 0) state.initialRate = Number(back) / dt;
  state.heads.push({ number: head, hash: a.hash, timestamp: BigInt(a.timestamp), gasUsed: BigInt(a.gasUsed), at: performance.now() });
}

let retryMs = 500;
let retrying = false;
function reconnectLater(): void {
  if (retrying) return;
  retrying = true;
  setTimeout(() => {
    retrying = false;
    connect().then(
      () => (retryMs = 500),
      () => {
        retryMs = Math.min(retryMs * 2, 10_000);
      },
    );
  }, retryMs);
}

async function start(): Promise<void> {
  boot = (await (await fetch('/dashboard/boot.json')).json()) as Boot;
  for (const s of boot.stakers) dirty.stakers.add(s.toLowerCase());
  schedule();
  try {
    await connect();
  } catch {
    reconnectLater();
  }
}

void start();
