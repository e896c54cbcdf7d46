import Foundation
import Hummingbird
import Talks
import TalksStore
import TransparencyLog

/// The caller's share of the record: its events page by page, its export, the verdict on the
/// chain. The live stream is a WebSocket (``TalksStream``); a plain GET of it is answered here.
struct RecordController: APIController {
    let hub: TalksHub

    /// Most events one `GET /talks/{id}/events` returns.
    static let maximumPage = 1_000

    func addRoutes(to routes: APIRoutes) {
        routes.reads.get("/events", use: events)
        routes.reads.get("/export", use: export)
        routes.reads.get("/verification", use: verification)
        routes.reads.get("/checkpoint", use: checkpoint)
        routes.reads.get("/proof/inclusion", use: inclusionProof)
        routes.reads.get("/proof/consistency", use: consistencyProof)
        routes.open.get("/key", use: key)
        routes.open.get("/talks/:id/stream", use: streamWithoutUpgrade)
    }

    @Sendable func events(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let after = try request.integer(query: "after", default: 0, in: 0...Int.max)
        let limit = try request.integer(query: "limit", default: TalksHub.pageSize, in: 1...Self.maximumPage)
        let (events, more) = try await hub.visibleEvents(
            in: context.talks,
            for: context.member.id,
            after: after,
            limit: limit
        )
        return .text("{\"events\":[" + events.joined(separator: ",") + "],\"more\":\(more)}")
    }

    @Sendable func export(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let (id, member) = (context.talks, context.member.id)
        // Checked before the answer starts: a bad talks is an error status, not a cut body.
        _ = try await hub.visibleEvents(in: id, for: member, after: 0, limit: 1)
        let body = ResponseBody { [hub] writer in
            _ = try await hub.forEachPage(in: id, for: member, after: 0) { events in
                try await writer.write(ByteBuffer(string: events.map { $0 + "\n" }.joined()))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/jsonl"], body: body)
    }

    /// The verdict only: the head hash or a count would change with every event, telling the
    /// caller when others write in rooms it cannot see.
    @Sendable func verification(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try Answers.response(Answers.Verification(intact: try await hub.isRecordIntact(context.talks)))
    }

    /// The server's verifier key, `NAME+HASH+BASE64`: what every checkpoint's signature is
    /// checked with. Members should compare it with the one their operator gave them.
    @Sendable func key(_ request: Request, context: TalksRequestContext) async throws -> Response {
        .text(try await hub.signer().verifier.text + "\n", type: "text/plain; charset=utf-8")
    }

    /// The caller's checkpoint: a C2SP signed note over the size and root of their log.
    @Sendable func checkpoint(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let checkpoint = try await hub.checkpoint(in: context.talks, for: context.member.id)
        return .text(checkpoint.note, type: "text/plain; charset=utf-8")
    }

    @Sendable func inclusionProof(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let index = try request.integer(query: "index", in: 0...Int.max)
        let size = try request.integer(query: "size", in: 1...Int.max)
        let (leaf, proof) = try await hub.inclusionProof(
            in: context.talks,
            for: context.member.id,
            index: index,
            size: size
        )
        return try Answers.response(Answers.InclusionProof(leafHash: Self.base64(leaf), proof: proof.map(Self.base64)))
    }

    @Sendable func consistencyProof(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let from = try request.integer(query: "from", in: 1...Int.max)
        let to = try request.integer(query: "to", in: 1...Int.max)
        let proof = try await hub.consistencyProof(in: context.talks, for: context.member.id, from: from, to: to)
        return try Answers.response(Answers.ConsistencyProof(proof: proof.map(Self.base64)))
    }

    private static func base64(_ hash: [UInt8]) -> String { Data(hash).base64EncodedString() }

    @Sendable func streamWithoutUpgrade(_ request: Request, context: TalksRequestContext) async throws -> Response {
        throw Problem(
            .upgradeRequired,
            "the stream is a WebSocket: send the GET with Upgrade: websocket",
            headers: [.upgrade: "websocket"]
        )
    }
}
