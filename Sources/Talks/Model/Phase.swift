/// Where the talks stand. Exploratory rounds settle the ground rules, technical tracks work out
/// the text, principals review it, and the talks conclude — or are suspended on the way.
public enum Phase: String, Hashable, Sendable, Codable, CaseIterable {
    case exploratory
    case technical
    case principalReview = "principal-review"
    case concluded
    case suspended

    /// The phases the mediator may move to from this one.
    public var successors: Set<Phase> {
        switch self {
        case .exploratory: [.technical, .suspended]
        case .technical: [.principalReview, .suspended]
        case .principalReview: [.technical, .concluded, .suspended]
        case .suspended: [.exploratory, .technical, .principalReview]
        case .concluded: []
        }
    }
}
