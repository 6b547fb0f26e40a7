// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Verity verde module: the dispute game (native, at 0x0000000000000000000000000000000000000a05)
/// @notice A challenge on a task opens a dispute between its solver and the challenger. The chain
///         walks both parties' Merkle commitments down three levels: 1 checkpoints (traceRoot),
///         2 the C_t of one segment's steps (segmentRoot), 3 the ops of one step (opRoot_t), each an
///         n-ary descent (arity from genesis, a power of two) in which both parties reveal the n
///         children of the current node. The first differing op is re-run by the referee (level 4)
///         from inputs proven against agreed data; whoever's claim differs from the re-run loses
///         (both can). Each party has a chess clock of blocks for all its moves; a party whose clock
///         runs out loses (anyone may call timeout). The task module applies the outcome.
///         Levels: 1 Checkpoints, 2 Steps, 3 Ops, 4 Referee, 5 Resolved.
///         Outcome: 0 open, 1 solver won, 2 challenger won, 3 both lost.
interface IVerde {
    struct Dispute {
        uint256 id;
        uint256 taskId;
        address solver;
        address challenger;
        uint8 level;
        uint8 outcome;
        uint32 arity;
        /// located so far: segment i (leaf of traceRoot), step t, op j
        uint32 segment;
        uint64 step;
        uint32 op;
        /// current descent: leaves of the level's trees, height and index of the current node
        uint32 leafCount;
        uint32 height;
        uint32 index;
        bytes32 solverNode;
        bytes32 challengerNode;
        /// the level's roots (zero until posted at levels 2 and 3)
        bytes32 solverRoot;
        bytes32 challengerRoot;
        /// each party's claim of the located state C_t (level 2+) or checkpoint (level 1)
        bytes32 solverClaim;
        bytes32 challengerClaim;
        bool solverMoved;
        bool challengerMoved;
        /// blocks left on each party's clock, and the block the current round began
        uint64 solverClock;
        uint64 challengerClock;
        uint64 roundStart;
        uint32 rounds;
        uint32 moves;
        /// the referee's re-run: op leaf of the recomputed output
        bytes32 refereeLeaf;
        string reason;
    }

    event DisputeOpened(uint256 indexed disputeId, uint256 indexed taskId, address solver, address challenger, uint8 level, uint32 leafCount);
    event RootPosted(uint256 indexed disputeId, address indexed party, uint8 level, bytes32 root);
    event Revealed(uint256 indexed disputeId, address indexed party, uint8 level, uint32 height, uint32 index, bytes32[] children);
    event Narrowed(uint256 indexed disputeId, uint8 level, uint32 height, uint32 index, bytes32 solverNode, bytes32 challengerNode);
    event Located(uint256 indexed disputeId, uint8 level, uint32 leaf);
    event InputProven(uint256 indexed disputeId, uint32 input, bytes32 tensorHash);
    event Refereed(uint256 indexed disputeId, uint32 op, uint16 opcode, bytes32 outputHash, bytes32 refereeLeaf, bool solverRight, bool challengerRight);
    event DisputeResolved(uint256 indexed disputeId, uint256 indexed taskId, uint8 outcome, string reason);

    error UnknownDispute(uint256 disputeId);
    error WrongLevel(uint256 disputeId, uint8 level);
    error NotAParty(uint256 disputeId, address caller);
    error AlreadyMoved(uint256 disputeId, address party);
    error ClockExpired(uint256 disputeId, address party);
    error BadReveal(string reason);
    error BadRoot(string reason);
    error BadInput(string reason);
    error NotTimedOut(uint256 disputeId);

    /// Levels 2 and 3: a party's root for the located segment (segmentRoot, with `claim` = its C_{i·k},
    /// the last leaf, proven by lastLeafProof; claimProof proves the solver's C_{i·k} against its
    /// traceRoot when the dispute began at a segment) or step (opRoot_t; proofs empty).
    function postRoot(uint256 disputeId, bytes32 root, bytes32 claim, bytes32[] calldata claimProof, bytes32[] calldata lastLeafProof) external;
    /// A party's n children of the current node of its tree.
    function reveal(uint256 disputeId, bytes32[] calldata children) external;
    /// Level 4: the agreed state C_{t-1}: leaf `step-1` of the segment tree, or leaf i-1 of traceRoot.
    function proveState(uint256 disputeId, bytes32 stateRoot, bytes32[] calldata proof) external;
    /// Level 4: input `input` of the disputed op: its bytes (f32/i32 little-endian, with dtype 0 f32 /
    /// 1 i32 and shape) proven against agreed data: an earlier op's leaf (opRoot), a tensor of the
    /// agreed state, or, for data inputs, one proof per sample against the data set root in `proof`
    /// (siblings of each sample, concatenated) with the samples' label bytes in `labels`.
    function proveInput(uint256 disputeId, uint32 input, uint8 dtype, uint32[] calldata shape, bytes calldata data, bytes calldata labels, bytes32[] calldata proof)
        external;
    /// Appends bytes to an input too large for one transaction; proveInput with empty data then uses them.
    function uploadChunk(uint256 disputeId, uint32 input, uint32 offset, bytes calldata data) external;
    /// Level 4, once every input is proven: re-runs the op and resolves the dispute.
    function referee(uint256 disputeId) external;
    /// Level 3 when both op roots are equal but the claimed C_t differ: the state ops' output hashes,
    /// each proven against the common opRoot, decide who mis-hashed C_t.
    function proveOutputs(uint256 disputeId, bytes32[] calldata outputHashes, bytes32[] calldata proofs) external;
    /// Resolves against a party whose clock ran out (anyone may call).
    function timeout(uint256 disputeId) external;

    function getDispute(uint256 disputeId) external view returns (Dispute memory);
    function disputeCount() external view returns (uint256);
    /// The genesis parameters: arity, each party's clock in blocks, a losing challenger's slash.
    function params() external view returns (uint256 arity, uint256 clockBlocks, uint256 challengerSlash);
    function disputeOf(uint256 taskId) external view returns (uint256);
}
