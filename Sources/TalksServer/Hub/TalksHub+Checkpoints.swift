import Synchronization
public import Talks
public import TalksStore
public import TransparencyLog

/// A member's checkpoint as served: the size of their log it commits to, and the signed note.
public struct SignedCheckpoint: Sendable, Hashable {
    public var size: Int
    public var note: String
}

/// What a write answers beside its events: the inclusion proof of the writer's newest event
/// (leaf `index` of their log) in a checkpoint that holds it. Kept, it proves to anyone that the
/// server accepted the event: its line, this proof and the signature are all it takes.
public struct Receipt: Sendable, Hashable {
    public var index: Int
    public var checkpoint: SignedCheckpoint
    public var proof: [[UInt8]]
}

/// The record as each member can check it without trusting the server: a Merkle log of their
/// view (``ViewLogs``), checkpoints signed with the server's key, proofs, receipts.
///
/// Every number here counts only the member's own view, so nothing moves with activity they
/// cannot see (the same rule as ``MemberView``'s numbers).
extension TalksHub {
    /// The key checkpoints are signed with: the store's, or a new one stored at first use (the
    /// first start), named `keyName`.
    ///
    /// - Throws: ``StoreError/invalid(_:)`` when the stored key cannot be read.
    public nonisolated func signer() async throws -> NoteSigner {
        if let signer = signingKey.withLock({ $0 }) { return signer }
        let signer = try await Self.signer(of: store, naming: keyName)
        signingKey.withLock { $0 = signer }
        return signer
    }

    /// The signing key of `store`, made and stored, named `name`, if it holds none.
    ///
    /// - Throws: ``NoteError`` for a name a key cannot have; ``StoreError/invalid(_:)`` when the
    ///   stored key cannot be read.
    public static func signer(of store: any TalksStore, naming name: String) async throws -> NoteSigner {
        let stored = try await store.signingKey(storingIfNone: try NoteSigner(generatingNamed: name).text)
        do {
            return try NoteSigner(parsing: stored ?? "")
        } catch {
            throw StoreError.invalid("the store's signing key cannot be read: \(error)")
        }
    }

    /// The log origin of `member`'s view of `id`: the server's name, the talks, the member.
    static func origin(of member: MemberID, in id: TalksID, signer: NoteSigner) -> String {
        "\(signer.verifier.name)/talks/\(id)/members/\(member)"
    }

    /// `member`'s checkpoint: the size and root of their log now, signed.
    public nonisolated func checkpoint(in id: TalksID, for member: MemberID) async throws -> SignedCheckpoint {
        let signer = try await signer()
        let (size, root, cached) = try await withLog(of: member, in: id) { tree, size, cached in
            (size, cached?.size == size ? [] : tree.root(size: size), cached)
        }
        if let cached, cached.size == size { return cached }
        let signed = sign(root, size: size, of: member, in: id, with: signer)
        await remember(signed, of: member, in: id)
        return signed
    }

    /// The inclusion proof of `member`'s event at leaf `index` in their log's first `size`.
    ///
    /// - Throws: ``TalksError/rule(_:)`` (409, as every refusal that depends on the talks'
    ///   state) for numbers outside their log.
    public func inclusionProof(
        in id: TalksID,
        for member: MemberID,
        index: Int,
        size: Int
    ) async throws -> (leafHash: [UInt8], proof: [[UInt8]]) {
        try await withLog(of: member, in: id) { tree, held, _ in
            guard size >= 1, size <= held else { throw Self.outside("size=\(size)", held: held) }
            guard index >= 0, index < size else {
                throw TalksError.rule(
                    "index=\(index) is not a leaf of a log of \(size) (leaves are numbered from 0)"
                )
            }
            return (tree.leafHash(at: index), tree.inclusionProof(index: index, size: size))
        }
    }

    /// The consistency proof between sizes `from` and `to` of `member`'s log.
    ///
    /// - Throws: ``TalksError/rule(_:)`` for sizes outside their log or out of order.
    public func consistencyProof(in id: TalksID, for member: MemberID, from: Int, to: Int) async throws -> [[UInt8]] {
        try await withLog(of: member, in: id) { tree, held, _ in
            guard to <= held else { throw Self.outside("to=\(to)", held: held) }
            guard from >= 1 else { throw TalksError.rule("from=\(from): a proof from an empty log proves nothing") }
            guard from <= to else { throw TalksError.rule("from=\(from) is after to=\(to)") }
            return tree.consistencyProof(from: from, to: to)
        }
    }

