import Foundation
import Testing

/// The library's rooms use each other in one direction: scripts/folders lists each folder's
/// uses of other folders' types and fails when two folders use each other's.
@Suite struct ArchitectureTests {
    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func noFolderUsesAFolderThatUsesIt() throws {
        let result = try run(try #require(executable("python3")), [repoRoot.appending(path: "scripts/folders").path])
        #expect(result.status == 0, "\(result.stderr)")
        // The graph is listed: every folder of Sources/RegDB has a line.
        let folders = try FileManager.default.contentsOfDirectory(atPath: repoRoot.appending(path: "Sources/RegDB").path)
            .filter { !$0.hasPrefix(".") }
        for folder in folders {
            #expect(result.stdoutLines.contains { $0.hasPrefix(folder + ": ") }, "\(folder) missing from \(result.stdout)")
        }
        // Prices have a room of their own: quoting, price keys, dates and money.
        let pricing = try FileManager.default.contentsOfDirectory(atPath: repoRoot.appending(path: "Sources/RegDB/Pricing").path)
        #expect(Set(["Registry+Cost.swift", "PriceKeys.swift", "PriceDate.swift", "Money.swift"]).isSubset(of: pricing))
    }

    /// A loop is caught: two folders that use each other's types fail the script.
    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func aLoopFails() throws {
        let dir = try TemporaryDirectory()
        let root = dir.url.appending(path: "Sources/RegDB")
        try FileManager.default.createDirectory(at: root.appending(path: "A"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appending(path: "B"), withIntermediateDirectories: true)
        try "struct Alpha { var b: Beta? }\n".write(to: root.appending(path: "A/A.swift"), atomically: true, encoding: .utf8)
        try "struct Beta { var a: Alpha? }\n".write(to: root.appending(path: "B/B.swift"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.url.appending(path: "scripts"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repoRoot.appending(path: "scripts/folders"), to: dir.url.appending(path: "scripts/folders"))
        let result = try run(try #require(executable("python3")), [dir.url.appending(path: "scripts/folders").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("loop: A -> B (Beta) and B -> A (Alpha)"), "\(result.stderr)")
    }
}
