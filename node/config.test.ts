import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from './config.ts';
import { ConfigError } from './errors.ts';

describe('loadConfig', () => {
  it('layers defaults < file < environment < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verity-config-'));
    try {
      const file = join(dir, 'verity.json');
      writeFileSync(file, JSON.stringify({ rpcPort: 1000, snapshotInterval: 7, dataDir: '/from/file' }));
      const cfg = loadConfig({ file, env: { VERITY_RPC_PORT: '2000', VERITY_LOG_LEVEL: 'warn' }, flags: { rpcPort: '3000', dataDir: undefined } });
      expect(cfg.rpcPort).toBe(3000);
      expect(cfg.logLevel).toBe('warn');
      expect(cfg.snapshotInterval).toBe(7);
      expect(cfg.dataDir).toBe('/from/file');
      expect(cfg.rpcHost).toBe(DEFAULT_CONFIG.rpcHost);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the bad setting in its error', () => {
    expect(() => loadConfig({ env: { VERITY_RPC_PORT: '70000' } })).toThrow(/VERITY_RPC_PORT/);
    expect(() => loadConfig({ flags: { snapshotInterval: '0' } })).toThrow(/--snapshot-interval/);
    expect(() => loadConfig({ flags: { sequencerKey: '0x1234' } })).toThrow(ConfigError);
  });
});
