import ArgumentParser
import Foundation
import RegDB

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registry read-only over HTTP: /v1/models, /v1/models/{name}, POST /v1/cost, /healthz, the site.",
        discussion: """
            Starts regdb-serve, built beside regdb (swift build -c release --product regdb-serve). \
            GET /v1/models lists the models in OpenRouter's shape with regdb's fields; GET \
            /v1/models/{name} resolves any name (404 with suggestions for an unknown one under the \
            enforce policy); POST /v1/cost prices a call ({"name", "usage"}) or a provider's \
            response, as regdb cost --format json; GET /healthz gives the schema version and the \
            pulled version and digest; / serves the site. Every answer has an ETag; nothing writes. \
            When regdb pull swaps the file, the next request reads the new one.

              regdb serve --port 8080 --db /srv/registry.db
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed on start).")
    var port = 8080
    @Option(help: ArgumentHelp("Unknown names: enforce (404 with suggestions), warn or off (passed through).", valueName: "policy"))
    var policy = "enforce"
    @Option(help: ArgumentHelp("Largest request body accepted, in bytes.", valueName: "bytes"))
    var maxBody = 65_536
    @Option(help: ArgumentHelp("Seconds a connection may sit idle, or take to send a request, before it is closed.", valueName: "seconds"))
    var timeout = 30

    func run() throws {
        try reportingErrors {
            let own = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            let server = own.deletingLastPathComponent().appendingPathComponent("regdb-serve").path
            guard FileManager.default.isExecutableFile(atPath: server) else {
                throw RegDBError.violations([Violation(file: server, path: nil, rule: "serve",
                    message: "regdb-serve is not built beside regdb; build it: swift build -c release --product regdb-serve")])
            }
            let arguments = [server, "--db", database.resolvedPath, "--host", host, "--port", String(port), "--policy", policy,
                             "--max-body", String(maxBody), "--timeout", String(timeout)]
            // The server takes this process's place: signals and the exit status are its own.
            var cArguments = arguments.map { strdup($0) } + [nil]
            execv(server, &cArguments)
            throw RegDBError.violations([Violation(file: server, path: nil, rule: "serve", message: "cannot be started: \(String(cString: strerror(errno)))")])
        }
    }
}
