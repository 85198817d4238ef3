import Foundation
import GRDB

/// What `regdb refresh` does, per public catalog.
public struct RefreshOptions: Sendable {
    /// The catalogs to refresh, by name (`catalog_source`); empty: all of them.
    public var names: [String] = []
    /// Rebuild from the cached last good copies; never touch the network.
    public var offline = false
    /// Import a catalog that shrank by more than half since its last import.
    public var allowShrink = false
    /// Seconds each download may take.
    public var timeout: TimeInterval = 120
    /// Largest catalog accepted, in bytes.
    public var limit = 256 * 1024 * 1024
    /// Show each download's bytes and rate as it comes (on a terminal).
    public var showProgress = false

    public init(names: [String] = [], offline: Bool = false, allowShrink: Bool = false, timeout: TimeInterval = 120) {
        self.names = names
        self.offline = offline
        self.allowShrink = allowShrink
        self.timeout = timeout
    }
}

/// How one catalog's refresh ended: one line for a person, and whether it failed.
public struct RefreshOutcome: Sendable {
    public enum Kind: String, Sendable {
        /// A new copy was imported.
        case imported
        /// The server said it has not changed (304), or the copy is the one imported last.
        case unchanged
        /// The copy was refused by a guard or could not be read; the last good copy is kept.
        case refused
        /// The server could not be reached or did not answer a catalog.
        case failed
        /// Not fetched: it needs what is not there (fal's needs FAL_KEY).
        case skipped
    }

    public var name: String
    public var kind: Kind
    public var message: String

    public var line: String { "\(name): \(message)" }
}

extension Registry {
    /// The directory beside the registry that keeps each catalog's last good copy.
    public static func cacheDirectory(forRegistryAt path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(".regdb-cache")
    }

