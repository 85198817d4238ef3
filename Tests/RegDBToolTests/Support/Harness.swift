import Foundation

/// The repository root (where Package.swift, schema.sql and seeds/ are).
let repoRoot: URL = URL(filePath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Real data the tests compare against, committed under Tests/ReferenceData (see its README).
let referenceData: URL = repoRoot.appending(path: "Tests/ReferenceData")

/// The `regdb` binary built next to this test runner.
let regdbBinary: URL = {
    let runner = URL(filePath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                     ?? CommandLine.arguments[0])
    var directory = runner.deletingLastPathComponent()
    // macOS runs tests from inside a .xctest bundle.
    while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" || directory.lastPathComponent == "Contents" {
        directory = directory.deletingLastPathComponent()
    }
    let candidate = directory.appending(path: "regdb")
    return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : repoRoot.appending(path: ".build/debug/regdb")
}()

/// What a finished process printed and how it exited.
struct ProcessResult {
    var stdout: String
    var stderr: String
    var status: Int32

    /// stderr split into lines, without empty ones.
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
}

/// Runs an executable with arguments in `directory`, feeding `input` on stdin.
@discardableResult
func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
         environment: [String: String]? = nil, input: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "REGDB_PATH")
    env.removeValue(forKey: "FAL_KEY")
    if let environment { env.merge(environment) { $1 } }
    process.environment = env
    let out = Pipe(), err = Pipe(), stdin = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    // Drain both pipes before waiting, so a chatty process never blocks on a full pipe.
    let collected = CollectedOutput()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        collected.stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(stdout: String(decoding: collected.stdout, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self),
                         status: process.terminationStatus)
}

private final class CollectedOutput: @unchecked Sendable {
    var stdout = Data()
}

/// Runs the built `regdb` binary.
@discardableResult
func regdb(_ arguments: String..., in directory: URL? = nil, environment: [String: String]? = nil,
           input: String? = nil) throws -> ProcessResult {
    try run(regdbBinary, arguments, in: directory, environment: environment, input: input)
}

@discardableResult
func regdb(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
    try run(regdbBinary, arguments, in: directory, environment: environment)
}

/// Runs the `sqlite3` CLI on `database` with `sql` on stdin, as a user at the shell would.
@discardableResult
func sqlite3(_ database: URL, _ sql: String) throws -> ProcessResult {
    try run(URL(filePath: "/usr/bin/sqlite3"), ["-bail", database.path], input: sql)
}

/// The bytes of a file, for "unchanged byte for byte" assertions.
func contents(_ url: URL) -> Data? {
    FileManager.default.contents(atPath: url.path)
}

/// A fresh temporary directory, removed when the object is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appending(path: "regdb-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func file(_ name: String) -> URL { url.appending(path: name) }

    /// Writes `text` to `name` inside the directory and returns its URL.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> URL {
        let target = file(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
        return target
    }

    /// Copies the repository's seeds/ into the directory (so tests may edit them);
    /// returns the seed file names relative to the directory, sorted.
    @discardableResult
    func copySeeds() throws -> [String] {
        let target = file("seeds")
        try FileManager.default.copyItem(at: repoRoot.appending(path: "seeds"), to: target)
        return try FileManager.default.contentsOfDirectory(atPath: target.path)
            .filter { $0.hasSuffix(".json") }.sorted().map { "seeds/" + $0 }
    }

    /// registry.db imported from a copy of the repository's seeds, in this directory.
    /// A copy of the seeds, and registry.db as `regdb import seeds/*.json` makes it from them:
    /// copied from one import made once per test process (SQLite's backup API, through
    /// sqlite3's `.backup`), not imported again by each of the hundreds of tests that need one.
    func importedRegistry() throws -> URL {
        _ = try copySeeds()
        return try copiedRegistry()
    }

    /// registry.db as `importedRegistry()` makes it, without the seeds beside it.
    func copiedRegistry() throws -> URL {
        let template = try importedTemplate.get()
        try FileManager.default.copyItem(at: template, to: file("registry.db"))
        return file("registry.db")
    }

    /// registry.db made by a real `regdb import` of a copy of the seeds, in this directory.
    func freshlyImportedRegistry() throws -> URL {
        let seeds = try copySeeds()
        let result = try regdb(["import"] + seeds, in: url)
        guard result.status == 0 else { throw FixtureError(message: "fixture import failed: \(result.stderr)") }
        return file("registry.db")
    }
}

/// One registry imported from the seeds, backed up into a single file, made on first use.
private let importedTemplate = Result<URL, any Error> {
    let dir = try TemporaryDirectory()
    let db = try dir.freshlyImportedRegistry()
    let template = FileManager.default.temporaryDirectory.appending(path: "regdb-template-\(UUID().uuidString).db")
    let backup = try sqlite3(db, ".backup '\(template.path)'")
    guard backup.status == 0 else { throw FixtureError(message: "template backup failed: \(backup.stderr)") }
    return template
}

struct FixtureError: Error {
    var message: String
}

/// A small valid seed file: one provider, one video model with every kind of option.
let minimalSeed = """
{
  "providers": [{"id": "fal", "name": "fal.ai", "endpoint_glob": "[a-z]*/[a-z0-9]*"}],
  "models": [
    {
      "id": "veo3",
      "name": "Google Veo 3",
      "routes": [
        {
          "route": "fal/fal-ai/veo3",
          "endpoint": "fal-ai/veo3",
          "categories": {"text_to_video": "veo3"},
          "pricing": [
            {"unit": "second", "variant": "no_audio", "usd": 0.5},
            {"unit": "second", "variant": "audio", "usd": 0.75}
          ],
          "durations": [5, 6, 7, 8],
          "max_duration": 8,
          "aspect_ratios": ["16:9", "9:16"],
          "resolutions": ["720p"],
          "defaults": {"duration": 8, "aspect_ratio": "16:9", "resolution": "720p"}
        }
      ]
    }
  ]
}
"""

/// An executable on $PATH, or nil.
func executable(_ name: String) -> URL? {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return paths.map { URL(filePath: String($0)).appending(path: name) }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Parses JSON text into Foundation values.
func parse(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// The registry's bytes and its WAL's, for "nothing was written" assertions.
func snapshot(_ database: URL) -> [Data?] {
    [contents(database), contents(URL(filePath: database.path + "-wal"))]
}
