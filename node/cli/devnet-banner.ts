// The account listing `verity devnet` prints at start, laid out as anvil prints it, so tools and
// people that read anvil's output read ours. The keys are public (test mnemonic): devnet only.
import { DEVNET_MNEMONIC, DEVNET_NOTE, type DevnetAccount } from '../../genesis/index.ts';

const WEI_PER_ETH = 10n ** 18n;

function formatEth(wei: bigint): string {
  const whole = wei / WEI_PER_ETH;
  const frac = (wei % WEI_PER_ETH).toString().padStart(18, '0');
  return `${whole}.${frac}`;
}

export function devnetBanner(accounts: { account: DevnetAccount; balance: bigint }[], chainId: bigint): string {
  const lines: string[] = [
    '',
    `  ${DEVNET_NOTE}`,
    '',
    'Available Accounts',
    '==================',
    '',
    ...accounts.map(({ account, balance }) => `(${account.index}) ${account.address} (${formatEth(balance)} ETH)`),
    '',
    'Private Keys (devnet-only)',
    '==================',
    '',
    ...accounts.map(({ account }) => `(${account.index}) ${account.privateKey}`),
    '',
    'Wallet',
    '==================',
    `Mnemonic:          ${DEVNET_MNEMONIC}`,
    "Derivation path:   m/44'/60'/0'/0/",
    '',
    'Chain ID',
    '==================',
    '',
    chainId.toString(),
    '',
  ];
  return lines.join('\n');
}
