import ArgumentParser
import Foundation
import NegotiationFormats

/// An error the command reports in one line, with an exit code that says what kind it was:
/// 65 (EX_DATAERR) for bad input (a file, a database, a record), 64 (EX_USAGE) for a bad
/// combination of options.
enum Failure: Error, CustomStringConvertible {
    case data(String)
    case usage(String)

    var description: String {
        switch self {
        case .data(let message), .usage(let message): message
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

extension Shuttle {
    /// Maps errors to a message on standard error and an exit code.
    static func exitCode(for error: any Error) -> ExitCode? {
        switch error {
        case let error as FormatError:
            printError("error: \(error)")
            return ExitCode(65)
        case let error as Failure:
            printError("error: \(error)")
            if case .usage = error { return ExitCode.validationFailure }
            return ExitCode(65)
        default:
            return nil
        }
    }
}
