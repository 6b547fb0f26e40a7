// Genesis: schema, JSON loader with field-naming validation, and the devnet default.
export type { Genesis, BaseFeeParams, ModuleParams, StakeParams, AccountsParams, SlashingParams, TaskParams } from './schema.ts';
export { parseGenesis, genesisToJson } from './parse.ts';
export {
  defaultDevnetGenesis,
  devnetAccounts,
  DEVNET_MNEMONIC,
  DEVNET_CHAIN_ID,
  DEVNET_NOTE,
  FEE_VAULT_ADDRESS,
  type DevnetAccount,
} from './devnet.ts';
