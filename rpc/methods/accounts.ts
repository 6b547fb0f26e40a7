// eth_accounts and eth_sendTransaction. A node holds no keys, so by default the first lists none and
// the second is refused; `verity devnet --unlocked` hands the backend the devnet test accounts
// (UnlockedAccounts), and then they work as anvil's do: fill in nonce, gas and fees, sign, submit.
import { bytesToHex } from '../../state-machine/crypto/hash.ts';
import type { Address } from '../../state-machine/types.ts';
import type { RpcBackend, TxToSign } from '../backend.ts';
import { RpcCode, RpcError, executionReverted, invalidParams } from '../errors.ts';
import { callObject, isRecord, quantity, type CallObject, type Parser } from '../params.ts';
import { method, req, type MethodTable } from './method.ts';

interface SendObject extends CallObject {
  nonce?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  type?: bigint;
  chainId?: bigint;
}

/** eth_call's transaction object plus the fields a sender may fix (nonce, fees, type, chain id). */
const sendObject: Parser<SendObject> = (v, where) => {
  const out: SendObject = callObject(v, where);
  if (isRecord(v)) {
    for (const k of ['nonce', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'type', 'chainId'] as const) {
      if (v[k] !== undefined && v[k] !== null) out[k] = quantity(v[k], `${where}.${k}`);
    }
  }
  return out;
};

export const NO_UNLOCKED_ACCOUNTS =
  'eth_sendTransaction needs an unlocked account and this node has none: sign locally and use eth_sendRawTransaction ' +
  '(devnet only: `verity devnet --unlocked` unlocks the test accounts)';

// One filled-in transaction at a time per sender, so concurrent requests get consecutive nonces.
const queues = new WeakMap<RpcBackend, Map<Address, Promise<unknown>>>();

function serialized<T>(backend: RpcBackend, from: Address, run: () => Promise<T>): Promise<T> {
  let perSender = queues.get(backend);
  if (!perSender) queues.set(backend, (perSender = new Map()));
  const prev = perSender.get(from) ?? Promise.resolve();
  const next = prev.then(run, run);
  const tail = next.catch(() => undefined);
  perSender.set(from, tail);
  void tail.then(() => {
    if (perSender.get(from) === tail) perSender.delete(from);
  });
  return next;
}

async function fill(backend: RpcBackend, from: Address, o: SendObject): Promise<TxToSign> {
  if (o.to === null) throw invalidParams('invalid argument 0 (transaction).to: contract creation is not supported (Verity has no EVM)');
  if (o.chainId !== undefined && o.chainId !== backend.chainId) {
    throw invalidParams(`invalid argument 0 (transaction).chainId: this chain is ${backend.chainId}, not ${o.chainId}`);
  }
  if (o.type !== undefined && o.type !== 0n && o.type !== 2n) throw invalidParams('invalid argument 0 (transaction).type: want 0x0 (legacy) or 0x2 (EIP-1559)');
  const legacy = o.type === 0n || (o.type === undefined && o.gasPrice !== undefined && o.maxFeePerGas === undefined);
  const value = o.value ?? 0n;
  const data = o.data ?? new Uint8Array(0);
  const nonce = o.nonce ?? (await backend.getNonce(from, 'pending'));
  let gasLimit = o.gas;
  if (gasLimit === undefined) {
    // a transaction that would revert is refused with its revert data, as eth_estimateGas does
    const msg = { from, to: o.to, value, data };
    const r = await backend.call(msg, 'pending');
    if (r.status === 0) throw executionReverted(bytesToHex(r.returnData), r.revertReason);
    gasLimit = await backend.estimateGas(msg, 'pending');
  }
  let maxFeePerGas: bigint;
  let maxPriorityFeePerGas: bigint;
  if (legacy) {
    maxFeePerGas = o.gasPrice ?? backend.gasPrice();
    maxPriorityFeePerGas = maxFeePerGas;
  } else {
    maxPriorityFeePerGas = o.maxPriorityFeePerGas ?? backend.maxPriorityFeePerGas();
    if (o.maxFeePerGas !== undefined) maxFeePerGas = o.maxFeePerGas;
    else {
      // as viem and anvil do: room for the base fee to double before inclusion
      const latest = await backend.getBlock('latest');
      maxFeePerGas = 2n * (latest?.header.baseFee ?? backend.gasPrice()) + maxPriorityFeePerGas;
    }
  }
  return { chainId: backend.chainId, from, to: o.to, nonce, value, data, gasLimit, type: legacy ? 0 : 2, maxFeePerGas, maxPriorityFeePerGas };
}

export const accountMethods: MethodTable = {
  eth_accounts: method([], ({ backend }) => backend.unlocked?.addresses() ?? backend.accounts()),
  eth_sendTransaction: method([req('transaction', sendObject)], async ({ backend }, o) => {
    const unlocked = backend.unlocked;
    if (unlocked === undefined) throw new RpcError(RpcCode.server, NO_UNLOCKED_ACCOUNTS);
    if (o.from === undefined) throw invalidParams('missing value for argument 0 (transaction).from');
    const from = o.from.toLowerCase() as Address;
    if (!unlocked.addresses().some((a) => a.toLowerCase() === from)) {
      throw new RpcError(RpcCode.server, `unknown account ${o.from}: eth_accounts lists the unlocked ones`);
    }
    return serialized(backend, from, async () => backend.sendRawTransaction(unlocked.sign(await fill(backend, from, o))));
  }),
};
