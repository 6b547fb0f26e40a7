/// <reference lib="dom" />
// Loss curves with uPlot: the solver's as a line, each verifier's re-run segments as points.
import uPlot from 'uplot';

export interface Curve {
  label: string;
  role: 'solver' | 'verifier' | 'former solver';
  /** step → loss */
  points: Map<number, number>;
}

const COLORS = { solver: '#5eead4', verifier: ['#fbbf24', '#f472b6', '#a78bfa', '#60a5fa'], 'former solver': '#f87171' };

function key(curves: Curve[]): string {
  return curves.map((c) => `${c.role}:${c.label}`).join('|');
}

export class LossChart {
  private plot: uPlot | null = null;
  private shape = '';
  private readonly observer: ResizeObserver;

  constructor(readonly el: HTMLElement) {
    this.observer = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: this.height() }));
    this.observer.observe(el);
  }

  private width(): number {
    return Math.max(200, Math.floor(this.el.clientWidth));
  }

  private height(): number {
    return this.el.clientWidth < 500 ? 180 : 220;
  }

  update(curves: Curve[]): void {
    const steps = [...new Set(curves.flatMap((c) => [...c.points.keys()]))].sort((a, b) => a - b);
    const data: uPlot.AlignedData = [steps, ...curves.map((c) => steps.map((s) => c.points.get(s) ?? null))];
    const shape = key(curves);
    if (this.plot && shape === this.shape) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.shape = shape;
    let v = 0;
    const series: uPlot.Series[] = [
      { label: 'step' },
      ...curves.map((c): uPlot.Series => {
        if (c.role === 'verifier') {
          const color = COLORS.verifier[v++ % COLORS.verifier.length];
          return { label: c.label, stroke: color, width: 0, paths: () => null, points: { show: true, size: 9, width: 2, stroke: color, fill: '#0f172a' } };
        }
        const color = c.role === 'solver' ? COLORS.solver : COLORS['former solver'];
        return { label: c.label, stroke: color, width: 2, spanGaps: true, dash: c.role === 'solver' ? undefined : [6, 4], points: { show: true, size: 5, fill: color } };
      }),
    ];
    const axis = { stroke: '#94a3b8', grid: { stroke: 'rgba(148,163,184,0.12)', width: 1 }, ticks: { stroke: 'rgba(148,163,184,0.2)', width: 1 } };
    this.plot = new uPlot(
      {
        width: this.width(),
        height: this.height(),
        scales: { x: { time: false } },
        series,
        axes: [{ ...axis, label: 'step' }, { ...axis, label: 'loss', size: 56 }],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      this.el,
    );
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
  }
}
