import Foundation
import Testing

/// One command of a README code block, with the exit status the README gives it.
struct ReadmeCommand: CustomTestStringConvertible {
    var line: String
    var exit: Int32
    /// The comment after the command, if any ("$0.0075", "exit 1: …").
    var note: String
    var testDescription: String { line }
}

/// Every command line of the README's ```sh blocks, in order (`regdb`, `sqlite3`, and the
/// `mkdir` and `cp` that keep the examples off tracked files), but the first block (the
/// set-up commands CI runs itself) and blocks marked "# needs the network". A comment
/// starting "# exit N" gives the status the line must end with; 0 otherwise.
private func readmeCommands() throws -> [ReadmeCommand] {
    let readme = try String(contentsOf: repoRoot.appending(path: "README.md"), encoding: .utf8)
    var commands: [ReadmeCommand] = []
    var block: [String]?
    var blocks = 0
    for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if block == nil {
            if line == "```sh" { block = [] }
            continue
        }
        if line != "```" {
            block?.append(line)
            continue
        }
        defer { block = nil }
        blocks += 1
        guard blocks > 1, let lines = block, lines.first?.hasPrefix("# needs the network") != true else { continue }
        for text in lines where !text.trimmingCharacters(in: .whitespaces).isEmpty && !text.hasPrefix("#") {
            let comment = text.range(of: #"\s+# "#, options: .regularExpression)
            let command = comment.map { String(text[..<$0.lowerBound]) } ?? text
            let note = comment.map { String(text[$0.upperBound...]) } ?? ""
            let exit = note.range(of: #"^exit [0-9]+"#, options: .regularExpression)
                .flatMap { Int32(note[$0].split(separator: " ").last ?? "") } ?? 0
            commands.append(ReadmeCommand(line: command, exit: exit, note: note))
        }
    }
    return commands
}

@Suite struct ReadmeTests {
    /// Every README command runs, in order, in a checkout's copy with the seeds
    /// imported, and exits as the README says. Live servers are recorded ones on 127.0.0.1.
    @Test func everyReadmeCommandRunsAsWritten() throws {
        let commands = try readmeCommands()
        #expect(commands.count > 50, "the README's commands were not found")
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try FileManager.default.copyItem(at: repoRoot.appending(path: "examples"), to: dir.file("examples"))
        let examplesBefore = try directoryContents(dir.file("examples"))

        // The README's servers, answered from recorded data.
        let comfy = referenceData.appending(path: "comfyui")
        let comfyServer = try FakeServer(["/system_stats": ["file": comfy.appending(path: "system_stats.json").path],
                                          "/object_info": ["file": comfy.appending(path: "object_info.json").path]], in: dir)
        let ollama = try FakeServer(["/v1/models": ["body": #"{"object": "list", "data": [{"id": "qwen2.5:32b"}, {"id": "llama3.1:8b"}]}"#]], in: dir)
        let tinker = try FakeServer(["/api/v1/get_server_capabilities": ["file": referenceData.appending(path: "tinker/get_server_capabilities.json").path]],
                                    in: dir)
        let servers = ["http://192.168.1.143:8188": comfyServer.url, "http://localhost:11434": ollama.url,
                       "https://tinker.example.com": tinker.url]

        let shell = try #require(executable("sh"))
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = regdbBinary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment.removeValue(forKey: "REGDB_POLICY")
        for command in commands {
            var line = command.line
            for (address, local) in servers { line = line.replacingOccurrences(of: address, with: local) }
            let result = try run(shell, ["-c", line], in: dir.url, environment: environment)
            #expect(result.status == command.exit, "\(command.line)\n\(result.stderr)")
            // What the README says a command answers, it answers.
            if line.contains("regdb cost"), !line.contains("--format"),
               let said = command.note.range(of: #"^\$[0-9.]+"#, options: .regularExpression).flatMap({ Double(command.note[$0].dropFirst()) }) {
                let total = result.stdoutLines.last.flatMap { $0.hasPrefix("total") ? $0.split(separator: " ").last.flatMap { Double($0) } : nil }
                #expect(total.map { abs($0 - said) < 1e-9 } == true, "the README says $\(said): \(command.line)\n\(result.stdout)")
            }
        }
        // Running the README leaves the tracked files as they were: what it writes goes to demo/.
        #expect(try directoryContents(dir.file("examples")) == examplesBefore, "a README command changed examples/")
        // (The recorded servers keep their scripts and logs beside the registry.)
        let top = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { !$0.hasPrefix("server-") && !$0.hasPrefix("routes-") }
        #expect(Set(top).isSubset(of: ["registry.db", "registry.db-wal", "registry.db-shm", "seeds", "examples", "demo"]),
                "a README command wrote outside demo/: \(top)")
    }

    /// The README's console examples print what the tools print: the `sqlite3` CLI's refusal
    /// of a hand edit as Debian's sqlite3 3.40 words it, and regdb's refused import.
    @Test func consoleExamplesPrintWhatTheToolsPrint() throws {
        let readme = try String(contentsOf: repoRoot.appending(path: "README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```console\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        let edit = try #require(blocks.first { $0.hasPrefix("$ sqlite3 registry.db") })
        let lines = edit.split(separator: "\n").map(String.init)
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let shell = try #require(executable("sh"))
        let result = try run(shell, ["-c", String(lines[0].dropFirst(2))], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr == lines[1] + "\n", "the README shows:\n\(lines[1])\nsqlite3 printed:\n\(result.stderr)")
    }

    /// Each file under `directory` with its bytes.
    private func directoryContents(_ directory: URL) throws -> [String: Data] {
        var contents: [String: Data] = [:]
        for name in FileManager.default.enumerator(atPath: directory.path)?.compactMap({ $0 as? String }) ?? [] {
            let url = directory.appending(path: name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                contents[name] = try Data(contentsOf: url)
            }
        }
        return contents
    }

    /// "Add one entry … and run regdb check": the README's entry, added to the seeds, checks
    /// (the registry is only out of date), imports and is there.
    @Test func theReadmeSeedEntryIsAdded() throws {
        let readme = try String(contentsOf: repoRoot.appending(path: "README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Adding a model"))
        let open = try #require(readme.range(of: "```json\n", range: section.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "```", range: open.upperBound..<readme.endIndex))
        let entry = String(readme[open.upperBound..<close.lowerBound])

        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let fal = dir.file("seeds/fal.json")
        var text = try String(contentsOf: fal, encoding: .utf8)
        let models = try #require(text.range(of: #""models": ["#))
        text.insert(contentsOf: "\n" + entry.trimmingCharacters(in: .whitespacesAndNewlines) + ",", at: models.upperBound)
        try text.write(to: fal, atomically: true, encoding: .utf8)

        let check = try regdb("check", in: dir.url)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.contains("registry.db is out of date: run regdb import seeds/*.json"), "\(check.stderr)")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: dir.file("seeds").path).filter { $0.hasSuffix(".json") }
        let imported = try regdb(["import"] + seeds.map { "seeds/" + $0 }, in: dir.url)
        #expect(imported.stdout.contains("1 routes added"), "\(imported.stdout)\(imported.stderr)")
        let cost = try regdb("cost", "flux_pro_1_1", "--images", "2", "--format", "json", in: dir.url)
        #expect((try parse(cost.stdout) as? [String: Any])?["usd"] as? Double == 0.08, "\(cost.stdout)\(cost.stderr)")
    }
}
