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

    public init(timeout: TimeInterval = 10, provider: String? = nil, tokenVariable: String? = nil, allowShrink: Bool = false) {
        self.timeout = timeout
        self.provider = provider
        self.tokenVariable = tokenVariable
        self.allowShrink = allowShrink
    }
}

extension Registry {
    // MARK: - ComfyUI

    /// Asks a ComfyUI host what it has: `/system_stats`, `/object_info`, and
    /// `/models/{folder}` where the server has them. Every file becomes a route of
    /// a provider for that host, with capabilities inferred by the seeds' rules
    /// (a file nothing explains: `unknown`). Everything is fetched before
    /// anything is written; the run is one transaction.
    public func discoverComfyUI(url: String, options: DiscoveryOptions) throws -> DiscoveryReport {
        let base = Registry.trimmedBase(url)
        let client = HTTPClient(timeout: options.timeout, wholeRunWithin: true)
        let stats = try fetchJSON(client, base + "/system_stats")
        let host: ComfyHost
        do {
            host = try ComfyHost.parse(stats)
        } catch {
            throw RegDBError.discovery("\(base)/system_stats is not a ComfyUI answer at \(error.path): \(error.message)")
        }
        let objectInfo = try fetchJSON(client, base + "/object_info")
        var folders: [String: [String]] = [:]
        var folderNames = Registry.defaultComfyFolders
        if let listed = try fetchJSON(client, base + "/models", optional: true) {
            guard case .array(let names) = listed else {
                throw RegDBError.discovery("\(base)/models is not a list of folders (found \(listed.typeName))")
            }
            folderNames = names.compactMap(\.stringValue)
        }
        var sizes: [String: Double] = [:]
        for folder in folderNames {
            let path = folder.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? folder
            // Newer ComfyUI (0.3.49+) lists each file with its size; older ones only names.
            if let rich = try fetchJSON(client, base + "/experiment/models/" + path, optional: true),
               case .array(let entries) = rich, entries.allSatisfy({ $0["name"]?.stringValue != nil }) {
                folders[folder] = entries.compactMap { $0["name"]?.stringValue }
                for entry in entries {
                    if let name = entry["name"]?.stringValue, let size = entry["size"]?.doubleValue, size.isFinite, size > 0 {
                        sizes[folder + "\u{0}" + name] = size
                    }
                }
                continue
            }
            guard let files = try fetchJSON(client, base + "/models/" + path, optional: true) else { continue }
            guard case .array(let names) = files else {
                throw RegDBError.discovery("\(base)/models/\(folder) is not a list of files (found \(files.typeName))")
            }
            folders[folder] = names.compactMap(\.stringValue)
        }
        let rules = try capabilityRules()
        var inventory: ComfyInventory
        do {
            inventory = try ComfyInventory.build(objectInfo: objectInfo, folders: folders, sizes: sizes, extensions: rules.extensions)
        } catch {
            throw RegDBError.discovery("\(base)/object_info is not a ComfyUI answer at \(error.path): \(error.message)")
        }
        // A safetensors file no loader or family explains: ask the server what its header says it is.
        for index in inventory.files.indices {
            let file = inventory.files[index]
            guard let folder = file.folder, file.name.lowercased().hasSuffix(".safetensors"),
                  rules.judge(file).evidence.allSatisfy({ !$0.hasPrefix("loader ") && !$0.hasPrefix("family ") }),
                  let name = (file.original ?? file.name).addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { continue }
            let url = base + "/view_metadata/" + (folder.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? folder)
                + "?filename=" + name
            if let header = try fetchJSON(client, url, optional: true),
               let architecture = header["modelspec.architecture"]?.stringValue, !architecture.isEmpty {
                inventory.files[index].architecture = architecture
            }
        }
        let provider = options.provider ?? Registry.providerID(for: base, prefix: "comfyui")

        var routes: [JSONValue] = []
        var counts: [String: Int] = [:]
        let diagnostics = CatalogDiagnostics(file: base + "/object_info")
        for file in inventory.files {
            // Names as users have them (spaces, parentheses, any letter) are kept exactly;
            // a control or invisible character makes one file unusable, never the run.
            if let problem = ObjectReader.identifierProblem(file.name, allowSpaces: true) {
                diagnostics.warn(.root, "identifier", "file \(JSONValue.string(file.name).jsonText) in \(file.folder ?? "no folder") \(problem); skipped")
                continue
            }
            let judgement = rules.judge(file)
            for capability in judgement.capabilities { counts[capability, default: 0] += 1 }
            var info = Fields()
            info.text("folder", file.folder)
            info.set("loaders", .array(file.loaders.map(JSONValue.string)))
            info.set("quality", .number(judgement.quality))
            info.set("vram_gb", .number(judgement.vramGB))
            if let parameters = judgement.parametersB { info.set("parameters_b", .number(parameters)) }
            if let size = file.sizeBytes { info.set("size_bytes", .number(size)) }
            info.text("architecture", file.architecture)
            info.set("evidence", .array(judgement.evidence.map(JSONValue.string)))
            info.text("original_name", file.original)
            var route = Fields()
            route.set("route", .string(provider + "/" + (file.folder.map { $0 + "/" } ?? "") + file.name))
            route.set("model", .string(file.name))
            route.set("name", .string(Registry.readableName(file.name)))
            route.set("capabilities", .object(judgement.capabilities.map { ($0, .bool(true)) }))
            route.set("info", info.object)
            route.set("available", .bool(true))
            routes.append(route.object)
        }
        let providers: [JSONValue] = [.object([("id", .string(provider)), ("name", .string("ComfyUI at \(Registry.hostLabel(base))")),
                                               ("base_url", .string(base)), ("auth", .string("none"))])]
        let now = Registry.timestamp()
        let remote = !Registry.isLocal(base)
        let devices = JSONValue.array(host.devices.map { device in
            .object([("name", .string(device.name)), ("gpu", .string(device.gpu)), ("type", device.type.map(JSONValue.string) ?? .null),
                     ("index", device.index.map(JSONValue.integer) ?? .null),
                     ("vram_total_gb", device.vramTotal.map { .number(Registry.gib($0)) } ?? .null),
                     ("vram_free_gb", device.vramFree.map { .number(Registry.gib($0)) } ?? .null)])
        })
        let unavailable = try record(providers: providers, routes: routes, source: "comfyui \(base)", options: options, now: now) { db in
            try db.execute(sql: """
                INSERT INTO host (provider_id, url, remote, gpu, vram_total_gb, vram_free_gb, ram_total_gb, ram_free_gb, os,
                                  comfyui_version, devices, observed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (provider_id) DO UPDATE SET url = excluded.url, remote = excluded.remote, gpu = excluded.gpu,
                    vram_total_gb = excluded.vram_total_gb, vram_free_gb = excluded.vram_free_gb,
                    ram_total_gb = excluded.ram_total_gb, ram_free_gb = excluded.ram_free_gb, os = excluded.os,
                    comfyui_version = excluded.comfyui_version, devices = excluded.devices, observed_at = excluded.observed_at
                """, arguments: [provider, base, remote ? 1 : 0, host.primary?.gpu, host.primary?.vramTotal.map(Registry.gib),
                                 host.primary?.vramFree.map(Registry.gib), host.ramTotal.map(Registry.gib),
                                 host.ramFree.map(Registry.gib), host.os, host.comfyuiVersion, devices.jsonText, now])
        }
        return DiscoveryReport(provider: provider, source: "comfyui \(base)", listed: routes.count, unavailable: unavailable,
                               unknown: 0, capabilities: counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                               warnings: (Registry.credentialWarning(url).map { [$0] } ?? []) + diagnostics.warnings)
    }

