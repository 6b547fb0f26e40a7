// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Multicall3 (native, at the canonical 0xcA11bde05977b3631167028862bE2a173976CA11)
/// @notice The canonical Multicall3 interface (mds1/multicall), served by a native module so that
///         viem's and ethers' `multicall` work unchanged. Each sub-call is a call from this address
///         (msg.sender = Multicall3) to another module or account. Differences from the EVM
///         contract, all documented in docs/tooling.md:
///         - Value sent to a method other than aggregate3Value reverts ("Multicall3: value not
///           forwarded") instead of staying stranded at this address.
///         - A sub-call that runs out of gas ends the whole call (there is no 63/64 rule).
///         - getBlockHash answers only for the parent block (blockhash(n-1)); any other number,
///           like blockhash(block.number) in the EVM, gives zero. getCurrentBlockDifficulty is
///           prevrandao, which is zero on Verity (blocks carry mixHash 0).
interface IMulticall3 {
    struct Call {
        address target;
        bytes callData;
    }

    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Call3Value {
        address target;
        bool allowFailure;
        uint256 value;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// Every call must succeed ("Multicall3: call failed" otherwise).
    function aggregate(Call[] calldata calls) external payable returns (uint256 blockNumber, bytes[] memory returnData);
    /// Per call: a failure with allowFailure = false reverts the whole batch.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData);
    /// As aggregate3, forwarding each call's value; msg.value must equal their sum.
    function aggregate3Value(Call3Value[] calldata calls) external payable returns (Result[] memory returnData);
    function blockAndAggregate(Call[] calldata calls)
        external
        payable
        returns (uint256 blockNumber, bytes32 blockHash, Result[] memory returnData);
    function getBasefee() external view returns (uint256 basefee);
    function getBlockHash(uint256 blockNumber) external view returns (bytes32 blockHash);
    function getBlockNumber() external view returns (uint256 blockNumber);
    function getChainId() external view returns (uint256 chainid);
    function getCurrentBlockCoinbase() external view returns (address coinbase);
    function getCurrentBlockDifficulty() external view returns (uint256 difficulty);
    function getCurrentBlockGasLimit() external view returns (uint256 gaslimit);
    function getCurrentBlockTimestamp() external view returns (uint256 timestamp);
    function getEthBalance(address addr) external view returns (uint256 balance);
    function getLastBlockHash() external view returns (bytes32 blockHash);
    function tryAggregate(bool requireSuccess, Call[] calldata calls) external payable returns (Result[] memory returnData);
    function tryBlockAndAggregate(bool requireSuccess, Call[] calldata calls)
        external
        payable
        returns (uint256 blockNumber, bytes32 blockHash, Result[] memory returnData);
}
