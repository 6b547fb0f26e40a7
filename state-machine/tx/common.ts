// The @ethereumjs Common for a chain id (Prague rules, custom chain id), one per id: building it is
// costly and every transaction decoded or built for the chain needs it.
import { Mainnet, createCustomCommon, type Common } from '@ethereumjs/common';

const commons = new Map<bigint, Common>();

export function chainCommon(chainId: bigint): Common {
  let c = commons.get(chainId);
  if (!c) {
    c = createCustomCommon({ chainId: Number(chainId) }, Mainnet);
    commons.set(chainId, c);
  }
  return c;
}
