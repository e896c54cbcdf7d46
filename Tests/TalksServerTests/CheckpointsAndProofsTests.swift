import Foundation
import Hummingbird
import HummingbirdTesting
import Talks
import TalksServer
import TalksStore
import Testing
import TransparencyLog

/// Each member's record as they can check it themselves: a checkpoint signed with the server's
/// key over exactly their export's lines, proofs between any two sizes, and a receipt for every
/// write; none of it moves with what they cannot see.
struct CheckpointsAndProofsTests {
    /// What a member is given to check: the key, their export's lines, their checkpoint.
    struct Seen {
        var key: NoteVerifier
        var lines: [[UInt8]]
        var note: String
        var checkpoint: Checkpoint
    }

    static func seen(by token: String, in s: Session, api: API) async throws -> Seen {
        let key = try NoteVerifier(parsing: try await api.call(.get, "/key").text.trimmingCharacters(in: .newlines))
        let export = try await api.call(.get, s.path("/export"), token: token)
        let lines = LogAudit.lines(ofExport: Array(export.text.utf8))
        let note = try await api.call(.get, s.path("/checkpoint"), token: token).text
        let checkpoint = try LogAudit(lines: lines, key: key).verify(checkpoint: note)
        return Seen(key: key, lines: lines, note: note, checkpoint: checkpoint)
    }

    static func post(
        _ text: String,
        as token: String,
        channel: String = "room",
        in s: Session,
        api: API
    ) async throws
        -> Reply
    {
        let reply = try await api.call(
            .post,
            s.path("/messages"),
            token: token,
            json: ["channel": channel, "text": text]
        )
        #expect(reply.status == .created, "\(reply.text)")
        return reply
    }

    static func receipt(in reply: Reply) throws -> LogAudit.Receipt {
        let object = try #require(reply.object["receipt"] as? [String: Any])
        return LogAudit.Receipt(
            index: try #require(object["index"] as? Int),
            checkpoint: try #require(object["checkpoint"] as? String),
            proof: try #require(object["proof"] as? [String])
        )
    }

    static func hashes(_ reply: Reply, _ key: String = "proof") throws -> [[UInt8]] {
        let texts = try #require(reply.object[key] as? [String])
        return texts.compactMap { Data(base64Encoded: $0).map(Array.init) }
    }

