// The one binary codec for Verity's own records: event log, snapshots, p2p messages, worker IPC and
// checkpoint files. bigints of any size round-trip (msgpackr's default throws at >= 2^64).
import { Packr } from 'msgpackr';

const packr = new Packr({ useBigIntExtension: true, useRecords: false, moreTypes: true });

export function pack(value: unknown): Uint8Array {
  return packr.pack(value);
}

export function unpack<T = unknown>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}
