// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The view of the OutputOracle that the Portal needs.
interface IOutputOracle {
    function getOutput(uint256 l2BlockNumber) external view returns (bytes32 outputRoot, uint256 timestamp);
    function isFinalized(uint256 l2BlockNumber) external view returns (bool);
}

/// @notice The subset of ERC-20 the Portal calls.
interface IERC20Like {
    function balanceOf(address account) external view returns (uint256);
}

/// @title Portal
/// @notice L1 side of the Verity bridge. Locks ETH and ERC-20 deposits (each one emits `Deposit`
///         with a strictly increasing nonce that L2 credits once), and pays withdrawals proven
///         against a finalized output root of the OutputOracle, each exactly once.
contract Portal {
    /// @notice A withdrawal as the L2 bridge module appends it to its withdrawals tree.
    ///         Leaf = keccak256(abi.encode(nonce, l2Sender, l1Recipient, token, amount)).
    struct Withdrawal {
        uint256 nonce;
        address l2Sender;
        address l1Recipient;
        address token; // address(0) for ETH
        uint256 amount;
    }

    /// @notice What a successful proof recorded: the output root and L2 block it was proven against.
    struct ProvenWithdrawal {
        bytes32 outputRoot;
        uint256 l2BlockNumber;
        uint256 timestamp;
    }

    /// @notice Depth of the withdrawals tree (fixed, as in the Ethereum deposit contract).
    uint256 public constant TREE_DEPTH = 32;
    /// @notice Version byte of the output root preimage.
    uint8 public constant OUTPUT_VERSION = 0;

    /// @notice The oracle whose roots withdrawals are proven against.
    IOutputOracle public immutable oracle;
    /// @notice The nonce the next deposit gets (the first deposit has nonce 0).
    uint256 public depositNonce;
    /// @notice Proofs recorded by `proveWithdrawal`, by withdrawal hash (the tree leaf).
    mapping(bytes32 => ProvenWithdrawal) public provenWithdrawals;
    /// @notice Withdrawals already paid, by withdrawal hash.
    mapping(bytes32 => bool) public finalizedWithdrawals;

    /// @notice One deposit; `token` is address(0) for ETH.
    event Deposit(
        uint256 indexed nonce, address indexed from, address indexed l2Recipient, address token, uint256 amount
    );
    /// @notice A withdrawal was proven against the root of `l2BlockNumber`.
    event WithdrawalProven(bytes32 indexed withdrawalHash, uint256 indexed l2BlockNumber, address indexed prover);
    /// @notice A withdrawal was paid.
    event WithdrawalFinalized(bytes32 indexed withdrawalHash, address indexed l1Recipient, address token, uint256 amount);

    error ZeroAmount();
    error ZeroRecipient();
    error NotAContract(address token);
    error TokenTransferFailed(address token);
    error TokenAmountMismatch(address token, uint256 expected, uint256 received);
    error OutputNotFound(uint256 l2BlockNumber);
    error OutputRootMismatch(bytes32 computed, bytes32 posted);
    error BadSiblingCount(uint256 count);
    error IndexOutOfRange(uint256 index);
    error InvalidWithdrawalProof(bytes32 withdrawalHash);
    error WithdrawalNotProven(bytes32 withdrawalHash);
    error WithdrawalAlreadyProven(bytes32 withdrawalHash, uint256 l2BlockNumber);
    error WithdrawalAlreadyFinalized(bytes32 withdrawalHash);
    error ProvenOutputDeleted(uint256 l2BlockNumber, bytes32 provenOutputRoot);
    error OutputNotFinalized(uint256 l2BlockNumber);
    error EthTransferFailed(address to);

    constructor(IOutputOracle oracle_) {
        oracle = oracle_;
    }

    /// @notice Deposits `msg.value` wei for `l2Recipient` on L2.
    function depositETH(address l2Recipient) external payable {
        if (msg.value == 0) revert ZeroAmount();
        if (l2Recipient == address(0)) revert ZeroRecipient();
        emit Deposit(depositNonce++, msg.sender, l2Recipient, address(0), msg.value);
    }

    /// @notice Deposits `amount` of `token` (pulled with transferFrom; approve the Portal first).
    ///         Tokens that deliver a different amount (fee-on-transfer) are refused.
    function depositERC20(address token, address l2Recipient, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        if (l2Recipient == address(0)) revert ZeroRecipient();
        if (token.code.length == 0) revert NotAContract(token);
        uint256 before = IERC20Like(token).balanceOf(address(this));
        _callToken(token, abi.encodeWithSignature("transferFrom(address,address,uint256)", msg.sender, address(this), amount));
        uint256 received = IERC20Like(token).balanceOf(address(this)) - before;
        if (received != amount) revert TokenAmountMismatch(token, amount, received);
        emit Deposit(depositNonce++, msg.sender, l2Recipient, token, amount);
    }

    /// @notice Output root = keccak256(abi.encodePacked(uint8(0), stateRoot, withdrawalsRoot, blockHash)).
    function outputRootOf(bytes32 stateRoot, bytes32 withdrawalsRoot, bytes32 blockHash) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(OUTPUT_VERSION, stateRoot, withdrawalsRoot, blockHash));
    }

    /// @notice The withdrawal hash, which is also its leaf in the withdrawals tree.
    function hashWithdrawal(Withdrawal calldata w) public pure returns (bytes32) {
        return keccak256(abi.encode(w.nonce, w.l2Sender, w.l1Recipient, w.token, w.amount));
    }

    /// @notice Root of the depth-32 tree with `leaf` at `index` and the given siblings (bottom-up).
    function merkleRootOf(bytes32 leaf, uint256 index, bytes32[] calldata siblings) public pure returns (bytes32 node) {
        if (siblings.length != TREE_DEPTH) revert BadSiblingCount(siblings.length);
        if (index >> TREE_DEPTH != 0) revert IndexOutOfRange(index);
        node = leaf;
        for (uint256 h = 0; h < TREE_DEPTH; h++) {
            node = (index >> h) & 1 == 1
                ? keccak256(abi.encodePacked(siblings[h], node))
                : keccak256(abi.encodePacked(node, siblings[h]));
        }
    }

    /// @notice Proves that `w` is leaf `index` of the withdrawals tree committed in the output root
    ///         posted for `l2BlockNumber`. Records the proof. A proof may be replaced only once the
    ///         root it was made against has been deleted (so no one can keep moving it to newer roots).
    function proveWithdrawal(
        uint256 l2BlockNumber,
        bytes32 stateRoot,
        bytes32 withdrawalsRoot,
        bytes32 blockHash,
        Withdrawal calldata w,
        uint256 index,
        bytes32[] calldata siblings
    ) external {
        (bytes32 posted,) = oracle.getOutput(l2BlockNumber);
        if (posted == bytes32(0)) revert OutputNotFound(l2BlockNumber);
        bytes32 computed = outputRootOf(stateRoot, withdrawalsRoot, blockHash);
        if (computed != posted) revert OutputRootMismatch(computed, posted);
        bytes32 wh = hashWithdrawal(w);
        if (finalizedWithdrawals[wh]) revert WithdrawalAlreadyFinalized(wh);
        if (merkleRootOf(wh, index, siblings) != withdrawalsRoot) revert InvalidWithdrawalProof(wh);
        ProvenWithdrawal storage prior = provenWithdrawals[wh];
        if (prior.timestamp != 0) {
            (bytes32 priorRoot,) = oracle.getOutput(prior.l2BlockNumber);
            if (priorRoot == prior.outputRoot) revert WithdrawalAlreadyProven(wh, prior.l2BlockNumber);
        }
        provenWithdrawals[wh] = ProvenWithdrawal(posted, l2BlockNumber, block.timestamp);
        emit WithdrawalProven(wh, l2BlockNumber, msg.sender);
    }

    /// @notice Pays a proven withdrawal once its output root is final. Reverts if the root it was
    ///         proven against was deleted (or replaced), if not yet final, or if already paid.
    function finalizeWithdrawal(Withdrawal calldata w) external {
        bytes32 wh = hashWithdrawal(w);
        if (finalizedWithdrawals[wh]) revert WithdrawalAlreadyFinalized(wh);
        ProvenWithdrawal memory p = provenWithdrawals[wh];
        if (p.timestamp == 0) revert WithdrawalNotProven(wh);
        (bytes32 current,) = oracle.getOutput(p.l2BlockNumber);
        if (current != p.outputRoot) revert ProvenOutputDeleted(p.l2BlockNumber, p.outputRoot);
        if (!oracle.isFinalized(p.l2BlockNumber)) revert OutputNotFinalized(p.l2BlockNumber);
        finalizedWithdrawals[wh] = true;
        if (w.token == address(0)) {
            (bool ok,) = w.l1Recipient.call{value: w.amount}("");
            if (!ok) revert EthTransferFailed(w.l1Recipient);
        } else {
            if (w.token.code.length == 0) revert NotAContract(w.token);
            _callToken(w.token, abi.encodeWithSignature("transfer(address,uint256)", w.l1Recipient, w.amount));
        }
        emit WithdrawalFinalized(wh, w.l1Recipient, w.token, w.amount);
    }

    /// @dev Calls a token, accepting both `true` and empty return data (non-standard tokens).
    function _callToken(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || (ret.length != 0 && (ret.length != 32 || abi.decode(ret, (uint256)) != 1))) {
            revert TokenTransferFailed(token);
        }
    }
}
