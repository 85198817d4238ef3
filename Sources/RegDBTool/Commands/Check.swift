import ArgumentParser
import Foundation
import RegDB

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate seed files and the registry; exit 1 on any violation.",
        discussion: """
            Checks the seed files (default: seeds/*.json) without touching any database, then the
            registry at --db if it exists: schema version, integrity, references, every rule, and
            drift from what the seeds produce. Each violation is one line on stderr:
              FILE:JSON-PATH: error: [rule] message
            Run it before every commit (see .pre-commit-hooks.yaml and scripts/install-hook).
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "table: violations as lines on stderr; json or csv: as data on stdout.")
    var format: OutputFormat = .table

    @Argument(help: ArgumentHelp("Seed files to check (default: seeds/*.json).", valueName: "file"))
    var files: [String] = []

    func run() throws {
        try reportingErrors {
            let seedFiles = files.isEmpty ? try defaultSeedFiles() : files
            let report = try Registry.check(seedFiles: seedFiles, databasePath: database.resolvedPath, complete: files.isEmpty)
            switch format {
            case .table:
                for violation in report.violations { printError(violation.description) }
                if report.violations.isEmpty {
                    let db = report.checkedDatabase ? " and \(database.resolvedPath)" : ""
                    print("ok: \(report.seedFiles) seed files (\(report.seedRoutes) routes)\(db): no violations")
                }
            case .json, .csv:
                let table = ResultTable(columns: ["file", "path", "rule", "message"], rows: report.violations.map {
                    [.string($0.file), $0.path.map { .string($0.description) } ?? .null, .string($0.rule), .string($0.message)]
                })
                print(Renderer.render(table, as: format), terminator: "")
            }
            if !report.violations.isEmpty { throw ExitCode(1) }
        }
    }

    /// seeds/*.json in the working directory, as the shell would expand it.
    private func defaultSeedFiles() throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "seeds")) ?? []
        let files = names.filter { $0.hasSuffix(".json") }.sorted().map { "seeds/" + $0 }
        if files.isEmpty {
            throw RegDBError.violations([Violation(file: "seeds", path: nil, rule: "file",
                                                   message: "no seed files in ./seeds; name them: regdb check FILE…")])
        }
        return files
    }
}
