import Foundation
import Testing
import TransparencyLog

/// The transparency-log projects' own vectors in `../shared/vectors`: every valid proof and note
/// passes and every mutated one is refused, as in transparency-dev/merkle and golang/mod.
@Suite(.enabled(if: SharedVectors.available, "../shared/vectors is not beside the clone"))
struct SharedVectorsTests {
    @Test func everyInclusionVector() throws {
        let files = try SharedVectors.files(under: "merkle/testdata/inclusion")
        #expect(files.count >= 90)
        for file in files {
            let vector = try JSONDecoder().decode(InclusionVector.self, from: Data(contentsOf: file))
            let (leafHash, root) = (try SharedVectors.bytes(vector.leafHash), try SharedVectors.bytes(vector.root))
            let proof = try (vector.proof ?? []).map(SharedVectors.bytes)
            let accepted =
                (try? MerkleProof.verifyInclusion(
                    index: vector.leafIdx,
                    size: vector.treeSize,
                    leafHash: leafHash,
                    proof: proof,
                    root: root
                )) != nil
            #expect(accepted == !vector.wantErr, "\(file.path): \(vector.desc)")
        }
    }

    @Test func everyConsistencyVector() throws {
        let files = try SharedVectors.files(under: "merkle/testdata/consistency")
        #expect(files.count >= 90)
        for file in files {
            let vector = try JSONDecoder().decode(ConsistencyVector.self, from: Data(contentsOf: file))
            let (root1, root2) = (try SharedVectors.bytes(vector.root1), try SharedVectors.bytes(vector.root2))
            let proof = try (vector.proof ?? []).map(SharedVectors.bytes)
            let accepted =
                (try? MerkleProof.verifyConsistency(
                    size1: vector.size1,
                    size2: vector.size2,
                    proof: proof,
                    root1: root1,
                    root2: root2
                )) != nil
            #expect(accepted == !vector.wantErr, "\(file.path): \(vector.desc)")
        }
    }

    @Test func theSignedNoteFromGosChecksumDatabase() throws {
        let vector = try JSONDecoder().decode(
            NoteVector.self,
            from: Data(contentsOf: SharedVectors.folder.appendingPathComponent("signed-note.json"))
        )
        try NoteVectorChecks(vector).run()
    }
}

struct InclusionVector: Decodable {
    var leafIdx: UInt64
    var treeSize: UInt64
    var root: String
    var leafHash: String
    var proof: [String]?
    var desc: String
    var wantErr: Bool
}

struct ConsistencyVector: Decodable {
    var size1: UInt64
    var size2: UInt64
    var root1: String
    var root2: String
    var proof: [String]?
    var desc: String
    var wantErr: Bool
}

/// `../shared/vectors` beside the clone, when it is there.
enum SharedVectors {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/vectors")

    static var available: Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path)
    }

    /// Every JSON file under `path`, in order.
    static func files(under path: String) throws -> [URL] {
        let root = folder.appendingPathComponent(path)
        let found =
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        return found.sorted { $0.path < $1.path }
    }

    struct NotBase64: Error { var text: String }

    static func bytes(_ base64: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: base64) else { throw NotBase64(text: base64) }
        return Array(data)
    }
}
