import Talks

extension TalksStore {
    /// Copies this store's deployment into `destination`, which must hold none of it: the
    /// operators (with their token hashes), every talks with who opened it, its record event by
    /// event, and every credential. Each source record is checked link by link as it is read,
    /// and each copied event must come out as the same text under the same hash.
    ///
    /// Talks opened by an operator since removed are copied without their opener.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` when `destination` already holds an operator or a
    ///   talks; ``StoreError/invalid(_:)`` when a source record is broken or an event would not
    ///   be stored as the same text.
    public func copy(to destination: any TalksStore) async throws -> (talks: Int, events: Int) {
        // The key moves with the records: members' checkpoints stay verifiable by the key they hold.
        if let key = try await signingKey(storingIfNone: nil) {
            guard try await destination.signingKey(storingIfNone: key) == key else {
                throw StoreError.conflict("the destination has a signing key of its own")
            }
        }
        let hashes = try await operatorTokenHashes()
        var openers: [(TalksID, String?)] = []
        for item in try await operators() {
            try await destination.addOperator(item.name, tokenHash: hashes[item.name] ?? "", time: item.added)
            openers += try await talks(openedBy: item.name).map { ($0, item.name) }
        }
        let attributed = Set(openers.map(\.0))
        openers += try await allTalks().filter { !attributed.contains($0) }.map { ($0, nil) }
        var events = 0
        for (talks, opener) in openers {
            events += try await copyRecord(of: talks, openedBy: opener, to: destination)
        }
        for (hash, credential) in try await allCredentials().sorted(by: { $0.key < $1.key }) {
            try await destination.saveCredential(
                tokenHash: hash,
                talks: credential.talks,
                member: credential.member,
                version: credential.version
            )
            if credential.opened { try await destination.markOpened(tokenHash: hash) }
        }
        return (openers.count, events)
    }

    /// Copies one record a page at a time; returns how many events it held.
    private func copyRecord(
        of talks: TalksID,
        openedBy opener: String?,
        to destination: any TalksStore
    ) async throws -> Int {
        var checker = RecordChain.Checker()
        var after = 0
        while true {
            let page = try await links(of: talks, after: after, limit: 500)
            var events: [RecordedEvent] = []
            for link in page {
                let event = checker.check(link)
                guard case .intact = checker.verdict, let event else {
                    throw StoreError.invalid(
                        "the record of talks '\(talks)' is broken at event \(link.seq); run shuttle verify"
                    )
                }
                events.append(event)
            }
            guard let first = events.first else { break }
            var rest = page[...]
            if first.seq == 1 {
                let created = try await destination.create(talks, first: first, openedBy: opener)
                guard created == page[0] else {
                    throw StoreError.invalid(
                        "event 1 of talks '\(talks)' would not be stored as the same text; nothing more was copied"
                    )
                }
                rest = page.dropFirst()
            }
            // The links as they are, text and hashes: the copy's chain is the source's.
            guard try await destination.append(Array(rest), to: talks) else {
                throw StoreError.conflict("talks '\(talks)' was written to in the destination while it was copied")
            }
            after = page.last!.seq
            if page.count < 500 { break }
        }
        return after
    }
}
