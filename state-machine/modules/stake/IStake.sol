// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Verity stake module (native, at 0x0000000000000000000000000000000000000a02)
/// @notice Bonds native tokens as stake. beginUnbond starts an unbonding entry that matures after
///         the genesis unbonding period (in blocks); an end-block hook moves matured entries to the
///         withdrawable balance, which withdraw() pays out. Staked funds stay in this module's
///         account, so total supply is conserved until a slash burns part of them.
///         Other modules lock part of a bond as collateral (a locked amount cannot be unbonded),
///         slash it (from the bond, then from unbonding entries that started at or after the
///         offence) and jail stakers (a jailed staker cannot claim tasks or be drawn).
interface IStake {
    struct Unbonding {
        uint256 amount;
        uint256 startedAt;
        uint256 maturesAt;
    }

    struct Staker {
        uint256 bonded;
        uint256 locked;
        uint256 withdrawable;
        uint256 unbonding;
        uint256 jailedUntil;
    }

    event Bonded(address indexed staker, uint256 amount, uint256 bonded);
    event UnbondStarted(address indexed staker, uint256 amount, uint256 maturesAt);
    event Withdrawn(address indexed staker, uint256 amount);
    event Locked(address indexed staker, uint256 amount, uint256 locked);
    event Unlocked(address indexed staker, uint256 amount, uint256 locked);
    event StakeSlashed(address indexed staker, uint256 fromBond, uint256 fromUnbonding);
    event Jailed(address indexed staker, uint256 until);

    error ZeroAmount();
    error BelowMinimumBond(uint256 bond, uint256 minBond);
    error InsufficientUnlockedStake(uint256 unlocked, uint256 wanted);
    error TooManyUnbondingEntries(uint256 max);
    error NothingToWithdraw();

    /// Adds msg.value to the caller's bond; the resulting bond must be at least minBond.
    function bond() external payable;
    /// Moves `amount` of the unlocked bond into a new unbonding entry; the rest must be 0 or >= minBond.
    function beginUnbond(uint256 amount) external;
    /// Pays out every matured unbonding entry of the caller.
    function withdraw() external;

    function stakeOf(address staker) external view returns (uint256);
    function lockedOf(address staker) external view returns (uint256);
    function unlockedOf(address staker) external view returns (uint256);
    function stakerOf(address staker) external view returns (Staker memory);
    function isJailed(address staker) external view returns (bool);
    function totalStaked() external view returns (uint256);
    function unbondingOf(address staker) external view returns (Unbonding[] memory);
    function withdrawableOf(address staker) external view returns (uint256);
    function unbondingPeriod() external view returns (uint256);
    function minBond() external view returns (uint256);
}
