import Foundation
import Testing

/// One case of conformance/vectors.json: a question to the CLI and its answer.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var setup: [[String]]
    var arguments: [String]
    var environment: [String: String]
    var exit: Int32
    /// The JSON printed on stdout, volatile keys removed, as canonical text; nil when stdout is no JSON.
    var json: String?
    var stderr: String?

    var testDescription: String { name }
}

/// The vectors the Python package is held to as well (python/tests/test_conformance.py).
private let vectors: (volatile: Set<String>, cases: [ConformanceCase]) = {
    guard let data = FileManager.default.contents(atPath: repoRoot.appending(path: "conformance/vectors.json").path),
          let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any],
          let cases = root["cases"] as? [[String: Any]] else { return ([], []) }
    return (Set(root["volatile"] as? [String] ?? []), cases.map { item in
        ConformanceCase(name: item["name"] as? String ?? "?", setup: item["setup"] as? [[String]] ?? [],
                        arguments: item["args"] as? [String] ?? [], environment: item["env"] as? [String: String] ?? [:],
                        exit: Int32(item["exit"] as? Int ?? -1),
                        json: item["json"].flatMap { $0 is NSNull ? nil : canonicalJSON($0) },
                        stderr: item["stderr"] as? String)
    })
}()

/// JSON text with sorted keys, for comparing values however their members were ordered.
private func canonicalJSON(_ value: Any, dropping volatile: Set<String> = []) -> String {
    func strip(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            return object.filter { !volatile.contains($0.key) }.mapValues(strip)
        }
        if let array = value as? [Any] { return array.map(strip) }
        return value
    }
    guard let data = try? JSONSerialization.data(withJSONObject: strip(value), options: [.sortedKeys, .fragmentsAllowed]) else {
        return "\(value)"
    }
    return String(decoding: data, as: UTF8.self)
}

/// The registry every case starts from: the seeds, imported once.
private let seeded: Result<URL, Error> = Result(catching: {
    let dir = FileManager.default.temporaryDirectory.appending(path: "regdb-conformance-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let seeds = try FileManager.default.contentsOfDirectory(atPath: repoRoot.appending(path: "seeds").path)
        .filter { $0.hasSuffix(".json") }.sorted().map { repoRoot.appending(path: "seeds/\($0)").path }
    let imported = try regdb(["import", "--db", dir.appending(path: "registry.db").path] + seeds)
    guard imported.status == 0 else { throw FixtureError(message: "seeds do not import: \(imported.stderr)") }
    return dir.appending(path: "registry.db")
})

@Suite struct ConformanceTests {
    @Test func thereAreVectors() {
        #expect(vectors.cases.count >= 100, "conformance/vectors.json is missing or nearly empty")
        let kinds = Set(vectors.cases.compactMap(\.arguments.first))
        #expect(kinds.isSuperset(of: ["resolve", "cost", "get", "list", "failover", "metrics"]), "\(kinds)")
    }

    /// The CLI still gives every answer of the vectors: exit status, JSON and stderr.
    @Test(arguments: vectors.cases)
    func theCLIAnswersAsTheVectorsSay(_ vector: ConformanceCase) throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("registry.db")
        try FileManager.default.copyItem(at: try seeded.get(), to: db)
        let environment = vector.environment.merging(["REGDB_POLICY": vector.environment["REGDB_POLICY"] ?? ""]) { $1 }
        for step in vector.setup {
            let done = try regdb(step + ["--db", db.path], in: dir.url, environment: environment)
            try #require(done.status == 0, "setup \(step): \(done.stderr)")
        }
        let result = try regdb(vector.arguments + ["--db", db.path], in: dir.url, environment: environment)
        #expect(result.status == vector.exit, "\(result.stderr)")
        if let json = vector.json {
            let answer = try? parse(result.stdout)
            #expect(answer.map { canonicalJSON($0, dropping: vectors.volatile) } == json, "stdout: \(result.stdout)")
        }
        if let stderr = vector.stderr {
            #expect(result.stderr == stderr)
        }
    }
}
