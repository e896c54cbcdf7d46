/// Which tool's meaning to give a GENIUS profile. The files are the same; the two tools read
/// them differently, and a researcher comparing results needs to pick one.
///
/// | | ``genius`` (default) | ``negmas`` |
/// |---|---|---|
/// | discrete evaluations | divided by the largest | used as written |
/// | integer evaluator | `clamp01(slope · (x − lowerbound) + offset)` | `slope · x + offset` |
/// | total utility | capped at 1 | not capped |
/// | discount `d` | `u · dᵗ`, t normalised time | `u · dʳ`, r the round; reservation becomes −∞ |
/// | frontier | every package | only packages clearing every reservation |
public enum GeniusReading: String, Sendable, CaseIterable {
    /// GENIUS, the format's owner.
    case genius
    /// NegMAS 0.16's `Scenario.from_genius_folder`.
    case negmas
}
