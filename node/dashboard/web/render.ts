/// <reference lib="dom" />
// Drawing the state into the page. Sections are rebuilt on each change except the task cards,
// which keep their chart between updates.
import type { Boot } from './boot.ts';
import { LossChart, type Curve } from './chart.ts';
import type { DecodedLog } from './codec.ts';
import { levelViews, type LevelView } from './descent.ts';
import { addr, badge, checksum, eth, fill, h, hash, type Child } from './dom.ts';
import { LEVELS, OUTCOMES, SLASH_REASONS, TASK_STATUS, VERIFIER_STATUS, type DisputeState, type State, type TaskState } from './state.ts';

export interface RenderContext {
  state: State;
  boot: () => Boot;
}

const $ = (id: string): HTMLElement => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
};

export function setConnection(s: 'connecting' | 'live' | 'offline'): void {
  const el = document.getElementById('conn');
  if (!el) return;
  if (s === 'live') fill(el, badge('● live', 'ok'));
  else if (s === 'connecting') fill(el, badge('connecting…', 'idle'));
  else fill(el, badge('offline · reconnecting', 'bad'));
}

export function render(ctx: RenderContext): void {
  const s = ctx.state;
  fill($('chain-id'), ctx.boot().chainId);
  renderChain(s);
  renderActivity(s);
  renderTasks(s);
  renderDisputes(s, ctx.boot());
  renderStakes(s);
  renderBoard(s);
  renderBridge(s);
}

function head(s: State): bigint | null {
  return s.heads.length ? s.heads[s.heads.length - 1].number : null;
}

function rate(s: State): number | null {
  const live = s.heads.slice(-60);
  if (live.length >= 5) {
    const dt = (live[live.length - 1].at - live[0].at) / 1000;
    if (dt > 0) return (live.length - 1) / dt;
  }
  return s.initialRate;
}

function stat(label: string, value: Child, note: Child = null, id?: string): HTMLElement {
  return h('div', { class: 'stat', id }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value), note ? h('div', { class: 'stat-note' }, note) : null);
}

function table(headers: string[], rows: Child[][], empty: string, caption?: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'table',
    null,
    caption ? h('caption', { class: 'sr-only' }, caption) : null,
    h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))),
  );
}

function renderChain(s: State): void {
  const n = head(s);
  const r = rate(s);
  const tasks = [...s.tasks.values()];
  const finalized = tasks.filter((t) => t.t?.status === 5).length;
  const open = [...s.disputes.values()].filter((d) => d.d && d.d.level < 5).length;
  fill(
    $('chain-stats'),
    stat('Head block', n === null ? '…' : `#${n}`, null, 'head-block'),
    stat('Block rate', r === null ? '…' : `${r.toFixed(r < 10 ? 2 : 1)} /s`, r ? `one every ${Math.round(1000 / r)} ms` : null),
    stat('Tasks', s.totals ? `${s.totals.taskCount}` : '…', `${finalized} finalized`),
    stat('Disputes', s.totals ? `${s.totals.disputeCount}` : '…', `${open} in progress`),
    stat('Total staked', s.totals ? eth(s.totals.totalStaked) : '…'),
    stat('Burned by slashing', s.totals ? eth(s.totals.totalBurned) : '…'),
  );
  const rows = s.heads.slice(-8).reverse().map((b) => [h('span', { class: 'num' }, `#${b.number}`), hash(b.hash), b.gasUsed.toLocaleString('en-US'), new Date(Number(b.timestamp) * 1000).toISOString().slice(11, 19)]);
  fill($('blocks'), table(['Block', 'Hash', 'Gas used', 'Time (UTC)'], rows, 'Waiting for the first block…', 'Recent blocks'));
}

