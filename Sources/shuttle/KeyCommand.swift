import ArgumentParser
import Foundation
import TalksServer
import TransparencyLog

/// `--name`: the server's name, which its signing key is given when first made.
struct ServerName: ParsableArguments {
    @Option(
        name: .customLong("name"),
        help:
            "This server's name (as talks.example.org), given to its signing key when the database has none yet; it begins every checkpoint's origin. (default: the host's name)"
    )
    var given: String?

    var value: String {
        if let given { return given }
        let host = ProcessInfo.processInfo.hostName
        return (try? NoteSigner(generatingNamed: host)) == nil ? "shuttle" : host
    }
}

/// `shuttle key`: the verifier key members check checkpoints with.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print the server's verifier key (NAME+HASH+BASE64), which signs every checkpoint.",
        discussion:
            "Give it to every member out of band (in person, on paper, over a channel the server does not carry), with its fingerprint, which their page shows: a member whose page shows another fingerprint is not talking to this server. The key is made at the server's first start and kept in its database; this command makes it if the server has never started."
    )

    @OptionGroup var database: DatabaseOption
    @OptionGroup var name: ServerName

    func run() async throws {
        let store = try await database.open(create: false)
        let key = try await ServerStart.signingKey(of: store, naming: name.value).verifier
        say(key.text)
        FileHandle.standardError.write(Data("fingerprint: \(key.fingerprint)\n".utf8))
    }
}
