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
        var domain: (name: String, bytes: [UInt8])?
        var profiles: [(name: String, bytes: [UInt8])] = []
        for path in paths {
            let content = try bytes(path)
            if try GeniusReader.isDomain(content, file: path) {
                if let domain {
                    throw FormatError(file: path, message: "a second domain file (the first was \(domain.name)); name one domain and its profiles")
                }
                domain = (path, content)
            } else {
                profiles.append((path, content))
            }
        }
        guard let domain else { throw FormatError(file: first, message: "none of the files is a domain (<negotiation_template>)") }
        guard !profiles.isEmpty else { throw FormatError(file: domain.name, message: "no profile files were given with the domain") }
        return try GeniusReader.scenario(domain: domain, profiles: profiles, reading: reading)
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
        var domain: (name: String, bytes: [UInt8])?
        var profiles: [(name: String, bytes: [UInt8])] = []
        for name in xmlFiles {
            let file = folder + name
            let content = try bytes(file)
            if try GeniusReader.isDomain(content, file: file) {
                if let domain { throw FormatError(file: file, message: "the folder holds two domain files (the other is \(domain.name))") }
                domain = (file, content)
            } else {
                profiles.append((file, content))
            }
        }
        guard let domain else { throw FormatError(file: path, message: "the folder holds no domain file (<negotiation_template>)") }
        guard !profiles.isEmpty else { throw FormatError(file: path, message: "the folder holds no profile (<utility_space>)") }
        var loaded = try GeniusReader.scenario(domain: domain, profiles: profiles, reading: reading)
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
    static func createDirectory(_ path: String) throws(FormatError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FormatError(file: path, message: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}
