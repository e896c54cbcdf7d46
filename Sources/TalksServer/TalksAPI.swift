import Foundation
import Hummingbird
import NegotiationEngine
import Talks
import TalksStore

/// The HTTP routes. Each authenticates the caller, turns the body into a command or a query,
/// and lets the talks decide; what a caller reads always goes through ``Visibility``.
struct TalksAPI: Sendable {
    let hub: TalksHub
    typealias Context = TalksRequestContext

    func register(on router: Router<Context>) {
        router.get("/openapi.json") { _, _ in Self.text(OpenAPI.document) }
        // The stream is a WebSocket (``TalksStream``); a plain GET reaches here.
        router.get("/talks/:id/stream") { _, _ -> Response in
            throw Problem(.upgradeRequired, "the stream is a WebSocket: send the GET with Upgrade: websocket", headers: [.upgrade: "websocket"])
        }
        router.post("/talks") { request, context in try await handle { try await createTalks(request, context) } }
        registerOperatorRoutes(on: router)
        let talks = router.group("/talks/:id")
        talks.post("/members") { request, context in
            try await handle {
                let (id, caller) = try await authenticate(request, context)
                let body = try await decode(request, context, as: Requests.Invite.self)
                let (member, token) = try await hub.invite(party: body.party, name: body.name, role: body.role, affiliation: body.affiliation, in: id, by: caller.id)
                return try Answers.response(Answers.Invited(memberId: member.rawValue, token: token), status: .created)
            }
        }
        talks.get("/members") { request, context in
            try await handle {
                let (id, caller) = try await authenticate(request, context)
                guard caller.isMediator else { throw Problem(.forbidden, "only the mediator sees who has opened their link") }
                let state = try await hub.talks(id).state
                let opened = try await hub.linksOpened(in: id)
                let members = state.members.values.sorted { ($0.isMediator ? 0 : 1, $0.party ?? "", $0.name) < ($1.isMediator ? 0 : 1, $1.party ?? "", $1.name) }
                return try Answers.response(Answers.Members(members: members.map { member in
                    Answers.Members.Entry(memberId: member.id.rawValue, name: member.name, role: member.role?.rawValue ?? "mediator",
                                          party: member.party, affiliation: member.affiliation, linkOpened: opened[member.id] ?? false)
                }))
            }
        }
        talks.post("/members/:member/link") { request, context in
            try await handle {
                let (id, caller) = try await authenticate(request, context)
                let token = try await hub.replaceLink(of: MemberID(try context.parameters.require("member")), in: id, by: caller.id)
                return try Answers.response(Answers.Token(token: token), status: .created)
            }
        }
        talks.delete("/members/:member") { request, context in
            try await command(request, context, status: .ok) { _ in .removeMember(MemberID(try context.parameters.require("member"))) }
        }
        talks.post("/messages") { request, context in
            try await command(request, context) { caller in
                let body = try await decode(request, context, as: Requests.Message.self)
                return .post(channel: try channel(body, caller: caller), text: body.text)
            }
        }
        talks.post("/relays") { request, context in
            try await command(request, context) { _ in
                let body = try await decode(request, context, as: Requests.Relay.self)
                return .relay(message: body.message, party: body.party, mode: body.mode, text: body.text)
            }
        }
        talks.post("/proposals") { request, context in
            try await command(request, context) { _ in
                let body = try await decode(request, context, as: Requests.Proposal.self)
                return .propose(try body.content(), parties: body.parties ?? [])
            }
        }
        talks.post("/proposals/:proposal/forward") { request, context in
            try await command(request, context) { _ in
                .forward(proposal: try context.parameters.require("proposal"), party: try await decode(request, context, as: Requests.Forward.self).party)
            }
        }
        talks.post("/proposals/:proposal/answer") { request, context in
            try await command(request, context) { _ in
                let body = try await decode(request, context, as: Requests.AnswerBody.self)
                return .answer(proposal: try context.parameters.require("proposal"), answer: body.answer, counter: try body.counter?.content())
            }
        }
        talks.post("/proposals/:proposal/improvements") { request, context in
            try await command(request, context) { _ in
                let body = try await decode(request, context, as: Requests.Improvement.self)
                return .proposeImprovement(of: try context.parameters.require("proposal"), package: body.package)
            }
        }
        talks.put("/agenda") { request, context in
            try await command(request, context) { _ in .setAgenda(try await decode(request, context, as: Requests.Agenda.self).issues) }
        }
        talks.put("/phase") { request, context in
            try await command(request, context) { _ in .changePhase(try await decode(request, context, as: Requests.PhaseBody.self).phase) }
        }
        talks.put("/deadline") { request, context in
            try await command(request, context) { _ in .setDeadline(try await decode(request, context, as: Requests.Deadline.self).date) }
        }
        talks.post("/tracks") { request, context in
            try await command(request, context) { _ in
                let body = try await decode(request, context, as: Requests.Track.self)
                return .openTrack(name: body.name, level: body.level, issues: body.issues ?? [], members: body.members ?? [])
            }
        }
        talks.post("/clauses") { request, context in
            try await command(request, context) { _ in
                let body = try await decode(request, context, as: Requests.Clause.self)
                return .addClause(title: body.title, text: body.text)
            }
        }
        talks.post("/clauses/:clause/alternatives") { request, context in
            try await command(request, context) { _ in
                .proposeAlternative(clause: try context.parameters.require("clause"), text: try await decode(request, context, as: Requests.Text.self).text)
            }
        }
        talks.post("/clauses/:clause/settle") { request, context in
            try await command(request, context) { _ in
                let body = try await decode(request, context, as: Requests.Settle.self)
                return .settleClause(clause: try context.parameters.require("clause"), status: body.status, text: body.text, track: body.track)
            }
        }
        talks.post("/rounds") { request, context in
            try await command(request, context) { _ in
                let body = try await decode(request, context, as: Requests.RoundBody.self)
                return .scheduleRound(date: body.date, venue: body.venue, level: body.level, format: body.format)
            }
        }
        talks.post("/rounds/:round/readouts") { request, context in
            try await command(request, context) { _ in
                .publishReadout(round: try context.parameters.require("round"), text: try await decode(request, context, as: Requests.Text.self).text)
            }
        }
        talks.post("/rounds/:round/statement") { request, context in
            try await command(request, context) { _ in
                .publishJointStatement(round: try context.parameters.require("round"), text: try await decode(request, context, as: Requests.Text.self).text)
            }
        }
        talks.post("/joint-session/consent") { request, context in try await command(request, context) { _ in .consentToJointSession } }
        talks.post("/joint-session/open") { request, context in try await command(request, context) { _ in .openJointSession } }
        talks.post("/joint-session/close") { request, context in try await command(request, context) { _ in .closeJointSession } }
        talks.put("/preferences") { request, context in
            try await command(request, context) { _ in .storePreferences(try await decode(request, context, as: Preferences.self)) }
        }
        talks.put("/guesses/:party") { request, context in
            try await command(request, context) { _ in
                // Party names hold spaces ("United States"), percent-encoded in the path.
                let party = try context.parameters.require("party")
                return .storeGuess(about: party.removingPercentEncoding ?? party, try await decode(request, context, as: Preferences.self))
            }
        }
        talks.post("/rehearsals") { request, context in
            try await rehearse(request, context)
        }
        talks.get("/suggestions") { request, context in
            try await handle {
                let (id, caller) = try await authenticate(request, context)
                guard caller.isMediator else { throw Problem(.forbidden, "only the mediator asks for suggested packages") }
                let limit = try Self.query(request, "limit", default: 5, in: 1...50)
                return try Answers.response(Answers.Suggested(try await hub.talks(id).suggestions(limit: limit)))
            }
        }
        talks.get("/improvements") { request, context in
            try await handle {
                let (id, caller) = try await authenticate(request, context)
                guard caller.isMediator else { throw Problem(.forbidden, "only the mediator asks for improvements") }
                guard let proposal = request.uri.queryParameters["proposal"].map(String.init), !proposal.isEmpty else {
                    throw Problem(.unprocessableContent, "query parameter 'proposal' names the agreed proposal to improve on (proposal=P3)")
                }
                let limit = try Self.query(request, "limit", default: 5, in: 1...50)
                return try Answers.response(Answers.Suggested(try await hub.talks(id).improvements(of: proposal, limit: limit)))
            }
        }
        talks.post("/utility") { request, context in
            try await handle {
                let (id, caller) = try await authenticate(request, context)
                guard let party = caller.party else { throw Problem(.forbidden, "the mediator has no utility; each party sees only its own") }
                let body = try await decode(request, context, as: Requests.Utility.self)
                guard let utility = try await hub.talks(id).utility(of: body.package, for: party) else {
                    throw Problem(.conflict, "no utility: store your preferences first, and name an option for every agenda issue")
                }
                return try Answers.response(Answers.Utility(party: party, utility: utility))
            }
        }
        talks.get("/me") { request, context in
            try await handle {
                let (id, caller) = try await authenticate(request, context)
                let state = try await hub.talks(id).state
                return try Answers.response(Answers.Me(talks: id.rawValue, memberId: caller.id.rawValue, name: caller.name,
                                                       role: caller.role?.rawValue ?? "mediator", party: caller.party, title: state.title, parties: state.parties))
            }
        }
        talks.get("/verification") { request, context in
            try await handle {
                let (id, _) = try await authenticate(request, context)
                // The verdict only: the head hash or a count would change with every event,
                // telling the caller when others write in rooms it cannot see.
                return try Answers.response(Answers.Verification(intact: try await hub.isRecordIntact(id)))
            }
        }
        talks.get("/events") { request, context in
            try await handle {
                let (id, caller) = try await authenticate(request, context)
                let after = try Self.query(request, "after", default: 0, in: 0...Int.max)
                let limit = try Self.query(request, "limit", default: TalksHub.pageSize, in: 1...Self.maximumPage)
                let (events, more) = try await hub.visibleEvents(in: id, for: caller.id, after: after, limit: limit)
                return Self.text("{\"events\":[" + events.joined(separator: ",") + "],\"more\":\(more)}")
            }
        }
        talks.get("/export") { request, context in
            try await handle {
                let (id, caller) = try await authenticate(request, context)
                // Checked before the answer starts: a bad talks is an error status, not a cut body.
                _ = try await hub.visibleEvents(in: id, for: caller.id, after: 0, limit: 1)
                let body = ResponseBody { [hub] writer in
                    _ = try await hub.forEachPage(in: id, for: caller.id, after: 0) { events in
                        try await writer.write(ByteBuffer(string: events.map { $0 + "\n" }.joined()))
                    }
                    try await writer.finish(nil)
                }
                return Response(status: .ok, headers: [.contentType: "application/jsonl"], body: body)
            }
        }
    }

