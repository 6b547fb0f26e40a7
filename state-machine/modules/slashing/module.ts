// The slashing module: the one path every penalty takes. slash() takes from the offender's stake,
// pays the prover's and the harmed party's genesis shares out of the stake account, burns the rest
// (total supply falls by exactly that), jails the offender and records the slash. It has views only;
// other modules reach slash() through the keeper app.ts hands them.
import { encodeFunctionResult, getAbiItem, type Hex } from 'viem';
import { checkedAdd, checkedMul } from '../../errors.ts';
import { BPS } from '../../params/fields.ts';
import type { Address } from '../../types.ts';
import { burn, transfer } from '../accounts/ledger.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { eventLog } from '../events.ts';
import { decodeCall, type CallContext, type Module, type ModuleContext } from '../framework.ts';
import { isJailedAt } from '../stake/keeper.ts';
import { slashingAbi } from './abi.ts';
import type { SlashingStake } from './expected.ts';
import { appendSlash, slashCount, slashesOf, setTotalBurned, totalBurned } from './records.ts';

const ADDRESS = MODULE_ADDRESSES.slashing;
const STAKE = MODULE_ADDRESSES.stake;
const VIEW_GAS = 2_600n;
const ZERO: Address = '0x0000000000000000000000000000000000000000';
const slashedEvent = getAbiItem({ abi: slashingAbi, name: 'Slashed' });

/** ISlashing.Reason */
export const SlashReason = { MissedCommit: 1, SilentVerifier: 2, DataWithheld: 3, DisputeLost: 4 } as const;
export type SlashReasonCode = (typeof SlashReason)[keyof typeof SlashReason];

export interface SlashRequest {
  offender: Address;
  amount: bigint;
  reason: SlashReasonCode;
  /** the task the offence concerns (0 = none) */
  taskId: bigint;
  /** whoever proved the fault; the zero address (nobody) burns the prover share */
  beneficiary: Address;
  /** the harmed party; the zero address burns the harmed share */
  harmed: Address;
  /** block of the offence: unbonding begun before it is out of reach */
  offenceBlock: bigint;
}

export interface SlashOutcome {
  taken: bigint;
  toBeneficiary: bigint;
  toHarmed: bigint;
  burned: bigint;
}

export function createSlashing(stake: SlashingStake) {
  function slash(ctx: ModuleContext, req: SlashRequest): SlashOutcome {
    const p = ctx.genesis.modules.slashing;
    const taken = stake.slash(ctx, req.offender, req.amount, req.offenceBlock);
    const toBeneficiary = req.beneficiary === ZERO ? 0n : checkedMul(taken, p.proverShareBps) / BPS;
    const toHarmed = req.harmed === ZERO ? 0n : checkedMul(taken, p.harmedShareBps) / BPS;
    const burned = taken - toBeneficiary - toHarmed;
    transfer(ctx.store, STAKE, req.beneficiary, toBeneficiary);
    transfer(ctx.store, STAKE, req.harmed, toHarmed);
    burn(ctx.store, STAKE, burned);
    setTotalBurned(ctx.store, checkedAdd(totalBurned(ctx.store), burned));
    stake.jail(ctx, req.offender, checkedAdd(ctx.env.number, p.jailBlocks));
    appendSlash(ctx.store, req.offender, {
      reason: req.reason,
      taskId: req.taskId,
      blockNumber: ctx.env.number,
      amount: req.amount,
      taken,
      beneficiary: req.beneficiary,
      toBeneficiary,
      harmed: req.harmed,
      toHarmed,
      burned,
    });
    ctx.logs.push(eventLog(ADDRESS, slashedEvent, [req.offender, req.reason, req.taskId, taken, req.beneficiary, toBeneficiary, req.harmed, toHarmed, burned]));
    return { taken, toBeneficiary, toHarmed, burned };
  }

  const module: Module = {
    name: 'slashing',
    address: ADDRESS,
    abi: slashingAbi,
    methods: {
      slashesOf: { gas: VIEW_GAS, payable: false },
      slashCount: { gas: VIEW_GAS, payable: false },
      jailedUntil: { gas: VIEW_GAS, payable: false },
      isJailed: { gas: VIEW_GAS, payable: false },
      totalBurned: { gas: VIEW_GAS, payable: false },
      params: { gas: VIEW_GAS, payable: false },
    },
    handle(ctx: CallContext, data: Hex): Hex {
      const call = decodeCall(slashingAbi, data);
      const abi = slashingAbi;
      switch (call.functionName) {
        case 'slashesOf': {
          const list = slashesOf(ctx.store, lower(call.args[0]));
          ctx.useGas(BigInt(list.length) * VIEW_GAS);
          return encodeFunctionResult({ abi, functionName: 'slashesOf', result: list });
        }
        case 'slashCount':
          return encodeFunctionResult({ abi, functionName: 'slashCount', result: slashCount(ctx.store, lower(call.args[0])) });
        case 'jailedUntil':
          return encodeFunctionResult({ abi, functionName: 'jailedUntil', result: stake.jailedUntil(ctx, lower(call.args[0])) });
        case 'isJailed':
          return encodeFunctionResult({ abi, functionName: 'isJailed', result: isJailedAt(stake.jailedUntil(ctx, lower(call.args[0])), ctx.env.number) });
        case 'totalBurned':
          return encodeFunctionResult({ abi, functionName: 'totalBurned', result: totalBurned(ctx.store) });
        case 'params': {
          const p = ctx.genesis.modules.slashing;
          return encodeFunctionResult({ abi, functionName: 'params', result: [p.proverShareBps, p.harmedShareBps, p.jailBlocks] });
        }
      }
    },
  };
  return { module, keeper: { slash } };
}

export type SlashingKeeper = ReturnType<typeof createSlashing>['keeper'];

function lower(a: string): Address {
  return a.toLowerCase() as Address;
}
