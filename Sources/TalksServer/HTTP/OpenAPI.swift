import Foundation

/// The API's contract: the OpenAPI 3.1 document checked in beside this file (`openapi.json`),
/// served as it is at `/openapi.json`. The server checks requests exactly as it says
/// (`TextRules` for what people type), and `scripts/api-contract.sh` holds the two to each
/// other with schemathesis in CI.
enum OpenAPI {
    static let document: String = {
        // Shipped with the target: a missing document is a broken build, not a runtime case.
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            preconditionFailure("openapi.json is missing from the TalksServer bundle")
        }
        return text
    }()
}
