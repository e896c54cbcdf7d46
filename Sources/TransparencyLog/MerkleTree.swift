/// An append-only Merkle tree (RFC 9162 §2.1) that answers its root, inclusion proofs and
/// consistency proofs for any size it has held, each in O(log n) hashes.
///
/// It keeps every complete subtree's hash, level by level (about two hashes a leaf): a proof's
/// hashes are those subtrees, or the few incomplete ones on the tree's right edge, which are
/// hashed from O(log n) kept ones. Nothing walks the leaves.
public struct MerkleTree: Sendable {
    /// `levels[l]` holds the hashes of the complete subtrees of 2^l leaves, left to right, each
    /// `MerkleHash.size` bytes: the leaf hashes are level 0.
    private var levels: [[UInt8]] = [[]]

    /// The number of leaves.
    public private(set) var count = 0

    public init() {}

    /// Appends the leaf `bytes`.
    public mutating func append(leaf bytes: some Sequence<UInt8>) {
        append(leafHash: MerkleHash.leaf(bytes))
    }

    /// Appends a leaf by its hash (``MerkleHash/leaf(_:)``).
    public mutating func append(leafHash: [UInt8]) {
        precondition(leafHash.count == MerkleHash.size, "a leaf hash has \(MerkleHash.size) bytes")
        levels[0].append(contentsOf: leafHash)
        count += 1
        // Each completed pair of subtrees completes their parent, up the tree.
        var index = count - 1
        var level = 0
        while index % 2 == 1 {
            let parent = MerkleHash.node(stored(level, index - 1), stored(level, index))
            level += 1
            if levels.count == level { levels.append([]) }
            levels[level].append(contentsOf: parent)
            index /= 2
        }
    }

    /// The hash of leaf `index`.
    public func leafHash(at index: Int) -> [UInt8] {
        precondition(index >= 0 && index < count, "leaf \(index) of \(count)")
        return Array(stored(0, index))
    }

    /// The root of the tree's first `size` leaves.
    public func root(size: Int) -> [UInt8] {
        precondition(size >= 0 && size <= count, "size \(size) of \(count)")
        return size == 0 ? MerkleHash.emptyTree : hash(from: 0, count: size)
    }

    /// The inclusion proof of leaf `index` in the tree's first `size` leaves (RFC 9162 §2.1.3.1),
    /// lowest hash first.
    public func inclusionProof(index: Int, size: Int) -> [[UInt8]] {
        precondition(index >= 0 && index < size && size <= count, "leaf \(index) in size \(size) of \(count)")
        var proof: [[UInt8]] = []
        path(to: index, from: 0, count: size, into: &proof)
        return proof
    }

    /// The consistency proof between the tree's first `older` and first `newer` leaves
    /// (RFC 9162 §2.1.4.1), lowest hash first; empty when either is 0 or they are equal.
    public func consistencyProof(from older: Int, to newer: Int) -> [[UInt8]] {
        precondition(older >= 0 && older <= newer && newer <= count, "sizes \(older) to \(newer) of \(count)")
        guard older > 0, older < newer else { return [] }
        var proof: [[UInt8]] = []
        subproof(older, from: 0, count: newer, complete: true, into: &proof)
        return proof
    }

    /// PATH(m, D[start ..< start + count]), appended bottom-up.
    private func path(to index: Int, from start: Int, count: Int, into proof: inout [[UInt8]]) {
        guard count > 1 else { return }
        let split = Self.largestPowerOfTwo(below: count)
        if index < split {
            path(to: index, from: start, count: split, into: &proof)
            proof.append(hash(from: start + split, count: count - split))
        } else {
            path(to: index - split, from: start + split, count: count - split, into: &proof)
            proof.append(hash(from: start, count: split))
        }
    }

    /// SUBPROOF(m, D[start ..< start + count], b), appended bottom-up.
    private func subproof(
        _ older: Int,
        from start: Int,
        count: Int,
        complete: Bool,
        into proof: inout [[UInt8]]
    ) {
        if older == count {
            if !complete { proof.append(hash(from: start, count: count)) }
            return
        }
        let split = Self.largestPowerOfTwo(below: count)
        if older <= split {
            subproof(older, from: start, count: split, complete: complete, into: &proof)
            proof.append(hash(from: start + split, count: count - split))
        } else {
            subproof(older - split, from: start + split, count: count - split, complete: false, into: &proof)
            proof.append(hash(from: start, count: split))
        }
    }

    /// MTH(D[start ..< start + count]) for a range that starts on a multiple of the largest
    /// power of two not above `count`, as every range of a proof does: a kept subtree, or a
    /// kept left part and a right part hashed the same way.
    private func hash(from start: Int, count: Int) -> [UInt8] {
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            return Array(stored(level, start >> level))
        }
        let split = Self.largestPowerOfTwo(below: count)
        return MerkleHash.node(hash(from: start, count: split), hash(from: start + split, count: count - split))
    }

    private func stored(_ level: Int, _ index: Int) -> ArraySlice<UInt8> {
        levels[level][index * MerkleHash.size..<(index + 1) * MerkleHash.size]
    }

    /// The largest power of two smaller than `count` (which is at least 2).
    static func largestPowerOfTwo(below count: Int) -> Int {
        1 << (Int.bitWidth - 1 - (count - 1).leadingZeroBitCount)
    }
}
