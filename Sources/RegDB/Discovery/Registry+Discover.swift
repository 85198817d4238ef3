import Foundation
import GRDB

/// What a discovery run found and recorded.
public struct DiscoveryReport: Sendable {
    /// The provider the server's models are routes of.
    public var provider: String
    /// The source the run recorded (kind server).
    public var source: String
    /// Routes the server lists now.
    public var listed: Int
    /// Routes of the provider it no longer lists, kept and marked unavailable.
    public var unavailable: Int
    /// Names no other source knows, recorded as sightings.
    public var unknown: Int
    /// Per capability, files found (ComfyUI).
    public var capabilities: [(capability: String, count: Int)]
    public var warnings: [Violation]
}

/// How to reach a server.
public struct DiscoveryOptions: Sendable {
    public var timeout: TimeInterval
    /// Provider id for the server's routes (default: derived from the URL or a provider whose base URL matches).
    public var provider: String?
    /// Environment variable holding a bearer token (default: the provider's first env var).
    public var tokenVariable: String?
    public var allowShrink: Bool
    /// The most models (ComfyUI: files) a server may list; more is an error and nothing is written,
    /// so a hostile or broken server cannot make a run take minutes and gigabytes.
    public var maxModels: Int

    /// The default of `maxModels`: more than any real server lists.
    public static let defaultMaxModels = 100_000

    public init(timeout: TimeInterval = 10, provider: String? = nil, tokenVariable: String? = nil, allowShrink: Bool = false,
                maxModels: Int = DiscoveryOptions.defaultMaxModels) {
        self.maxModels = maxModels
        self.timeout = timeout
        self.provider = provider
        self.tokenVariable = tokenVariable
        self.allowShrink = allowShrink
    }
}

extension Registry {
    // MARK: - Shared

