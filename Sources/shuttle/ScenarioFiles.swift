import Foundation
import NegotiationEngine
import NegotiationFormats

/// Finds and reads the files a command names: a GENIUS folder, a domain and its profiles, or a
/// Shuttle JSON scenario.
enum ScenarioFiles {
    static func load(_ paths: [String], reading: GeniusReading) throws(FormatError) -> LoadedScenario {
        guard let first = paths.first else { throw FormatError(file: "(none)", message: "name a scenario: a folder, a domain and its profiles, or a .json file") }
        if paths.count == 1, isDirectory(first) {
            return try loadFolder(first, reading: reading)
        }
        if paths.count == 1, first.lowercased().hasSuffix(".json") {
            return try ShuttleScenarioFormat.read(try bytes(first), file: first)
        }
        var files: [(name: String, bytes: [UInt8])] = []
        for path in paths { files.append((path, try bytes(path))) }
        return try GeniusReader.scenario(files: files, reading: reading)
    }

    /// A GENIUS folder: its one domain file and every profile, sorted by file name (as NegMAS
    /// does); GENIUS's precomputed `pareto.xml` and non-XML files are skipped.
    static func loadFolder(_ path: String, reading: GeniusReading) throws(FormatError) -> LoadedScenario {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw FormatError(file: path, message: "cannot list the folder: \(error.localizedDescription)")
        }
        let xmlFiles = names.filter { $0.lowercased().hasSuffix(".xml") && !$0.lowercased().hasSuffix("pareto.xml") }.sorted()
        guard !xmlFiles.isEmpty else { throw FormatError(file: path, message: "the folder holds no .xml file") }
        let folder = path.hasSuffix("/") ? path : path + "/"
        var files: [(name: String, bytes: [UInt8])] = []
        for name in xmlFiles { files.append((folder + name, try bytes(folder + name))) }
        var loaded = try GeniusReader.scenario(files: files, reading: reading)
        loaded.scenario.name = URL(fileURLWithPath: path).lastPathComponent
        return loaded
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    static func bytes(_ path: String) throws(FormatError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw FormatError(file: path, message: "no such file") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > XMLReaderLimits.maximumSize {
            throw FormatError(file: path, message: "the file is \(size) bytes; files over \(XMLReaderLimits.maximumSize >> 20) MiB are refused")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw FormatError(file: path, message: "cannot read the file") }
        return Array(data)
    }

    static func write(_ text: String, to path: String) throws(FormatError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw FormatError(file: path, message: "cannot write: \(error.localizedDescription)")
        }
    }
}

extension ScenarioFiles {
    /// Writes `scenario` as a GENIUS folder: `domain.xml` and one profile per party, named by
    /// `profileName(index, party)`.
    static func writeGenius(_ scenario: Scenario, to folder: String, profileName: (Int, Party) -> String) throws(FormatError) {
        try createDirectory(folder)
        let base = URL(fileURLWithPath: folder)
        try write(GeniusWriter.domain(scenario), to: base.appendingPathComponent("domain.xml").path)
        for (index, party) in scenario.parties.enumerated() {
            try write(GeniusWriter.profile(party, in: scenario), to: base.appendingPathComponent(profileName(index, party) + ".xml").path)
        }
    }

    static func createDirectory(_ path: String) throws(FormatError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FormatError(file: path, message: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}
