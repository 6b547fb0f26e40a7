// The verde module: the dispute game (IVerde.sol). game.ts runs the levels and clocks, referee.ts
// the re-run of one op; this file dispatches calls and answers views. createVerde takes the task
// keeper it expects (expected.ts) and returns the dispute hook the task module opens games through.
import { encodeFunctionResult, type Hex } from 'viem';
import { decodeCall, type CallContext, type Module, type ModuleContext } from '../framework.ts';
import type { DisputeRequest, TaskDisputes } from '../task/expected.ts';
import { verdeAbi } from './abi.ts';
import type { VerdeTasks } from './expected.ts';
import { VERDE_ADDRESS, loadDispute, openDispute, postRoot, reveal, timeout } from './game.ts';
import { disputeCount, disputeOfTask } from './records.ts';
import { proveInput, proveOutputs, proveState, referee, uploadChunk } from './referee.ts';

const VIEW_GAS = 2_600n;

export function createVerde(tasks: VerdeTasks) {
  const deps = { tasks };
  const module: Module = {
    name: 'verde',
    address: VERDE_ADDRESS,
    abi: verdeAbi,
    methods: {
      postRoot: { gas: 60_000n, payable: false },
      reveal: { gas: 60_000n, payable: false },
      proveState: { gas: 40_000n, payable: false },
      proveInput: { gas: 60_000n, payable: false },
      uploadChunk: { gas: 30_000n, payable: false },
      referee: { gas: 100_000n, payable: false },
      proveOutputs: { gas: 80_000n, payable: false },
      timeout: { gas: 100_000n, payable: false },
      getDispute: { gas: VIEW_GAS, payable: false },
      disputeCount: { gas: VIEW_GAS, payable: false },
      disputeOf: { gas: VIEW_GAS, payable: false },
      params: { gas: VIEW_GAS, payable: false },
    },
    handle(ctx: CallContext, data: Hex): Hex {
      const call = decodeCall(verdeAbi, data);
      const abi = verdeAbi;
      switch (call.functionName) {
        case 'postRoot':
          postRoot(ctx, deps, ...call.args);
          return '0x';
        case 'reveal':
          reveal(ctx, deps, call.args[0], call.args[1]);
          return '0x';
        case 'proveState':
          proveState(ctx, deps, call.args[0], call.args[1], call.args[2]);
          return '0x';
        case 'proveInput':
          proveInput(ctx, deps, ...call.args);
          return '0x';
        case 'uploadChunk':
          uploadChunk(ctx, ...call.args);
          return '0x';
        case 'referee':
          referee(ctx, deps, call.args[0]);
          return '0x';
        case 'proveOutputs':
          proveOutputs(ctx, deps, call.args[0], call.args[1], call.args[2]);
          return '0x';
        case 'timeout':
          timeout(ctx, deps, call.args[0]);
          return '0x';
        case 'getDispute':
          return encodeFunctionResult({ abi, functionName: 'getDispute', result: loadDispute(ctx, call.args[0]) });
        case 'disputeCount':
          return encodeFunctionResult({ abi, functionName: 'disputeCount', result: disputeCount(ctx.store) });
        case 'params': {
          const p = ctx.genesis.modules.verde;
          return encodeFunctionResult({ abi, functionName: 'params', result: [p.arity, p.clockBlocks, p.challengerSlash] });
        }
        case 'disputeOf':
          return encodeFunctionResult({ abi, functionName: 'disputeOf', result: disputeOfTask(ctx.store, call.args[0]) });
      }
    },
  };
  const disputes: TaskDisputes = { open: (ctx: ModuleContext, req: DisputeRequest) => openDispute(ctx, deps, req) };
  return { module, disputes };
}
