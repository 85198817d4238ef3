import GRDB

/// A discovered model file as `best` and `status` weigh it.
public struct InstalledModel: Sendable {
    public var routeKey: String
    public var name: String
    public var host: String
    public var capabilities: [String]
    public var quality: Double
    public var vramGB: Double
    public var evidence: [String]

    public var json: JSONValue {
        .object([("route_key", .string(routeKey)), ("name", .string(name)), ("host", .string(host)),
                 ("capabilities", .array(capabilities.map(JSONValue.string))), ("quality", .number(quality)),
                 ("vram_gb", .number(vramGB)), ("evidence", .array(evidence.map(JSONValue.string)))])
    }
}

/// How `best` ranks candidates that fit (design doc 001's get_best_for).
public enum Preference: String, CaseIterable, Sendable {
    /// Highest quality first.
    case quality
    /// Least VRAM first (smaller loads faster).
    case speed
    /// Highest quality per GB first.
    case balanced
}

/// The choice `best` made, and why.
public struct BestChoice: Sendable {
    public var model: InstalledModel
    public var capability: String
    public var maxVRAMGB: Double
    public var preference: Preference
    public var candidates: Int
    public var fitting: Int
    public var reason: String
}

/// A discovered host and what it has, for `status`.
public struct HostStatus: Sendable {
    public var provider: String
    public var url: String
    public var gpu: String?
    public var vramTotalGB: Double?
    public var vramFreeGB: Double?
    public var ramTotalGB: Double?
    public var os: String?
    public var comfyuiVersion: String?
    public var remote: Bool
    public var observedAt: String
    public var models: [InstalledModel]
}

extension Registry {
    /// Every discovered host (with `host`, only that one: a provider id or URL).
    public func hostStatuses(host: String? = nil) throws -> [HostStatus] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM host WHERE ?1 IS NULL OR provider_id = ?1 OR url = rtrim(?1, '/') ORDER BY provider_id
                """, arguments: [host])
        }
        if let host, rows.isEmpty {
            let known = try read { try String.fetchAll($0, sql: "SELECT provider_id FROM host ORDER BY provider_id") }
            throw RegDBError.unknownValue(kind: "host", value: host, known: known)
        }
        return try rows.map { row in
            let provider: String = row["provider_id"]
            return HostStatus(provider: provider, url: row["url"], gpu: row["gpu"], vramTotalGB: row["vram_total_gb"],
                              vramFreeGB: row["vram_free_gb"], ramTotalGB: row["ram_total_gb"], os: row["os"],
                              comfyuiVersion: row["comfyui_version"], remote: (row["remote"] as Int64? ?? 0) != 0,
                              observedAt: row["observed_at"], models: try installedModels(provider: provider))
        }
    }

    /// The routes discovery recorded for a host, available ones only.
    func installedModels(provider: String) throws -> [InstalledModel] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.route_key, ifnull(r.name, r.wire_id) AS name, r.capabilities, r.info FROM route r
                WHERE r.provider_id = ? AND ifnull(r.available, 1) = 1 ORDER BY r.route_key
                """, arguments: [provider]).map { row in
                let info = (try? JSONParser.parse(row["info"] as String)) ?? .object([])
                var capabilities: [String] = []
                if case .object(let flags)? = try? JSONParser.parse(row["capabilities"] as String) {
                    capabilities = flags.filter { $0.value == .bool(true) }.map(\.key)
                }
                var evidence: [String] = []
                if case .array(let items)? = info["evidence"] { evidence = items.compactMap(\.stringValue) }
                return InstalledModel(routeKey: row["route_key"], name: row["name"], host: provider, capabilities: capabilities,
                                      quality: info["quality"]?.doubleValue ?? 7, vramGB: info["vram_gb"]?.doubleValue ?? 0,
                                      evidence: evidence)
            }
        }
    }

    /// The best installed model for `capability` that fits in `maxVRAM` GB
    /// (default: the free VRAM of its host), ranked by `preference`; ties by route key.
    public func best(_ capability: String, maxVRAM: Double?, preference: Preference, host: String?) throws -> BestChoice {
        let hosts = try hostStatuses(host: host)
        guard !hosts.isEmpty else { throw RegDBError.nothingDiscovered }
        var candidates: [(InstalledModel, Double)] = []
        for status in hosts {
            let limit = maxVRAM ?? status.vramFreeGB ?? 8
            for model in status.models where model.capabilities.contains(capability) { candidates.append((model, limit)) }
        }
        guard !candidates.isEmpty else {
            let known = Set(hosts.flatMap { $0.models.flatMap(\.capabilities) }).sorted()
            throw RegDBError.unknownValue(kind: "capability (no installed model has it)", value: capability, known: known)
        }
        let fitting = candidates.filter { $0.0.vramGB <= $0.1 }
        guard !fitting.isEmpty else {
            let smallest = candidates.min { a, b in a.0.vramGB != b.0.vramGB ? a.0.vramGB < b.0.vramGB : a.0.routeKey < b.0.routeKey }
            let limit = maxVRAM ?? candidates[0].1
            throw RegDBError.noFailover(
                "no \(capability) model fits in \(JSONValue.compact(limit)) GB; the smallest, \(smallest?.0.routeKey ?? "?"), needs \(JSONValue.compact(smallest?.0.vramGB ?? 0)) GB")
        }
        let ranked = fitting.map(\.0).sorted { a, b in
            switch preference {
            case .quality where a.quality != b.quality: return a.quality > b.quality
            case .speed where a.vramGB != b.vramGB: return a.vramGB < b.vramGB
            case .balanced:
                let ra = a.quality / max(a.vramGB, 0.1), rb = b.quality / max(b.vramGB, 0.1)
                if ra != rb { return ra > rb }
            default: break
            }
            return a.routeKey < b.routeKey
        }
        let choice = ranked[0]
        let limit = maxVRAM ?? fitting.first { $0.0.routeKey == choice.routeKey }?.1 ?? 0
        let criterion: String
        switch preference {
        case .quality: criterion = "highest quality (Q\(JSONValue.compact(choice.quality)))"
        case .speed: criterion = "least VRAM (\(JSONValue.compact(choice.vramGB)) GB)"
        case .balanced: criterion = "best quality per GB (Q\(JSONValue.compact(choice.quality)) for \(JSONValue.compact(choice.vramGB)) GB)"
        }
        let why = choice.evidence.isEmpty ? "" : "; \(capability) from \(choice.evidence.joined(separator: ", "))"
        let reason = "\(criterion) of \(fitting.count) \(capability) models that fit in \(JSONValue.compact(limit)) GB (of \(candidates.count) installed)\(why)"
        return BestChoice(model: choice, capability: capability, maxVRAMGB: limit, preference: preference,
                          candidates: candidates.count, fitting: fitting.count, reason: reason)
    }
}