    /// Where OpenAI-compatible servers state a model's context window, in the order tried:
    /// OpenRouter context_length, others context_window, vLLM max_model_len, LiteLLM proxy max_input_tokens.
    static let contextWindowFields = ["context_length", "context_window", "max_model_len", "max_input_tokens"]

    /// ComfyUI's model folders (design doc 001), asked one by one when the
    /// server has no `/models` listing.
    static let defaultComfyFolders = ["checkpoints", "unet", "diffusion_models", "vae", "loras", "controlnet", "clip",
                                      "clip_vision", "upscale_models", "embeddings"]

    /// The rules in the registry, in position order.
    func capabilityRules() throws -> CapabilityRules {
        try read { db in
            var rules = CapabilityRules()
            var extensions = Set<String>()
            for row in try Row.fetchAll(db, sql: "SELECT kind, match, capabilities, value FROM capability_rule ORDER BY position, id") {
                let kind: String = row["kind"]
                let match = (row["match"] as String?).flatMap { try? JSONParser.parse($0) }
                let capabilities: [String] = (row["capabilities"] as String?).flatMap { text -> [String]? in
                    guard case .array(let items)? = try? JSONParser.parse(text) else { return nil }
                    return items.compactMap(\.stringValue)
                } ?? []
                let value: Double? = row["value"]
                let substrings: [String]
                switch match {
                case .string(let s)?: substrings = [s]
                case .array(let items)?: substrings = items.compactMap(\.stringValue)
                default: substrings = []
                }
                switch kind {
                case "loader": rules.loaders += substrings.map { CapabilityRules.Loader(node: $0, capabilities: capabilities) }
                case "generic_loader":
                    rules.genericLoaders += substrings.map { CapabilityRules.Loader(node: $0, capabilities: capabilities) }
                case "family":
                    rules.families.append(.init(substrings: substrings.map { $0.lowercased() }, capabilities: capabilities, parametersB: value))
                case "filename": rules.patterns.append(.init(substrings: substrings.map { $0.lowercased() }, capabilities: capabilities))
                case "extension": extensions.formUnion(substrings.map { $0.lowercased() })
                case "quality": rules.quality += substrings.map { .init(substring: $0.lowercased(), value: value ?? rules.defaultQuality) }
                case "precision": rules.precision += substrings.map { .init(substring: $0.lowercased(), value: value ?? 2) }
                case "default_quality": rules.defaultQuality = value ?? rules.defaultQuality
                case "default_vram": rules.defaultVRAM = value ?? rules.defaultVRAM
                default: break
                }
            }
            if !extensions.isEmpty { rules.extensions = extensions }
            return rules
        }
    }

