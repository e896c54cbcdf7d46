import Talks
import TalksStore

/// Credentials already looked up, by token hash: a token never changes owner or version, so
/// each is read from the store once. Whether it still opens a seat is asked of the talks' state
/// every time, so this cache cannot be wrong about a replaced link or a removed member.
struct CredentialCache {
    private var byHash: [String: Credential] = [:]
    /// Credentials remembered before the cache starts again.
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    subscript(hash: String) -> Credential? { byHash[hash] }

    mutating func remember(_ credential: Credential, _ hash: String) {
        if byHash.count >= limit, byHash[hash] == nil { byHash.removeAll(keepingCapacity: true) }
        byHash[hash] = credential
    }
}

/// Who holds a token: members, through their credentials and the talks' state; operators,
/// through the store.
extension TalksHub {
    /// Who holds `token`: a member whose link it still is, a revoked link, or nobody.
    ///
    /// On a shared store this reads what other instances appended first, so that no instance
    /// trusts a link another has replaced or a member it has removed. `beforeSubmitting` skips
    /// that read for a caller about to ``submit(_:in:by:link:)`` with the link's version: the
    /// command is decided on the record's latest state, and the link checked against it there.
    public func authenticate(token: String, beforeSubmitting: Bool = false) async throws -> Caller {
        let hash = Tokens.hash(token)
        var found = credentials[hash]
        if found == nil { found = try await store.credential(tokenHash: hash) }
        guard var credential = found else { return .unknown }
        // Cached whatever its fate: a revoked token asked again is answered without the store.
        credentials.remember(credential, hash)
        var state = try await (beforeSubmitting ? load(credential.talks) : current(credential.talks)).talks.state
        if beforeSubmitting,
            Self.revocation(of: credential.member, link: credential.version, in: state) != nil
                || state.members[credential.member] == nil
        {
            // Perhaps a link or a member another instance has just made: no refusal on a state held.
            state = try await current(credential.talks).talks.state
        }
        if let revoked = Self.revocation(of: credential.member, link: credential.version, in: state) {
            return .revoked(talks: credential.talks, reason: revoked.reason)
        }
        guard let member = state.members[credential.member] else { return .unknown }
        if !credential.opened {
            try await store.markOpened(tokenHash: hash)
            credential.opened = true
            credentials.remember(credential, hash)
        }
        return .member(talks: credential.talks, member: member, version: credential.version)
    }

    /// Why version `link` of `member`'s link no longer opens their seat in `state`, if it does not.
    static func revocation(of member: MemberID, link: Int, in state: TalksState) -> LinkRevoked? {
        if state.removedMembers.contains(member) {
            return LinkRevoked(reason: "this link's member was removed from the talks")
        }
        guard state.members[member] != nil, link != state.linkVersion(of: member) else { return nil }
        return LinkRevoked(reason: "this link was replaced by a newer one; ask the mediator for it")
    }

    /// The operator `token` belongs to. Not cached: an operator removed from the command line
    /// (another process) loses access at once.
    public func authenticateOperator(token: String) async throws -> String? {
        try await store.operatorName(tokenHash: Tokens.hash(token))
    }
}
