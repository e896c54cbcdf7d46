/// Checking inclusion and consistency proofs against roots (RFC 9162 §2.1.3.2 and §2.1.4.2),
/// in the form transparency-dev/merkle's verifier uses, so that the same proofs pass and fail.
///
/// A client runs these on what the server sends: nothing here trusts the sizes or hashes given.
public enum MerkleProof {
    /// Why a proof was refused.
    public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String

        init(_ description: String) { self.description = description }
    }

    /// Checks that the leaf hashed `leafHash` is leaf `index` of the tree of `size` leaves
    /// whose root is `root`.
    public static func verifyInclusion(
        index: UInt64,
        size: UInt64,
        leafHash: [UInt8],
        proof: [[UInt8]],
        root: [UInt8]
    ) throws(Refusal) {
        try match(try rootFromInclusion(index: index, size: size, leafHash: leafHash, proof: proof), root)
    }

    /// The root that `proof` leads to from leaf `index`, hashed `leafHash`, of a tree of `size`.
    public static func rootFromInclusion(
        index: UInt64,
        size: UInt64,
        leafHash: [UInt8],
        proof: [[UInt8]]
    ) throws(Refusal) -> [UInt8] {
        guard index < size else { throw Refusal("leaf \(index) is not in a tree of \(size)") }
        guard leafHash.count == MerkleHash.size else {
            throw Refusal("the leaf hash has \(leafHash.count) bytes, not \(MerkleHash.size)")
        }
        let (inner, border) = decomposition(index: index, size: size)
        guard proof.count == inner + border else {
            throw Refusal("the proof has \(proof.count) hashes where \(inner + border) are needed")
        }
        let below = chainInner(leafHash, proof[..<inner], index: index)
        return chainBorder(below, proof[inner...])
    }

    /// Checks that the tree of `size2` leaves with root `root2` extends the tree of `size1`
    /// leaves with root `root1`.
    public static func verifyConsistency(
        size1: UInt64,
        size2: UInt64,
        proof: [[UInt8]],
        root1: [UInt8],
        root2: [UInt8]
    ) throws(Refusal) {
        try match(try rootFromConsistency(size1: size1, size2: size2, proof: proof, root1: root1), root2)
    }

    /// The root of the tree of `size2` that `proof` proves extends the tree of `size1` whose root
    /// is `root1`.
    public static func rootFromConsistency(
        size1: UInt64,
        size2: UInt64,
        proof: [[UInt8]],
        root1: [UInt8]
    ) throws(Refusal) -> [UInt8] {
        guard size1 <= size2 else { throw Refusal("the older size \(size1) is above the newer \(size2)") }
        // Every tree extends the empty one: a proof from it proves nothing, so none is taken.
        guard size1 > 0 else { throw Refusal("a consistency proof from the empty tree proves nothing") }
        if size1 == size2 {
            guard proof.isEmpty else { throw Refusal("the sizes are equal but the proof is not empty") }
            return root1
        }
        guard !proof.isEmpty else { throw Refusal("the proof is empty") }
        var (inner, border) = decomposition(index: size1 - 1, size: size2)
        let shift = size1.trailingZeroBitCount
        inner -= shift
        // The proof starts with the hash of the subtree of 2^shift leaves holding leaf size1 - 1,
        // unless that subtree is the whole older tree, whose root is known.
        let (seed, start) = size1 == 1 << shift ? (root1, 0) : (proof[0], 1)
        guard proof.count == start + inner + border else {
            throw Refusal("the proof has \(proof.count) hashes where \(start + inner + border) are needed")
        }
        let rest = proof[start...]
        let mask = (size1 - 1) >> shift
        let older = chainBorder(chainInnerRight(seed, rest.prefix(inner), index: mask), rest.dropFirst(inner))
        try match(older, root1)
        return chainBorder(chainInner(seed, rest.prefix(inner), index: mask), rest.dropFirst(inner))
    }

    private static func match(_ computed: [UInt8], _ expected: [UInt8]) throws(Refusal) {
        guard computed == expected else { throw Refusal("the proof leads to another root than the one given") }
    }

    /// How many hashes of an inclusion proof lie below the point where the paths to `index` and
    /// to the last leaf part (inner), and how many above (border).
    private static func decomposition(index: UInt64, size: UInt64) -> (inner: Int, border: Int) {
        let inner = UInt64.bitWidth - (index ^ (size - 1)).leadingZeroBitCount
        return (inner, (index >> inner).nonzeroBitCount)
    }

    private static func chainInner(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>, index: UInt64) -> [UInt8] {
        var hash = seed
        for (level, sibling) in proof.enumerated() {
            hash = (index >> level) & 1 == 0 ? MerkleHash.node(hash, sibling) : MerkleHash.node(sibling, hash)
        }
        return hash
    }

    /// As ``chainInner(_:_:index:)`` with only the siblings on the left: the hash of the same
    /// subtree when it ended at the leaf the path started from.
    private static func chainInnerRight(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>, index: UInt64) -> [UInt8] {
        var hash = seed
        for (level, sibling) in proof.enumerated() where (index >> level) & 1 == 1 {
            hash = MerkleHash.node(sibling, hash)
        }
        return hash
    }

    private static func chainBorder(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>) -> [UInt8] {
        proof.reduce(seed) { MerkleHash.node($1, $0) }
    }
}