function summary(e: DecodedLog): Child[] {
  const a = e.args;
  const task = a.taskId !== undefined ? `task ${a.taskId}` : '';
  switch (e.name) {
    case 'TaskSubmitted':
      return [`${task} posted, reward ${eth(a.reward as bigint)}`];
    case 'TaskClaimed':
      return [`${task} claimed by `, addr(a.solver as string)];
    case 'TaskCommitted':
      return [`${task}: trace committed (${a.steps} steps)`];
    case 'VerifiersDrawn':
      return [`${task}: ${(a.verifiers as string[]).length} verifier(s) drawn`];
    case 'DrawDeferred':
      return [`${task}: no verifier could be drawn; draw moved to block ${a.drawBlock}`];
    case 'Attested':
      return [`${task}: segment ${a.segment} attested by `, addr(a.verifier as string)];
    case 'Challenged':
      return [`${task}: segment ${a.segment} challenged by `, addr(a.challenger as string)];
    case 'TaskFinalized':
      return [`${task} finalized, solver paid ${eth(a.reward as bigint)}`];
    case 'LossesReported':
      return [`${task}: ${(a.steps as unknown[]).length} loss(es) from `, addr(a.reporter as string)];
    case 'DisputeOpened':
      return [`dispute ${a.disputeId} opened on task ${a.taskId} at ${LEVELS[Number(a.level)] ?? a.level}`];
    case 'Narrowed':
      return [`dispute ${a.disputeId}: ${LEVELS[Number(a.level)] ?? ''} narrowed`];
    case 'Located':
      return [`dispute ${a.disputeId}: ${LEVELS[Number(a.level)] ?? ''} located leaf ${a.leaf}`];
    case 'Refereed':
      return [`dispute ${a.disputeId}: referee re-ran op ${a.op}`];
    case 'DisputeResolved':
      return a.reason !== undefined ? [`dispute ${a.disputeId}: ${OUTCOMES[Number(a.outcome)]?.[0] ?? ''}`] : [`${task}: dispute resolved, ${a.solverWon ? 'solver won' : 'solver lost'}`];
    case 'Slashed':
      return [addr(a.offender as string), ` slashed ${eth(a.taken as bigint)} (${SLASH_REASONS[Number(a.reason)] ?? a.reason})`];
    case 'Jailed':
      return [addr(a.staker as string), ` jailed until block ${a.until}`];
    case 'Bonded':
      return [addr(a.staker as string), ` bonded ${eth(a.amount as bigint)}`];
    case 'UnbondStarted':
      return [addr(a.staker as string), ` unbonds ${eth(a.amount as bigint)} at block ${a.maturesAt}`];
    case 'Withdrawn':
      return [addr(a.staker as string), ` withdrew ${eth(a.amount as bigint)}`];
    case 'Locked':
      return [addr(a.staker as string), ` locked ${eth(a.amount as bigint)} as collateral`];
    case 'Unlocked':
      return [addr(a.staker as string), ` unlocked ${eth(a.amount as bigint)}`];
    case 'StakeSlashed':
      return [addr(a.staker as string), ` lost ${eth((a.fromBond as bigint) + (a.fromUnbonding as bigint))} of stake`];
    case 'RootPosted':
      return [`dispute ${a.disputeId}: `, addr(a.party as string), ` posted its ${LEVELS[Number(a.level)] ?? ''} root`];
    case 'TaskReopened':
      return [`${task} reopened (${a.reopenCount}×)`];
    case 'TaskExpired':
      return [`${task}: claim expired, `, addr(a.solver as string), ` slashed ${eth(a.slashed as bigint)}`];
    case 'VerifierSilent':
      return [`${task}: `, addr(a.verifier as string), ` stayed silent, slashed ${eth(a.slashed as bigint)}`];
    case 'TaskRefunded':
      return [`${task} refunded ${eth(a.amount as bigint)}`];
    case 'DataRequested':
      return [`${task}: checkpoint ${a.leaf} requested on chain`];
    case 'DataPosted':
      return [`${task}: checkpoint ${a.leaf} posted on chain`];
    case 'DepositFinalized':
      return [`deposit ${a.nonce}: ${eth(a.amount as bigint)} to `, addr(a.to as string)];
    case 'WithdrawalInitiated':
      return [`withdrawal ${a.nonce}: ${eth(a.amount as bigint)} from `, addr(a.l2Sender as string)];
    default:
      return [task];
  }
}

function renderActivity(s: State): void {
  const items = s.activity.slice(0, 14).map((e) => h('li', null, h('span', { class: 'feed-block' }, `#${e.block}`), h('span', { class: 'feed-name' }, e.name), h('span', { class: 'feed-text' }, summary(e))));
  const el = $('activity');
  if (items.length === 0) fill(el, h('li', { class: 'empty' }, 'No module events yet.'));
  else fill(el, items);
}

// ---- tasks ---------------------------------------------------------------------------------------

interface TaskCard {
  root: HTMLElement;
  badge: HTMLElement;
  body: HTMLElement;
  chart: LossChart;
  chartEl: HTMLElement;
  legend: HTMLElement;
}
const taskCards = new Map<bigint, TaskCard>();