    /// The routes that are about the service rather than one talks: health, and what operators do.
    private func registerOperatorRoutes(on router: Router<Context>) {
        // For load balancers and monitors: no token, nothing about any talks.
        router.get("/health") { _, _ in
            do {
                try await hub.store.ping()
            } catch {
                throw Problem(.serviceUnavailable, "the store does not answer")
            }
            return Self.text("{\"status\":\"ok\"}")
        }
        // Prometheus text, for the operators: service-wide counts move with every talks' traffic,
        // so members may not read them.
        router.get("/metrics") { request, _ in
            try await handle {
                _ = try await authenticateOperator(request)
                return Self.text(ServerMetrics.text(), type: "text/plain; version=0.0.4")
            }
        }
        router.get("/operator") { request, _ in
            try await handle { try Answers.response(Answers.Operator(name: try await authenticateOperator(request))) }
        }
        router.get("/operator/talks") { request, _ in
            try await handle {
                let name = try await authenticateOperator(request)
                var list: [Answers.OperatorTalks.Entry] = []
                // From each talks' first event: listing does not load them.
                for id in try await hub.talks(openedBy: name) {
                    let (title, parties, mediator) = try await hub.opening(of: id)
                    list.append(.init(id: id.rawValue, title: title, parties: parties, mediator: mediator.name))
                }
                return try Answers.response(Answers.OperatorTalks(talks: list))
            }
        }
        router.post("/operator/talks/:id/mediator-link") { request, context in
            try await handle {
                let name = try await authenticateOperator(request)
                let id = TalksID(try context.parameters.require("id"))
                guard try await hub.talks(openedBy: name).contains(id) else { throw Problem(.notFound, "you opened no talks '\(id)'") }
                let mediator = MemberID("mediator")
                return try Answers.response(Answers.Token(token: try await hub.replaceLink(of: mediator, in: id, by: mediator)), status: .created)
            }
        }
    }