extension BestChoice: Renderable {
    var fields: [(String, JSONValue)] {
        [("route_key", .string(model.routeKey)), ("name", .string(model.name)), ("host", .string(model.host)),
         ("capability", .string(capability)), ("vram_gb", .number(model.vramGB)), ("quality", .number(model.quality)),
         ("max_vram_gb", .number(maxVRAMGB)), ("prefer", .string(preference.rawValue)), ("reason", .string(reason))]
    }

    public var table: ResultTable { Record(fields).table }
    public var json: JSONValue { Record(fields).json }
}

/// What discovery knows of its hosts (`regdb status`): as JSON, each host with its models;
/// as CSV, a row per installed model; on a terminal, design doc 001's status block per host.
public struct HostStatusReport: Renderable, Sendable {
    public var statuses: [HostStatus]

    public init(_ statuses: [HostStatus]) {
        self.statuses = statuses
    }

    public var json: JSONValue {
        .array(statuses.map { status in
            .object([("provider", .string(status.provider)), ("url", .string(status.url)),
                     ("gpu", status.gpu.map(JSONValue.string) ?? .null),
                     ("vram_total_gb", status.vramTotalGB.map(JSONValue.number) ?? .null),
                     ("vram_free_gb", status.vramFreeGB.map(JSONValue.number) ?? .null),
                     ("remote", .bool(status.remote)), ("observed_at", .string(status.observedAt)),
                     ("models", .array(status.models.map(\.json)))])
        })
    }

    public var table: ResultTable {
        ResultTable(columns: ["host", "route_key", "capabilities", "quality", "vram_gb"], rows: statuses.flatMap { status in
            status.models.map { model in
                [.string(status.provider), .string(model.routeKey), .string(model.capabilities.joined(separator: " ")),
                 .number(model.quality), .number(model.vramGB)]
            }
        })
    }

    public var text: String? { statuses.map { HostStatusReport.block($0) + "\n" }.joined() }

    /// Design doc 001's status block.
    static func block(_ status: HostStatus) -> String {
        func gb(_ value: Double?) -> String { value.map { String(format: "%.1fGB", $0) } ?? "?" }
        var lines = [String(repeating: "=", count: 50), "MODEL REGISTRY STATUS", String(repeating: "=", count: 50), "",
                     "Target: \(status.url)\(status.remote ? " (remote)" : " (local)")",
                     "Hardware: \(status.gpu ?? "Unknown")",
                     "VRAM: \(gb(status.vramTotalGB)) total, \(gb(status.vramFreeGB)) free",
                     "RAM: \(gb(status.ramTotalGB)) total, OS: \(status.os ?? "?"), ComfyUI \(status.comfyuiVersion ?? "unknown")",
                     "Observed: \(status.observedAt)", "",
                     "Total Models: \(status.models.count)", ""]
        var byCapability: [String: [InstalledModel]] = [:]
        for model in status.models {
            for capability in model.capabilities { byCapability[capability, default: []].append(model) }
        }
        for capability in byCapability.keys.sorted() {
            let models = byCapability[capability] ?? []
            lines.append("\(capability) (\(models.count) models):")
            let top = models.sorted { a, b in a.quality != b.quality ? a.quality > b.quality : a.routeKey < b.routeKey }.prefix(3)
            for model in top {
                lines.append("  • \(model.name) (Q\(number(model.quality)), \(number(model.vramGB))GB)")
            }
            if models.count > 3 { lines.append("  ... and \(models.count - 3) more") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String {
        // Past 1e15 (or infinite, from rules' huge values multiplied) it is no count to print whole, and Int64 would trap.
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
