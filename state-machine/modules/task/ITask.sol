// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Verity task module (native, at 0x0000000000000000000000000000000000000a03)
/// @notice The compute market. A submitter posts a training task spec with a reward and a
///         verification fee in escrow; a staked solver claims it (collateral locked), trains it
///         with RepOps and commits its traceRoot; verifiers drawn by stake from the hash of block
///         commit + δ re-run checkpoint segments and attest, or challenge with a bond; after the
///         window anyone may finalize: the solver is paid, attesting verifiers share the fee, and
///         silent verifiers are slashed. Deadlines are counted in blocks and enforced by whoever
///         calls expire/finalize/resolveData first (any address may). All funds in escrow sit in
///         this module's account.
///         Status: 1 Open, 2 Claimed, 3 Committed, 4 Disputed, 5 Finalized, 6 Expired (refunded
///         after too many failed solutions), 7 Cancelled (refunded to the submitter while open).
interface ITask {
    struct Coverage {
        /// verifiers to draw; 0 = genesis default
        uint32 verifiers;
        /// segments each verifier re-runs; 0 = enough to cover min(segments, default) segments
        uint32 segmentsEach;
    }

    struct Deadlines {
        /// blocks from claim to commit; 0 = genesis default
        uint64 commitBlocks;
        /// blocks from commit to the end of the window; 0 = genesis default
        uint64 windowBlocks;
    }

    struct Task {
        uint256 id;
        uint8 status;
        address submitter;
        uint256 reward;
        uint256 fee;
        uint256 minStake;
        bytes32 specHash;
        bytes32 datasetRoot;
        uint64 steps;
        uint64 checkpointInterval;
        uint32 segments;
        uint32 verifiersWanted;
        uint32 segmentsEach;
        uint64 commitBlocks;
        uint64 windowBlocks;
        uint32 reopenCount;
        address solver;
        uint64 claimedAt;
        uint64 commitDeadline;
        bytes32 traceRoot;
        bytes32 modelHash;
        string endpoint;
        uint64 committedAt;
        uint64 drawBlock;
        uint64 windowEnd;
        bool drawn;
        /// chance, in parts per million, that one corrupted segment is re-run by no drawn verifier
        uint32 uncheckedPpm;
        address[] verifiers;
        uint32[][] verifierSegments;
        /// per verifier: 0 pending, 1 attested every segment, 2 challenged, 3 silent (slashed)
        uint8[] verifierStatus;
        address challenger;
        uint256 disputeId;
    }

    struct DataChallenge {
        bool open;
        address requester;
        /// checkpoint leaf the solver must post (segment - 1)
        uint32 leaf;
        uint64 deadline;
        /// tensors fully posted so far, of `tensors`
        uint32 tensorsPosted;
        uint32 tensors;
        /// block the checkpoint was completely posted (0 = not yet)
        uint64 postedAt;
    }

    struct Score {
        uint64 tasksSolved;
        uint64 tasksVerified;
        uint64 disputesWon;
        uint64 disputesLost;
        uint256 rewardEarned;
    }

    /// The genesis parameters of the market (deadlines in blocks, amounts in wei).
    struct Params {
        uint64 commitBlocks;
        uint64 windowBlocks;
        uint64 drawDelayBlocks;
        uint32 defaultVerifiers;
        uint32 defaultCoveredSegments;
        uint32 maxVerifiers;
        uint256 defaultMinStake;
        uint256 verifierMinStake;
        uint256 challengeBond;
        uint256 silentVerifierSlash;
        uint64 daResponseBlocks;
        uint64 daGraceBlocks;
        uint32 maxReopens;
    }

    event TaskSubmitted(uint256 indexed taskId, address indexed submitter, bytes32 specHash, uint256 reward, uint256 fee);
    event TaskClaimed(uint256 indexed taskId, address indexed solver, uint64 commitDeadline);
    event TaskCommitted(
        uint256 indexed taskId, address indexed solver, bytes32 traceRoot, bytes32 modelHash, uint64 steps, string endpoint, uint64 drawBlock, uint64 windowEnd
    );
    event VerifiersDrawn(uint256 indexed taskId, address[] verifiers, uint32[][] segments, uint32 uncheckedPpm);
    /// No staker could be drawn: the draw moves to drawBlock and the window to windowEnd.
    event DrawDeferred(uint256 indexed taskId, uint64 drawBlock, uint64 windowEnd);
    event Attested(uint256 indexed taskId, address indexed verifier, uint32 segment, bytes32 checkpointRoot);
    event Challenged(uint256 indexed taskId, address indexed challenger, uint32 segment, bytes32 root, uint256 disputeId);
    event DataRequested(uint256 indexed taskId, address indexed requester, uint32 leaf, uint64 deadline);
    event CheckpointData(uint256 indexed taskId, uint32 leaf, uint32 tensor, uint32 offset, bytes data);
    event DataPosted(uint256 indexed taskId, uint32 leaf, bytes32 checkpointRoot);
    event VerifierSilent(uint256 indexed taskId, address indexed verifier, uint256 slashed);
    event TaskExpired(uint256 indexed taskId, address indexed solver, uint256 slashed);
    event TaskReopened(uint256 indexed taskId, uint32 reopenCount);
    event TaskRefunded(uint256 indexed taskId, address indexed submitter, uint256 amount);
    event TaskFinalized(uint256 indexed taskId, address indexed solver, uint256 reward, uint256 feePerVerifier, uint32 attesters);
    event DisputeResolved(uint256 indexed taskId, uint256 indexed disputeId, bool solverWon);
    /// Training losses as float32 bit patterns, at the given steps (event only: the chain does not read them).
    event LossesReported(uint256 indexed taskId, address indexed reporter, uint64[] steps, uint32[] lossBits);