    // MARK: - Helpers

    /// Only an operator opens talks: any other token, a mediator's included, is 401.
    private func createTalks(_ request: Request, _ context: Context) async throws -> Response {
        let operatorName = try await authenticateOperator(request)
        let body = try await decode(request, context, as: Requests.CreateTalks.self)
        let (id, mediator, token) = try await hub.open(title: body.title, parties: body.parties, mediatorName: body.mediator ?? "Mediator", openedBy: operatorName)
        return try Answers.response(Answers.Opened(id: id.rawValue, mediatorId: mediator.rawValue, mediatorToken: token), status: .created)
    }

    /// The body as JSON; malformed JSON is a 422 naming the field, an oversized body a 413.
    private func decode<T: Decodable>(_ request: Request, _ context: Context, as type: T.Type) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    /// The operator a bearer token belongs to; 401 for any other token.
    private func authenticateOperator(_ request: Request) async throws -> String {
        guard let token = Self.bearer(request.headers[.authorization]), let name = try await hub.authenticateOperator(token: token) else {
            throw Problem(.unauthorized, "an operator's bearer token is required")
        }
        return name
    }

    /// Authenticates, builds the command, runs it, answers 201 with the last event's number.
    private func command(
        _ request: Request, _ context: Context, status: HTTPResponse.Status = .created, _ build: (Member) async throws -> TalksCommand
    ) async throws -> Response {
        try await handle {
            let (id, caller, link) = try await authenticate(request, context, beforeSubmitting: true)
            let command = try await build(caller)
            // In the caller's own numbers, both ways (``MemberView``).
            let numbers = try await hub.submit(command, in: id, by: caller.id, link: link)
            // Written by hand: this is the answer to every write, the hottest path of the API.
            return Self.text("{\"events\":[\(numbers.map(String.init).joined(separator: ","))],\"seq\":\(numbers.last ?? 0)}", status: status)
        }
    }

