// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title BatchInbox
/// @notice The batcher posts L2 block batches here as calldata; the contract stores only a counter.
///         Derivation reads each batch back from the calldata of the transaction that emitted
///         `BatchSubmitted`, and checks it against `dataHash`.
contract BatchInbox {
    /// @notice The only account allowed to submit batches.
    address public immutable batcher;
    /// @notice Number of batches submitted so far (the index of the next one).
    uint256 public batchCount;

    /// @notice Emitted for each batch; `dataHash` is keccak256 of the batch bytes.
    event BatchSubmitted(uint256 indexed index, address indexed batcher, bytes32 dataHash);

    error NotBatcher();

    constructor(address batcher_) {
        batcher = batcher_;
    }

    /// @notice Submits one batch (batcher only).
    function submitBatch(bytes calldata batch) external {
        if (msg.sender != batcher) revert NotBatcher();
        uint256 index = batchCount;
        batchCount = index + 1;
        emit BatchSubmitted(index, msg.sender, keccak256(batch));
    }
}
