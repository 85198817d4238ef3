import Foundation

/// fal's platform pricing API (`GET https://api.fal.ai/v1/models/pricing`, with an account's
/// key): the unit price of each endpoint, as the account is billed,
///
///     {"prices": [{"endpoint_id": "fal-ai/flux/dev", "unit_price": 0.025, "unit": "image",
///                  "currency": "USD"}, …], "next_cursor": null, "has_more": false}
///
/// (pages of it concatenated, or the bare array of prices, read alike). Each price is the route
/// `fal/<endpoint_id>` with one price in the unit fal names: image(s), megapixel(s), second(s)
/// or video second(s), minute(s), video(s), request(s), 1000 characters, input second(s). A unit
/// regdb has none for (compute seconds, tokens) or a currency other than USD is a warning
/// naming it, the value kept in the route's metadata; nothing is dropped in silence.
enum FalPricingCatalog: CatalogConverter {
    /// fal's unit names, lowercased, singular, spaces and underscores alike → (regdb unit, per).
    private static let units: [String: (unit: String, per: Int64)] = [
        "image": ("image", 1), "megapixel": ("megapixel", 1), "processed megapixel": ("megapixel", 1),
        "second": ("second", 1), "video second": ("second", 1), "minute": ("minute", 1), "video": ("video", 1),
        "request": ("request", 1), "generation": ("request", 1), "1000 character": ("character", 1000),
        "character": ("character", 1), "input second": ("input_second", 1), "audio second": ("second", 1),
    ]

    /// Whether `json` looks like fal's pricing answer: {"prices": [{"endpoint_id", "unit_price"…}]}.
    static func looksLike(_ json: JSONValue?) -> Bool {
        let prices: JSONValue? = json?["prices"] ?? json
        guard case .array(let items)? = prices, let first = items.first else { return false }
        return first["endpoint_id"] != nil && first["unit_price"] != nil
    }

    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue {
        let listPath: JSONPath = json["prices"] != nil ? .root.appending("prices") : .root
        guard case .array(let prices) = json["prices"] ?? json, looksLike(json) else {
            throw RegDBError.violations([Violation(file: diagnostics.file, path: listPath, rule: "fal-pricing-shape",
                message: "expected fal's pricing answer {\"prices\": [{\"endpoint_id\": …, \"unit_price\": …, \"unit\": …, \"currency\": \"USD\"}]}, found \(json.typeName)")])
        }
        var routes: [JSONValue] = []
        var seen: [String: Int] = [:]
        for (index, entry) in prices.enumerated() {
            let path = listPath.appending(index)
            guard let endpoint = entry["endpoint_id"]?.stringValue, !endpoint.isEmpty else {
                diagnostics.warn(path.appending("endpoint_id"), "type", "a price must name its endpoint_id (a string); skipped")
                continue
            }
            let key = "fal/" + endpoint
            if let earlier = seen[key] {
                diagnostics.warn(path, "duplicate", "endpoint \(endpoint) is priced again (first at \(listPath.appending(earlier))); the later price counts")
            }
            seen[key] = index
            var route = Fields()
            route.set("route", .string(key))
            var metadata: [(key: String, value: JSONValue)] = []
            let unitText = entry["unit"]?.stringValue ?? ""
            let currency = entry["currency"]?.stringValue ?? "USD"
            let normalized = FalPricingCatalog.normalize(unitText)
            if currency.uppercased() != "USD" {
                diagnostics.warn(path.appending("currency"), "currency", "\(endpoint) is priced in \(currency), not USD; kept in metadata, no price")
                metadata.append(("fal_price", entry))
            } else if let (unit, per) = units[normalized] {
                if let usd = diagnostics.price(entry["unit_price"], at: path.appending("unit_price")) {
                    route.set("pricing", .array([Fields.priceRow(unit: unit, usd: usd, per: per)]))
                }
            } else {
                diagnostics.warn(path.appending("unit"), "unmapped-price",
                                 "\(endpoint) is priced per \"\(unitText)\", a unit regdb has none for; kept in metadata")
                metadata.append(("fal_price", entry))
            }
            if !metadata.isEmpty { route.set("metadata", .object(metadata)) }
            if let index = routes.firstIndex(where: { $0["route"]?.stringValue == key }) {
                routes[index] = route.object
            } else {
                routes.append(route.object)
            }
        }
        return .object([
            ("providers", .array([.object([("id", .string("fal")), ("name", .string("fal.ai")),
                                           ("docs_url", .string("https://fal.ai/pricing"))])])),
            ("routes", .array(routes)),
        ])
    }

    /// "Video Seconds" → "video second", "1000_characters" → "1000 character".
    static func normalize(_ unit: String) -> String {
        var text = unit.lowercased().replacingOccurrences(of: "_", with: " ").trimmingCharacters(in: .whitespaces)
        while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
        if text.hasSuffix("s"), !text.hasSuffix("ss") { text.removeLast() }
        return text
    }
}
