// Public surface of rpc/: the server the node starts and the client workers and tools use.
export { startRpcServer, RPC_DEFAULTS, type RpcServer, type RpcServerOptions } from './server.ts';
export { createVerityClient, type VerityClient, type VerityClientOptions, type VerityRpcSchema } from './client.ts';
export type {
  BlockTag, FeeHistory, LocatedLog, LogFilter, RpcBackend, StateProofJson, SyncStatus, TxLocation,
} from './backend.ts';
export { RpcCode, RpcError } from './errors.ts';
export { RpcMetrics } from './metrics.ts';