    /// Imports what a server said as a `server` source, in one transaction with
    /// `also`. The same rule for every server: the routes it lists are available;
    /// a route this source listed before and lists no more is kept, as the source
    /// last described it, marked unavailable (never deleted, and never a route
    /// another source gave). A run that would turn more than half of the routes
    /// the source last listed unavailable (an empty or much shorter answer) is
    /// refused unless `--allow-shrink`. Returns how many routes turned unavailable.
    @discardableResult
    func record(providers: [JSONValue], routes: [JSONValue], source: String, options: DiscoveryOptions, now: String,
                        also: ((Database) throws -> Void)? = nil) throws -> Int {
        let listed = Set(routes.compactMap { $0["route"]?.stringValue })
        let previous = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.entity_id, c.value FROM claim c JOIN source s ON s.id = c.source_id
                WHERE s.name = ? AND c.entity = 'route' ORDER BY c.seq
                """, arguments: [source])
        }
        var withdrawn: [JSONValue] = []
        var wasListed = 0, stillListed = 0
        for row in previous {
            let key: String = row[0]
            guard case .object(var members) = (try? JSONParser.parse(row[1] as String)) ?? .null else { continue }
            if members.first(where: { $0.key == "available" })?.value != .bool(false) {
                wasListed += 1
                if listed.contains(key) { stillListed += 1 }
            }
            guard !listed.contains(key) else { continue }
            members.removeAll { $0.key == "available" }
            members.append(("available", .bool(false)))
            withdrawn.append(.object(members))
        }
        let turning = wasListed - stillListed
        if !options.allowShrink && wasListed > 0 && turning * 2 > wasListed {
            throw RegDBError.violations([Violation(file: source, path: nil, rule: "shrink", message: """
                this discovery lists \(listed.count) routes and would mark \(turning) of the \(wasListed) it listed last time \
                unavailable; nothing written (pass --allow-shrink if the server really dropped them)
                """)])
        }
        let seedJSON = JSONValue.object([("providers", .array(providers)), ("routes", .array(routes + withdrawn))])
        let bytes = Array(seedJSON.jsonText.utf8)
        let (seed, violations) = SeedReader.decode(name: source, json: seedJSON, hash: SHA256.hex(bytes))
        guard let seed else { throw RegDBError.violations(violations) }
        let input = SourceInput(name: source, kind: .server, contentHash: SHA256.hex(bytes), claims: Claims.extract(from: [seed]))
        _ = try importSources([input], allowShrink: true, force: true, now: now, also: also)
        return withdrawn.count
    }

    /// GETs and parses JSON; with `optional`, a 404 is nil rather than an error.
    func fetchJSON(_ client: HTTPClient, _ url: String, headers: [String: String] = [:], optional: Bool = false) throws -> JSONValue? {
        let response: HTTPClient.Response
        do {
            response = try client.get(url, headers: headers)
        } catch let failure as HTTPClient.Failure {
            throw RegDBError.discovery(failure.description)
        }
        if optional && response.status == 404 { return nil }
        guard (200..<300).contains(response.status) else {
            let hint = response.status == 401 || response.status == 403 ? " (a token is needed: set the provider's env var or pass --token-env)" : ""
            throw RegDBError.discovery("\(url) answered HTTP \(response.status)\(hint)")
        }
        do {
            return try JSONParser.parse([UInt8](response.body))
        } catch {
            throw RegDBError.discovery("\(url) did not answer JSON: \(error.message) (line \(error.line), column \(error.column))")
        }
    }

    func fetchJSON(_ client: HTTPClient, _ url: String, headers: [String: String] = [:]) throws -> JSONValue {
        try fetchJSON(client, url, headers: headers, optional: false) ?? .null
    }

    /// The provider whose base URL is this server's, if any.
    func matchingProvider(_ base: String) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT id FROM provider WHERE base_url IS NOT NULL AND (?1 = rtrim(base_url, '/') OR ?1 || '/v1' = rtrim(base_url, '/')
                    OR ?1 = rtrim(base_url, '/') || '/v1') ORDER BY id LIMIT 1
                """, arguments: [base])
        }
    }

    func providerVariables(_ provider: String) throws -> [String] {
        try read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT env_vars FROM provider WHERE id = ?", arguments: [provider]),
                  case .array(let items)? = try? JSONParser.parse(text) else { return [] }
            return items.compactMap(\.stringValue)
        }
    }

    /// The server's base URL as stored and printed: scheme, host, port and path only, no
    /// trailing '/'. Never the user information of `http://user:token@host`, nor a query or
    /// fragment (`?api_key=…`): either is a credential until proven otherwise.
    static func trimmedBase(_ url: String) -> String {
        var base = url.trimmingCharacters(in: .whitespaces)
        if let end = base.firstIndex(where: { $0 == "?" || $0 == "#" }) { base = String(base[..<end]) }
        while base.hasSuffix("/") { base.removeLast() }
        if let scheme = base.range(of: "://") {
            let authorityEnd = base[scheme.upperBound...].firstIndex(of: "/") ?? base.endIndex
            if let at = base[scheme.upperBound..<authorityEnd].lastIndex(of: "@") {
                base.removeSubrange(scheme.upperBound...at)
            }
        }
        return base
    }

    /// The warning for a URL whose user information, query or fragment (a token, perhaps) was
    /// dropped; nil when it has none.
    static func credentialWarning(_ url: String) -> Violation? {
        let beforeQuery = url.prefix { $0 != "?" && $0 != "#" }
        let userInfo = url.range(of: "://").map { beforeQuery[$0.upperBound...].prefix(while: { $0 != "/" }).contains("@") } ?? false
        let query = beforeQuery.count < url.count
        guard userInfo || query else { return nil }
        let dropped = [userInfo ? "the user and password" : nil, query ? "the query and fragment" : nil]
            .compactMap { $0 }.joined(separator: " and ")
        return Violation(file: trimmedBase(url), path: .root, rule: "credentials",
                         message: "\(dropped) of the URL were dropped, never stored or sent (either may hold a token); give a token through "
                             + "the provider's environment variable (see regdb providers) or --token-env NAME",
                         severity: .warning)
    }

    /// Refuses a listing of more than `options.maxModels` models before anything is made of it.
    static func checkModelCount(_ count: Int, _ what: String, _ options: DiscoveryOptions) throws {
        guard count > options.maxModels else { return }
        throw RegDBError.discovery("\(what) lists \(count) models, more than --max-models \(options.maxModels); nothing written "
                                   + "(raise --max-models if the server really serves that many)")
    }

    /// `http://192.168.1.5:8188` → `comfyui-192.168.1.5-8188`: a provider id (no '/').
    static func providerID(for base: String, prefix: String) -> String {
        prefix + "-" + hostLabel(base).replacingOccurrences(of: ":", with: "-").replacingOccurrences(of: "/", with: "-")
    }

    /// host[:port] of a URL.
    static func hostLabel(_ base: String) -> String {
        guard let url = URL(string: base), let host = url.host else { return base }
        return url.port.map { "\(host):\($0)" } ?? host
    }

    /// Whether the URL names this machine (design doc 001: remote-first, but know when it is not).
    static func isLocal(_ base: String) -> Bool {
        guard let host = URL(string: base)?.host?.lowercased() else { return false }
        return host == "localhost" || host == "0.0.0.0" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func gib(_ bytes: Double) -> Double {
        (bytes / 1_073_741_824 * 100).rounded() / 100
    }

    /// `sd_xl_base_1.0.safetensors` → `sd xl base 1.0` (design doc 001's clean name).
    static func readableName(_ file: String) -> String {
        var name = String(file.split(separator: "/").last ?? Substring(file))
        if let dot = name.lastIndex(of: "."), ComfyInventory.fileExtensions.contains(name[name.index(after: dot)...].lowercased()) {
            name = String(name[..<dot])
        }
        return name.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
    }
}
