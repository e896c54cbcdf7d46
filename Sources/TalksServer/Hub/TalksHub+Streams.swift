import Foundation
public import Talks
public import TalksStore

/// Streams: each member's events as they are stored, in the member's own numbers.
extension TalksHub {
    /// The events `member` may see after their event `after`, then every new one as it is
    /// stored. The stream ends when `version` stops being the member's link (replaced, or the
    /// member removed), at once if it already has, and when the server shuts down.
    ///
    /// The backlog before the live events is meant to be short: read a long one first with
    /// ``visibleEvents(in:for:after:limit:)``.
    public func subscribe(
        to id: TalksID,
        as member: MemberID,
        version: Int,
        after: Int
    ) async throws -> AsyncStream<Delivery> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: Delivery.self,
            bufferingPolicy: .bufferingOldest(Self.streamBuffer)
        )
        var cursor = after
        while true {
            // The link may have been revoked since the caller authenticated: checked before a
            // single event goes out, and again after every read from the store.
            let entry = try await load(id)
            let state = entry.talks.state
            guard !shuttingDown else { return Self.ended(.shuttingDown, stream, continuation) }
            guard let reader = state.members[member], state.linkVersion(of: member) == version else {
                return Self.ended(.revoked, stream, continuation)
            }
            let (seqs, _) = try Self.page(
                of: MemberView(of: reader, in: state),
                after: cursor,
                limit: Self.pageSize,
                stored: entry.seq
            )
            if seqs.isEmpty { break }
            for text in try await presented(seqs, to: member, in: id) {
                // A backlog longer than the buffer: the caller should have read it in pages.
                guard case .enqueued = continuation.yield(.event(text)) else {
                    continuation.finish()
                    return stream
                }
            }
            cursor += seqs.count
        }
        // Caught up, with no suspension since: every later event reaches this stream live.
        let key = streams.add(.init(member: member, version: version, continuation: continuation), to: id)
        metrics.streams(streams.count)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(key, from: id) }
        }
        if shared != nil {
            // Another instance may have appended since this one last looked, before the stream
            // was there to be told: read it now (later appends come as notices).
            do {
                _ = try await current(id)
            } catch {
                continuation.finish()
                throw error
            }
        }
        return stream
    }

    private static func ended(
        _ ending: Ending,
        _ stream: AsyncStream<Delivery>,
        _ continuation: AsyncStream<Delivery>.Continuation
    ) -> AsyncStream<Delivery> {
        continuation.yield(.ended(ending))
        continuation.finish()
        return stream
    }

    /// Tells what `entry` of `id` has just folded in (`events`, stored as `links`): its views'
    /// logs grow by their lines, and its streams receive them (the same texts, written once).
    func announce(_ events: [RecordedEvent], stored links: [RecordChain.Link], in id: TalksID, entry: Loaded) {
        let lines = entry.logs.extend(with: events, stored: links, state: entry.talks.state)
        publish(events, stored: links, in: id, state: entry.talks.state, written: lines)
    }

    /// Hands `events`, just stored as `links`, to the streams of `id` whose members may see
    /// them; ends the streams whose link no longer opens their seat in `state`.
    ///
    /// `written` holds the texts already presented for some views (by their logs).
    private func publish(
        _ events: [RecordedEvent],
        stored links: [RecordChain.Link],
        in id: TalksID,
        state: TalksState,
        written: [Int: [String]] = [:]
    ) {
        let listeners = streams.listeners(of: id)
        guard !listeners.isEmpty else { return }
        // Members who read the same channels receive the same text: written once for them.
        var written = written
        for (key, listener) in listeners {
            guard let member = state.members[listener.member], state.linkVersion(of: member.id) == listener.version
            else {
                listener.continuation.yield(.ended(.revoked))
                listener.continuation.finish()
                unsubscribe(key, from: id)
                continue
            }
            let view = MemberView(of: member, in: state)
            let texts =
                written[view.viewNumber] ?? zip(events, links).compactMap { view.presentJSON($0, stored: $1.json) }
            written[view.viewNumber] = texts
            for text in texts {
                if case .dropped = listener.continuation.yield(.event(text)) {
                    // Too far behind: closed, rather than holding an ever longer queue.
                    listener.continuation.finish()
                    unsubscribe(key, from: id)
                    break
                }
            }
        }
    }

    /// Ends the streams of `id` without an ending (as for a client too far behind): they were
    /// served from a state let go, and their clients reconnect with the number they last received.
    func endStreams(of id: TalksID) {
        for listener in streams.removeAll(of: id) { listener.continuation.finish() }
        metrics.streams(streams.count)
    }

    private func unsubscribe(_ key: UUID, from id: TalksID) {
        guard streams.remove(key, from: id) else { return }
        metrics.streams(streams.count)
    }

    /// For a graceful shutdown: refuses new commands and streams, waits for the commands under
    /// way to be stored, then ends every stream (with ``Ending/shuttingDown``).
    public func shutDown() async {
        shuttingDown = true
        await waitForTurnsToEnd()
        for listener in streams.removeAll() {
            listener.continuation.yield(.ended(.shuttingDown))
            listener.continuation.finish()
        }
        metrics.streams(0)
    }
}
