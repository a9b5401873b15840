// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// ERC-1643 document management for one security token: the issuer attaches named documents
/// (prospectus, terms, reports) as a URI plus a hash of the content, so holders can check that what
/// they download is what was published. Kept beside the token rather than inside it so the token's
/// interface stays ERC-3643's.
contract DocumentRegistry is Ownable {
    struct Document {
        string uri;
        bytes32 documentHash;
        uint256 lastModified;
    }

    /// ERC-1643 events.
    event DocumentUpdated(bytes32 indexed _name, string _uri, bytes32 _documentHash);
    event DocumentRemoved(bytes32 indexed _name, string _uri, bytes32 _documentHash);

    error EmptyDocumentName();
    error EmptyDocumentUri();
    error DocumentNotFound(bytes32 name);

    /// The token these documents describe.
    address public immutable token;

    mapping(bytes32 name => Document) private _documents;
    bytes32[] private _names;
    /// Position in `_names` plus one (0 = absent), for O(1) removal.
    mapping(bytes32 name => uint256) private _slot;

    constructor(address token_, address issuer) Ownable(issuer) {
        token = token_;
    }

    /// Creates a document or replaces an existing one of the same name (issuer only).
    function setDocument(bytes32 _name, string calldata _uri, bytes32 _documentHash) external onlyOwner {
        if (_name == bytes32(0)) revert EmptyDocumentName();
        if (bytes(_uri).length == 0) revert EmptyDocumentUri();
        if (_slot[_name] == 0) {
            _names.push(_name);
            _slot[_name] = _names.length;
        }
        _documents[_name] = Document(_uri, _documentHash, block.timestamp);
        emit DocumentUpdated(_name, _uri, _documentHash);
    }

    /// Removes a document (issuer only); the event carries what was removed.
    function removeDocument(bytes32 _name) external onlyOwner {
        uint256 slot = _slot[_name];
        if (slot == 0) revert DocumentNotFound(_name);
        Document memory removed = _documents[_name];
        bytes32 last = _names[_names.length - 1];
        _names[slot - 1] = last;
        _slot[last] = slot;
        _names.pop();
        delete _slot[_name];
        delete _documents[_name];
        emit DocumentRemoved(_name, removed.uri, removed.documentHash);
    }

    /// The document's URI, content hash and last-modified timestamp; empty values for an unknown name.
    function getDocument(bytes32 _name) external view returns (string memory, bytes32, uint256) {
        Document storage d = _documents[_name];
        return (d.uri, d.documentHash, d.lastModified);
    }

    /// Every document name currently set (order changes when one is removed).
    function getAllDocuments() external view returns (bytes32[] memory) {
        return _names;
    }
}
