// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title OutputOracle
/// @notice Holds the L2 output roots posted by the proposer. A root becomes final once
///         `windowSeconds` have passed since it was posted; until then the guardian may delete it.
contract OutputOracle {
    /// @notice An output root and the L1 time it was posted.
    struct Output {
        bytes32 outputRoot;
        uint256 timestamp;
    }

    /// @notice The only account allowed to post output roots.
    address public immutable proposer;
    /// @notice The only account allowed to delete unfinalized output roots.
    address public immutable guardian;
    /// @notice Seconds after posting before a root is final.
    uint256 public immutable windowSeconds;
    /// @notice The highest L2 block number ever proposed (0 before the first proposal).
    uint256 public latestBlockNumber;

    mapping(uint256 => Output) private outputs;

    /// @notice Emitted when the proposer posts a root.
    event OutputProposed(uint256 indexed l2BlockNumber, bytes32 indexed outputRoot, uint256 timestamp);
    /// @notice Emitted when the guardian deletes a root.
    event OutputDeleted(uint256 indexed l2BlockNumber, bytes32 indexed outputRoot);

    error NotProposer();
    error NotGuardian();
    error BlockNumberNotIncreasing(uint256 l2BlockNumber, uint256 latestBlockNumber);
    error EmptyOutputRoot();
    error OutputNotFound(uint256 l2BlockNumber);
    error OutputAlreadyFinalized(uint256 l2BlockNumber);

    constructor(address proposer_, address guardian_, uint256 windowSeconds_) {
        proposer = proposer_;
        guardian = guardian_;
        windowSeconds = windowSeconds_;
    }

    /// @notice Posts the output root of L2 block `l2BlockNumber`; numbers must strictly increase.
    function proposeOutput(uint256 l2BlockNumber, bytes32 outputRoot) external {
        if (msg.sender != proposer) revert NotProposer();
        if (outputRoot == bytes32(0)) revert EmptyOutputRoot();
        if (l2BlockNumber <= latestBlockNumber) revert BlockNumberNotIncreasing(l2BlockNumber, latestBlockNumber);
        latestBlockNumber = l2BlockNumber;
        outputs[l2BlockNumber] = Output(outputRoot, block.timestamp);
        emit OutputProposed(l2BlockNumber, outputRoot, block.timestamp);
    }

    /// @notice The root posted for `l2BlockNumber` and its posting time; (0, 0) if none.
    function getOutput(uint256 l2BlockNumber) external view returns (bytes32 outputRoot, uint256 timestamp) {
        Output storage o = outputs[l2BlockNumber];
        return (o.outputRoot, o.timestamp);
    }

    /// @notice True when a root exists for `l2BlockNumber` and its window has passed.
    function isFinalized(uint256 l2BlockNumber) public view returns (bool) {
        Output storage o = outputs[l2BlockNumber];
        return o.outputRoot != bytes32(0) && block.timestamp >= o.timestamp + windowSeconds;
    }

    /// @notice Deletes an unfinalized root (guardian only). Later proposals must still use higher numbers.
    function deleteOutput(uint256 l2BlockNumber) external {
        if (msg.sender != guardian) revert NotGuardian();
        Output storage o = outputs[l2BlockNumber];
        bytes32 root = o.outputRoot;
        if (root == bytes32(0)) revert OutputNotFound(l2BlockNumber);
        if (isFinalized(l2BlockNumber)) revert OutputAlreadyFinalized(l2BlockNumber);
        delete outputs[l2BlockNumber];
        emit OutputDeleted(l2BlockNumber, root);
    }
}
