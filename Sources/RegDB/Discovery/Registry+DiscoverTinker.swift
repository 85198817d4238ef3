import Foundation
import GRDB

extension Registry {
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
        let listed = ["supported_models", "models", "capabilities"].lazy.compactMap { answer[$0] }.first ?? answer
        if case .array(let items) = listed { try Registry.checkModelCount(items.count, endpoint, options) }
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
}
