import ArgumentParser
import Foundation
import RegDB

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Write a versioned, read-only copy of the registry and its manifest for services to pull.",
        discussion: """
            Writes DIR/registry-<version>.db (a compact copy made with VACUUM INTO, in rollback journal \
            mode) and DIR/manifest.json: schema version, version, the artifact's size and SHA-256, when \
            it was made, counts of models, routes and prices, and each source with its URL, version and \
            digest. Serve DIR from any static file host; services run `regdb pull URL/manifest.json`. \
            Earlier artifacts stay in DIR.

              regdb publish public/
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("The directory to write to (made if missing).", valueName: "dir"))
    var directory: String

    func run() throws {
        try reportingErrors {
            let published = try database.open(.readOnly).publish(to: directory)
            let counts = published.counts.map { "\($0.count) \($0.name)" }.joined(separator: ", ")
            print("\(published.artifact): version \(published.version), \(published.bytes) bytes, sha256 \(published.sha256) (\(counts))")
            print("\(published.manifest): names it")
        }
    }
}

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Bring the registry file up to date with a published manifest.",
        discussion: """
            Fetches the manifest (a conditional request after the first pull), and unless the \
            registry already holds its artifact, downloads it, checks its size, SHA-256 and schema \
            version, and swaps it in with one rename: a process reading the old file keeps reading \
            it, and the next open sees the new one. The replaced file is kept as <db>.previous; \
            --rollback puts it back. A corrupted or unreachable artifact changes nothing (exit 1).

              regdb pull https://models.example.com/registry/manifest.json --db /srv/registry.db
              regdb pull --rollback --db /srv/registry.db
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("The manifest's URL (http, https, or a local path).", valueName: "url"))
    var url: String?

    @Flag(help: "Put the file the last pull replaced back in place.")
    var rollback = false
    @Option(help: ArgumentHelp("Seconds each download may take (default 60).", valueName: "seconds"))
    var timeout: Double = 60

    func validate() throws {
        if rollback == (url != nil) { throw ValidationError("Give the manifest's URL, or --rollback.") }
        if !(timeout > 0 && timeout <= 3600) { throw ValidationError("--timeout must be from 0 to 3600 seconds, not \(timeout).") }
    }

    func run() throws {
        try reportingErrors {
            let db = database.resolvedPath
            let outcome = try url.map { try Pull.pull(from: $0, into: db, timeout: timeout) } ?? Pull.rollback(db)
            switch outcome {
            case .upToDate(let version): print("\(db): up to date\(version.map { " (version \($0))" } ?? "")")
            case .pulled(let version, let bytes, let previous):
                print("\(db): pulled version \(version) (\(bytes) bytes)" + (previous.map { "; the replaced file is \($0)" } ?? ""))
            case .rolledBack(let previous): print("\(db): rolled back; the replaced file is \(previous)")
            }
        }
    }
}