    @Test func aCheckpointCommitsToExactlyTheMembersExportAndNamesThem() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            _ = try await Self.post("our floor", as: s["us-principal"], in: s, api: api)
            let seen = try await Self.seen(by: s["us-principal"], in: s, api: api)
            #expect(seen.checkpoint.origin == "\(seen.key.name)/talks/\(s.id)/members/\(s.ids["us-principal"]!)")
            #expect(seen.checkpoint.size == seen.lines.count && seen.lines.count > 10)
            // The same view read by another member of it: the same lines and root, their own origin.
            let expert = try await Self.seen(by: s["us-expert"], in: s, api: api)
            #expect(expert.lines == seen.lines && expert.checkpoint.rootHash == seen.checkpoint.rootHash)
            #expect(expert.checkpoint.origin.hasSuffix(s.ids["us-expert"]!))
            // The mediator's log is another: it never holds the US room.
            let mediator = try await Self.seen(by: s.mediator, in: s, api: api)
            #expect(mediator.checkpoint.rootHash != seen.checkpoint.rootHash)
            #expect(!mediator.lines.contains { String(decoding: $0, as: UTF8.self).contains("our floor") })
        }
    }

    @Test func everyInclusionAndConsistencyProofTheServerGivesVerifies() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let token = s["ir-principal"]
            let before = try await Self.seen(by: token, in: s, api: api)
            for n in 1...9 { _ = try await Self.post("Iran \(n)", as: token, in: s, api: api) }
            let after = try await Self.seen(by: token, in: s, api: api)
            let proof = try await api.call(
                .get,
                s.path("/proof/consistency?from=\(before.checkpoint.size)&to=\(after.checkpoint.size)"),
                token: token
            )
            try MerkleProof.verifyConsistency(
                size1: UInt64(before.checkpoint.size),
                size2: UInt64(after.checkpoint.size),
                proof: try Self.hashes(proof),
                root1: before.checkpoint.rootHash,
                root2: after.checkpoint.rootHash
            )
            for index in 0..<after.lines.count {
                let size = max(index + 1, before.checkpoint.size)
                let reply = try await api.call(
                    .get,
                    s.path("/proof/inclusion?index=\(index)&size=\(size)"),
                    token: token
                )
                let leafText = try #require(reply.object["leafHash"] as? String)
                let leaf = try #require(Data(base64Encoded: leafText))
                #expect(Array(leaf) == MerkleHash.leaf(after.lines[index]))
                var tree = MerkleTree()
                for line in after.lines.prefix(size) { tree.append(leaf: line) }
                try MerkleProof.verifyInclusion(
                    index: UInt64(index),
                    size: UInt64(size),
                    leafHash: Array(leaf),
                    proof: try Self.hashes(reply),
                    root: tree.root(size: size)
                )
            }
        }
    }

    /// A malformed number is 422; one the schema allows but the member's log does not hold
    /// (or sizes out of order) is 409, as every refusal that depends on the talks' state.
    @Test(arguments: [
        ("/proof/inclusion?index=0", 422, "query parameter 'size' is required"),
        ("/proof/inclusion?index=-1&size=2", 422, "'index' must be a whole number 0 or more"),
        ("/proof/inclusion?index=5&size=5", 409, "index=5 is not a leaf of a log of 5"),
        ("/proof/inclusion?index=0&size=100000", 409, "size=100000 is beyond your log"),
        ("/proof/consistency?from=3", 422, "query parameter 'to' is required"),
        ("/proof/consistency?from=0&to=3", 422, "'from' must be a whole number 1 or more"),
        ("/proof/consistency?from=4&to=3", 409, "from=4 is after to=3"),
        ("/proof/consistency?from=1&to=x", 422, "'to' must be a whole number 1 or more, not 'x'"),
    ])
    func aProofOutsideTheMembersLogIsRefusedWithTheReason(query: String, status: Int, reason: String) async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let reply = try await api.call(.get, s.path(query), token: s["us-principal"])
            #expect(reply.status.code == status)
            #expect((reply.object["detail"] as? String ?? "").contains(reason), "\(reply.text)")
        }
    }

    @Test func everyWriteAnswersAReceiptThatVerifiesOffline() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            var receipts: [LogAudit.Receipt] = []
            for n in 1...5 {
                let reply = try await Self.post("US \(n)", as: s["us-principal"], in: s, api: api)
                let receipt = try Self.receipt(in: reply)
                #expect(receipt.index + 1 == reply.object["seq"] as? Int)
                receipts.append(receipt)
            }
            let invited = try await api.call(
                .post,
                s.path("/members"),
                token: s.mediator,
                json: ["party": "Iran", "name": "late", "role": "expert"]
            )
            let mediatorReceipt = try Self.receipt(in: invited)
            let seen = try await Self.seen(by: s["us-principal"], in: s, api: api)
            let audit = LogAudit(lines: seen.lines, key: seen.key)
            for receipt in receipts { try audit.verify(receipt: receipt, against: seen.checkpoint) }
            #expect(String(decoding: seen.lines[receipts[2].index], as: UTF8.self).contains("US 3"))
            // A receipt is for the caller's own log: not the US principal's.
            #expect(throws: LogAudit.Failure.self) {
                try audit.verify(receipt: mediatorReceipt, against: seen.checkpoint)
            }
            let mediator = try await Self.seen(by: s.mediator, in: s, api: api)
            try LogAudit(lines: mediator.lines, key: mediator.key).verify(
                receipt: mediatorReceipt,
                against: mediator.checkpoint
            )
        }
    }

    @Test func aCheckpointDoesNotMoveWithWhatTheMemberCannotSee() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let first = try await api.call(.get, s.path("/checkpoint"), token: s["us-principal"]).text
            _ = try await Self.post("Iran room", as: s["ir-principal"], in: s, api: api)
            _ = try await Self.post("Iran to the mediator", as: s["ir-expert"], channel: "shuttle", in: s, api: api)
            let relayed = try await api.call(
                .post,
                s.path("/messages"),
                token: s.mediator,
                json: ["channel": "shuttle", "party": "Iran", "text": "noted"]
            )
            #expect(relayed.status == .created)
            let second = try await api.call(.get, s.path("/checkpoint"), token: s["us-principal"]).text
            #expect(second == first)
            _ = try await Self.post("US room", as: s["us-expert"], in: s, api: api)
            let third = try await api.call(.get, s.path("/checkpoint"), token: s["us-principal"]).text
            let sizes = try [first, third].map { try Checkpoint(parsing: try SignedNote(parsing: $0).text).size }
            #expect(sizes[1] == sizes[0] + 1)
        }
    }

    @Test func theKeyAndCheckpointsOutliveARestartAndAreRebuiltFromTheStore() async throws {
        let store = MemoryTalksStore()
        let operatorToken = try await Operators.add("ops", to: store)
        let (s, before, key) = try await buildApplication(store: store, name: "talks.example.org").test(.router) {
            client in
            let api = API(client: client, operatorToken: operatorToken, store: store)
            let s = try await api.openTalks()
            _ = try await Self.post("kept", as: s["us-principal"], in: s, api: api)
            return (
                s, try await api.call(.get, s.path("/checkpoint"), token: s["us-principal"]).text,
                try await api.call(.get, "/key").text
            )
        }
        #expect(key.hasPrefix("talks.example.org+"))
        try await buildApplication(store: store, name: "another.name").test(.router) { client in
            let api = API(client: client, operatorToken: operatorToken, store: store)
            let keyAfter = try await api.call(.get, "/key").text
            let checkpointAfter = try await api.call(.get, s.path("/checkpoint"), token: s["us-principal"]).text
            #expect(keyAfter == key)
            #expect(checkpointAfter == before)
        }
    }
}

/// A store that has lost one event of every talks: what a database tampered with under the
/// server gives when events are read by number.
struct HoleyStore: ForwardingStore {
    let inner = MemoryTalksStore()
    let missing: Int

    func links(of talks: TalksID, seqs: [Int]) async throws -> [RecordChain.Link] {
        try await inner.links(of: talks, seqs: seqs).filter { $0.seq != missing }
    }
}

extension CheckpointsAndProofsTests {
    /// A log built from a store that lacks an event is refused, not built with its leaves
    /// misplaced, and not waited for forever.
    @Test(.timeLimit(.minutes(1)), arguments: [3, 5])
    func aLogIsNotBuiltOverAMissingEvent(missing: Int) async throws {
        let store = HoleyStore(missing: missing)
        let (id, _, member, _) = try await TalksHub(store: store).openWithEnvoy()
        for n in 1...3 {
            _ = try await TalksHub(store: store).submit(
                .post(channel: .room(party: "US"), text: "\(n)"),
                in: id,
                by: member
            )
        }
        // A new hub holds no log yet: it builds one from the store.
        await #expect {
            try await TalksHub(store: store).checkpoint(in: id, for: member)
        } throws: { error in
            "\(error)" == "event \(missing) of a stored talks cannot be read"
        }
    }
}
