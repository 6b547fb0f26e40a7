// Filter and subscription ids: 16 random bytes, as geth issues them, so ids are not guessable
// across connections.
import { randomBytes } from 'node:crypto';
import type { Hex } from '../state-machine/crypto/hash.ts';

export function newId(): Hex {
  return `0x${randomBytes(16).toString('hex')}`;
}
