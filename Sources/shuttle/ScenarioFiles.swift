import Foundation
import NegotiationEngine
import NegotiationFormats

/// Finds and reads the files a command names: a GENIUS or GeniusWeb folder, a domain and its
/// profiles in either format, or a Shuttle JSON scenario. JSON files are told apart by content.
enum ScenarioFiles {
    static func load(_ paths: [String], reading: GeniusReading) throws(FormatError) -> LoadedScenario {
        guard let first = paths.first else {
            throw FormatError(
                file: "(none)",
                message: "name a scenario: a folder, a domain and its profiles, or a .json file"
            )
        }
        if paths.count == 1, isDirectory(first) {
            return try loadFolder(first, reading: reading)
        }
        var files: [(name: String, bytes: [UInt8])] = []
        for path in paths { files.append((path, try bytes(path))) }
        if files.allSatisfy({ $0.name.lowercased().hasSuffix(".json") }) {
            if files.count == 1, !GeniusWebReader.recognizes(files[0].bytes) {
                return try ShuttleScenarioFormat.read(files[0].bytes, file: first)
            }
            return try GeniusWebReader.scenario(files: files, reading: reading)
        }
        return try GeniusReader.scenario(files: files, reading: reading)
    }

    /// A folder: GeniusWeb when it holds a GeniusWeb domain or profile (other JSON files are
    /// skipped with a warning), else GENIUS XML. Either way its domain and every profile, sorted by
    /// file name (as NegMAS does); GENIUS's precomputed `pareto.xml` is skipped.
    static func loadFolder(_ path: String, reading: GeniusReading) throws(FormatError) -> LoadedScenario {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw FormatError(file: path, message: "cannot list the folder: \(error.localizedDescription)")
        }
        let folder = path.hasSuffix("/") ? path : path + "/"
        let jsonNames = names.filter { $0.lowercased().hasSuffix(".json") }.sorted()
        var jsonFiles: [(name: String, bytes: [UInt8])] = []
        for name in jsonNames { jsonFiles.append((folder + name, try bytes(folder + name))) }
        let xmlFiles = names.filter { $0.lowercased().hasSuffix(".xml") && !$0.lowercased().hasSuffix("pareto.xml") }
            .sorted()
        var loaded: LoadedScenario
        if jsonFiles.contains(where: { GeniusWebReader.recognizes($0.bytes) }) {
            if let xml = xmlFiles.first {
                throw FormatError(
                    file: path,
                    message: "the folder holds both GeniusWeb JSON and GENIUS XML (\(xml)); keep one format per folder"
                )
            }
            loaded = try GeniusWebReader.scenario(files: jsonFiles, reading: reading, ignoringOthers: true)
        } else {
            guard !xmlFiles.isEmpty else {
                throw FormatError(file: path, message: "the folder holds neither GENIUS XML nor GeniusWeb JSON")
            }
            var files: [(name: String, bytes: [UInt8])] = []
            for name in xmlFiles { files.append((folder + name, try bytes(folder + name))) }
            loaded = try GeniusReader.scenario(files: files, reading: reading)
        }
        loaded.scenario.name = URL(fileURLWithPath: path).lastPathComponent
        return loaded
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    static func bytes(_ path: String) throws(FormatError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw FormatError(file: path, message: "no such file")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
            size > XMLReaderLimits.maximumSize
        {
            throw FormatError(
                file: path,
                message: "the file is \(size) bytes; files over \(XMLReaderLimits.maximumSize >> 20) MiB are refused"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(file: path, message: "cannot read the file")
        }
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
    static func writeGenius(
        _ scenario: Scenario,
        to folder: String,
        profileName: (Int, Party) -> String
    ) throws(FormatError) {
        try createDirectory(folder)
        let base = URL(fileURLWithPath: folder)
        try write(GeniusWriter.domain(scenario), to: base.appendingPathComponent("domain.xml").path)
        for (index, party) in scenario.parties.enumerated() {
            try write(
                GeniusWriter.profile(party, in: scenario),
                to: base.appendingPathComponent(profileName(index, party) + ".xml").path
            )
        }
    }

    /// Writes `scenario` as a GeniusWeb folder: `domain.json` and one profile per party; returns
    /// what GeniusWeb could not hold.
    static func writeGeniusWeb(
        _ scenario: Scenario,
        to folder: String,
        profileName: (Int, Party) -> String
    ) throws(FormatError) -> [FormatWarning] {
        let files = try GeniusWebWriter.files(scenario)
        try createDirectory(folder)
        let base = URL(fileURLWithPath: folder)
        try write(files.domain, to: base.appendingPathComponent("domain.json").path)
        for (index, profile) in files.profiles.enumerated() {
            try write(
                profile.json,
                to: base.appendingPathComponent(profileName(index, scenario.parties[index]) + ".json").path
            )
        }
        return files.warnings
    }

    static func createDirectory(_ path: String) throws(FormatError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FormatError(file: path, message: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}
