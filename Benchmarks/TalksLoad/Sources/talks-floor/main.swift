// The floor under `shuttle serve`'s cost per event: the routes talks-load uses, on the same HTTP
// and WebSocket stack (Hummingbird, the same middleware count), with nothing behind them: no
// authentication, no talks, no store, no hash chain. A message is decoded from JSON, given the
// next number, written as an event's JSON and handed to the talks' listeners; the answer is
// written as Shuttle writes it.
//
// What the server spends per event here, the HTTP request and the WebSocket frame, Shuttle
// cannot spend less on without another stack; the difference is Shuttle's own work.
//
// Usage: talks-floor serve --database IGNORED --port PORT (the arguments talks-load passes).
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import Synchronization

let arguments = CommandLine.arguments
let port = arguments.firstIndex(of: "--port").flatMap { Int(arguments[$0 + 1]) } ?? 18098

/// Each talks' next number and listeners.
final class Rooms: Sendable {
    private struct Room {
        var seq = 2
        var listeners: [UUID: AsyncStream<String>.Continuation] = [:]
    }

    private let rooms = Mutex<[String: Room]>([:])

    func post(_ text: String, in talks: String) -> Int {
        rooms.withLock { rooms in
            var room = rooms[talks] ?? Room()
            room.seq += 1
            let event = #"{"channel":"shuttle:A","seq":\#(room.seq),"text":"\#(text)","time":0,"type":"message-posted"}"#
            for listener in room.listeners.values { listener.yield(event) }
            rooms[talks] = room
            return room.seq
        }
    }

    func listen(to talks: String) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(4_096))
        let key = UUID()
        rooms.withLock { $0[talks, default: Room()].listeners[key] = continuation }
        continuation.onTermination = { [weak self] _ in self?.rooms.withLock { _ = $0[talks]?.listeners.removeValue(forKey: key) } }
        return stream
    }
}

struct Message: Decodable {
    var channel: String
    var text: String
}

/// As many middleware layers as Shuttle's router has, each doing as little.
struct PassThrough<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await next(request, context)
    }
}

let rooms = Rooms()
let router = Router()
for _ in 0..<4 { router.add(middleware: PassThrough()) }
func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
}
router.get("/openapi.json") { _, _ in text("{}") }
router.post("/talks") { _, _ in
    text(#"{"id":"\#(UUID().uuidString.prefix(8))","mediatorId":"mediator","mediatorToken":"m"}"#, status: .created)
}
router.post("/talks/:id/members") { _, _ in text(#"{"memberId":"a","token":"a"}"#, status: .created) }
router.post("/talks/:id/messages") { request, context in
    let body = try await request.body.collect(upTo: 256 * 1024)
    let message = try JSONDecoder().decode(Message.self, from: Data(body.readableBytesView))
    let seq = rooms.post(message.text, in: try context.parameters.require("id"))
    return text("{\"events\":[\(seq)],\"seq\":\(seq)}", status: .created)
}
let streams = Router(context: BasicWebSocketRequestContext.self)
streams.ws("/talks/:id/stream") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, context in
    let id = context.requestContext.parameters.get("id") ?? ""
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { for await event in rooms.listen(to: id) { try await outbound.write(.text(event)) } }
        for try await _ in inbound.messages(maxSize: 16_384) {}
        group.cancelAll()
    }
}
let app = Application(
    router: router,
    server: .http1WebSocketUpgrade(webSocketRouter: streams),
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "floor")
)
try await app.runService()
