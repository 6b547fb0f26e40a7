// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Verity accounts module (native, at 0x0000000000000000000000000000000000000a01)
/// @notice Balances, nonces and total supply of the native token. Views only; value moves with
///         ordinary transactions. Fees go whole to the fee vault (no burn), so supply is constant.
interface IAccounts {
    function balanceOf(address account) external view returns (uint256);
    function nonceOf(address account) external view returns (uint256);
    function totalSupply() external view returns (uint256);
    function feeVault() external view returns (address);
}
