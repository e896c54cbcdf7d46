import Testing
import TransparencyLog

/// The tree's roots against RFC 9162's definition computed leaf by leaf, and its proofs against
/// the verifier: for random sizes every proof verifies and every mutated one is refused.
struct MerkleTreeTests {
    /// MTH(D[n]) as RFC 9162 §2.1.1 defines it, from the leaves.
    static func referenceRoot(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        switch leaves.count {
        case 0: return MerkleHash.emptyTree
        case 1: return MerkleHash.leaf(leaves.first!)
        default:
            var split = 1
            while split * 2 < leaves.count { split *= 2 }
            let middle = leaves.startIndex + split
            return MerkleHash.node(referenceRoot(leaves[..<middle]), referenceRoot(leaves[middle...]))
        }
    }

    static func tree(of leaves: [[UInt8]]) -> MerkleTree {
        var tree = MerkleTree()
        for leaf in leaves { tree.append(leaf: leaf) }
        return tree
    }

    static func leaves(_ count: Int, _ random: inout SplitMix) -> [[UInt8]] {
        (0..<count).map { _ in (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
    }

    @Test func rootsAreRFC9162sForEverySize() {
        var random = SplitMix(seed: 1)
        let leaves = Self.leaves(70, &random)
        let tree = Self.tree(of: leaves)
        for size in 0...leaves.count {
            #expect(tree.root(size: size) == Self.referenceRoot(leaves[..<size]), "size \(size)")
        }
        // The well-known empty root (RFC 6962 test data).
        #expect(MerkleHash.emptyTree.map { String($0, radix: 16) }.joined().hasPrefix("e3b0c442"))
    }

    @Test(arguments: [1, 2, 3, 7, 8, 9, 31, 64, 100])
    func everyInclusionProofVerifiesAndEveryMutationFails(count: Int) throws {
        var random = SplitMix(seed: UInt64(count))
        let tree = Self.tree(of: Self.leaves(count, &random))
        for size in 1...count {
            let root = tree.root(size: size)
            for index in 0..<size {
                let proof = tree.inclusionProof(index: index, size: size)
                let leaf = tree.leafHash(at: index)
                try MerkleProof.verifyInclusion(
                    index: UInt64(index),
                    size: UInt64(size),
                    leafHash: leaf,
                    proof: proof,
                    root: root
                )
                for mutated in Mutation.all(of: proof, random: &random) {
                    #expect(throws: MerkleProof.Refusal.self, "\(index) in \(size): \(mutated.what)") {
                        try MerkleProof.verifyInclusion(
                            index: UInt64(index),
                            size: UInt64(size),
                            leafHash: leaf,
                            proof: mutated.proof,
                            root: root
                        )
                    }
                }
                #expect(throws: MerkleProof.Refusal.self) {
                    try MerkleProof.verifyInclusion(
                        index: UInt64(index),
                        size: UInt64(size),
                        leafHash: MerkleHash.leaf([0xFF] + leaf),
                        proof: proof,
                        root: root
                    )
                }
                if size > 1 {
                    #expect(throws: MerkleProof.Refusal.self) {
                        try MerkleProof.verifyInclusion(
                            index: UInt64((index + 1) % size),
                            size: UInt64(size),
                            leafHash: leaf,
                            proof: proof,
                            root: root
                        )
                    }
                }
            }
        }
    }

    @Test(arguments: [2, 3, 5, 8, 13, 33, 100])
    func everyConsistencyProofVerifiesAndEveryMutationFails(count: Int) throws {
        var random = SplitMix(seed: 1_000 + UInt64(count))
        let tree = Self.tree(of: Self.leaves(count, &random))
        for newer in 1...count {
            for older in 1...newer {
                let proof = tree.consistencyProof(from: older, to: newer)
                let (root1, root2) = (tree.root(size: older), tree.root(size: newer))
                try MerkleProof.verifyConsistency(
                    size1: UInt64(older),
                    size2: UInt64(newer),
                    proof: proof,
                    root1: root1,
                    root2: root2
                )
                guard older < newer else { continue }
                for mutated in Mutation.all(of: proof, random: &random) {
                    #expect(throws: MerkleProof.Refusal.self, "\(older) to \(newer): \(mutated.what)") {
                        try MerkleProof.verifyConsistency(
                            size1: UInt64(older),
                            size2: UInt64(newer),
                            proof: mutated.proof,
                            root1: root1,
                            root2: root2
                        )
                    }
                }
                // A forked history: the older root of another log of the same size.
                var forked = Self.tree(of: Self.leaves(older, &random))
                forked.append(leaf: [1])
                #expect(throws: MerkleProof.Refusal.self) {
                    try MerkleProof.verifyConsistency(
                        size1: UInt64(older),
                        size2: UInt64(newer),
                        proof: proof,
                        root1: forked.root(size: older),
                        root2: root2
                    )
                }
            }
        }
    }

    @Test func aProofFromATreeRebuiltLaterIsTheSame() {
        var random = SplitMix(seed: 9)
        let leaves = Self.leaves(200, &random)
        let grown = Self.tree(of: leaves)
        let early = Self.tree(of: Array(leaves.prefix(77)))
        #expect(grown.root(size: 77) == early.root(size: 77))
        #expect(grown.inclusionProof(index: 5, size: 77) == early.inclusionProof(index: 5, size: 77))
        #expect(grown.consistencyProof(from: 33, to: 77) == early.consistencyProof(from: 33, to: 77))
    }
}

/// The ways a proof is changed in transit: a bit flipped, a hash dropped, added or moved.
struct Mutation {
    var what: String
    var proof: [[UInt8]]

    static func all(of proof: [[UInt8]], random: inout SplitMix) -> [Mutation] {
        var mutations = [
            Mutation(what: "a hash added", proof: proof + [MerkleHash.leaf([7])]),
            Mutation(what: "a hash put first", proof: [MerkleHash.leaf([7])] + proof),
        ]
        if !proof.isEmpty {
            let index = Int(random.next() % UInt64(proof.count))
            var flipped = proof
            flipped[index][Int(random.next() % 32)] ^= 1 << UInt8(random.next() % 8)
            mutations.append(Mutation(what: "a bit of hash \(index) flipped", proof: flipped))
            mutations.append(Mutation(what: "the last hash dropped", proof: Array(proof.dropLast())))
        }
        if proof.count > 1, proof[0] != proof[1] {
            var swapped = proof
            swapped.swapAt(0, 1)
            mutations.append(Mutation(what: "two hashes swapped", proof: swapped))
        }
        return mutations
    }
}

/// A small seeded generator, so that a failure can be run again.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
