// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Verity slashing module (native, at 0x0000000000000000000000000000000000000a04)
/// @notice The one path every penalty takes. Other modules slash through its internal API; it
///         takes the amount from the offender's stake, pays a genesis share to whoever proved the
///         fault, a share to the harmed party (a task's submitter), burns the rest (total supply
///         falls by exactly that) and jails the offender. It has no state-changing external method.
interface ISlashing {
    /// Why a stake was slashed.
    enum Reason {
        None,
        MissedCommit,
        SilentVerifier,
        DataWithheld,
        DisputeLost
    }

    struct Slash {
        uint8 reason;
        uint256 taskId;
        uint256 blockNumber;
        uint256 amount;
        uint256 taken;
        address beneficiary;
        uint256 toBeneficiary;
        address harmed;
        uint256 toHarmed;
        uint256 burned;
    }

    event Slashed(
        address indexed offender,
        uint8 indexed reason,
        uint256 indexed taskId,
        uint256 taken,
        address beneficiary,
        uint256 toBeneficiary,
        address harmed,
        uint256 toHarmed,
        uint256 burned
    );

    function slashesOf(address offender) external view returns (Slash[] memory);
    function slashCount(address offender) external view returns (uint256);
    function jailedUntil(address offender) external view returns (uint256);
    function isJailed(address offender) external view returns (bool);
    function totalBurned() external view returns (uint256);
    /// proverShareBps, harmedShareBps (basis points; the rest is burned) and jailBlocks.
    function params() external view returns (uint256 proverShareBps, uint256 harmedShareBps, uint256 jailBlocks);
}
