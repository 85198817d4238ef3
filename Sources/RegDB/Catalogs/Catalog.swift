import CGzip
import Foundation

/// Formats `regdb import` reads. Every foreign format is converted to native
/// seed JSON first, so it goes through the same strict reader, claims and
/// rules as the project's own seeds.
public enum CatalogFormat: String, CaseIterable, Sendable {
    /// regdb's own seed files.
    case native
    /// LiteLLM's model_prices_and_context_window.json.
    case litellm
    /// models.dev's catalog (data.json, plain or gzipped).
    case modelsDev = "models.dev"
    /// The orchestrator registry YAML of design doc 002.
    case yaml
    /// A Tinker server's get_server_capabilities response.
    case tinker
    /// The router's {provider: {wire_id: entry}} map of design doc 004.
    case routesMap = "routes-map"
    /// Pydantic's genai-prices data.json.
    case genaiPrices = "genai-prices"
    /// fal's platform pricing API answer (`/v1/models/pricing`).
    case falPricing = "fal-pricing"
    /// OpenRouter's model list (`/api/v1/models`).
    case openrouter

    /// The formats `regdb refresh` can keep current (a catalog published at a URL).
    public static let refreshable: [CatalogFormat] = [.litellm, .modelsDev, .genaiPrices, .openrouter, .falPricing, .native]

    /// Guesses the format from the file name and content. Anything that is not
    /// recognizably foreign is read as native, so a wrong file gets the native
    /// reader's precise error.
    static func detect(name: String, json: JSONValue?) -> CatalogFormat {
        let lower = name.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .yaml }
        func tinkerList(_ value: JSONValue?) -> Bool {
            guard case .array(let items)? = value, !items.isEmpty else { return false }
            return items.allSatisfy { item in
                if case .string = item { return true }
                return item["model_name"] != nil || item["model_id"] != nil
            }
        }
        switch json {
        case .array?:
            if GenAIPricesCatalog.looksLike(json) { return .genaiPrices }
            return tinkerList(json) ? .tinker : .native
        case .object(let members)?:
            if FalPricingCatalog.looksLike(json) { return .falPricing }
            if OpenRouterCatalog.looksLike(json) { return .openrouter }
            let keys = Set(members.map(\.key))
            if !keys.isDisjoint(with: ["providers", "models", "routes", "rules"]) && keys.isSubset(of: SeedReader.fileFields) {
                return .native
            }
            if keys.contains("sample_spec") || members.contains(where: { $0.value["litellm_provider"] != nil }) {
                return .litellm
            }
            if ["supported_models", "models", "capabilities"].contains(where: { tinkerList(json?[$0]) }) {
                return .tinker
            }
            if !members.isEmpty, members.allSatisfy({ $0.value["models"] != nil && $0.value["id"] != nil }) {
                return .modelsDev
            }
            if !members.isEmpty, members.allSatisfy({ member in
                guard case .object(let entries) = member.value, !entries.isEmpty else { return false }
                return entries.allSatisfy { $0.value["id"] != nil && ($0.value["api"] != nil || $0.value["provider"] != nil) }
            }) {
                return .routesMap
            }
            return .native
        default:
            return .native
        }
    }
}

/// Collects the warnings of one conversion: problems that do not stop the
/// import (a value that cannot be a price or a limit becomes unknown, null),
/// each a `Violation` of severity warning with its path.
final class CatalogDiagnostics {
    let file: String
    private(set) var warnings: [Violation] = []

    init(file: String) {
        self.file = file
    }

    func warn(_ path: JSONPath, _ rule: String, _ message: String) {
        warnings.append(Violation(file: file, path: path, rule: rule, message: message, severity: .warning))
    }

    /// What another `CatalogDiagnostics` of the same file found (a part converted on another core).
    func append(_ found: [Violation]) {
        warnings += found
    }

    /// A price: a number >= 0, else nil with a warning (sentinels such as -1 or "unknown" are not prices).
    func price(_ value: JSONValue?, at path: JSONPath) -> Double? {
        guard let value, value != .null else { return nil }
        guard let number = value.doubleValue, number.isFinite else {
            warn(path, "sentinel-price", "\(value.jsonText) is not a price; recorded as unknown")
            return nil
        }
        guard number >= 0 else {
            warn(path, "sentinel-price", "\(value.jsonText) is not a price; recorded as unknown")
            return nil
        }
        return number
    }