function curves(ts: TaskState): Curve[] {
  const t = ts.t;
  const solver = t?.solver.toLowerCase() ?? '';
  const verifiers = new Set((t?.verifiers ?? []).map((v) => v.toLowerCase()));
  const out: Curve[] = [];
  for (const [who, points] of ts.losses) {
    const role = who === solver ? 'solver' : verifiers.has(who) ? 'verifier' : 'former solver';
    const a = checksum(who);
    out.push({ label: `${role} ${a.slice(0, 6)}…${a.slice(-4)}`, role, points });
  }
  const order = { solver: 0, 'former solver': 1, verifier: 2 };
  return out.sort((x, y) => order[x.role] - order[y.role] || x.label.localeCompare(y.label));
}

function taskCard(id: bigint): TaskCard {
  let c = taskCards.get(id);
  if (c) return c;
  const badgeEl = h('span', { class: 'badge-slot' });
  const body = h('div', { class: 'task-body' });
  const chartEl = h('div', { class: 'chart', role: 'img', 'aria-label': `Loss curve of task ${id}` });
  const legend = h('ul', { class: 'legend' });
  const root = h(
    'article',
    { class: 'card task', 'data-task-id': String(id), 'aria-labelledby': `task-${id}-h` },
    h('header', { class: 'card-head' }, h('h3', { id: `task-${id}-h` }, `Task #${id}`), badgeEl),
    body,
    h('div', { class: 'chart-wrap' }, h('h4', null, 'Loss'), chartEl, legend),
  );
  c = { root, badge: badgeEl, body, chart: new LossChart(chartEl), chartEl, legend };
  taskCards.set(id, c);
  return c;
}

