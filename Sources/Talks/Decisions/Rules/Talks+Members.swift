/// Who holds a seat: invitations, links and removals, all the mediator's.
extension Talks {
    func invite(
        _ id: MemberID,
        party: String,
        name: String,
        role: Role,
        affiliation: String?,
        by member: Member
    ) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "invite delegates")
        try requireParty(party)
        guard state.members[id] == nil, !state.removedMembers.contains(id) else {
            throw .rule("member id '\(id)' is taken")
        }
        let name = try text(name, what: "a member's name")
        return [
            .memberInvited(
                Member(id: id, name: name, seat: .delegate(party: party, role: role), affiliation: affiliation)
            )
        ]
    }

    func replaceLink(of id: MemberID, by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "issue new links")
        guard let holder = state.members[id] else { throw .notFound("no member '\(id)' in these talks") }
        return [.memberLinkReplaced(member: id, party: holder.party)]
    }

    func remove(_ id: MemberID, by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "remove members")
        guard let leaving = state.members[id] else { throw .notFound("no member '\(id)' in these talks") }
        guard !leaving.isMediator else {
            throw .rule("the mediator's seat cannot be removed; give the mediator a new link instead")
        }
        return [.memberRemoved(member: id)]
    }
}