    // MARK: - OpenAI-compatible servers

    /// Asks an OpenAI-compatible server (vLLM, Ollama, LM Studio, OpenRouter…)
    /// for `GET /v1/models`. Listed models become available routes of the
    /// provider; routes of it the server no longer lists are kept and marked
    /// unavailable, never deleted; names nothing else knows are counted as
    /// sightings. A bearer token is read from the environment, never stored.
    public func discoverOpenAI(url: String, options: DiscoveryOptions, environment: [String: String]) throws -> DiscoveryReport {
        var base = Registry.trimmedBase(url)
        let provider = try options.provider ?? matchingProvider(base) ?? Registry.providerID(for: base, prefix: "openai")
        let variable = try options.tokenVariable ?? providerVariables(provider).first
        var headers: [String: String] = [:]
        if let variable, let token = environment[variable], !token.isEmpty { headers["Authorization"] = "Bearer " + token }
        if !base.hasSuffix("/v1") && !base.contains("/v1/") && !base.hasSuffix("/api/v1") { base += "/v1" }
        let client = HTTPClient(timeout: options.timeout, wholeRunWithin: true)
        let listing = try fetchJSON(client, base + "/models", headers: headers)
        let entries: [JSONValue]
        switch listing {
        case .array(let items): entries = items
        case .object where listing["data"] != nil || listing["models"] != nil:
            guard case .array(let items)? = listing["data"] ?? listing["models"] else {
                throw RegDBError.discovery("\(base)/models: \"data\" is not a list of models")
            }
            entries = items
        default:
            throw RegDBError.discovery("\(base)/models is not a model list ({\"data\": [...]}), found \(listing.typeName)")
        }
        let diagnostics = CatalogDiagnostics(file: base + "/models")
        var routes: [JSONValue] = []
        var listed = Set<String>()
        for (index, entry) in entries.enumerated() {
            let path = JSONPath.root.appending("data").appending(index)
            guard let id = entry["id"]?.stringValue ?? entry["name"]?.stringValue ?? entry.stringValue,
                  !id.isEmpty, ObjectReader.identifierProblem(id) == nil else {
                diagnostics.warn(path, "required", "a model without a usable id; skipped")
                continue
            }
            guard listed.insert(id).inserted else { continue }
            var route = Fields()
            route.set("route", .string(provider + "/" + id))
            route.set("available", .bool(true))
            // Every field OpenAI-compatible servers use (vLLM max_model_len, LiteLLM proxy max_input_tokens…).
            let holders: [(JSONValue, JSONPath)] = [(entry, path), (entry["model_info"] ?? .null, path.appending("model_info"))]
            let stated = holders.lazy.compactMap { holder, at in
                Registry.contextWindowFields.first { holder[$0] != nil && holder[$0] != .null }.map { (holder[$0], at.appending($0)) }
            }.first
            if let (value, at) = stated, let window = diagnostics.limit(value, at: at) {
                route.set("context_window", .integer(window))
                route.set("context_window_source", .string("server"))
            }
            // OpenRouter states prices per token as strings.
            var pricing: [JSONValue] = []
            for (unit, key) in [("input_token", "prompt"), ("output_token", "completion")] {
                guard let raw = entry["pricing"]?[key] else { continue }
                let value: JSONValue = raw.stringValue.flatMap(Double.init).map(JSONValue.number) ?? raw
                if let usd = diagnostics.price(value, at: path.appending("pricing").appending(key)) {
                    pricing.append(.object([("unit", .string(unit)), ("usd", .number(usd))]))
                }
            }
            if !pricing.isEmpty { route.set("pricing", .array(pricing)) }
            if case .object(let fields) = entry {
                let rest = fields.filter { !(["id", "pricing"] + Registry.contextWindowFields).contains($0.key) }
                if !rest.isEmpty { route.set("metadata", .object(rest)) }
            }
            routes.append(route.object)
        }
        let unknownNames = try read { db in
            try listed.sorted().filter { id in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM route r WHERE r.route_key = ?1
                       AND EXISTS (SELECT 1 FROM claim c JOIN source s ON s.id = c.source_id
                                   WHERE c.entity = 'route' AND c.entity_id = ?1 AND s.name <> ?2)
                    """, arguments: [provider + "/" + id, "openai " + base]) == 0
            }
        }
        var providerObject = Fields()
        providerObject.set("id", .string(provider))
        if try read({ try Int.fetchOne($0, sql: "SELECT count(*) FROM provider WHERE id = ?", arguments: [provider]) }) == 0 {
            providerObject.set("name", .string(Registry.hostLabel(base)))
            providerObject.set("base_url", .string(base))
        }
        let now = Registry.timestamp()
        let unavailable = try record(providers: [providerObject.object], routes: routes, source: "openai \(base)", options: options,
                                     now: now) { db in
            for name in unknownNames {
                try db.execute(sql: """
                    INSERT INTO sighting (name, first_seen, last_seen, count, context) VALUES (?1, ?2, ?2, 1, ?3)
                    ON CONFLICT (name) DO UPDATE SET last_seen = ?2, count = count + 1, context = ?3
                    """, arguments: [provider + "/" + name, now, "discover openai " + base])
            }
        }
        return DiscoveryReport(provider: provider, source: "openai \(base)", listed: listed.count, unavailable: unavailable,
                               unknown: unknownNames.count, capabilities: [],
                               warnings: (Registry.credentialWarning(url).map { [$0] } ?? []) + diagnostics.warnings)
    }

    // MARK: - Tinker

    /// Asks a Tinker server for `GET /api/v1/get_server_capabilities` (all three
    /// shapes); context lengths are recorded as `server` observations.
    public func discoverTinker(url: String, options: DiscoveryOptions, environment: [String: String]) throws -> DiscoveryReport {
        let base = Registry.trimmedBase(url)
        let provider = options.provider ?? "tinker"
        var headers: [String: String] = [:]
        if let variable = try options.tokenVariable ?? providerVariables(provider).first,
           let token = environment[variable], !token.isEmpty {
            headers["Authorization"] = "Bearer " + token
        }
        let endpoint = base.hasSuffix("/get_server_capabilities") ? base : base + "/api/v1/get_server_capabilities"
        let answer = try fetchJSON(HTTPClient(timeout: options.timeout, wholeRunWithin: true), endpoint, headers: headers)
        let diagnostics = CatalogDiagnostics(file: endpoint)
        let seedJSON = try TinkerCapabilities.routes(answer, provider: provider, diagnostics: diagnostics)
        // Listed routes are available, as for every server.
        var routes: [JSONValue] = []
        if case .array(let listedRoutes)? = seedJSON["routes"] {
            routes = listedRoutes.map { route in
                guard case .object(var members) = route else { return route }
                members.removeAll { $0.key == "available" }
                members.append(("available", .bool(true)))
                return .object(members)
            }
        }
        var providers: [JSONValue] = []
        if case .array(let list)? = seedJSON["providers"] { providers = list }
        let unavailable = try record(providers: providers, routes: routes, source: "tinker \(base)", options: options,
                                     now: Registry.timestamp())
        return DiscoveryReport(provider: provider, source: "tinker \(base)", listed: routes.count, unavailable: unavailable, unknown: 0,
                               capabilities: [], warnings: (Registry.credentialWarning(url).map { [$0] } ?? []) + diagnostics.warnings)
    }

    // MARK: - Shared

    /// Imports what a server said as a `server` source, in one transaction with
    /// `also`. The same rule for every server: the routes it lists are available;
    /// a route this source listed before and lists no more is kept, as the source
    /// last described it, marked unavailable (never deleted, and never a route
    /// another source gave). A run that would turn more than half of the routes
    /// the source last listed unavailable (an empty or much shorter answer) is
    /// refused unless `--allow-shrink`. Returns how many routes turned unavailable.
    @discardableResult
    private func record(providers: [JSONValue], routes: [JSONValue], source: String, options: DiscoveryOptions, now: String,
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
    private func fetchJSON(_ client: HTTPClient, _ url: String, headers: [String: String] = [:], optional: Bool = false) throws -> JSONValue? {
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

    private func fetchJSON(_ client: HTTPClient, _ url: String, headers: [String: String] = [:]) throws -> JSONValue {
        try fetchJSON(client, url, headers: headers, optional: false) ?? .null
    }

    /// The provider whose base URL is this server's, if any.
    private func matchingProvider(_ base: String) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT id FROM provider WHERE base_url IS NOT NULL AND (?1 = rtrim(base_url, '/') OR ?1 || '/v1' = rtrim(base_url, '/')
                    OR ?1 = rtrim(base_url, '/') || '/v1') ORDER BY id LIMIT 1
                """, arguments: [base])
        }
    }

