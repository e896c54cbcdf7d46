/// Messages on the channels, and the mediator's relays between the shuttle channels.
extension Talks {
    /// The channel a member means by `name`, as the API names channels: `room` and `shuttle` are
    /// the member's own (the mediator, who has no room, names the party of a shuttle channel),
    /// the others as the record names them (`joint`, `track:NAME`).
    public static func channel(named name: String, party: String?, for member: Member) throws(TalksError) -> Channel {
        switch name {
        case "room":
            guard let own = member.party else {
                throw .forbidden("the mediator has no room; a delegation's room is open to its own members only")
            }
            return .room(party: own)
        case "shuttle":
            if let own = member.party { return .shuttle(party: own) }
            // A rule, not malformed input: it is the mediator's seat that needs the party.
            guard let party else { throw .rule("the mediator names the party of the shuttle channel: \"party\"") }
            return .shuttle(party: party)
        default:
            switch Channel(name) {
            case .joint?: return .joint
            case .track(let track)?: return .track(track)
            default: throw .invalid("channel must be room, shuttle, joint or track:NAME")
            }
        }
    }

    func post(_ message: String, on channel: Channel, by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireWritable(channel, by: member)
        if case .room(let party) = channel, state.sealedRooms {
            try requireSealed(message, in: party)
            return [.messagePosted(channel: channel, author: member.id, text: message)]
        }
        return [.messagePosted(channel: channel, author: member.id, text: try text(message, what: "a message"))]
    }

    func relay(
        message seq: Int,
        to party: String,
        mode: RelayMode,
        paraphrase: String?,
        by member: Member
    ) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "relay messages")
        // Errors name no message number: the caller's number is not the record's.
        guard let message = state.messages[seq], case .shuttle(let from) = message.channel else {
            throw .rule("only a party's message on its shuttle channel can be relayed")
        }
        try requireParty(party)
        guard party != from else { throw .rule("that message came from \(from); relay it to another party") }
        // A text is checked whenever it is given, as the API document says, even where unused.
        if let paraphrase, mode != .paraphrase { _ = try text(paraphrase, what: "a paraphrase") }
        switch mode {
        case .withhold:
            return [.relayDecided(message: seq, party: party, mode: .withhold)]
        case .verbatim:
            return [
                .relayDecided(message: seq, party: party, mode: .verbatim),
                .messageRelayed(party: party, text: message.text),
            ]
        case .paraphrase:
            let wording = try text(paraphrase ?? "", what: "a paraphrase")
            return [
                .relayDecided(message: seq, party: party, mode: .paraphrase),
                .messageRelayed(party: party, text: wording),
            ]
        }
    }

    /// Whether `member` may write on `channel`.
    private func requireWritable(_ channel: Channel, by member: Member) throws(TalksError) {
        switch channel {
        case .room(let party):
            try requireParty(party)
            guard member.party == party else { throw .forbidden("a delegation's room is open to its own members only") }
        case .shuttle(let party):
            try requireParty(party)
            guard member.isMediator || member.party == party else {
                throw .forbidden("\(party)'s shuttle channel joins \(party) and the mediator only")
            }
        case .joint:
            guard state.jointSessionOpen else {
                throw .rule("no joint session is open; it opens when every party consents")
            }
        case .track(let name):
            guard let track = state.tracks[name] else { throw .notFound("no track '\(name)'") }
            guard member.isMediator || track.members.contains(member.id) else {
                throw .forbidden("only the members of track '\(name)' write in it")
            }
        case .plenary, .mediator:
            throw .invalid("messages go to a room, a shuttle channel, the joint session or a track")
        }
    }
}
