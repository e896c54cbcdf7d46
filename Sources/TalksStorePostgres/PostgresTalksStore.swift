import Foundation
import Logging
import PostgresNIO
import Synchronization
public import Talks
public import TalksStore

/// The store on PostgreSQL (vapor/postgres-nio), for a service that outgrows one process: the
/// same record, credentials and operators as the SQLite store, and the same conformance suite.
///
/// Each append locks its talks' row for the transaction, so appends to one talks are serialised
/// by the database itself, whichever process makes them; appends that arrive while one is on its
/// way share the next statement and commit, across talks. The database refuses to update, delete
/// or truncate events. Tables live in `schema` and are brought up to date by versioned
/// migrations (``PostgresMigrations``) when the store opens.
public final class PostgresTalksStore: SharedTalksStore {
    private let client: PostgresClient
    private let running: Task<Void, Never>
    private let logger = Logger(label: "shuttle.postgres")
    private let gate: Gate
    /// This store among those appending to the database: its notices of its own appends are
    /// left out of ``appendNotices()``.
    private let origin = String(UUID().uuidString.prefix(8).lowercased())
    private let channel: String
    /// Appends that arrive while one is on its way to the database go together in the next
    /// statement: one round trip and one commit for many talks.
    private let appends: GroupCommit<Appending, Bool>

    /// How long the store waits for the database before it says the database is unavailable.
    public struct TimeLimits: Sendable {
        /// Opening the store: connecting and migrating. The driver's pool would retry for ever,
        /// and a command line should say what is wrong instead.
        public var opening: Duration
        /// One operation. While the database is down the driver's pool keeps requests waiting
        /// (for up to a minute), and a client is better told at once to come back.
        public var operation: Duration
        /// How long operations fail at once after the database was found unavailable, rather
        /// than each waiting out ``operation``.
        public var afterOutage: Duration

        public init(opening: Duration, operation: Duration, afterOutage: Duration) {
            self.opening = opening
            self.operation = operation
            self.afterOutage = afterOutage
        }

        /// A service's: 10 s to open, 5 s an operation, 1 s of failing fast after an outage.
        public static let service = TimeLimits(opening: .seconds(10), operation: .seconds(5), afterOutage: .seconds(1))
    }

    /// Connects to `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, `?sslmode=disable`,
    /// `prefer` (the default) or `require`) and migrates `schema`, creating it if need be.
    ///
    /// - Throws: ``StoreError/invalid(_:)`` for a malformed URL or schema name; ``Unreachable``
    ///   when the database does not answer within `limits.opening`.
    public init(url: String, schema: String = "public", limits: TimeLimits = .service) async throws {
        guard PostgresMigrations.isIdentifier(schema) else {
            throw StoreError.invalid(
                "a schema name is lowercase letters, digits and '_', starting with a letter; '\(schema)' is not"
            )
        }
        var configuration = try PostgresURL.configuration(url)
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        let client = PostgresClient(configuration: configuration)
        self.client = client
        let channel = Self.channel(for: schema)
        self.channel = channel
        let gate = Gate(limits: limits)
        self.gate = gate
        appends = GroupCommit { [logger, origin] group in
            await Self.commit(group, client: client, gate: gate, channel: channel, origin: origin, logger: logger)
        }
        running = Task { await client.run() }
        do {
            try await Self.within(limits.opening) { [client, logger] in
                try await PostgresMigrations.run(on: client, schema: schema, logger: logger)
            }
        } catch is CancellationError {
            running.cancel()
            throw Unreachable(limit: limits.opening)
        } catch {
            running.cancel()
            throw error
        }
    }

    /// The database did not answer in time.
    public struct Unreachable: Error, CustomStringConvertible {
        var limit: Duration
        public var description: String { "the database did not answer within \(limit)" }
    }

    /// Runs `body` against the database, within the operation's time limit (``Gate``).
    private func guarded<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result
    {
        try await gate.run(body)
    }