    /// The root of `member`'s log at `size`, or `nil` when their log has not held that many.
    func root(of member: MemberID, in id: TalksID, size: Int) async throws -> [UInt8]? {
        try await withLog(of: member, in: id) { tree, held, _ in size >= 1 && size <= held ? tree.root(size: size) : nil
        }
    }

    /// The receipt for `member`'s event `number` (their own number, from 1), just written.
    public nonisolated func receipt(in id: TalksID, for member: MemberID, number: Int) async throws -> Receipt {
        let signer = try await signer()
        let (size, root, proof) = try await withLog(of: member, in: id) { tree, size, _ in
            (size, tree.root(size: size), tree.inclusionProof(index: number - 1, size: size))
        }
        // Not kept: a receipt's checkpoint is rarely asked for again at the same size, and
        // keeping it would cost every write another trip into the actor.
        let checkpoint = sign(root, size: size, of: member, in: id, with: signer)
        return Receipt(index: number - 1, checkpoint: checkpoint, proof: proof)
    }

    private static func outside(_ what: String, held: Int) -> TalksError {
        .rule("\(what) is beyond your log, which holds \(held) events")
    }

    /// The checkpoint of `member`'s log at `size`, whose root is `root`, signed (off the hub's
    /// actor: a signature is work for any core).
    private nonisolated func sign(
        _ root: [UInt8],
        size: Int,
        of member: MemberID,
        in id: TalksID,
        with signer: NoteSigner
    ) -> SignedCheckpoint {
        let checkpoint = Checkpoint(origin: Self.origin(of: member, in: id, signer: signer), size: size, rootHash: root)
        // A checkpoint's text is always a note's (it ends with a newline, has no control character).
        let note = try! SignedNote(signing: checkpoint.text, with: [signer]).formatted
        return SignedCheckpoint(size: size, note: note)
    }

    private func remember(_ signed: SignedCheckpoint, of member: MemberID, in id: TalksID) {
        guard let entry = loaded[id], (entry.checkpoints[member]?.size ?? -1) < signed.size else { return }
        entry.checkpoints[member] = signed
    }

    /// `body`'s answer over `member`'s log as the hub holds `id` now, its size, and their last
    /// signed checkpoint; run on the actor, so that the tree is never copied (it grows in place
    /// as events are folded in). Not read from the store first: a read's authentication has just
    /// brought the talks up to it (`MemberAuthenticator`), and a write's receipt is for what the
    /// write itself folded in; on PostgreSQL that would be a round trip more on every write.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for a member who is not in the talks; what `body` throws.
    func withLog<Answer: Sendable>(
        of member: MemberID,
        in id: TalksID,
        _ body: (MerkleTree, Int, SignedCheckpoint?) throws -> Answer
    ) async throws -> Answer {
        while true {
            let entry = try await load(id)
            guard let reader = entry.talks.state.members[member] else {
                throw StoreError.notFound("no member '\(member)' in talks '\(id)'")
            }
            let view = MemberView(of: reader, in: entry.talks.state)
            if let log = entry.logs[view.viewNumber], log.throughSeq == entry.seq {
                return try body(log.tree, view.count, entry.checkpoints[member])
            }
            try await build(view: view.viewNumber, readBy: reader, of: id)
        }
    }

    /// Brings the log of view `number` up to the events the hub holds of `id`, in the talks'
    /// turn, so that no event is folded in meanwhile: the lines it lacks are read from the store
    /// and presented as its readers receive them.
    private func build(view number: Int, readBy reader: Member, of id: TalksID) async throws {
        await takeTurn(id)
        defer { endTurn(id) }
        let entry = try await load(id)
        // Taken out while it grows (no copy of its storage); put back below, whatever happens.
        var log = entry.logs[number] ?? ViewLogs.Log(reader: reader)
        entry.logs[number] = nil
        defer { if loaded[id] === entry { entry.logs[number] = log } }
        let view = MemberView(view: number, readBy: log.reader, in: entry.talks.state)
        while log.tree.count < view.count {
            let seqs = Array(view.recordSeqs(after: log.tree.count, limit: Self.pageSize))
            let links = try await store.links(of: id, seqs: seqs)
            // An event missing from the store (a record tampered with under the server) would
            // misplace every leaf after it, or never let the log catch up.
            guard links.map(\.seq) == seqs else {
                throw UnreadableRecord(talks: id, seq: zip(seqs, links).first { $0 != $1.seq }?.0 ?? seqs[links.count])
            }
            for link in links {
                guard let event = try? RecordChain.decode(link.json),
                    let line = view.presentJSON(event, stored: link.json)
                else { throw UnreadableRecord(talks: id, seq: link.seq) }
                log.tree.append(leaf: line.utf8)
            }
        }
        log.throughSeq = entry.seq
    }
}
