public import Foundation

/// The machine's processes as /proc lists them, for tests that check no process outlives a command.
public enum ProcessTable {
    /// The living processes (not zombies) whose command line holds `fragment`, with `parent` as
    /// their parent when it is given.
    public static func processes(holding fragment: String, parent: Int32? = nil) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"),
                let line = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            // After the name in parentheses: the state, then the parent's id.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z" else { return false }
            if let parent, Int32(fields[1]) != parent { return false }
            return String(decoding: line.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(fragment)
        }
    }

    /// Whether process `pid` is alive: neither gone nor a zombie waiting to be reaped.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }
}
