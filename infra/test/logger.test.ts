import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';

/** A pino destination that keeps the JSON lines. */
function lines(): { write(s: string): void; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  return { records, write: (s: string) => records.push(JSON.parse(s) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes JSON lines with the name and level; children add their bindings', () => {
    const out = lines();
    const log = createLogger('verity-test', 'info', out);
    log.debug('hidden below the level');
    log.child({ component: 'rpc' }).warn({ block: 7 }, 'sealed');
    expect(out.records).toHaveLength(1);
    expect(out.records[0]).toMatchObject({ name: 'verity-test', level: 40, component: 'rpc', block: 7, msg: 'sealed' });
  });
});
