// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Verity stake module (native, at 0x0000000000000000000000000000000000000a02)
/// @notice Bonds native tokens as stake. beginUnbond starts an unbonding entry that matures after
///         the genesis unbonding period (in blocks); an end-block hook moves matured entries to the
///         withdrawable balance, which withdraw() pays out. Staked funds stay in this module's
///         account, so total supply is conserved.
interface IStake {
    struct Unbonding {
        uint256 amount;
        uint256 maturesAt;
    }

    event Bonded(address indexed staker, uint256 amount, uint256 bonded);
    event UnbondStarted(address indexed staker, uint256 amount, uint256 maturesAt);
    event Withdrawn(address indexed staker, uint256 amount);

    /// Adds msg.value to the caller's bond; the resulting bond must be at least minBond.
    function bond() external payable;
    /// Moves `amount` from the bond into a new unbonding entry; the rest must be 0 or >= minBond.
    function beginUnbond(uint256 amount) external;
    /// Pays out every matured unbonding entry of the caller.
    function withdraw() external;

    function stakeOf(address staker) external view returns (uint256);
    function totalStaked() external view returns (uint256);
    function unbondingOf(address staker) external view returns (Unbonding[] memory);
    function withdrawableOf(address staker) external view returns (uint256);
    function unbondingPeriod() external view returns (uint256);
    function minBond() external view returns (uint256);
}
