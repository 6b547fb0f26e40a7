// The worker's signing key: a file holding one 0x-prefixed 32-byte hex private key (whitespace
// around it is ignored). The key never leaves this process; viem signs locally.
import { readFileSync } from 'node:fs';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { VerityError } from '../../state-machine/errors.ts';
import type { Hex } from '../../state-machine/crypto/hash.ts';

export class KeyFileError extends VerityError {
  constructor(message: string) {
    super('KEY_FILE', message);
  }
}

export function readKeyFile(file: string): PrivateKeyAccount {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new KeyFileError(`cannot read key file ${file}: ${(e as Error).message}`);
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new KeyFileError(`key file ${file} must hold one 0x-prefixed 32-byte hex private key`);
  try {
    return privateKeyToAccount(text.toLowerCase() as Hex);
  } catch (e) {
    throw new KeyFileError(`key file ${file}: not a valid secp256k1 private key (${(e as Error).message})`);
  }
}