    /// Whether the database is answering, and how long to wait for it.
    ///
    /// Runs each operation within the operation's time limit. A lost connection, a database
    /// shutting down or starting, or no answer in time comes out as
    /// ``StoreError/unavailable(_:)``: nothing was acknowledged, and the caller may try again.
    /// After an outage is seen, operations fail at once for a while (``TimeLimits/afterOutage``)
    /// rather than each waiting out the time limit; the first after it tries the database again.
    final class Gate: Sendable {
        let limits: TimeLimits
        /// Until when operations fail at once, after the database was found unavailable.
        private let outage = Mutex<ContinuousClock.Instant?>(nil)

        init(limits: TimeLimits) {
            self.limits = limits
        }

        func run<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
            if let retry = outage.withLock({ $0 }), ContinuousClock.now < retry { throw PostgresTalksStore.unavailable }
            do {
                let result = try await PostgresTalksStore.within(limits.operation, body)
                outage.withLock { $0 = nil }
                return result
            } catch {
                let error = PostgresTalksStore.classified(error)
                if case StoreError.unavailable = error {
                    outage.withLock { [limits] in $0 = .now + limits.afterOutage }
                }
                throw error
            }
        }
    }

    /// Runs `body`, giving up after `limit`: the caller is answered then, whether or not `body`
    /// has yet noticed that it was cancelled (a transaction on a dead connection may not).
    static func within<Result: Sendable>(
        _ limit: Duration,
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let race = Race<Result>()
        return try await withCheckedThrowingContinuation { answer in
            race.state.withLock { $0.answer = answer }
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                let taken = race.take()
                taken.work?.cancel()
                taken.answer?.resume(throwing: CancellationError())
            }
            let work = Task {
                let result: Swift.Result<Result, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                let taken = race.take()
                taken.timer?.cancel()
                taken.answer?.resume(with: result)
            }
            race.state.withLock { state in
                state.work = work
                state.timer = timer
            }
        }
    }

    /// The work and its timer in ``within(_:_:)``: whichever ends first answers.
    final class Race<Result: Sendable>: Sendable {
        typealias State = (
            answer: CheckedContinuation<Result, any Error>?, work: Task<Void, Never>?, timer: Task<Void, Never>?
        )
        let state = Mutex<State>((nil, nil, nil))

        /// Everything, and the answer to whoever asks first.
        func take() -> State {
            state.withLock { state in
                defer { state.answer = nil }
                return state
            }
        }
    }

    /// What the caller's part of a held append threw, whatever it is: its own, not the database's.
    struct Decided: Error {
        var refusal: any Error
    }

    static let unavailable = StoreError.unavailable(
        "the database cannot be reached now; nothing was recorded: try again shortly"
    )

    /// `error` as the store reports it: the database's own refusals and the store's pass
    /// through; anything about reaching the database is ``unavailable``.
    static func classified(_ error: any Error) -> any Error {
        switch error {
        case let error as Decided:
            return error.refusal
        case is StoreError, is TalksError:
            return error
        case let error as PSQLError where error.code == .server:
            // Classes 08 (connection), 53 (resources) and 57 (shutting down, starting up).
            let state = error.serverInfo?[.sqlState] ?? ""
            return ["08", "53", "57"].contains(state.prefix(2)) ? unavailable : error
        case let error as PSQLError
        where [.messageDecodingFailure, .unexpectedBackendMessage, .invalidCommandTag, .tooManyParameters].contains(
            error.code
        ):
            return error
        case is PostgresDecodingError:
            return error
        default:
            // A lost or refused connection, the pool giving up, or the time limit.
            return unavailable
        }
    }

    deinit {
        running.cancel()
    }

    /// Whether `text` names a PostgreSQL database (`postgres://…`) rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        PostgresURL.isPostgres(text)
    }

    /// `url` with its password hidden, for messages and logs.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    public func create(_ talks: TalksID, first: RecordedEvent, openedBy: String?) async throws -> RecordChain.Link {
        guard first.seq == 1 else { throw StoreError.conflict("a talks starts with event 1, not \(first.seq)") }
        let link = RecordChain.link([first], after: RecordChain.genesis)[0]
        try await transaction { connection in
            let inserted = try await connection.query(
                "INSERT INTO talks (id, opened_by) VALUES (\(talks.rawValue), \(openedBy)) ON CONFLICT DO NOTHING RETURNING id",
                logger: self.logger
            )
            guard try await inserted.collect().count == 1 else {
                throw StoreError.conflict("talks '\(talks)' already exists")
            }
            try await self.insert([link], into: talks, on: connection)
        }
        return link
    }

    public func append(
        to talks: TalksID,
        holding known: Int,
        link: @escaping @Sendable ([RecordChain.Link]) async throws -> [RecordChain.Link]
    ) async throws -> [RecordChain.Link] {
        try await transaction { connection in
            // The talks' row, until the transaction ends: other instances' appends wait for it.
            let locked = try await connection.query(
                "SELECT id FROM talks WHERE id = \(talks.rawValue) FOR UPDATE",
                logger: self.logger
            )
            guard try await locked.collect().count == 1 else { throw StoreError.notFound("no talks '\(talks)'") }
            let newer = try await self.links(
                connection.query(
                    "SELECT seq, json, hash FROM event WHERE talks = \(talks.rawValue) AND seq > \(known) ORDER BY seq",
                    logger: self.logger
                )
            )
            let links: [RecordChain.Link]
            do { links = try await link(newer) } catch { throw Decided(refusal: error) }
            guard try StoreError.follows(links, after: newer.last?.seq ?? known, talks: talks) else {
                throw StoreError.conflict("talks '\(talks)' moved on while it was held")
            }
            try await self.insert(links, into: talks, on: connection)
            return links
        }
    }

    public func append(_ links: [RecordChain.Link], to talks: TalksID) async throws -> Bool {
        guard let first = links.first else { return true }
        // The statement checks that they follow the stored events; here, that they follow one another.
        _ = try StoreError.follows(links, after: first.seq - 1, talks: talks)
        return try await appends.submit(Appending(talks: talks, links: links))
    }

    /// One talks' part of a group of appends.
    struct Appending: Sendable {
        var talks: TalksID
        var links: [RecordChain.Link]
    }

    /// Appends `group` in one statement, and answers for each whether it was appended (false:
    /// another instance appended to its talks first). The talks are locked in the order of
    /// their ids, so that two instances' groups never wait for each other in a circle.
    private static func commit(
        _ group: [Appending],
        client: PostgresClient,
        gate: Gate,
        channel: String,
        origin: String,
        logger: Logger
    ) async -> [Result<Bool, any Error>] {
        let order = group.indices.sorted { (group[$0].talks.rawValue, $0) < (group[$1].talks.rawValue, $1) }
        let statement = AppendGroup(order.map { group[$0] }, channel: channel, origin: origin)
        let answers: [Int]
        do {
            answers = try await gate.run { try await Self.answers(client.execute(statement, logger: logger)) }
        } catch {
            return group.map { _ in .failure(error) }
        }
        var results = [Result<Bool, any Error>](repeating: .failure(UnansweredAppend()), count: group.count)
        for (index, answer) in zip(order, answers) {
            results[index] =
                answer < 0 ? .failure(StoreError.notFound("no talks '\(group[index].talks)'")) : .success(answer > 0)
        }
        return results
    }

    private static func answers(_ rows: some AsyncSequence<[Int], any Error>) async throws -> [Int] {
        var answers: [Int] = []
        for try await row in rows { answers = row }
        return answers
    }

    /// The statement of every append (``PostgresMigrations``' `shuttle_append`): several talks'
    /// events, each talks' appended only if it follows the last stored, and announced. Prepared
    /// once per connection, so that the database parses and plans it once.
    struct AppendGroup: PostgresPreparedStatement {
        static let sql = "SELECT shuttle_append($1, $2, $3, $4, $5, $6, $7)"
        typealias Row = [Int]
        var ids: [String] = []
        var counts: [Int] = []
        var seqs: [Int] = []
        var jsons: [String] = []
        var hashes: [String] = []
        var channel: String
        var payloads: [String] = []

        init(_ group: [Appending], channel: String, origin: String) {
            self.channel = channel
            for part in group {
                ids.append(part.talks.rawValue)
                counts.append(part.links.count)
                for link in part.links {
                    seqs.append(link.seq)
                    jsons.append(link.json)
                    hashes.append(link.hash)
                }
                payloads.append(PostgresTalksStore.payload(part.talks, part.links, from: origin))
            }
        }

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(ids)
            bindings.append(counts)
            bindings.append(seqs)
            bindings.append(jsons)
            bindings.append(hashes)
            bindings.append(channel)
            bindings.append(payloads)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> [Int] { try row.decode([Int].self) }
    }

    /// Inserts `links` and tells every instance listening, once the transaction commits: the
    /// statement of ``append(_:to:)``, for a talks this transaction creates or holds.
    private func insert(
        _ links: [RecordChain.Link],
        into talks: TalksID,
        on connection: PostgresConnection
    ) async throws {
        guard !links.isEmpty else { return }
        let statement = AppendGroup([Appending(talks: talks, links: links)], channel: channel, origin: origin)
        switch try await Self.answers(connection.execute(statement, logger: logger)).first {
        case .some(1): return
        case .some(-1): throw StoreError.notFound("no talks '\(talks)'")
        default: throw StoreError.conflict("talks '\(talks)' moved on while it was held")
        }
    }

    public func lastSeq(of talks: TalksID) async throws -> Int {
        try await guarded {
            let rows = try await self.client.query(
                "SELECT max(seq) FROM event WHERE talks = \(talks.rawValue)",
                logger: self.logger
            )
            for try await seq in rows.decode(Int?.self) { if let seq { return seq } }
            throw StoreError.notFound("no talks '\(talks)'")
        }
    }

    public func links(of talks: TalksID, after: Int, limit: Int?) async throws -> [RecordChain.Link] {
        try await guarded {
            try await self.requireTalks(talks)
            // LIMIT NULL is no limit.
            return try await self.links(
                self.client.query(
                    "SELECT seq, json, hash FROM event WHERE talks = \(talks.rawValue) AND seq > \(after) ORDER BY seq LIMIT \(limit)",
                    logger: self.logger
                )
            )
        }
    }

    public func links(of talks: TalksID, seqs: [Int]) async throws -> [RecordChain.Link] {
        try await guarded {
            try await self.requireTalks(talks)
            guard !seqs.isEmpty else { return [] }
            return try await self.links(
                self.client.query(
                    "SELECT seq, json, hash FROM event WHERE talks = \(talks.rawValue) AND seq = ANY(\(seqs)::bigint[]) ORDER BY seq",
                    logger: self.logger
                )
            )
        }
    }

    /// `body` in a transaction, within the time limit. What `body` throws comes out as itself
    /// rather than wrapped in the driver's transaction error; a failed `BEGIN` or `COMMIT` is
    /// the database being unavailable (a failed commit is not acknowledged, whatever happened).
    private func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        try await guarded {
            do {
                return try await self.client.withTransaction(logger: self.logger, body)
            } catch let error as PostgresTransactionError {
                throw error.closureError ?? error.beginError ?? error.commitError ?? error
            }
        }
    }

    private func links(_ rows: PostgresRowSequence) async throws -> [RecordChain.Link] {
        var links: [RecordChain.Link] = []
        for try await (seq, json, hash) in rows.decode((Int, String, String).self) {
            links.append(RecordChain.Link(seq: seq, json: json, hash: hash))
        }
        return links
    }

    private func requireTalks(_ talks: TalksID) async throws {
        let found = try await client.query("SELECT id FROM talks WHERE id = \(talks.rawValue)", logger: logger)
        guard try await found.collect().count == 1 else { throw StoreError.notFound("no talks '\(talks)'") }
    }

    public func allTalks() async throws -> [TalksID] {
        try await strings(query(#"SELECT id FROM talks ORDER BY id COLLATE "C""#)).map(TalksID.init)
    }

    public func talks(openedBy name: String) async throws -> [TalksID] {
        try await strings(query("SELECT id FROM talks WHERE opened_by = \(name) ORDER BY opened")).map(TalksID.init)
    }

    private func strings(_ rows: [PostgresRow]) throws -> [String] {
        try rows.map { try $0.decode(String.self) }
    }

    public func saveCredential(tokenHash: String, talks: TalksID, member: MemberID, version: Int) async throws {
        let inserted = try await query(
            """
            INSERT INTO credential (token_hash, talks, member, version) VALUES (\(tokenHash), \(talks.rawValue), \(member.rawValue), \(version))
            ON CONFLICT DO NOTHING RETURNING token_hash
            """
        )
        guard inserted.count == 1 else { throw StoreError.conflict("the token is already in use") }
    }

    public func credential(tokenHash: String) async throws -> Credential? {
        let rows = try await query(
            "SELECT talks, member, version, opened FROM credential WHERE token_hash = \(tokenHash)"
        )
        return try rows.first.map { row in
            let (talks, member, version, opened) = try row.decode((String, String, Int, Bool).self)
            return Credential(talks: TalksID(talks), member: MemberID(member), version: version, opened: opened)
        }
    }

    public func markOpened(tokenHash: String) async throws {
        _ = try await query("UPDATE credential SET opened = true WHERE token_hash = \(tokenHash)")
    }

    public func openedLinks(in talks: TalksID) async throws -> Set<MemberLink> {
        let rows = try await query("SELECT member, version FROM credential WHERE talks = \(talks.rawValue) AND opened")
        return Set(
            try rows.map { row in
                let (member, version) = try row.decode((String, Int).self)
                return MemberLink(member: MemberID(member), version: version)
            }
        )
    }

    public func addOperator(_ name: String, tokenHash: String, time: Double) async throws {
        try StoreError.checkOperatorName(name)
        let inserted = try await query(
            "INSERT INTO operator (name, token_hash, added) VALUES (\(name), \(tokenHash), \(time)) ON CONFLICT DO NOTHING RETURNING name"
        )
        guard inserted.count == 1 else { throw StoreError.conflict("there is already an operator named '\(name)'") }
    }

    public func operators() async throws -> [Operator] {
        try await query(#"SELECT name, added FROM operator ORDER BY name COLLATE "C""#).map { row in
            let (name, added) = try row.decode((String, Double).self)
            return Operator(name: name, added: added)
        }
    }

    public func removeOperator(_ name: String) async throws -> Bool {
        try await query("DELETE FROM operator WHERE name = \(name) RETURNING name").count == 1
    }

    public func operatorName(tokenHash: String) async throws -> String? {
        try await strings(query("SELECT name FROM operator WHERE token_hash = \(tokenHash)")).first
    }

    public func allCredentials() async throws -> [String: Credential] {
        var credentials: [String: Credential] = [:]
        for row in try await query("SELECT token_hash, talks, member, version, opened FROM credential") {
            let (hash, talks, member, version, opened) = try row.decode((String, String, String, Int, Bool).self)
            credentials[hash] = Credential(
                talks: TalksID(talks),
                member: MemberID(member),
                version: version,
                opened: opened
            )
        }
        return credentials
    }

    public func operatorTokenHashes() async throws -> [String: String] {
        var hashes: [String: String] = [:]
        for row in try await query("SELECT name, token_hash FROM operator") {
            let (name, hash) = try row.decode((String, String).self)
            hashes[name] = hash
        }
        return hashes
    }

    public func signingKey(storingIfNone candidate: String?) async throws -> String? {
        if let candidate {
            _ = try await query(
                "INSERT INTO signing_key (id, key) VALUES (1, \(candidate)) ON CONFLICT (id) DO NOTHING"
            )
        }
        return try await query("SELECT key FROM signing_key").first?.decode(String.self)
    }

    public func ping() async throws {
        _ = try await query("SELECT 1")
    }

    /// The rows `query` answers, read within the time limit.
    private func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await guarded { try await self.client.query(query, logger: self.logger).collect() }
    }

    /// The channel on which appends to `schema` are announced (`NOTIFY`, whose channels are the
    /// database's, not a schema's), each with the last number, the store that appended and the
    /// talks.
    static func channel(for schema: String) -> String {
        "shuttle_appended_" + String(UInt32(bitPattern: PostgresMigrations.schemaKey(schema)), radix: 16)
    }

    /// The notice of `links` appended to `talks` by the store `origin`: a first line with the last number, the store
    /// that appended and the talks, then each event on a line of its own (number, hash, JSON,
    /// which has no line breaks) when they fit in a notice, so that no instance need read them.
    static func payload(_ talks: TalksID, _ links: [RecordChain.Link], from origin: String) -> String {
        let header = "\(links.last?.seq ?? 0) \(origin) \(talks.rawValue)"
        var size = header.utf8.count
        for link in links { size += link.json.utf8.count + link.hash.utf8.count + 24 }
        guard size <= Self.largestPayload, !links.contains(where: { $0.json.contains("\n") }) else { return header }
        return ([header] + links.map { "\($0.seq) \($0.hash) \($0.json)" }).joined(separator: "\n")
    }

    /// PostgreSQL takes notices of up to 8000 bytes.
    static let largestPayload = 7_900

    /// What `payload` announces to the store `origin`: nothing when that store appended it (its
    /// own appends are known to its caller already), or when it cannot be read.
    static func notice(_ payload: String, to origin: String) -> AppendNotice? {
        // Cut at bytes, not characters: every instance reads every notice, and a split by
        // characters cost it more than the event's own decoding.
        var lines = Fields(payload, separator: "\n")
        guard let header = lines.next() else { return nil }
        var parts = Fields(header, separator: " ", last: 3)
        guard let seqText = parts.next(), let seq = Int(seqText), let sender = parts.next(), sender != origin,
            let talks = parts.next()
        else { return nil }
        let id = TalksID(String(talks))
        var links: [RecordChain.Link] = []
        while let line = lines.next() {
            var fields = Fields(line, separator: " ", last: 3)
            guard let number = fields.next().flatMap({ Int($0) }), let hash = fields.next(), let json = fields.next()
            else {
                return .appended(id, lastSeq: seq)
            }
            links.append(RecordChain.Link(seq: number, json: String(json), hash: String(hash)))
        }
        return .appended(id, lastSeq: seq, links: links)
    }

    /// The fields of `text` between ASCII separators, the `last` one taking the rest of the line.
    /// Ours rather than the standard library's `split` over UTF-8 bytes, which allocates an array
    /// per line and converts each piece back: that measured 6–10% more server CPU per event with
    /// two instances (three alternating pairs, 2026-12-02).
    struct Fields: IteratorProtocol {
        private let text: Substring
        private let separator: UInt8
        private var start: String.Index?
        private var left: Int

        init(_ text: some StringProtocol, separator: Unicode.Scalar, last: Int = .max) {
            self.text = Substring(text)
            self.separator = UInt8(separator.value)
            start = self.text.startIndex
            left = last
        }

        mutating func next() -> Substring? {
            guard let from = start else { return nil }
            left -= 1
            guard left > 0, let end = text.utf8[from...].firstIndex(of: separator) else {
                start = nil
                return text[from...]
            }
            start = text.utf8.index(after: end)
            return text[from..<end]
        }
    }

    public func appendNotices() -> AsyncStream<AppendNotice> {
        // Unbounded: the reader keeps up, and a dropped notice would go unnoticed.
        let (stream, continuation) = AsyncStream.makeStream(of: AppendNotice.self)
        let listening = Task { [client, logger, origin, channel] in
            var pause = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            // Listening again after a gap: anything may have happened meanwhile.
                            continuation.yield(.missedSome)
                            for try await notification in notifications {
                                if let notice = Self.notice(notification.payload, to: origin) {
                                    continuation.yield(notice)
                                }
                            }
                        }
                    }
                    pause = .milliseconds(100)
                } catch {
                    logger.debug(
                        "listening for appends stopped; listening again",
                        metadata: ["error": "\(String(reflecting: type(of: error)))"]
                    )
                }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(2))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in listening.cancel() }
        return stream
    }
}