    /// A limit (tokens, seconds): a whole number > 0, else nil with a warning.
    func limit(_ value: JSONValue?, at path: JSONPath) -> Int64? {
        guard let value, value != .null else { return nil }
        switch value {
        case .integer(let i) where i > 0:
            return i
        case .number(let d) where d > 0 && d == d.rounded() && d < 9.2e18:
            return Int64(d)
        default:
            warn(path, "bad-limit", "\(value.jsonText) is not a limit (a whole number > 0); recorded as unknown")
            return nil
        }
    }
}

extension Fields {
    /// What a catalog documents of a route, each left out when unknown or empty: its context
    /// window (a `docs` observation), output limit, prices, reasoning flag, input modalities and
    /// capabilities, in that order.
    mutating func setCatalogFacts(contextWindow: Int64?, maxOutput: Int64?, prices: PriceRows, reasoning: Bool?,
                                  inputModalities: JSONValue?, capabilities: Fields) {
        if let contextWindow {
            set("context_window", .integer(contextWindow))
            set("context_window_source", .string("docs"))
        }
        if let maxOutput { set("max_output_tokens", .integer(maxOutput)) }
        if !prices.rows.isEmpty { set("pricing", .array(prices.rows)) }
        if let reasoning { set("reasoning", .bool(reasoning)) }
        if let inputModalities { set("input_modalities", inputModalities) }
        if !capabilities.members.isEmpty { set("capabilities", capabilities.object) }
    }
}

/// Turns a foreign document into native seed JSON.
protocol CatalogConverter {
    /// Native seed JSON (an object with providers, models and routes), and
    /// nothing dropped: fields without a column go to the route's metadata.
    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue
}

/// A catalog file read and converted: a seed, and what was said about it.
public struct Catalog: Sendable {
    public var format: CatalogFormat
    public var seed: SeedFile
    public var warnings: [Violation]

    /// Files larger than this are refused before they are read (the full
    /// LiteLLM and models.dev catalogs are about 3 MB and 2 MB).
    public static let maxFileSize = SeedReader.maxFileSize

