// The node's libp2p identity: an Ed25519 key created once in the data dir (mode 0600) and reused,
// so a node keeps its peer id (and the multiaddr others bootstrap from) across restarts.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { ConfigError } from '../errors.ts';

export const PEER_KEY_FILE = 'p2p-key';

export async function loadOrCreatePeerKey(dataDir: string): Promise<PrivateKey> {
  const file = join(dataDir, PEER_KEY_FILE);
  if (existsSync(file)) {
    try {
      const key = privateKeyFromProtobuf(readFileSync(file));
      if (key.type !== 'Ed25519') throw new Error(`a ${key.type} key`);
      return key;
    } catch (e) {
      throw new ConfigError(file, `unreadable peer key (${(e as Error).message}); delete it to get a new peer id`);
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const key = await generateKeyPair('Ed25519');
  // created 0600 from the start (never readable by others, not even briefly), then renamed in place
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, privateKeyToProtobuf(key));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return key;
}
