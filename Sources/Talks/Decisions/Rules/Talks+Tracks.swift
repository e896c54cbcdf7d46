/// Tracks: working groups at one level, opened by the mediator.
extension Talks {
    func openTrack(
        _ name: String,
        level: TrackLevel,
        issues: [String],
        members: [MemberID],
        by member: Member
    ) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "open tracks")
        let name = try text(name, what: "a track's name")
        guard state.tracks[name] == nil else { throw .rule("track '\(name)' is already open") }
        for issue in issues where !state.agenda.contains(where: { $0.name == issue }) {
            throw .rule("'\(issue)' is not on the agenda")
        }
        for id in members {
            guard let delegate = state.members[id], let role = delegate.role else {
                throw .notFound("no delegate '\(id)'")
            }
            let fits = role == .observer || (level == .principal ? role == .principal : role != .principal)
            let article = [.expert, .observer].contains(role) ? "an" : "a"
            guard fits else {
                throw .rule(
                    "\(delegate.name) is \(article) \(role.rawValue) and cannot sit in a \(level.rawValue) track"
                )
            }
        }
        return [.trackOpened(name: name, level: level, issues: issues, members: Array(Set(members)).sorted())]
    }
}
