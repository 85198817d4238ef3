import Foundation
import Testing

/// `regdb publish` and `regdb pull`: a registry carried to a service through any static file
/// host, verified, swapped in without disturbing its readers, and rolled back.
@Suite struct PublishTests {
    /// What one publish wrote: the manifest's artifact name and digest.
    struct Published {
        var artifact: String
        var sha256: String
        var directory: URL
    }

    private func publish(_ dir: TemporaryDirectory, into name: String) throws -> Published {
        let result = try regdb("publish", name, in: dir.url)
        try #require(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: dir.file(name + "/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(manifest["format"] as? String == "regdb-manifest")
        #expect(manifest["schema_version"] as? Int == 11)
        let counts = try #require(manifest["counts"] as? [String: Int])
        #expect((counts["routes"] ?? 0) > 100 && (counts["prices"] ?? 0) > 200 && (counts["models"] ?? 0) > 100)
        let sources = try #require(manifest["sources"] as? [[String: Any]])
        #expect(sources.count == 13 && sources.allSatisfy { ($0["sha256"] as? String)?.count == 64 && $0["version"] is String })
        return Published(artifact: try #require(manifest["artifact"] as? String), sha256: try #require(manifest["sha256"] as? String),
                         directory: dir.file(name))
    }

    private func serve(_ published: Published, _ dir: TemporaryDirectory) throws -> FakeServer {
        try FakeServer(["/manifest.json": ["file": published.directory.appending(path: "manifest.json").path, "etag": true],
                        "/" + published.artifact: ["file": published.directory.appending(path: published.artifact).path,
                                                   "content_type": "application/octet-stream"]], in: dir)
    }

    private func sha256(_ file: URL) throws -> String {
        let result = try run(try #require(executable("sha256sum")), [file.path])
        return String(result.stdout.prefix(64))
    }

    @Test func publishThenPullRoundTripsAndASecondPullDownloadsNothing() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let published = try publish(dir, into: "public")
        #expect(try sha256(published.directory.appending(path: published.artifact)) == published.sha256)
        let server = try serve(published, dir)
        try FileManager.default.createDirectory(at: dir.file("service"), withIntermediateDirectories: true)

        let first = try regdb("pull", server.url + "/manifest.json", "--db", "service/registry.db", in: dir.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("service/registry.db: pulled version "), "\(first.stdout)")
        #expect(try sha256(dir.file("service/registry.db")) == published.sha256)
        // The pulled file answers as the registry it was published from.
        let here = try regdb("get", "veo3", "--format", "json", in: dir.url)
        let there = try regdb("get", "veo3", "--format", "json", "--db", "service/registry.db", in: dir.url)
        #expect(there.status == 0 && there.stdout == here.stdout, "\(there.stderr)")

        let second = try regdb("pull", server.url + "/manifest.json", "--db", "service/registry.db", in: dir.url)
        #expect(second.status == 0 && second.stdout.hasPrefix("service/registry.db: up to date"), "\(second.stdout)\(second.stderr)")
        // The second asks for the manifest conditionally, gets a 304, and downloads no artifact.
        let requests = server.requests
        #expect(requests.filter { $0.hasPrefix("GET /\(published.artifact)") }.count == 1, "\(requests)")
        #expect(requests.last?.hasPrefix("GET /manifest.json") == true && requests.last?.contains("If-None-Match=") == true, "\(requests)")
    }

    @Test func aCorruptedArtifactIsRefusedAndTheOldFileKept() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let first = try publish(dir, into: "v1")
        try FileManager.default.createDirectory(at: dir.file("service"), withIntermediateDirectories: true)
        let one = try serve(first, dir)
        #expect(try regdb("pull", one.url + "/manifest.json", "--db", "service/registry.db", in: dir.url).status == 0)

