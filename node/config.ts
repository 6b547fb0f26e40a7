// The one config loader. Precedence: defaults < config file (JSON, optional) < environment < flags.
import { readFileSync } from 'node:fs';
import { LOG_LEVELS, type LogLevel } from '../infra/logger.ts';
import { ConfigError } from './errors.ts';

export interface NodeConfig {
  /** LevelDB data directory */
  dataDir: string;
  /** genesis JSON file; unset = the default devnet genesis */
  genesisFile: string | null;
  rpcHost: string;
  /** 0 = any free port */
  rpcPort: number;
  /** 0x-prefixed 32-byte key that signs block headers; unset on devnet = the first devnet account */
  sequencerKey: string | null;
  /** write a state snapshot every N blocks */
  snapshotInterval: number;
  txpoolMinPerSender: number;
  txpoolMaxTotal: number;
  /**
   * worker threads for sender recovery; 0 = recover on the main thread; null = by role: 1 on the
   * sequencer (its main thread is busy serving RPC), 2 on a follower (its main thread waits on
   * recovery while it re-executes)
   */
  recoverWorkers: number | null;
  logLevel: LogLevel;
}

export const DEFAULT_CONFIG: NodeConfig = {
  dataDir: './.verity',
  genesisFile: null,
  rpcHost: '127.0.0.1',
  rpcPort: 9545,
  sequencerKey: null,
  snapshotInterval: 100,
  txpoolMinPerSender: 64,
  txpoolMaxTotal: 50_000,
  recoverWorkers: null,
  logLevel: 'info',
};

type Source = Partial<Record<keyof NodeConfig, unknown>>;

/** Environment variable for each setting. */
export const ENV_NAMES: Record<keyof NodeConfig, string> = {
  dataDir: 'VERITY_DATADIR',
  genesisFile: 'VERITY_GENESIS',
  rpcHost: 'VERITY_RPC_HOST',
  rpcPort: 'VERITY_RPC_PORT',
  sequencerKey: 'VERITY_SEQUENCER_KEY',
  snapshotInterval: 'VERITY_SNAPSHOT_INTERVAL',
  txpoolMinPerSender: 'VERITY_TXPOOL_MIN_PER_SENDER',
  txpoolMaxTotal: 'VERITY_TXPOOL_MAX_TOTAL',
  recoverWorkers: 'VERITY_RECOVER_WORKERS',
  logLevel: 'VERITY_LOG_LEVEL',
};

function int(setting: string, v: unknown, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(setting, `want an integer in [${min}, ${max}], got ${String(v)}`);
  return n;
}

function str(setting: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(setting, `want a non-empty string, got ${String(v)}`);
  return v;
}

function settingName(origin: 'config' | 'env' | 'flag', k: string): string {
  if (origin === 'env' && k in ENV_NAMES) return ENV_NAMES[k as keyof NodeConfig];
  return origin === 'config' ? `config.${k}` : `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function apply(cfg: NodeConfig, src: Source, origin: 'config' | 'env' | 'flag'): void {
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined) continue;
    const name = settingName(origin, k);
    switch (k as keyof NodeConfig) {
      case 'dataDir':
        cfg.dataDir = str(name, v);
        break;
      case 'genesisFile':
        cfg.genesisFile = v === null ? null : str(name, v);
        break;
      case 'rpcHost':
        cfg.rpcHost = str(name, v);
        break;
      case 'rpcPort':
        cfg.rpcPort = int(name, v, 0, 65535);
        break;
      case 'sequencerKey': {
        const key = v === null ? null : str(name, v).trim();
        if (key !== null && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new ConfigError(name, 'want a 0x-prefixed 32-byte hex key');
        cfg.sequencerKey = key;
        break;
      }
      case 'snapshotInterval':
        cfg.snapshotInterval = int(name, v, 1, 1_000_000);
        break;
      case 'txpoolMinPerSender':
        cfg.txpoolMinPerSender = int(name, v, 1, 100_000);
        break;
      case 'txpoolMaxTotal':
        cfg.txpoolMaxTotal = int(name, v, 1, 10_000_000);
        break;
      case 'recoverWorkers':
        cfg.recoverWorkers = int(name, v, 0, 64);
        break;
      case 'logLevel':
        if (!LOG_LEVELS.includes(v as NodeConfig['logLevel'])) throw new ConfigError(name, `want one of ${LOG_LEVELS.join(', ')}`);
        cfg.logLevel = v as NodeConfig['logLevel'];
        break;
      default:
        throw new ConfigError(name, 'unknown setting');
    }
  }
}

export interface ConfigSources {
  /** JSON file with any NodeConfig keys */
  file?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Source;
}

export function loadConfig(sources: ConfigSources = {}): NodeConfig {
  const cfg: NodeConfig = { ...DEFAULT_CONFIG };
  if (sources.file !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(sources.file, 'utf8'));
    } catch (e) {
      throw new ConfigError('config', `cannot read ${sources.file}: ${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError('config', 'want a JSON object');
    apply(cfg, parsed as Source, 'config');
  }
  if (sources.env) {
    const fromEnv: Source = {};
    for (const [k, envName] of Object.entries(ENV_NAMES) as [keyof NodeConfig, string][]) {
      const v = sources.env[envName];
      if (v !== undefined && v !== '') fromEnv[k] = v;
    }
    apply(cfg, fromEnv, 'env');
  }
  if (sources.flags) apply(cfg, sources.flags, 'flag');
  return cfg;
}
