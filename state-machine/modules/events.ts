// Module events as Ethereum logs: topic0 = keccak256(event signature), indexed args as topics,
// the rest ABI-encoded in data (viem does the encoding).
import { encodeAbiParameters, toEventSelector, type AbiEvent } from 'viem';
import type { Address, Log } from '../types.ts';
import type { Hex } from '../crypto/hash.ts';

const selectors = new Map<AbiEvent, Hex>();

/** Log for `event` with `args` in the event's declared order. */
export function eventLog(address: Address, event: AbiEvent, args: readonly unknown[]): Log {
  if (args.length !== event.inputs.length) throw new TypeError(`event ${event.name}: ${args.length} args for ${event.inputs.length} inputs`);
  let topic0 = selectors.get(event);
  if (topic0 === undefined) {
    topic0 = toEventSelector(event);
    selectors.set(event, topic0);
  }
  const topics: Hex[] = [topic0];
  const dataParams: AbiEvent['inputs'][number][] = [];
  const dataValues: unknown[] = [];
  event.inputs.forEach((p, i) => {
    if (p.indexed) topics.push(encodeAbiParameters([p], [args[i]]));
    else {
      dataParams.push(p);
      dataValues.push(args[i]);
    }
  });
  return { address, topics, data: encodeAbiParameters(dataParams, dataValues) };
}
