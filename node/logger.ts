// The node's loggers come from infra/logger.ts. This re-export keeps the `Logger` imports of
// node/chain and node/sequencer working; new code imports infra/logger.ts.
export type { Logger } from '../infra/logger.ts';
