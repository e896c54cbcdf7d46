public import NegotiationEngine

/// Where a delegation's guided elicitation stands, for its room alone: the answers that fit the
/// agenda, the next question, the preferences they give, how settled those are, and what
/// stopping now would leave unsettled.
public struct ElicitationProgress: Hashable, Sendable {
    /// The stored answers that fit the agenda as it is, in the order given.
    public var answers: [PreferenceAnswer]
    /// How many stored answers name issues or options the agenda no longer has.
    public var setAside: Int
    /// The most informative question to ask next, or `nil` when none would tell more.
    public var question: PreferenceQuestion?
    /// The preferences the answers give (their centre): weights summing to 1, each issue's
    /// values from 0 (worst option) to 1 (best). No red line, no reservation: those are asked apart.
    public var fitted: Preferences
    /// Per issue, how far its weight still ranges among the utilities the answers allow.
    public var spread: [String: Double]
    /// What the engine, from the delegation's own guesses of the others, would suggest with the
    /// fitted preferences, and how sure that is; `nil` until every other party has a guess.
    public var suggestion: SettledPackage?
    /// The package the fitted preferences like best, and how sure that is.
    public var best: SettledPackage
}

/// A package and the share of the utilities the answers still allow that lead to it too: near
/// 1, more answers will not change it.
public struct SettledPackage: Hashable, Sendable {
    public var package: [String: String]
    public var settled: Double
}

/// A question of guided elicitation, in the agenda's words.
public enum PreferenceQuestion: Hashable, Sendable {
    /// Put issue `issue`'s options in order, best first.
    case order(issue: String, options: [String])
    /// Which of two (partial) packages is better, the issues they leave out being equal?
    case compare([String: String], [String: String])
}

extension Talks {
    /// `party`'s elicitation: its stored answers read over the agenda, `sampleCount` utilities
    /// drawn among those the answers allow (seeded by the party and the answers, so that asking
    /// twice gives the same question).
    ///
    /// - Throws: ``TalksError`` when there is no agenda yet.
    public func elicitation(for party: String, sampleCount: Int = 400) throws(TalksError) -> ElicitationProgress {
        guard !state.agenda.isEmpty else { throw .rule("questions are asked over the agenda, and there is none yet") }
        let agenda = state.agenda
        var elicitation = PreferenceElicitation(optionCounts: agenda.map(\.options.count))
        // An answer from an earlier agenda is set aside; the rest were checked together when
        // stored, so one program takes them all (one by one only if the agenda changed under them).
        var fitting: [(answer: PreferenceAnswer, converted: ElicitationAnswer)] = []
        for answer in state.preferenceAnswers[party] ?? [] {
            if case .success(let converted) = answer.engineAnswer(over: agenda) { fitting.append((answer, converted)) }
        }
        var kept = fitting.map(\.answer)
        if (try? elicitation.record(contentsOf: fitting.map(\.converted))) == nil {
            kept = fitting.filter { (try? elicitation.record($0.converted)) != nil }.map(\.answer)
        }
        let seed = Self.seed(party, kept.count)
        let samples = elicitation.samples(count: sampleCount, seed: seed)
        let fit = elicitation.fitted(from: samples)
        let space = agendaSpace
        return ElicitationProgress(
            answers: kept,
            setAside: (state.preferenceAnswers[party]?.count ?? 0) - kept.count,
            question: elicitation.nextQuestion(samples: samples, seed: seed).map { words($0) },
            fitted: Preferences(
                weights: Dictionary(uniqueKeysWithValues: zip(agenda.map(\.name), fit.weights)),
                values: Dictionary(
                    uniqueKeysWithValues: zip(agenda, fit.values).map { issue, row in
                        (issue.name, Dictionary(uniqueKeysWithValues: zip(issue.options, row)))
                    }
                )
            ),
            spread: Dictionary(uniqueKeysWithValues: zip(agenda.map(\.name), fit.spread ?? agenda.map { _ in 0 })),
            suggestion: suggestion(for: party, fit, samples: samples, of: elicitation, in: space),
            best: settled(fit, samples, of: elicitation, in: space) { utility in
                Outcome(
                    utility.evaluators.map { evaluator in
                        guard case .table(let row) = evaluator else { return 0 }
                        return row.indices.max { row[$0] < row[$1] } ?? 0
                    }
                )
            }
        )
    }

    /// The package `choose` picks with the fitted utility, and the share of sampled utilities
    /// that pick it too: at most `limit` of them, enough to tell settled from not.
    private func settled(
        _ fit: FittedPreferences,
        _ samples: [[Double]],
        of elicitation: PreferenceElicitation,
        in space: OutcomeSpace,
        limit: Int = 60,
        choose: (LinearAdditiveUtility) -> Outcome?
    ) -> SettledPackage {
        let chosen = choose(fit.utility)
        let limit = max(1, limit)
        let checked = samples.enumerated().filter { $0.offset % max(1, samples.count / limit) == 0 }.prefix(limit)
        let agreeing = checked.filter { sample in
            choose(FittedPreferences(partWorths: elicitation.split(sample.element), spread: nil).utility) == chosen
        }
        return SettledPackage(
            package: chosen.map { Self.package(space, $0) } ?? [:],
            settled: checked.isEmpty ? 0 : Double(agreeing.count) / Double(checked.count)
        )
    }

    /// The Nash point of the fitted utility against the delegation's guesses of every other party.
    private func suggestion(
        for party: String,
        _ fit: FittedPreferences,
        samples: [[Double]],
        of elicitation: PreferenceElicitation,
        in space: OutcomeSpace
    ) -> SettledPackage? {
        var others: [Int: Party] = [:]
        for (seat, name) in state.parties.enumerated() where name != party {
            guard let guess = state.guesses[party]?[name],
                case .success(let model) = guess.party(named: name, agenda: state.agenda)
            else { return nil }
            others[seat] = model
        }
        // Each check is a Nash point over every package: fewer checks on a large agenda, so that
        // one read stays well under a second.
        let packages = space.issues.reduce(1.0) { $0 * Double(max(1, $1.optionCount ?? 1)) }
        return settled(fit, samples, of: elicitation, in: space, limit: Int(min(60, max(8, 400_000 / packages)))) {
            utility in
            let parties = state.parties.indices.map { index in
                others[index] ?? Party(name: party, utility: .linearAdditive(utility))
            }
            return ScenarioAnalysis(Scenario(name: "elicitation", space: space, parties: parties)).nash?.outcome
        }
    }

    private func words(_ question: ElicitationQuestion) -> PreferenceQuestion {
        let agenda = state.agenda
        func named(_ package: [Int: Int]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: package.map { (agenda[$0.key].name, agenda[$0.key].options[$0.value]) })
        }
        switch question {
        case .order(let issue): return .order(issue: agenda[issue].name, options: agenda[issue].options)
        case .compare(let first, let second): return .compare(named(first), named(second))
        }
    }

    /// A seed from the party's name and how many answers it gave (FNV-1a): the same question
    /// for the same answers, whichever instance answers.
    private static func seed(_ party: String, _ count: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(party.utf8) + [UInt8(truncatingIfNeeded: count), UInt8(truncatingIfNeeded: count >> 8)] {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