function renderTasks(s: State): void {
  const list = $('task-list');
  const ids = [...s.tasks.keys()].sort((a, b) => (a < b ? 1 : -1));
  if (ids.length === 0) {
    if (!list.querySelector('.empty')) fill(list, h('p', { class: 'empty' }, 'No tasks yet. Submit one with `verity task submit`.'));
    return;
  }
  list.querySelector('.empty')?.remove();
  ids.forEach((id, i) => {
    const ts = s.tasks.get(id) as TaskState;
    const c = taskCard(id);
    if (list.children[i] !== c.root) list.insertBefore(c.root, list.children[i] ?? null);
    const t = ts.t;
    const [name, tone] = t ? (TASK_STATUS[t.status] ?? [`status ${t.status}`, 'idle']) : ['…', 'idle'];
    fill(c.badge, badge(name, tone as 'ok', { 'data-status': name }));
    if (t) {
      const verifiers = t.verifiers.map((v, j) => {
        const [vs, vt] = VERIFIER_STATUS[t.verifierStatus[j]] ?? ['?', 'idle'];
        const segs = t.verifierSegments[j] ?? [];
        return h('li', null, addr(v), ' ', badge(vs, vt as 'ok'), segs.length ? h('span', { class: 'muted' }, ` segments ${segs.join(', ')}`) : null);
      });
      const n = head(s);
      const phase: Child =
        t.status === 2 ? `commit by block ${t.commitDeadline}` : t.status === 3 && t.windowEnd > 0n ? `window ends at block ${t.windowEnd}${n !== null && n < t.windowEnd ? ` (${t.windowEnd - n} to go)` : ''}` : null;
      fill(
        c.body,
        h(
          'dl',
          { class: 'facts' },
          h('div', null, h('dt', null, 'Solver'), h('dd', null, addr(t.solver))),
          h('div', null, h('dt', null, 'Reward'), h('dd', null, eth(t.reward), h('span', { class: 'muted' }, ` + ${eth(t.fee)} fee`))),
          h('div', null, h('dt', null, 'Training'), h('dd', null, `${t.steps} steps, checkpoint every ${t.checkpointInterval}`)),
          h('div', null, h('dt', null, 'Submitter'), h('dd', null, addr(t.submitter))),
          t.reopenCount > 0 ? h('div', null, h('dt', null, 'Reopened'), h('dd', null, `${t.reopenCount}×`)) : null,
          phase ? h('div', null, h('dt', null, 'Deadline'), h('dd', null, phase)) : null,
          t.disputeId > 0n ? h('div', null, h('dt', null, 'Dispute'), h('dd', null, h('a', { href: `#dispute-${t.disputeId}` }, `#${t.disputeId}`))) : null,
        ),
        verifiers.length ? h('div', { class: 'verifiers' }, h('h4', null, 'Verifiers'), h('ul', null, verifiers)) : null,
      );
    }
    const cs = curves(ts);
    if (cs.length === 0) {
      c.chartEl.hidden = true;
      fill(c.legend, h('li', { class: 'muted' }, 'No losses published yet.'));
    } else {
      c.chartEl.hidden = false;
      c.chart.update(cs);
      fill(
        c.legend,
        cs.map((cv) => {
          const last = [...cv.points.entries()].sort((a, b) => a[0] - b[0]).pop();
          return h('li', { class: `legend-${cv.role.replace(' ', '-')}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), `${cv.label}: ${cv.points.size} point(s)${last ? `, step ${last[0]} loss ${last[1].toFixed(4)}` : ''}`);
        }),
      );
      c.chartEl.setAttribute('aria-label', `Loss curve of task ${id}: ${cs.map((cv) => `${cv.label}, ${cv.points.size} points`).join('; ')}`);
    }
  });
}

// ---- disputes ------------------------------------------------------------------------------------

function clock(s: State, ds: DisputeState, party: 'solver' | 'challenger'): HTMLElement {
  const d = ds.d;
  if (!d) return h('span', null, '…');
  const stored = party === 'solver' ? d.solverClock : d.challengerClock;
  const moved = party === 'solver' ? d.solverMoved : d.challengerMoved;
  const n = head(s);
  const running = d.level < 5 && !moved;
  let left = stored;
  if (running && n !== null && n > d.roundStart) left = stored > n - d.roundStart ? stored - (n - d.roundStart) : 0n;
  const total = s.verde?.clockBlocks ?? (stored > 0n ? stored : 1n);
  const pct = Math.max(0, Math.min(100, Number((left * 1000n) / (total > 0n ? total : 1n)) / 10));
  return h(
    'div',
    { class: 'clock' },
    h('div', { class: 'meter', role: 'meter', 'aria-label': `${party}'s clock`, 'aria-valuemin': 0, 'aria-valuemax': Number(total), 'aria-valuenow': Number(left) }, h('div', { class: `meter-fill${running ? ' running' : ''}`, style: `width:${pct}%` })),
    h('span', { class: 'clock-text' }, `${left} of ${total} blocks`, running ? badge('to move', 'warn') : d.level < 5 ? badge('moved', 'idle') : null),
  );
}

const LEVEL_UNIT: Record<number, string> = { 1: 'checkpoint', 2: 'step', 3: 'op' };

function levelRow(v: LevelView, ds: DisputeState, opName: string | null): HTMLElement {
  const d = ds.d;
  const reached = v.ranges.length > 1 || v.located !== null || (d !== null && d.level === v.level);
  const title = `${v.level} · ${LEVELS[v.level]}`;
  let outcome: Child = null;
  if (v.located !== null || (d && d.level > v.level && !v.skipped)) {
    if (v.level === 1) outcome = `segment ${d?.segment ?? v.located}`;
    else if (v.level === 2) outcome = `step ${d?.step ?? v.located}`;
    else outcome = `op ${d?.op ?? v.located}${opName ? ` (${opName})` : ''}`;
  }
  if (v.skipped) {
    return h('li', { class: 'level skipped' }, h('div', { class: 'level-head' }, h('h4', null, title), h('span', { class: 'muted' }, v.level === 1 && d ? `entered at segment ${d.segment} (a verifier's spot check)` : 'skipped')));
  }
  if (!reached) return h('li', { class: 'level pending' }, h('div', { class: 'level-head' }, h('h4', null, title), h('span', { class: 'muted' }, 'not reached')));
  const span = v.leafCount ?? Math.max(1, ...v.ranges.map((r) => r.to));
  const rows = v.ranges.map((r) =>
    h(
      'div',
      { class: 'descent-row' },
      h('span', { class: 'descent-label' }, r.label),
      h('div', { class: 'track', 'aria-hidden': 'true' }, h('div', { class: 'range', style: `left:${(100 * r.from) / span}%;width:${Math.max(1.2, (100 * (r.to - r.from)) / span)}%` })),
      h('span', { class: 'descent-text' }, r.to - r.from === 1 ? `${LEVEL_UNIT[v.level]} ${r.from + v.offset}` : `${LEVEL_UNIT[v.level]}s ${r.from + v.offset}–${r.to - 1 + v.offset}`),
    ),
  );
  if (v.located !== null) {
    rows.push(
      h(
        'div',
        { class: 'descent-row located' },
        h('span', { class: 'descent-label' }, 'located'),
        h('div', { class: 'track', 'aria-hidden': 'true' }, h('div', { class: 'range hit', style: `left:${(100 * v.located) / span}%;width:${Math.max(1.2, 100 / span)}%` })),
        h('span', { class: 'descent-text' }, `${LEVEL_UNIT[v.level]} ${v.located + v.offset}`),
      ),
    );
  }
  return h(
    'li',
    { class: 'level' },
    h('div', { class: 'level-head' }, h('h4', null, title), v.leafCount !== null ? h('span', { class: 'muted' }, `${v.leafCount} leaves`) : null, outcome ? h('span', { class: 'level-out' }, '→ ', outcome) : null),
    h('div', { class: 'descent' }, rows),
  );
}

function renderDisputes(s: State, boot: Boot): void {
  const ids = [...s.disputes.keys()].sort((a, b) => (a < b ? 1 : -1));
  const cards = ids.map((id) => {
    const ds = s.disputes.get(id) as DisputeState;
    const d = ds.d;
    const task = ds.taskId !== null ? s.tasks.get(ds.taskId)?.t ?? null : null;
    const [outName, outTone] = d ? (OUTCOMES[d.outcome] ?? ['?', 'idle']) : ['…', 'idle'];
    const ref = ds.refereed;
    const opName = ref ? (boot.opcodes[String(ref.opcode)] ?? `opcode ${ref.opcode}`) : null;
    const views = levelViews(ds, task?.checkpointInterval ?? null, task?.steps ?? null);
    const referee = ref
      ? h(
          'div',
          { class: 'referee', 'data-referee-op': String(ref.op) },
          h('h4', null, '4 · Referee'),
          h('p', { class: 'referee-op' }, 'The chain re-ran ', h('strong', null, `op ${ref.op}`), ' · ', h('code', null, opName ?? ''), ` (opcode ${ref.opcode})`, d ? ` of step ${d.step}` : ''),
          h('p', { class: 'claims' }, 'Solver\u2019s claim ', badge(ref.solverRight ? 'matches' : 'wrong', ref.solverRight ? 'ok' : 'bad'), ' · challenger\u2019s claim ', badge(ref.challengerRight ? 'matches' : 'wrong', ref.challengerRight ? 'ok' : 'bad')),
        )
      : d && d.level === 4
        ? h('div', { class: 'referee' }, h('h4', null, '4 · Referee'), h('p', { class: 'muted' }, `proving the inputs of op ${d.op}…`))
        : null;
    return h(
      'article',
      { class: 'card dispute', id: `dispute-${id}`, 'data-dispute-id': String(id), 'aria-labelledby': `dispute-${id}-h` },
      h(
        'header',
        { class: 'card-head' },
        h('h3', { id: `dispute-${id}-h` }, `Dispute #${id}`, ds.taskId !== null ? h('span', { class: 'muted' }, ` · task #${ds.taskId}`) : null),
        h('span', { class: 'badges' }, d ? badge(LEVELS[d.level] ?? `level ${d.level}`, d.level === 5 ? 'idle' : 'info') : null, badge(outName, outTone as 'ok', { 'data-outcome': outName })),
      ),
      d
        ? h(
            'div',
            { class: 'parties' },
            h('div', { class: 'party' }, h('div', { class: 'party-role' }, 'Solver (defender)'), addr(d.solver), clock(s, ds, 'solver')),
            h('div', { class: 'party' }, h('div', { class: 'party-role' }, 'Challenger'), addr(d.challenger), clock(s, ds, 'challenger')),
          )
        : null,
      h('ol', { class: 'levels', 'aria-label': 'Descent, level by level' }, views.map((v) => levelRow(v, ds, opName))),
      referee,
      d && d.level === 5
        ? h('div', { class: 'verdict', 'data-verdict': outName }, h('h4', null, 'Verdict'), h('p', null, badge(outName, outTone as 'ok'), ' ', h('q', { class: 'reason' }, d.reason)), h('p', { class: 'muted' }, `${d.rounds} rounds, ${d.moves} moves`))
        : null,
    );
  });
  const el = $('dispute-list');
  if (cards.length === 0) fill(el, h('p', { class: 'empty' }, 'No disputes. When a verifier disagrees with a solver, the game appears here.'));
  else fill(el, cards);
}

// ---- stakes, leaderboard, bridge -----------------------------------------------------------------

function renderStakes(s: State): void {
  const n = head(s);
  const rows = [...s.stakers.entries()]
    .filter(([, st]) => st !== null && (st.bonded > 0n || st.unbonding > 0n || st.withdrawable > 0n || st.jailedUntil > 0n))
    .sort((a, b) => ((b[1]?.bonded ?? 0n) > (a[1]?.bonded ?? 0n) ? 1 : -1))
    .map(([who, st]) => {
      const x = st as NonNullable<typeof st>;
      const jailed = n !== null && x.jailedUntil > n;
      const status = jailed
        ? badge(`jailed until #${x.jailedUntil}`, 'bad')
        : x.bonded === 0n
          ? badge('unbonded', 'idle')
          : x.locked > 0n
            ? badge('collateral locked', 'info')
            : badge('active', 'ok');
      return [addr(who), eth(x.bonded), x.locked > 0n ? eth(x.locked) : h('span', { class: 'muted' }, '0'), x.unbonding > 0n ? eth(x.unbonding) : h('span', { class: 'muted' }, '0'), x.withdrawable > 0n ? eth(x.withdrawable) : h('span', { class: 'muted' }, '0'), status];
    });
  fill($('stakers'), table(['Staker', 'Bonded', 'Locked', 'Unbonding', 'Withdrawable', 'Status'], rows, 'No stakers yet.', 'Stakers'));
  const slashRows = s.slashes.map((e) => {
    const a = e.args;
    return [`#${e.block}`, addr(a.offender as string), badge(SLASH_REASONS[Number(a.reason)] ?? String(a.reason), 'bad'), `#${a.taskId}`, eth(a.taken as bigint), h('span', null, eth(a.toBeneficiary as bigint), ' → ', addr(a.beneficiary as string)), eth(a.toHarmed as bigint), eth(a.burned as bigint)];
  });
  fill($('slashes'), table(['Block', 'Offender', 'Reason', 'Task', 'Taken', 'To prover', 'To submitter', 'Burned'], slashRows, 'Nobody has been slashed.', 'Slashes'));
}

function renderBoard(s: State): void {
  const b = s.board;
  const rows: Child[][] = b ? b[0].map((who, i) => {
    const sc = b[1][i];
    return [h('span', { class: 'rank' }, `${i + 1}`), addr(who), `${sc.tasksSolved}`, `${sc.tasksVerified}`, `${sc.disputesWon}`, `${sc.disputesLost}`, eth(sc.rewardEarned)];
  }) : [];
  fill($('board'), table(['Rank', 'Account', 'Solved', 'Verified', 'Disputes won', 'Disputes lost', 'Rewards'], rows, 'No contributions yet.', 'Contribution leaderboard'));
}

function renderBridge(s: State): void {
  const l1 = s.l1;
  fill(
    $('bridge-l1'),
    l1 === null
      ? 'This chain runs without an L1: deposits and withdrawals show their L2 side only.'
      : l1.rpc === null
        ? ['L1 portal ', addr(l1.portal), ': no L1 RPC known to this page, so withdrawals show their L2 state.']
        : l1.reachable === false
          ? ['L1 portal ', addr(l1.portal), ': the L1 RPC did not answer; showing L2 state.']
          : ['L1 portal ', addr(l1.portal), ' · withdrawals are checked against it.'],
  );
  const deps = s.deposits.map((e) => {
    const a = e.args;
    return [`${a.nonce}`, addr(a.from as string), addr(a.to as string), (a.token as string) === '0x0000000000000000000000000000000000000000' ? 'ETH' : addr(a.token as string), eth(a.amount as bigint), `#${e.block}`, badge('credited on L2', 'ok')];
  });
  fill($('deposits'), table(['Nonce', 'L1 sender', 'L2 recipient', 'Token', 'Amount', 'L2 block', 'State'], deps, 'No deposits yet.', 'Deposits'));
  const tone = { unknown: 'idle', initiated: 'warn', proven: 'info', finalized: 'ok' } as const;
  const label = { unknown: 'unknown', initiated: 'initiated on L2', proven: 'proven on L1', finalized: 'finalized on L1' };
  const ws = [...s.withdrawals.values()].reverse().map((w) => {
    const a = w.log.args;
    return [`${a.nonce}`, addr(a.l2Sender as string), addr(a.l1Recipient as string), eth(a.amount as bigint), `#${w.log.block}`, badge(label[w.l1], tone[w.l1])];
  });
  fill($('withdrawals'), table(['Nonce', 'L2 sender', 'L1 recipient', 'Amount', 'L2 block', 'State'], ws, 'No withdrawals yet.', 'Withdrawals'));
}
