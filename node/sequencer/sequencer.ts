// The sequencer loop: every genesis block interval, if transactions wait, seal a block. A failed
// seal is logged and retried on the next tick; the loop never dies on bad input.
import type { Chain } from '../chain/chain.ts';
import type { Logger } from '../logger.ts';

export class Sequencer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly chain: Chain,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.intervalMs);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, Math.max(0, delay));
  }

  private async tick(): Promise<void> {
    const started = performance.now();
    try {
      if (this.chain.pool.size > 0) await this.chain.seal();
    } catch (e) {
      this.logger.error({ err: e }, 'sealing failed');
    }
    // keep the cadence: the next block is due one interval after this one started
    this.schedule(this.intervalMs - (performance.now() - started));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