    error InvalidSpec(string field, string reason);
    error SpecTooLarge(uint256 size, uint256 max);
    error InvalidAmount(string what);
    error InvalidCoverage(string reason);
    error InvalidDeadline(string reason);
    error UnknownTask(uint256 taskId);
    error WrongStatus(uint256 taskId, uint8 status);
    error InsufficientStake(uint256 unlocked, uint256 required);
    error StakerJailed(address staker, uint256 until);
    error NotSolver(uint256 taskId, address caller);
    error NotSubmitter(uint256 taskId, address caller);
    error NotDrawnVerifier(uint256 taskId, address caller, uint32 segment);
    error DeadlinePassed(uint256 taskId, uint64 deadline);
    error TooEarly(uint256 taskId, uint64 notBefore);
    error WrongSteps(uint64 steps, uint64 expected);
    error BadProof(string what);
    error AlreadyDone(string what);
    error DataChallengeOpen(uint256 taskId);
    error NoDataChallenge(uint256 taskId);
    error BadData(string reason);
    error DisputesUnavailable();
    error BadLosses(string reason);

    /// Posts a task. msg.value = reward + fee (the fee is shared by the verifiers who attest).
    function submitTask(bytes calldata spec, uint256 fee, uint256 minStake, Coverage calldata coverage, Deadlines calldata deadlines)
        external
        payable
        returns (uint256 taskId);
    /// Refunds an open (unclaimed) task to its submitter.
    function cancel(uint256 taskId) external;
    /// Claims an open task: needs unlocked stake >= minStake and no jail; locks minStake.
    function claim(uint256 taskId) external;
    /// The solver's result: traceRoot over checkpoints C_0, C_k, …, C_T, T, C_T and its checkpoint URL.
    function commit(uint256 taskId, bytes32 traceRoot, uint64 steps, bytes32 modelHash, string calldata checkpointEndpoint) external;
    /// Expires a claim whose commit deadline passed: the solver is slashed, the task reopens or is refunded.
    function expire(uint256 taskId) external;
    /// Draws the verifiers and their segments once block drawBlock has passed (attest, challenge and
    /// finalize draw too, so calling this is optional). With no eligible staker the draw is deferred
    /// (DrawDeferred): a task is never finalized without a verifier drawn.
    function draw(uint256 taskId) external;
    /// A drawn verifier's result for one of its segments: C_{segment·k} (leaf `segment` of traceRoot) with its proof.
    function attest(uint256 taskId, uint32 segment, bytes32 checkpointRoot, bytes32[] calldata proof) external;
    /// Disputes a committed result in the window with msg.value = challengeBond: segment 0 with a
    /// whole alternative traceRoot (whistleblower), or segment i with the challenger's C_{i·k}.
    function challenge(uint256 taskId, uint32 segment, bytes32 root) external payable;
    /// A drawn verifier whose solver did not serve C_{(segment-1)·k} forces it on chain.
    function requestData(uint256 taskId, uint32 segment) external;
    /// The solver posts the requested checkpoint, tensor by tensor, in order, in chunks.
    function postData(uint256 taskId, uint32 tensor, uint32 offset, bytes calldata data) external;
    /// Completes a data answer: the posted tensors' root must be leaf `leaf` of traceRoot.
    function completeData(uint256 taskId, bytes32[] calldata proof) external;
    /// After the data deadline without a complete answer: the solver is slashed, the task reopens or is refunded.
    function resolveData(uint256 taskId) external;
    /// After the window: pays the solver and the attesting verifiers, slashes silent verifiers
    /// (or, when no staker could be drawn yet, defers the draw and the window instead).
    function finalize(uint256 taskId) external;
    /// The solver (once committed) or a drawn verifier publishes the losses it computed, for dashboards.
    /// Steps strictly increasing and at most the task's steps; at most 1024 entries per call.
    function reportLosses(uint256 taskId, uint64[] calldata steps, uint32[] calldata lossBits) external;

    function getTask(uint256 taskId) external view returns (Task memory);
    function specOf(uint256 taskId) external view returns (bytes memory);
    function dataChallengeOf(uint256 taskId) external view returns (DataChallenge memory);
    function taskCount() external view returns (uint256);
    function tasksOf(address account) external view returns (uint256[] memory);
    function scoreOf(address account) external view returns (Score memory);
    function params() external view returns (Params memory);
    function challengeBond() external view returns (uint256);
    function leaderboard(uint256 n) external view returns (address[] memory accounts, Score[] memory scores);
}