    /// Fetches each public catalog from where it is published (`catalog_source`) and imports it
    /// as a source of kind `catalog` named as the catalog, behind guards: a copy that does not
    /// parse, has fewer routes than the catalog's floor, or shrinks by more than half since
    /// its last import (unless `allowShrink`) is refused whole, the registry and the last good
    /// copy kept. An unchanged catalog (304 to the conditional request) costs one request and
    /// no import. Every outcome is one line; nothing here throws for one catalog's failure.
    public static func refresh(registryAt path: String, options: RefreshOptions = RefreshOptions(),
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [RefreshOutcome] {
        let now = PriceDate.stored(UTCTime.now())
        let registry = try Registry.open(at: path, mode: .readWrite)
        let sources = try registry.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.name, s.url, s.format, s.floor, f.etag, f.last_modified, f.content_hash, f.routes
                FROM catalog_source s LEFT JOIN catalog_fetch f ON f.name = s.name ORDER BY s.position, s.name
                """)
        }
        let known = sources.map { $0["name"] as String }
        for name in options.names where !known.contains(name) {
            throw RegDBError.unknownValue(kind: "catalog", value: name, known: known)
        }
        let cache = cacheDirectory(forRegistryAt: path)
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        var outcomes: [RefreshOutcome] = []
        for row in sources where options.names.isEmpty || options.names.contains(row["name"] as String) {
            let name: String = row["name"], url: String = row["url"], formatName: String = row["format"]
            let format = CatalogFormat(rawValue: formatName) ?? .native
            let copy = (cache as NSString).appendingPathComponent(cacheFileName(name: name, url: url))
            let state = (etag: row["etag"] as String?, lastModified: row["last_modified"] as String?,
                         hash: row["content_hash"] as String?, routes: row["routes"] as Int64?)
            func outcome(_ kind: RefreshOutcome.Kind, _ message: String) {
                outcomes.append(RefreshOutcome(name: name, kind: kind, message: message))
            }
            var body: Data
            var headers = (etag: String?.none, lastModified: String?.none)
            if options.offline {
                guard let cached = FileManager.default.contents(atPath: copy) else {
                    outcome(.failed, "no cached copy in \(cache); run regdb refresh \(name) with the network first")
                    continue
                }
                body = cached
                headers = (state.etag, state.lastModified)
            } else if format == .falPricing {
                // fal's pricing API answers for the endpoints asked about (at most 50 a request) and
                // only to an account: its key goes in a header and nowhere else.
                guard let key = environment["FAL_KEY"], !key.isEmpty else {
                    outcome(.skipped, "skipped: FAL_KEY is not set (fal's pricing API answers to an account's key)")
                    continue
                }
                let endpoints = try registry.read { db in
                    try String.fetchAll(db, sql: "SELECT wire_id FROM route WHERE provider_id = 'fal' ORDER BY wire_id")
                }
                guard !endpoints.isEmpty else {
                    outcome(.skipped, "skipped: the registry has no fal routes to ask prices for")
                    continue
                }
                var prices: [JSONValue] = []
                var seen: [String: Int] = [:]
                var failure: String?
                for start in stride(from: 0, to: endpoints.count, by: 50) {
                    let batch = endpoints[start..<min(start + 50, endpoints.count)]
                    var parts = URLComponents(string: url)
                    parts?.queryItems = [URLQueryItem(name: "endpoint_id", value: batch.joined(separator: ","))]
                    guard let pageURL = parts?.url?.absoluteString else { failure = "\(url) is not a URL"; break }
                    do {
                        let response = try HTTPClient(timeout: options.timeout, limit: options.limit)
                            .get(pageURL, headers: ["Authorization": "Key " + key])
                        guard response.status == 200 else {
                            failure = "\(url) answered HTTP \(response.status)\(response.status == 401 || response.status == 403 ? " (is FAL_KEY an account key?)" : "")"
                            break
                        }
                        guard case .array(let page)? = (try? JSONParser.parse(Array(response.body)))?["prices"] else {
                            failure = "\(url) did not answer {\"prices\": […]}"
                            break
                        }
                        for price in page {
                            let id = price["endpoint_id"]?.stringValue ?? ""
                            if let at = seen[id] { prices[at] = price } else { seen[id] = prices.count; prices.append(price) }
                        }
                    } catch let error as HTTPClient.Failure {
                        failure = "\(error)"
                        break
                    }
                }
                if let failure {
                    outcome(.failed, "\(failure); the registry and the last good copy are kept")
                    continue
                }
                body = Data(JSONValue.object([("prices", .array(prices))]).jsonText.utf8)
            } else {
                var request: [String: String] = [:]
                let haveCopy = FileManager.default.fileExists(atPath: copy)
                if haveCopy, let etag = state.etag { request["If-None-Match"] = etag }
                if haveCopy, let modified = state.lastModified { request["If-Modified-Since"] = modified }
                let response: HTTPClient.Response
                do {
                    var client = HTTPClient(timeout: options.timeout, limit: options.limit)
                    client.progressLabel = options.showProgress ? name : nil
                    response = try client.get(url, headers: request)
                } catch let failure as HTTPClient.Failure {
                    outcome(.failed, "\(failure); the registry and the last good copy are kept")
                    continue
                }
                if response.status == 304 {
                    try registry.write { db in
                        try db.execute(sql: "UPDATE catalog_fetch SET fetched_at = ? WHERE name = ?", arguments: [now, name])
                    }
                    outcome(.unchanged, "unchanged (HTTP 304 Not Modified); nothing imported")
                    continue
                }
                guard response.status == 200 else {
                    outcome(.failed, "\(url) answered HTTP \(response.status); the registry and the last good copy are kept")
                    continue
                }
                let start = response.body.prefix(64).drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.first
                if response.contentType?.lowercased().contains("html") == true || start == UInt8(ascii: "<") {
                    outcome(.refused, "\(url) answered HTML, not a \(formatName) catalog (a login or error page?); the registry and the last good copy are kept")
                    continue
                }
                body = response.body
                headers = (response.etag, response.lastModified)
            }
            let hash = SHA256.hex(Array(body))
            if !options.offline, hash == state.hash, FileManager.default.fileExists(atPath: copy) {
                try registry.write { db in
                    try db.execute(sql: "UPDATE catalog_fetch SET fetched_at = ?, etag = ?, last_modified = ? WHERE name = ?",
                                   arguments: [now, headers.etag, headers.lastModified, name])
                }
                outcome(.unchanged, "unchanged (the same \(body.count) bytes as the last import); nothing imported")
                continue
            }
            // The new copy is read from beside the cache, and replaces the last good one only once imported.
            let pending = copy + ".new"
            guard FileManager.default.createFile(atPath: pending, contents: body) else {
                outcome(.failed, "cannot write \(pending)")
                continue
            }
            defer { try? FileManager.default.removeItem(atPath: pending) }
            let seeds: [SeedFile]
            do {
                seeds = try Registry.loadCatalogs(files: [pending], format: format).seeds
            } catch let error as RegDBError {
                let first = error.description.split(separator: "\n").first.map(String.init) ?? "\(error)"
                outcome(.refused, "not a readable \(formatName) catalog (\(first)); the registry and the last good copy are kept")
                continue
            }
            let routes = Int64(seeds.reduce(0) { $0 + $1.allRoutes.count })
            let floor: Int64 = row["floor"]
            if routes < floor {
                outcome(.refused, "\(routes) routes, fewer than its floor of \(floor); refused as broken, the last good copy kept")
                continue
            }
            if let previous = state.routes, previous > 0, routes * 2 < previous, !options.allowShrink {
                outcome(.refused, "\(routes) routes, down from \(previous) at its last import (more than half gone); refused, the last good copy kept (--allow-shrink imports it)")
                continue
            }
            let summary: ImportSummary
            do {
                summary = try registry.importSeeds(seeds, options: ImportOptions(kind: .catalog, sourceName: name, allowShrink: true,
                                                                                 format: format))
            } catch let error as RegDBError {
                let first = error.description.split(separator: "\n").first.map(String.init) ?? "\(error)"
                outcome(.refused, "the import was refused (\(first)); the registry and the last good copy are kept")
                continue
            }
            if !options.offline {
                if FileManager.default.fileExists(atPath: copy) { try FileManager.default.removeItem(atPath: copy) }
                try FileManager.default.moveItem(atPath: pending, toPath: copy)
            }
            try registry.write { db in
                try db.execute(sql: """
                    INSERT INTO catalog_fetch (name, url, etag, last_modified, fetched_at, content_hash, bytes, routes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET url = excluded.url, etag = excluded.etag, last_modified = excluded.last_modified,
                        fetched_at = excluded.fetched_at, content_hash = excluded.content_hash, bytes = excluded.bytes,
                        routes = excluded.routes
                    """, arguments: [name, url, headers.etag, headers.lastModified, now, hash, body.count, routes])
            }
            let c = summary.changes
            outcome(.imported, "imported \(routes) routes from \(options.offline ? copy : url) as catalog source \(name): "
                    + "\(c.added) added, \(c.changed) changed, \(c.removed) removed (\(Registry.megabytes(body.count)))")
        }
        return outcomes
    }

    /// `--add NAME URL --format F [--floor N]`: a catalog of one's own (an internal mirror).
    public func addCatalogSource(name: String, url: String, format: CatalogFormat, floor: Int64 = 1) throws {
        guard CatalogFormat.refreshable.contains(format) else {
            throw RegDBError.unknownValue(kind: "catalog format", value: format.rawValue,
                                          known: CatalogFormat.refreshable.map(\.rawValue))
        }
        guard let scheme = URL(string: url)?.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw RegDBError.pricing("\"\(url)\" is not an http(s) URL")
        }
        try write { db in
            try db.execute(sql: """
                INSERT INTO catalog_source (name, url, format, floor, position)
                VALUES (?1, ?2, ?3, ?4, (SELECT ifnull(max(position), 0) + 1 FROM catalog_source))
                ON CONFLICT (name) DO UPDATE SET url = excluded.url, format = excluded.format, floor = excluded.floor
                """, arguments: [name, url, format.rawValue, floor])
        }
    }

    /// The catalogs `refresh` fetches, with what their last fetch brought.
    public func catalogSources() throws -> ResultTable {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.name, s.format, s.url, s.floor, f.fetched_at, f.routes, f.bytes, f.etag, f.content_hash
                FROM catalog_source s LEFT JOIN catalog_fetch f ON f.name = s.name ORDER BY s.position, s.name
                """)
            func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            func integer(_ value: Int64?) -> JSONValue { value.map(JSONValue.integer) ?? .null }
            return ResultTable(columns: ["name", "format", "url", "floor", "fetched_at", "routes", "bytes", "etag", "content_hash"],
                               rows: rows.map { row in
                                   [.string(row["name"]), .string(row["format"]), .string(row["url"]), .integer(row["floor"]),
                                    text(row["fetched_at"]), integer(row["routes"]), integer(row["bytes"]), text(row["etag"]),
                                    text(row["content_hash"])]
                               }, answers: ["name", "url"])
        }
    }

    /// 1.6 MB, 840 kB, 212 bytes.
    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? String(format: "%.1f MB", Double(bytes) / 1e6)
            : bytes >= 1000 ? String(format: "%.0f kB", Double(bytes) / 1e3) : "\(bytes) bytes"
    }

    /// `litellm.json`, `models.dev.json`: the cached copy's name, with the URL's extension.
    private static func cacheFileName(name: String, url: String) -> String {
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
        let ext = (URL(string: url)?.pathExtension).flatMap { $0.isEmpty ? nil : $0 } ?? "json"
        return safe + "." + ext
    }
}