    private func providerVariables(_ provider: String) throws -> [String] {
        try read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT env_vars FROM provider WHERE id = ?", arguments: [provider]),
                  case .array(let items)? = try? JSONParser.parse(text) else { return [] }
            return items.compactMap(\.stringValue)
        }
    }

    /// The server's base URL as stored and printed: no trailing '/', and never the
    /// user information of `http://user:token@host`.
    static func trimmedBase(_ url: String) -> String {
        var base = url.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        if let scheme = base.range(of: "://") {
            let authorityEnd = base[scheme.upperBound...].firstIndex(of: "/") ?? base.endIndex
            if let at = base[scheme.upperBound..<authorityEnd].lastIndex(of: "@") {
                base.removeSubrange(scheme.upperBound...at)
            }
        }
        return base
    }

    /// The warning for a URL whose user information (a token) was dropped; nil when it has none.
    static func credentialWarning(_ url: String) -> Violation? {
        guard let scheme = url.range(of: "://"),
              url[scheme.upperBound...].prefix(while: { $0 != "/" }).contains("@") else { return nil }
        return Violation(file: trimmedBase(url), path: .root, rule: "credentials",
                         message: "the user and password in the URL were dropped, never stored; give a token through "
                             + "the provider's environment variable (see regdb providers) or --token-env NAME",
                         severity: .warning)
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
