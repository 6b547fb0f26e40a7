// ABI of IStake.sol, typed for viem.
const unbondingTuple = {
  name: '',
  type: 'tuple[]',
  internalType: 'struct IStake.Unbonding[]',
  components: [
    { name: 'amount', type: 'uint256' },
    { name: 'maturesAt', type: 'uint256' },
  ],
} as const;

export const stakeAbi = [
  { type: 'function', name: 'bond', stateMutability: 'payable', inputs: [], outputs: [] },
  { type: 'function', name: 'beginUnbond', stateMutability: 'nonpayable', inputs: [{ name: 'amount', type: 'uint256' }], outputs: [] },
  { type: 'function', name: 'withdraw', stateMutability: 'nonpayable', inputs: [], outputs: [] },
  { type: 'function', name: 'stakeOf', stateMutability: 'view', inputs: [{ name: 'staker', type: 'address' }], outputs: [{ name: '', type: 'uint256' }] },
  { type: 'function', name: 'totalStaked', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint256' }] },
  { type: 'function', name: 'unbondingOf', stateMutability: 'view', inputs: [{ name: 'staker', type: 'address' }], outputs: [unbondingTuple] },
  { type: 'function', name: 'withdrawableOf', stateMutability: 'view', inputs: [{ name: 'staker', type: 'address' }], outputs: [{ name: '', type: 'uint256' }] },
  { type: 'function', name: 'unbondingPeriod', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint256' }] },
  { type: 'function', name: 'minBond', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint256' }] },
  {
    type: 'event',
    name: 'Bonded',
    inputs: [
      { name: 'staker', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
      { name: 'bonded', type: 'uint256', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'UnbondStarted',
    inputs: [
      { name: 'staker', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
      { name: 'maturesAt', type: 'uint256', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'Withdrawn',
    inputs: [
      { name: 'staker', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
    ],
  },
] as const;