        #expect(try regdb("sql", "--write", "UPDATE model SET description = 'changed' WHERE id = 'veo3'", in: dir.url).status == 0)
        let second = try publish(dir, into: "v2")
        #expect(second.sha256 != first.sha256)
        // One byte changed in the middle of the served artifact.
        let artifact = second.directory.appending(path: second.artifact)
        var bytes = try Data(contentsOf: artifact)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: artifact)
        let two = try serve(second, dir)
        let refused = try regdb("pull", two.url + "/manifest.json", "--db", "service/registry.db", in: dir.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("error: [pull] the artifact's SHA-256 is ") && refused.stderr.contains("refused, service/registry.db is unchanged"),
                "\(refused.stderr)")
        #expect(try sha256(dir.file("service/registry.db")) == first.sha256)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.file("service").path).sorted()
        #expect(left == ["registry.db", "registry.db.pull.json"], "\(left)")
    }

    /// A process reading the old file keeps reading it through the swap; a new reader sees the new
    /// file; --rollback puts the old one back, and a second --rollback the new one again.
    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func aSwapLeavesReadersAloneAndRollsBack() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let first = try publish(dir, into: "v1")
        try FileManager.default.createDirectory(at: dir.file("service"), withIntermediateDirectories: true)
        let one = try serve(first, dir)
        #expect(try regdb("pull", one.url + "/manifest.json", "--db", "service/registry.db", in: dir.url).status == 0)

        // A reader opens the pulled file, answers once, waits for `go`, and answers again.
        let script = try dir.write("reader.py", """
            import os, sqlite3, sys, time
            db = sqlite3.connect("file:service/registry.db?mode=ro", uri=True)
            ask = lambda: db.execute("SELECT description FROM model WHERE id = 'veo3'").fetchone()[0]
            print(ask(), flush=True)
            open("ready", "w").close()
            while not os.path.exists("go"):
                time.sleep(0.02)
            print(ask(), flush=True)
            """)
        let reader = Process()
        reader.executableURL = try #require(executable("python3"))
        reader.arguments = [script.path]
        reader.currentDirectoryURL = dir.url
        let out = Pipe()
        reader.standardOutput = out
        try reader.run()
        while !FileManager.default.fileExists(atPath: dir.file("ready").path) { usleep(20_000) }

        #expect(try regdb("sql", "--write", "UPDATE model SET description = 'changed' WHERE id = 'veo3'", in: dir.url).status == 0)
        let second = try publish(dir, into: "v2")
        let two = try serve(second, dir)
        let pulled = try regdb("pull", two.url + "/manifest.json", "--db", "service/registry.db", in: dir.url)
        #expect(pulled.status == 0 && pulled.stdout.contains("the replaced file is service/registry.db.previous"), "\(pulled.stdout)\(pulled.stderr)")
        _ = FileManager.default.createFile(atPath: dir.file("go").path, contents: nil)
        reader.waitUntilExit()
        let answers = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        #expect(reader.terminationStatus == 0)
        #expect(answers.count == 2 && answers[0] == answers[1] && answers[0] != "changed", "\(answers)")
        #expect(try sqlite3(dir.file("service/registry.db"), "SELECT description FROM model WHERE id = 'veo3'").stdout == "changed\n")

        let back = try regdb("pull", "--rollback", "--db", "service/registry.db", in: dir.url)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try sha256(dir.file("service/registry.db")) == first.sha256)
        #expect(try sha256(dir.file("service/registry.db.previous")) == second.sha256)
        #expect(try regdb("pull", "--rollback", "--db", "service/registry.db", in: dir.url).status == 0)
        #expect(try sha256(dir.file("service/registry.db")) == second.sha256)
    }

    @Test func pullNamesWhatIsWrong() throws {
        let dir = try TemporaryDirectory()
        let server = try FakeServer(["/manifest.json": ["body": "{\"format\": \"something else\"}"]], in: dir)
        let wrong = try regdb("pull", server.url + "/manifest.json", "--db", "r.db", in: dir.url)
        #expect(wrong.status == 1 && wrong.stderr.contains("[pull] not a regdb manifest"), "\(wrong.stderr)")
        let missing = try regdb("pull", server.url + "/nothing.json", "--db", "r.db", in: dir.url)
        #expect(missing.status == 1 && missing.stderr.contains("[pull] the manifest answered HTTP 404"), "\(missing.stderr)")
        let noPrevious = try regdb("pull", "--rollback", "--db", "r.db", in: dir.url)
        #expect(noPrevious.status == 1 && noPrevious.stderr.contains("there is no r.db.previous to roll back to"), "\(noPrevious.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("r.db").path))
    }
}