    /// A step of a rehearsal, answered to the delegation alone: the first (no moves yet) records
    /// in its room that it rehearsed; every step replays the rehearsal from the moves sent.
    private func rehearse(_ request: Request, _ context: Context) async throws -> Response {
        try await handle {
            let (id, caller, link) = try await authenticate(request, context, beforeSubmitting: true)
            guard let party = caller.party else { throw Problem(.forbidden, "the mediator does not rehearse; delegations rehearse in their rooms") }
            let body = try await decode(request, context, as: Requests.Rehearsal.self)
            if body.moves.isEmpty {
                _ = try await hub.submit(.recordRehearsal(body.settings), in: id, by: caller.id, link: link)
            }
            let transcript = try await hub.talks(id).rehearse(for: party, body.settings, moves: body.moves)
            return try Answers.response(transcript)
        }
    }

    /// The caller: a bearer token for this talks.
    func authenticate(_ request: Request, _ context: Context) async throws -> (TalksID, Member) {
        let (id, member, _) = try await authenticate(request, context, beforeSubmitting: false)
        return (id, member)
    }

    /// The caller and the version of their link (see ``TalksHub/authenticate(token:beforeSubmitting:)``).
    private func authenticate(_ request: Request, _ context: Context, beforeSubmitting: Bool) async throws -> (TalksID, Member, link: Int) {
        let id = TalksID(try context.parameters.require("id"))
        guard let token = Self.bearer(request.headers[.authorization]) else { throw Problem.unauthorized }
        switch try await hub.authenticate(token: token, beforeSubmitting: beforeSubmitting) {
        case .unknown:
            throw Problem.unauthorized
        case .revoked(let talks, let reason):
            throw talks == id ? Problem(.unauthorized, reason) : Problem.unauthorized
        case .member(let talks, let member, let version):
            // Do not confirm whether another talks exists.
            guard talks == id else { throw Problem(.forbidden, "the token does not belong to these talks") }
            return (id, member, version)
        }
    }

    /// Most events one `GET /talks/{id}/events` returns.
    static let maximumPage = 1_000

    /// The integer query parameter `name`: `fallback` when absent, 422 when it is not a whole
    /// number in `range` (never a silent default).
    static func query(_ request: Request, _ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(Problem) -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            let bounds = range.upperBound == Int.max ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            throw Problem(.unprocessableContent, "query parameter '\(name)' must be a whole number \(bounds), not '\(text.prefix(40))'")
        }
        return value
    }

    static func bearer(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    private func channel(_ body: Requests.Message, caller: Member) throws(Problem) -> Channel {
        switch body.channel {
        case "room":
            guard let party = caller.party else { throw Problem(.forbidden, "the mediator has no room; a delegation's room is open to its own members only") }
            return .room(party: party)
        case "shuttle":
            if let party = caller.party { return .shuttle(party: party) }
            // 409, not 422: the body is well formed; it is the mediator's seat that needs the party.
            guard let party = body.party else { throw Problem(.conflict, "the mediator names the party of the shuttle channel: \"party\"") }
            return .shuttle(party: party)
        default:
            // The rest are named as the record names them: `joint`, `track:NAME`.
            switch Channel(body.channel) {
            case .joint?: return .joint
            case .track(let name)?: return .track(name)
            default: throw Problem(.unprocessableContent, "channel must be room, shuttle, joint or track:NAME")
            }
        }
    }

    private func handle(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            throw Problem.from(error)
        }
    }

    /// A response whose body is already written.
    static func text(_ body: String, status: HTTPResponse.Status = .ok, type: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
