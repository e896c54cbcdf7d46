import Hummingbird
import Talks
import TalksStore

/// The context of a route only an operator calls: it carries the operator's name.
struct OperatorRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let operatorName: String

    static let refusal = Problem(.unauthorized, "an operator's bearer token is required")

    init(context: TalksRequestContext) throws {
        guard case .operator(let name)? = context.identity else { throw Self.refusal }
        coreContext = context.coreContext
        operatorName = name
    }

    var maxUploadSize: Int { TalksRequestContext.maximumBodySize }
}

/// The context of a route a member of a talks calls: the talks, the caller's seat, and the
/// version of the link they came with (a command carries it to the state it is decided on).
struct MemberRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let talks: TalksID
    let member: Member
    let link: Int

    init(context: TalksRequestContext) throws {
        guard case .member(let talks, let member, let link)? = context.identity else { throw Problem.unauthorized }
        coreContext = context.coreContext
        self.talks = talks
        self.member = member
        self.link = link
    }

    var maxUploadSize: Int { TalksRequestContext.maximumBodySize }

    /// For a route only the mediator may call: 403 with `refusal` for anyone else.
    func requireMediator(_ refusal: String) throws(Problem) {
        guard member.isMediator else { throw Problem(.forbidden, refusal) }
    }

    /// For a route only a delegation calls: the caller's party, or 403 with `refusal` for the mediator.
    func requireParty(_ refusal: String) throws(Problem) -> String {
        guard let party = member.party else { throw Problem(.forbidden, refusal) }
        return party
    }
}
