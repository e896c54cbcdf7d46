import Crypto

/// The hashes of RFC 9162 (and RFC 6962 before it), §2.1.1: SHA-256 with a byte that tells a
/// leaf (0x00) from an interior node (0x01), so that no leaf can pass for a subtree.
///
/// Hashes are plain byte arrays, as in the proofs and checkpoints that carry them; a verifier
/// compares what it is given, whatever its length, and refuses what does not match.
public enum MerkleHash {
    /// The number of bytes in a hash.
    public static let size = 32

    /// The root of the empty tree: SHA-256 of nothing.
    public static let emptyTree: [UInt8] = Array(SHA256.hash(data: [UInt8]()))

    /// The hash of the leaf `bytes`: SHA-256(0x00 || bytes).
    public static func leaf(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: Array(bytes))
        return Array(hasher.finalize())
    }

    /// The hash of the node over `left` and `right`: SHA-256(0x01 || left || right).
    public static func node(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> [UInt8] {
        var input: [UInt8] = []
        input.reserveCapacity(1 + left.count + right.count)
        input.append(0x01)
        input.append(contentsOf: left)
        input.append(contentsOf: right)
        return Array(SHA256.hash(data: input))
    }
}
