// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IRegulatedToken} from "../interfaces/IRegulatedToken.sol";

/// Shareholder ballots: the issuer puts a proposal with options to the holders of a regulated token;
/// voting weight is the holder's balance at the record-date snapshot taken when the ballot opens, so
/// tokens moved afterwards cannot vote twice. One vote per holder, all of its weight on one option,
/// until the deadline. The contract needs the token's snapshot agent role.
contract Ballot is Ownable {
    struct Proposal {
        string description;
        string[] options;
        uint256[] tallies;
        uint256 snapshotId;
        uint64 deadline;
        uint256 totalVoted;
    }

    event BallotCreated(uint256 indexed id, string description, uint256 optionCount, uint256 snapshotId, uint64 deadline);
    event VoteCast(uint256 indexed id, address indexed voter, uint256 option, uint256 weight);

    error TooFewOptions();
    error DeadlineNotInFuture(uint64 deadline);
    error UnknownBallot(uint256 id);
    error VotingClosed(uint256 id);
    error InvalidOption(uint256 id, uint256 option);
    error AlreadyVoted(uint256 id, address voter);
    error NoVotingPower(uint256 id, address voter);

    IRegulatedToken public immutable token;
    uint256 public ballotCount;
    mapping(uint256 id => Proposal) private _ballots;
    mapping(uint256 id => mapping(address voter => bool)) public hasVoted;

    constructor(IRegulatedToken token_, address issuer) Ownable(issuer) {
        token = token_;
    }

    /// Opens a ballot with at least two options; the record date is now. Returns its id (1, 2, ...).
    function createBallot(string calldata description, string[] calldata options, uint64 deadline)
        external
        onlyOwner
        returns (uint256 id)
    {
        if (options.length < 2) revert TooFewOptions();
        if (deadline <= block.timestamp) revert DeadlineNotInFuture(deadline);
        id = ++ballotCount;
        Proposal storage b = _ballots[id];
        b.description = description;
        for (uint256 i = 0; i < options.length; i++) {
            b.options.push(options[i]);
        }
        b.tallies = new uint256[](options.length);
        b.snapshotId = token.snapshot();
        b.deadline = deadline;
        emit BallotCreated(id, description, options.length, b.snapshotId, deadline);
    }

    /// Casts the caller's record-date balance for `option`.
    function vote(uint256 id, uint256 option) external {
        Proposal storage b = _ballot(id);
        if (block.timestamp > b.deadline) revert VotingClosed(id);
        if (option >= b.options.length) revert InvalidOption(id, option);
        if (hasVoted[id][msg.sender]) revert AlreadyVoted(id, msg.sender);
        uint256 weight = token.balanceOfAt(msg.sender, b.snapshotId);
        if (weight == 0) revert NoVotingPower(id, msg.sender);
        hasVoted[id][msg.sender] = true;
        b.tallies[option] += weight;
        b.totalVoted += weight;
        emit VoteCast(id, msg.sender, option, weight);
    }

    /// A holder's weight in this ballot (its balance at the record date).
    function votingPower(uint256 id, address voter) external view returns (uint256) {
        return token.balanceOfAt(voter, _ballot(id).snapshotId);
    }

    /// Weight per option so far (final once the deadline has passed).
    function results(uint256 id) external view returns (uint256[] memory tallies, bool closed) {
        Proposal storage b = _ballot(id);
        return (b.tallies, block.timestamp > b.deadline);
    }

    /// The option with the most weight; `tied` when another option has as much.
    function leadingOption(uint256 id) external view returns (uint256 option, uint256 weight, bool tied) {
        uint256[] storage tallies = _ballot(id).tallies;
        for (uint256 i = 0; i < tallies.length; i++) {
            if (tallies[i] > weight) {
                (option, weight, tied) = (i, tallies[i], false);
            } else if (i > 0 && tallies[i] == weight) {
                tied = true;
            }
        }
    }

    function getBallot(uint256 id)
        external
        view
        returns (string memory description, string[] memory options, uint256 snapshotId, uint64 deadline, uint256 totalVoted)
    {
        Proposal storage b = _ballot(id);
        return (b.description, b.options, b.snapshotId, b.deadline, b.totalVoted);
    }

    function _ballot(uint256 id) private view returns (Proposal storage b) {
        b = _ballots[id];
        if (b.deadline == 0) revert UnknownBallot(id);
    }
}
