/// Sealed rooms: each delegate's page registers a P-256 key, a delegation's pages share the
/// room's AES key wrapped to each other's keys, and the room takes only messages sealed with its
/// current key. The talks checks who may hand keys to whom and that a departed member's key is
/// replaced; it never holds a key that opens anything.
extension Talks {
    func registerSealingKey(_ publicKey: String, by member: Member) throws(TalksError) -> [TalksEvent] {
        let party = try sealedRoomParty(of: member, "register a sealing key")
        guard RoomKeyShare.isSealingKey(publicKey) else {
            throw .invalid("a sealing key is the base64 of a 65-byte uncompressed P-256 public key")
        }
        return [.sealingKeyRegistered(member: member.id, party: party, publicKey: publicKey)]
    }

    func shareRoomKey(_ share: RoomKeyShare, by member: Member) throws(TalksError) -> [TalksEvent] {
        let party = try sealedRoomParty(of: member, "share a room key")
        try requireWellFormed(share)
        guard state.sealingKeys[member.id] == share.senderKey else {
            throw .rule("'senderKey' is not your registered sealing key; register it first")
        }
        let room = state.roomKeys[party] ?? TalksState.RoomKeys()
        if room.keys.contains(share.key) {
            guard share.replaces == nil else { throw .rule("room key \(share.key) exists; it replaces nothing now") }
        } else {
            guard share.replaces == room.current else {
                throw .rule(
                    room.current.map { "the room's key is now \($0); a new key replaces it" }
                        ?? "the room has no key yet; its first replaces nothing"
                )
            }
        }
        for wrap in share.wrapped {
            guard let colleague = state.members[wrap.member], colleague.party == party else {
                throw .rule("\(wrap.member) is not a member of \(party)'s delegation")
            }
            guard state.sealingKeys[wrap.member] == wrap.publicKey else {
                throw .rule("\(wrap.member)'s sealing key has changed; wrap to the registered one")
            }
            guard room.holders[share.key]?[wrap.member] != wrap.publicKey else {
                throw .rule("\(wrap.member) already holds room key \(share.key)")
            }
        }
        return [.roomKeyShared(party: party, from: member.id, share: share)]
    }

    /// Whether a sealed room takes `text`: an envelope sealed with the room's current key.
    func requireSealed(_ text: String, in party: String) throws(TalksError) {
        let envelope = try SealedEnvelope(parsing: text)
        guard let room = state.roomKeys[party], let current = room.current else {
            throw .rule("\(party)'s room has no key yet; a member's page makes one when it opens the room")
        }
        guard !room.needsNewKey else {
            throw .rule(
                "\(party)'s room needs a new key since a member left or was given a new link; a member's page makes it"
            )
        }
        guard envelope.key == current else { throw .rule("the room's key is now \(current); seal the message with it") }
    }

    private func requireWellFormed(_ share: RoomKeyShare) throws(TalksError) {
        guard RoomKeyShare.isKeyID(share.key), share.replaces.map(RoomKeyShare.isKeyID) ?? true else {
            throw .invalid("a room key's id is 32 lowercase hex digits")
        }
        guard !share.wrapped.isEmpty else { throw .invalid("'wrapped' names at least one member") }
        guard Set(share.wrapped.map(\.member)).count == share.wrapped.count else {
            throw .invalid("'wrapped' names each member once")
        }
        guard share.wrapped.allSatisfy({ RoomKeyShare.isWrap($0.wrap) }) else {
            throw .invalid("a wrap is the base64 of 60 bytes: nonce, room key and tag")
        }
    }

    private func sealedRoomParty(of member: Member, _ action: String) throws(TalksError) -> String {
        guard let party = member.party else {
            throw .forbidden("the mediator has no room; only a delegate may \(action)")
        }
        guard state.sealedRooms else { throw .rule("the rooms of these talks are not sealed") }
        return party
    }
}
