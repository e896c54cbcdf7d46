/// The built-in negotiators by the names the command line and tournaments use.
public enum NegotiatorCatalog {
    public static let names = ["boulware", "linear", "conceder", "hardliner", "tit-for-tat", "random", "frequency"]

    /// A fresh negotiator named `name`, or `nil` for an unknown name. A number ("2.5") is a
    /// time-based negotiator with that exponent.
    public static func make(_ name: String) -> (any Negotiator)? {
        switch name {
        case "boulware": TimeBasedNegotiator.boulware()
        case "linear": TimeBasedNegotiator.linear()
        case "conceder": TimeBasedNegotiator.conceder()
        case "hardliner": Hardliner()
        case "tit-for-tat": NaiveTitForTat()
        case "random": RandomNegotiator()
        case "frequency": FrequencyModelNegotiator()
        default:
            if let exponent = Double(name), exponent > 0, exponent.isFinite {
                TimeBasedNegotiator(name: name, exponent: exponent)
            } else {
                nil
            }
        }
    }
}