    /// Reads `file` (gunzipping when it is gzipped), detects its format unless
    /// given, converts it and decodes the result as a seed.
    public static func read(file: String, format: CatalogFormat?) throws -> Catalog {
        let name = file == "-" ? "stdin" : Registry.normalizedName(file)
        func fail(_ rule: String, _ message: String, _ path: JSONPath? = nil) -> RegDBError {
            .violations([Violation(file: name, path: path, rule: rule, message: message)])
        }
        var data = try file == "-" ? standardInput(fail) : contents(of: file, fail)
        if data.starts(with: [0x1F, 0x8B]) {
            switch gunzip(data, limit: maxFileSize) {
            case .success(let inflated): data = inflated
            case .failure(.tooLarge): throw fail("gzip", "file exceeds 32 MiB once decompressed", nil)
            case .failure(.noZlib): throw fail("gzip", "file is gzipped and zlib is not installed (Debian: apt-get install zlib1g)", nil)
            case .failure(.invalid): throw fail("gzip", "file looks gzipped but does not decompress", nil)
            }
        }
        let bytes = [UInt8](data)
        // The content hash (which tells an unchanged file) is made on another core meanwhile.
        let hash = Pending { SHA256.hex(bytes) }
        let lower = name.lowercased()
        let isYAML = format == .yaml || (format == nil && (lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")))
        var json: JSONValue?
        if !isYAML {
            do {
                json = try JSONParser.parse(bytes)
            } catch {
                let rule = error.message.hasPrefix("duplicate key") ? "json-duplicate-key" : "json-syntax"
                throw fail(rule, "\(error.message) (line \(error.line), column \(error.column))", error.path)
            }
        }
        let format = format ?? CatalogFormat.detect(name: name, json: json)
        let diagnostics = CatalogDiagnostics(file: name)
        let seedJSON: JSONValue
        switch format {
        case .native:
            let decoded = SeedReader.decode(name: name, json: json ?? .null, hash: try hash.value())
            guard let seed = decoded.0 else { throw RegDBError.violations(decoded.1) }
            return Catalog(format: .native, seed: seed, warnings: [])
        case .yaml:
            seedJSON = try RegistryYAML.convert(bytes: bytes, diagnostics: diagnostics)
        case .litellm:
            seedJSON = try LiteLLMCatalog.convert(json ?? .null, diagnostics: diagnostics)
        case .modelsDev:
            seedJSON = try ModelsDevCatalog.convert(json ?? .null, diagnostics: diagnostics)
        case .tinker:
            seedJSON = try TinkerCapabilities.convert(json ?? .null, diagnostics: diagnostics)
        case .routesMap:
            seedJSON = try RoutesMap.convert(json ?? .null, diagnostics: diagnostics)
        case .genaiPrices:
            seedJSON = try GenAIPricesCatalog.convert(json ?? .null, diagnostics: diagnostics)
        case .falPricing:
            seedJSON = try FalPricingCatalog.convert(json ?? .null, diagnostics: diagnostics)
        case .openrouter:
            seedJSON = try OpenRouterCatalog.convert(json ?? .null, diagnostics: diagnostics)
        }
        // The catalog as read is done with once converted: freed out of the way.
        releaseInBackground(consume json)
        let decoded = SeedReader.decode(name: name, json: seedJSON, hash: try hash.value())
        guard let seed = decoded.0 else { throw RegDBError.violations(decoded.1) }
        // A file that gives nothing in the format named is not in that format: an error, never a
        // source of no claims that looks imported.
        if seed.allRoutes.isEmpty && seed.models.isEmpty && seed.rules.isEmpty {
            let named = diagnostics.warnings.first.map { "; first problem: \($0.path?.description ?? "$"): \($0.message)" } ?? ""
            throw fail("format", "the file gives no routes or models as format \(format.rawValue)\(named); is --format right?")
        }
        return Catalog(format: format, seed: seed, warnings: diagnostics.warnings)
    }

    /// A file's bytes, within the size limit (which holds for what a symlink points to).
    private static func contents(of file: String, _ fail: (String, String, JSONPath?) -> RegDBError) throws -> Data {
        // stat(2) follows a symlink: the limit holds for the file it points to, not the link.
        var info = stat()
        if stat(file, &info) != 0 {
            let reason = errno
            if reason == ELOOP { throw fail("file", "symlink loop: the link never reaches a file", nil) }
            if reason == ENOENT {
                let dangling = (try? FileManager.default.destinationOfSymbolicLink(atPath: file)) != nil
                throw fail("file", dangling ? "symlink to a file that does not exist" : "file does not exist", nil)
            }
            throw fail("file", "file cannot be read (\(String(cString: strerror(reason))))", nil)
        }
        let size = Int(info.st_size)
        if size > maxFileSize {
            throw fail("file-size", "file is \(size) bytes; seed files are limited to \(maxFileSize) bytes (32 MiB)", nil)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw fail("file", FileManager.default.fileExists(atPath: file) ? "file cannot be read" : "file does not exist", nil)
        }
        return data
    }

    /// Standard input (`regdb import -`), within the same size limit as a file.
    private static func standardInput(_ fail: (String, String, JSONPath?) -> RegDBError) throws -> Data {
        var data = Data()
        while let chunk = try? FileHandle.standardInput.read(upToCount: 1 << 20), !chunk.isEmpty {
            data.append(chunk)
            if data.count > maxFileSize {
                throw fail("file-size", "standard input passed \(maxFileSize) bytes; seed files are limited to 32 MiB", nil)
            }
        }
        return data
    }

    /// Inflates gzip data with the system zlib (loaded at run time); the reason when it cannot.
    static func gunzip(_ data: Data, limit: Int) -> Result<Data, GunzipFailure> {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let outcome = data.withUnsafeBytes { raw in
            cgzip_inflate(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, limit, &out, &length)
        }
        defer { free(out) }
        switch outcome {
        case CGZIP_OK: return .success(out.map { Data(bytes: $0, count: length) } ?? Data())
        case CGZIP_NO_ZLIB: return .failure(.noZlib)
        case CGZIP_TOO_LARGE: return .failure(.tooLarge)
        default: return .failure(.invalid)
        }
    }

    enum GunzipFailure: Error {
        case noZlib, invalid, tooLarge
    }
}
