import Foundation
@testable import RegDB

let repoRoot: URL = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// Real data the tests compare against, committed under Tests/ReferenceData (see its README).
let referenceData: URL = repoRoot.appending(path: "Tests/ReferenceData")

/// The repository's seed files, by path.
func repositorySeedFiles() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: repoRoot.appending(path: "seeds").path)
        .filter { $0.hasSuffix(".json") }.sorted().map { repoRoot.appending(path: "seeds/\($0)").path }
}

func readJSON(_ url: URL) throws -> JSONValue {
    try JSONParser.parse([UInt8](try Data(contentsOf: url)))
}

/// A registry file in a fresh temporary directory, imported from the repository's seeds.
func seededRegistry() throws -> (Registry, URL) {
    let directory = FileManager.default.temporaryDirectory.appending(path: "regdb-lib-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appending(path: "registry.db").path
    _ = try Registry.importSeeds(files: try repositorySeedFiles(), into: path)
    return (try Registry.open(at: path, mode: .readOnly), directory)
}

extension Registry {
    /// Rows of a query as dictionaries of JSON values.
    func rows(_ sql: String) throws -> [[String: JSONValue]] {
        let table = try execute(sql: sql)
        return table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.columns, $0)) }
    }
}

extension Decimal {
    /// The nearest Double, for comparing with catalog numbers.
    var double: Double { Double("\(self)") ?? NSDecimalNumber(decimal: self).doubleValue }
}
