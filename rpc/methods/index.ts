// Every method the server answers, by name.
import { accountMethods } from './accounts.ts';
import { blockMethods } from './blocks.ts';
import { chainMethods } from './chain.ts';
import { logMethods } from './logs.ts';
import { rollupMethods } from './rollup.ts';
import type { MethodTable } from './method.ts';
import { stateMethods } from './state.ts';
import { transactionMethods } from './transactions.ts';
import { txpoolMethods } from './txpool.ts';
import { verityMethods } from './verity.ts';

export const methods: MethodTable = {
  ...chainMethods,
  ...accountMethods,
  ...stateMethods,
  ...blockMethods,
  ...transactionMethods,
  ...logMethods,
  ...verityMethods,
  ...txpoolMethods,
  ...rollupMethods,
};
