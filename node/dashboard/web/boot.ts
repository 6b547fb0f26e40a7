// What the node tells the page at load (GET /dashboard/boot.json): facts the chain has no view for.
export interface Boot {
  chainId: string;
  blockIntervalMs: number;
  /** stakers bonded at genesis (they have no Bonded event) */
  stakers: string[];
  /** RepOps opcode → name, from the protocol's opcode table */
  opcodes: Record<string, string>;
  /** the node follows an L1: POST /dashboard/l1 answers the portal's withdrawal views */
  l1: boolean;
}
