import ArgumentParser
import RegDB

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load seed files into the registry, all or nothing.",
        discussion: """
            Every file is checked against every rule before the registry is touched; bad input
            changes nothing. Importing the same files again writes nothing.
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("Seed files (native JSON), such as seeds/*.json.", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one seed file, such as seeds/*.json.") }
    }

    func run() throws {
        try reportingErrors {
            let path = database.resolvedPath
            let summary = try Registry.importSeeds(files: files, into: path)
            let counts = "\(summary.providers) providers, \(summary.models) models, \(summary.routes) routes"
            if summary.unchanged {
                print("\(path): up to date with \(summary.files) files (\(counts)); nothing written")
            } else {
                print("\(path): imported \(summary.files) files: \(counts)")
            }
        }
    }
}
