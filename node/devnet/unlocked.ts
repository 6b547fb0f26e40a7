// `verity devnet --unlocked`: the node signs for the devnet test accounts (public keys of the test
// mnemonic, labelled devnet-only), so eth_accounts lists them and eth_sendTransaction works as on
// anvil. Never offered by `verity node`: only the devnet command calls unlockDevnetAccounts.
import type { DevnetAccount } from '../../genesis/index.ts';
import type { RpcBackend, TxToSign, UnlockedAccounts } from '../../rpc/backend.ts';
import { hexToBytes, type Bytes } from '../../state-machine/crypto/hash.ts';
import type { Address } from '../../state-machine/types.ts';
import { signTx } from './sign-tx.ts';

export function devnetUnlocked(accounts: readonly DevnetAccount[]): UnlockedAccounts {
  for (const a of accounts) if (a.label !== 'devnet-only') throw new Error(`account ${a.address} is not a devnet test account`);
  const keys = new Map<Address, Bytes>(accounts.map((a) => [a.address.toLowerCase() as Address, hexToBytes(a.privateKey)]));
  const addresses = accounts.map((a) => a.address);
  return {
    addresses: () => [...addresses],
    sign(tx: TxToSign): Bytes {
      const key = keys.get(tx.from.toLowerCase() as Address);
      if (key === undefined) throw new Error(`no unlocked key for ${tx.from}`);
      return signTx(tx, key);
    },
  };
}

/** Unlocks `accounts` on a running node's RPC backend. */
export function unlockDevnetAccounts(backend: RpcBackend, accounts: readonly DevnetAccount[]): void {
  backend.unlocked = devnetUnlocked(accounts);
}
