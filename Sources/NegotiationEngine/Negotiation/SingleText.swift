/// The mediated single-text protocol (Raiffa; Klein et al.): the mediator keeps one text,
/// proposes a variation each step, and adopts it when every seat votes for it. Seats show only
/// their votes, and only to the mediator; nobody reveals a utility.
///
/// The first text is drawn at random. A variation changes one issue of the text to another
/// option, both drawn from the mediator's seeded source. In the last step the adopted text is put
/// to every seat for ratification; it becomes the agreement only if all accept it, so an
/// agreement is always an outcome every seat accepted.
public final class SingleText: NegotiationMechanism {
    private let table: NegotiationTable
    private var text: Outcome

    init(_ table: NegotiationTable) {
        self.table = table
        text = table.scenario.space.randomOutcome(using: &table.mediatorRandom)
    }

    /// The text on the table.
    public var currentText: Outcome { text }

    public func stop(_ ending: NegotiationResult.Ending) -> NegotiationResult {
        table.finished ?? table.finish(ending, duringStep: false)
    }

    public func step() -> NegotiationResult? {
        if let finished = table.finished { return finished }
        if table.isPastDeadline { return ratify(duringStep: false) }
        let n = table.seatCount
        let state = table.state
        let candidate = variation(of: text)
        table.publish(.mediator, .text(candidate), to: .everyone(n))
        var adopted = true
        for seat in 0..<n {
            let inFavour = table.negotiators[seat].vote(for: candidate, over: text, state)
            if let reason = table.negotiators[seat].failure {
                return table.finish(.failed(seat: seat, reason: reason), duringStep: true)
            }
            table.publish(.seat(seat), .vote(candidate, inFavour: inFavour), to: .privately(seat))
            if !inFavour { adopted = false }
        }
        if adopted { text = candidate }
        if table.isLastStep { return ratify(duringStep: true) }
        table.step += 1
        return nil
    }

    private func ratify(duringStep: Bool) -> NegotiationResult {
        let n = table.seatCount
        let state = table.state
        table.publish(.mediator, .text(text), to: .everyone(n))
        for seat in 0..<n {
            switch table.negotiators[seat].respond(to: text, state) {
            case .accept:
                table.publish(.seat(seat), .accept(text), to: .privately(seat))
            case .reject, .end:
                table.publish(.seat(seat), .reject(text), to: .privately(seat))
                return table.finish(.deadline, duringStep: duringStep)
            }
        }
        table.publish(.mediator, .agreement(text), to: .everyone(n))
        return table.finish(agreement: text, .agreement, duringStep: duringStep)
    }

    private func variation(of text: Outcome) -> Outcome {
        let counts = table.scenario.space.optionCounts
        let open = counts.indices.filter { counts[$0] > 1 }
        guard let issue = open.randomElement(using: &table.mediatorRandom) else { return text }
        var candidate = text
        let shift = Int.random(in: 1..<counts[issue], using: &table.mediatorRandom)
        candidate.optionIndices[issue] = UInt32((text[issue] + shift) % counts[issue])
        return candidate
    }
}
