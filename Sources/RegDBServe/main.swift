import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdCore
import RegDB

/// `regdb serve`: the registry, read-only, over HTTP. `regdb serve` starts this binary from
/// beside itself; it may be run directly as well (a service unit names it).
@main
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regdb-serve",
        abstract: "Serve the registry read-only: /v1/models, /v1/models/{name}, POST /v1/cost, /healthz and the site.")

    @Option(name: .customLong("db"), help: ArgumentHelp("Registry file (default: $REGDB_PATH, else ./registry.db).", valueName: "path"))
    var path: String?
    @Option(help: "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed on start).")
    var port = 8080
    @Option(help: ArgumentHelp("Unknown names under GET /v1/models/{name}: enforce (404 with suggestions), warn or off (passed through, known false).", valueName: "policy"))
    var policy: String = "enforce"
    @Option(help: ArgumentHelp("Largest request body accepted, in bytes (default 65536).", valueName: "bytes"))
    var maxBody = 65_536
    @Option(help: ArgumentHelp("Seconds a connection may sit idle, or take to send a request, before it is closed (default 30).", valueName: "seconds"))
    var timeout = 30

    func validate() throws {
        guard Policy(rawValue: policy) != nil else { throw ValidationError("--policy must be off, warn or enforce, not \"\(policy)\".") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard maxBody > 0 else { throw ValidationError("--max-body must be a number of bytes above 0.") }
        guard timeout > 0 else { throw ValidationError("--timeout must be a number of seconds above 0.") }
    }

    func run() async throws {
        let db = path ?? ProcessInfo.processInfo.environment["REGDB_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "registry.db"
        let served: Served
        do { served = try Served(path: db) } catch let error as RegDBError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        let api = API(served: served, policy: Policy(rawValue: policy) ?? .enforce, maxBody: maxBody)
        let router = Router()
        router.get("healthz") { request, _ in try api.health(request) }
        router.get("v1/models") { request, _ in try api.models(request) }
        router.get("v1/models/**") { request, context in
            try api.model(context.parameters.getCatchAll().joined(separator: "/"), request)
        }
        router.post("v1/cost") { request, _ in try await api.cost(request) }
        router.get("/") { request, _ in try api.site("index.html", request) }
        router.get("**") { request, context in try api.site(context.parameters.getCatchAll().joined(separator: "/"), request) }
        let host = self.host
        // Small headers (a lookup needs few), and a connection idle or slow past --timeout is closed.
        let http = HTTP1Channel.Configuration(
            idleTimeout: .seconds(Int64(timeout)),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 8_192, maxHeaderListSize: 32_768, maxHeaderFieldCount: 100))
        let app = Application(
            router: router,
            server: .http1(configuration: http),
            configuration: .init(address: .hostname(host, port: port), serverName: "regdb"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                FileHandle.standardOutput.write(Data("regdb serve: http://\(host):\(bound) (\(db))\n".utf8))
            })
        try await app.runService()
    }
}

/// An answer ready to send: its body, type and ETag.
struct Answer: Sendable {
    var status: HTTPResponse.Status = .ok
    var body: [UInt8]
    var contentType = "application/json"
    var etag: String

    init(status: HTTPResponse.Status = .ok, body: [UInt8], contentType: String = "application/json") {
        self.status = status
        self.body = body
        self.contentType = contentType
        etag = "\"" + SHA256.hex(body).prefix(32) + "\""
    }

    init(status: HTTPResponse.Status = .ok, json: JSONValue) {
        self.init(status: status, body: Array((json.jsonText + "\n").utf8))
    }

    /// With the ETag; a 304 without a body when the request already holds this one.
    func response(to request: Request) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .eTag: etag, .cacheControl: "no-cache"]
        if status == .ok, request.headers[.ifNoneMatch] == etag {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, _ extra: [(key: String, value: JSONValue)] = []) -> Answer {
        Answer(status: status, json: .object([("error", .object([("message", .string(message))] + extra))]))
    }
}

/// The registry file served and what is made from it once: the model list, the site, the
/// health answer, and each name asked for. When `regdb pull` swaps the file (a new inode),
/// the next request opens the new one; requests in flight finish on the old.
final class Served: @unchecked Sendable {
    final class Snapshot: @unchecked Sendable {
        let registry: Registry
        let pricer: Pricer
        let models: Answer
        let health: Answer
        let site: [String: Answer]
        private let lock = NSLock()
        private var names: [String: Answer] = [:]

        init(path: String, registry: Registry) throws {
            self.registry = registry
            pricer = try Pricer(registry)
            models = Answer(json: try registry.openRouterModels())
            var files: [String: Answer] = [:]
            for file in try registry.exportSite() {
                let type = file.name.hasSuffix(".css") ? "text/css; charset=utf-8"
                    : file.name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8"
                files[file.name] = Answer(body: Array(file.text.utf8), contentType: type)
            }
            site = files
            let pulled = FileManager.default.contents(atPath: path + ".pull.json").flatMap { try? JSONParser.parse([UInt8]($0)) }
            // The pulled artifact's digest. A file not pulled is written in place (sightings,
            // outcomes) and has none that holds; it is never read here to make one: closing any
            // descriptor of the file drops every lock this process holds on it (POSIX), SQLite's
            // included, and a writer then checkpoints the WAL away under the server's connection
            // ("database disk image is malformed").
            let digest = pulled?["sha256"]?.stringValue
            health = Answer(json: .object([
                ("status", .string("ok")), ("db", .string(path)), ("schema_version", .integer(Int64(Registry.schemaVersion))),
                ("version", pulled?["version"] ?? .null), ("sha256", digest.map(JSONValue.string) ?? .null),
            ]))
        }

