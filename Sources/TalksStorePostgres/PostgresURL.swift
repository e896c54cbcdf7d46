import Foundation
import PostgresNIO
import TalksStore

/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…` as the driver's configuration.
enum PostgresURL {
    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    static func configuration(_ text: String) throws -> PostgresClient.Configuration {
        guard isPostgres(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty,
            let user = url.user, !user.isEmpty
        else {
            throw StoreError.invalid("a PostgreSQL database is named postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let database = String(url.path.drop { $0 == "/" })
        let tls: PostgresClient.Configuration.TLS
        switch url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require": tls = .require(.makeClientConfiguration())
        case let other: throw StoreError.invalid("sslmode must be disable, prefer or require, not '\(other)'")
        }
        // URLComponents gives user and password percent-decoded.
        return PostgresClient.Configuration(
            host: host,
            port: url.port ?? 5432,
            username: user,
            password: url.password,
            database: database.isEmpty ? user : database,
            tls: tls
        )
    }
}
