// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IBridge: the L2 side of the bridge (native module at 0x0000000000000000000000000000000000000a06)
/// @notice Deposits arrive as deposit transactions (type 0x7e) that only the sequencer includes, from
///         the L1 Portal's Deposit events, each exactly once in nonce order. ETH deposits mint the
///         native coin; an ERC-20 deposit credits the L2 balance of that L1 token, kept here.
///         Withdrawals burn on L2 and append a leaf to the withdrawals tree (incremental keccak,
///         depth 32), whose root every block header carries; L1 pays them against an output root.
interface IBridge {
    /// @notice A withdrawal; its tree leaf is keccak256(abi.encode(nonce, l2Sender, l1Recipient, token, amount)).
    struct Withdrawal {
        uint256 nonce;
        address l2Sender;
        address l1Recipient;
        address token;
        uint256 amount;
    }

    /// @notice An L1 deposit was credited on L2 (token is address(0) for ETH).
    event DepositFinalized(
        uint256 indexed nonce, address indexed from, address indexed to, address token, uint256 amount, bytes32 l1TxHash
    );
    /// @notice A withdrawal was burned on L2 and appended to the withdrawals tree.
    event WithdrawalInitiated(
        uint256 indexed nonce,
        address indexed l2Sender,
        address indexed l1Recipient,
        address token,
        uint256 amount,
        bytes32 withdrawalHash
    );
    /// @notice Bridged token balance moved on L2.
    event TokenTransfer(address indexed token, address indexed from, address indexed to, uint256 amount);

    error ZeroAmount();
    error ZeroRecipient();
    /// @notice ETH is withdrawn with withdraw(), tokens with withdrawToken().
    error NotAToken();
    error InsufficientTokenBalance(address token, address account, uint256 balance, uint256 needed);
    error WithdrawalIndexOutOfRange(uint256 index, uint256 count);

    /// @notice Burns msg.value on L2 and queues it for `l1Recipient` on L1.
    function withdraw(address l1Recipient) external payable;
    /// @notice Burns `amount` of the bridged L1 `token` and queues it for `l1Recipient` on L1.
    function withdrawToken(address token, address l1Recipient, uint256 amount) external;
    /// @notice Moves bridged `token` balance on L2.
    function transferToken(address token, address to, uint256 amount) external;

    function tokenBalanceOf(address token, address account) external view returns (uint256);
    function tokenSupply(address token) external view returns (uint256);
    /// @notice The Portal deposit nonce the next deposit transaction must carry.
    function nextDepositNonce() external view returns (uint256);
    function withdrawalCount() external view returns (uint256);
    function withdrawalsRoot() external view returns (bytes32);
    function withdrawalAt(uint256 index)
        external
        view
        returns (uint256 nonce, address l2Sender, address l1Recipient, address token, uint256 amount);
    /// @notice The leaf and its 32 siblings, bottom-up, as Portal.proveWithdrawal takes them.
    function withdrawalProof(uint256 index) external view returns (bytes32 leaf, bytes32[] memory siblings);
    /// @notice Totals credited by deposits and burned by withdrawals, per L1 token (address(0): ETH).
    function totalDeposited(address token) external view returns (uint256);
    function totalWithdrawn(address token) external view returns (uint256);
}