        /// The answer for a name, made once. At most 100,000 names, and none longer than 256 bytes
        /// (a model name is never that long): a client asking for ever new 8 KB names (about 16 KB
        /// of answer each) would otherwise grow the cache past a gigabyte.
        func name(_ key: String, _ make: () -> Answer) -> Answer {
            if let known = lock.withLock({ names[key] }) { return known }
            let answer = make()
            if key.utf8.count <= 256 { lock.withLock { if names.count < 100_000 { names[key] = answer } } }
            return answer
        }
    }

    let path: String
    private let lock = NSLock()
    private var snapshot: Snapshot
    private var identity: (device: UInt64, inode: UInt64, modified: Int)
    private var checked = Date()

    init(path: String) throws {
        self.path = path
        identity = Served.identity(path)
        snapshot = try Snapshot(path: path, registry: try Registry.open(at: path, mode: .readOnly))
    }

    private static func identity(_ path: String) -> (UInt64, UInt64, Int) {
        var info = stat()
        guard stat(path, &info) == 0 else { return (0, 0, 0) }
        return (UInt64(info.st_dev), UInt64(info.st_ino), Int(info.st_mtim.tv_sec))
    }

    /// The snapshot of the file now at `path`; looked at again at most every quarter second.
    ///
    /// A file written in place (sightings, outcomes, an import) is read again through the
    /// connection the server has; only a new file (`regdb pull` swaps the inode) gets a
    /// connection of its own. A snapshot that cannot be made keeps the last one serving, said
    /// once on stderr, and is tried again at the next look.
    func current() throws -> Snapshot {
        lock.lock()
        defer { lock.unlock() }
        guard Date().timeIntervalSince(checked) > 0.25 else { return snapshot }
        checked = Date()
        let now = Served.identity(path)
        if now != identity, now.0 != 0 {
            do {
                let sameFile = now.0 == identity.device && now.1 == identity.inode
                let registry = sameFile ? snapshot.registry : try Registry.open(at: path, mode: .readOnly)
                snapshot = try Snapshot(path: path, registry: registry)
                identity = now
                reloadFailed = false
            } catch {
                if !reloadFailed { FileHandle.standardError.write(Data("regdb serve: \(path) changed but cannot be read now (\(error)); still serving what was read before\n".utf8)) }
                reloadFailed = true
            }
        }
        return snapshot
    }

    /// Whether the last reload failed (said once until one succeeds).
    private var reloadFailed = false
}

struct API: Sendable {
    let served: Served
    let policy: Policy
    let maxBody: Int

    func health(_ request: Request) throws -> Response { try served.current().health.response(to: request) }

    func models(_ request: Request) throws -> Response { try served.current().models.response(to: request) }

    func model(_ name: String, _ request: Request) throws -> Response {
        let snapshot = try served.current()
        let policy = self.policy
        return snapshot.name(name) {
            do {
                return Answer(json: try snapshot.registry.resolve(name).json)
            } catch RegDBError.notFound(let name, let suggestions) {
                if policy != .enforce { return Answer(json: Resolution.unknown(name).json) }
                return .error(.notFound, "no model or route named \"\(name)\"",
                              [("suggestions", .array(suggestions.map(JSONValue.string)))])
            } catch RegDBError.ambiguous(let name, let candidates) {
                return .error(.conflict, "\"\(name)\" names several models", [("candidates", .array(candidates.map(JSONValue.string)))])
            } catch {
                return .error(.internalServerError, "\(error)")
            }
        }.response(to: request)
    }

    /// A call as `regdb cost --calls` reads one ({"name", "usage", "variants", "category", "at"}),
    /// or a provider's response as `--usage-json` reads it (its model names the route): the
    /// answer of `regdb cost --format json`.
    func cost(_ request: Request) async throws -> Response {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxBody) } catch {
            return Answer.error(.contentTooLarge, "the body is larger than \(maxBody) bytes").response(to: request)
        }
        let bytes = [UInt8](buffer.readableBytesView)
        let snapshot = try served.current()
        let registry = snapshot.registry
        do {
            let json: JSONValue
            do { json = try JSONParser.parse(bytes) } catch {
                return Answer.error(.badRequest, "the body is not JSON: \(error.message)").response(to: request)
            }
            let quote: CostQuote
            if json["name"] != nil {
                let call = try PricedCall.read(String(decoding: bytes, as: UTF8.self), at: "<body>").call.get()
                quote = try snapshot.pricer.cost(call.name, category: call.category, usage: call.usage)
            } else {
                let reading = try UsageReport.read(json, file: "<body>")
                guard let model = reading.model else {
                    return Answer.error(.badRequest, "the response names no model; give {\"name\": …, \"usage\": {…}}").response(to: request)
                }
                var usage = Usage(units: reading.units)
                usage.reported = Set(reading.units.keys)
                usage.reportedVariants = reading.variant.map { [$0] } ?? []
                quote = try snapshot.pricer.cost(try registry.responseName(model, servedBy: reading.servedBy), usage: usage)
            }
            return Answer(json: quote.json).response(to: request)
        } catch let error as RegDBError {
            if case .notFound = error { return Answer.error(.notFound, error.description).response(to: request) }
            return Answer.error(.unprocessableContent, error.description).response(to: request)
        }
    }

    func site(_ file: String, _ request: Request) throws -> Response {
        let name = file.isEmpty ? "index.html" : file
        guard let answer = try served.current().site[name] else {
            return Answer.error(.notFound, "no such page: /\(file)").response(to: request)
        }
        return answer.response(to: request)
    }
}
