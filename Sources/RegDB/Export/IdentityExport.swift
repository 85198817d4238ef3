import GRDB

/// What design doc 004's identity module holds, read once for every language it is written in:
/// each route as the router's upstream entry, and each canonical id's generation, tier and routes.
struct IdentityData {
    struct Route {
        var key: String
        var provider: String
        var wireID: String
        var canonicalID: String
        var api: String?
        var baseURL: String?
        var capabilities: JSONValue?
        /// USD per million tokens: input, output, cacheRead, cacheWrite (the doc's names).
        var cost: [(key: String, value: JSONValue)]
        var contextWindow: Int64?
        var maxTokens: Int64?
        var reasoning: Bool?
        var inputModalities: JSONValue?
    }

    /// Routes by provider, then wire id (bytewise).
    var routes: [Route] = []
    /// Every canonical id, bytewise, with its generation and tier (the canonical id and
    /// "standard" where none is recorded, as the view resolved_routes says).
    var models: [(id: String, generation: String, tier: String)] = []
    /// Canonical id → its route keys, preferred first (the view route_preference).
    var preferred: [(id: String, keys: [String])] = []

    init(_ db: Database) throws {
        let costNames = ["input": "input", "output": "output", "cache_read": "cacheRead", "cache_write": "cacheWrite"]
        for row in try Row.fetchAll(db, sql: """
            SELECT route_key, provider, wire_id, canonical_id, api, base_url, capabilities, cost, context_window,
                   max_tokens, reasoning, input_modalities
            FROM resolved_routes ORDER BY provider, wire_id
            """) {
            var cost: [(key: String, value: JSONValue)] = []
            if let text: String = row["cost"], case .object(let members)? = try? JSONParser.parse(text) {
                // The doc's order: input, output, cacheRead, cacheWrite.
                for name in ["input", "output", "cache_read", "cache_write"] {
                    if let value = members.first(where: { $0.key == name })?.value, let key = costNames[name] { cost.append((key, value)) }
                }
            }
            let capabilities = (row["capabilities"] as String?).flatMap { try? JSONParser.parse($0) }
            routes.append(Route(
                key: row["route_key"], provider: row["provider"], wireID: row["wire_id"], canonicalID: row["canonical_id"],
                api: row["api"], baseURL: row["base_url"],
                capabilities: capabilities == .object([]) ? nil : capabilities, cost: cost,
                contextWindow: row["context_window"], maxTokens: row["max_tokens"], reasoning: (row["reasoning"] as Int64?).map { $0 != 0 },
                inputModalities: (row["input_modalities"] as String?).flatMap { try? JSONParser.parse($0) }))
        }
        routes.sort { $0.provider != $1.provider ? bytewise($0.provider, $1.provider) : bytewise($0.wireID, $1.wireID) }
        models = try Row.fetchAll(db, sql: "SELECT id, ifnull(generation, id) AS generation, ifnull(tier, 'standard') AS tier FROM model")
            .map { (id: $0["id"], generation: $0["generation"], tier: $0["tier"]) }
            .sorted { bytewise($0.id, $1.id) }
        for row in try Row.fetchAll(db, sql: "SELECT model_id, route_key FROM route_preference ORDER BY model_id, rank") {
            let id: String = row["model_id"], key: String = row["route_key"]
            if preferred.last?.id == id { preferred[preferred.count - 1].keys.append(key) } else { preferred.append((id, [key])) }
        }
        preferred.sort { bytewise($0.id, $1.id) }
    }
}

/// Whether `a` sorts before `b` byte by byte (as SQLite's BINARY collation does).
func bytewise(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}

extension Registry {
    /// Design doc 004's `model-registry.ts`, its contract exactly: the types (`WireFormat`,
    /// `CapabilityTier`, `CanonicalId`, `RouteKey`, `ResolvedModel`), the data (`MODELS`, provider
    /// → wire id → the route's upstream entry; `CANONICAL_BY_ROUTE`, only the routes whose
    /// canonical id is not their wire id; `GENERATION`; `TIER`; `ROUTES`, preferred first) and
    /// the lookups (`lookup`, `lookupRoute`, `routesFor`, `canonicalIdFor`, `tierFor`,
    /// `generationFor`, `sameGeneration`, `allCanonicalIds`, `routeKeyOf`), `lookup` following
    /// the doc's resolution algorithm. Read from the views `resolved_routes` and
    /// `route_preference`; deterministic (keys bytewise).
    public func exportIdentity() throws -> String {
        let data = try read { try IdentityData($0) }
        func string(_ text: String) -> String { TypeScript.literal(.string(text)) }
        func record(_ pairs: [(String, String)]) -> String {
            pairs.isEmpty ? "{}" : "{\n" + pairs.map { "  \(string($0.0)): \(string($0.1)),\n" }.joined() + "}"
        }
        var models = "{"
        var provider: String?
        for route in data.routes {
            if route.provider != provider {
                models += (provider == nil ? "\n" : "  },\n") + "  \(string(route.provider)): {\n"
                provider = route.provider
            }
            var entry: [(key: String, value: JSONValue)] = [
                ("id", .string(route.wireID)), ("provider", .string(route.provider)),
                ("api", .string(route.api ?? "")), ("baseUrl", .string(route.baseURL ?? "")),
            ]
            if let capabilities = route.capabilities { entry.append(("capabilities", capabilities)) }
            if !route.cost.isEmpty { entry.append(("cost", .object(route.cost))) }
            if let context = route.contextWindow { entry.append(("contextWindow", .integer(context))) }
            if let maxTokens = route.maxTokens { entry.append(("maxTokens", .integer(maxTokens))) }
            if let reasoning = route.reasoning { entry.append(("reasoning", .bool(reasoning))) }
            if let input = route.inputModalities { entry.append(("input", input)) }
            models += "    \(string(route.wireID)): \(TypeScript.literal(.object(entry))),\n"
        }
        models += provider == nil ? "}" : "  },\n}"
        let divergent = data.routes.filter { $0.canonicalID != $0.wireID }.map { ($0.key, $0.canonicalID) }
            .sorted { bytewise($0.0, $1.0) }
        let routes = data.preferred.isEmpty ? "{}" : "{\n" + data.preferred.map { id, keys in
            "  \(string(id)): [" + keys.map(string).joined(separator: ", ") + "],\n"
        }.joined() + "}"

        var out = ExportRequest.header(.identity) { "// " + $0 } + "\n"
        out += """
            // Canonical identity of every route (design doc 004): which model a route calls, its
            // generation and capability tier, and what a router needs to call it. Read from the
            // regdb registry's views resolved_routes and route_preference.

            export type WireFormat =
              | "anthropic-messages"
              | "openai-completions"
              | "openai-responses"
              | "bedrock-converse-stream"
              | "google-generative"
              | string; // open enum: other values pass through as the registry has them
            export type CapabilityTier = "light" | "standard" | "heavy";
            /** Stable, generation-aware identity: "kimi-k2.5" is not "kimi-k2.6". */
            export type CanonicalId = string;
            /** `${provider}/${wire_id}`, such as "openrouter/moonshotai/kimi-k2.5". */
            export type RouteKey = string;

            export interface ResolvedModel {
              canonical_id: CanonicalId;
              generation: string;
              tier: CapabilityTier;
              wire_id: string;
              provider: string;
              api: WireFormat;
              baseUrl: string;
              capabilities?: Record<string, unknown>;
              /** USD per million tokens */
              cost?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
              contextWindow?: number;
              maxTokens?: number;
              reasoning?: boolean;
              inputModalities?: string[];
            }

            /** A route as the router's upstream catalog gives it; "" where the registry records no wire format or base URL. */
            export interface UpstreamModel {
              id: string;
              provider: string;
              api: WireFormat;
              baseUrl: string;
              capabilities?: Record<string, unknown>;
              cost?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
              contextWindow?: number;
              maxTokens?: number;
              reasoning?: boolean;
              input?: string[];
            }

            /** provider → wire id → the route */
            export const MODELS: Readonly<Record<string, Readonly<Record<string, UpstreamModel>>>> = \(models);

            /** (provider, wire_id) → canonical id, only where the canonical id is not the wire id */
            export const CANONICAL_BY_ROUTE: Readonly<Record<RouteKey, CanonicalId>> = \(record(divergent));

            /** canonical id → generation ("k2.5"); routes of one generation fail over without a downgrade */
            export const GENERATION: Readonly<Record<CanonicalId, string>> = \(record(data.models.map { ($0.id, $0.generation) }));

            /** canonical id → capability tier ("standard" where none is recorded) */
            export const TIER: Readonly<Record<CanonicalId, CapabilityTier>> = \(record(data.models.map { ($0.id, $0.tier) }));

            /** canonical id → its route keys, preferred first (seed priority, the maker's route, a priced one, route key) */
            export const ROUTES: Readonly<Record<CanonicalId, readonly RouteKey[]>> = \(routes);

            function has<T>(table: Readonly<Record<string, T>>, key: string): boolean {
              return Object.prototype.hasOwnProperty.call(table, key);
            }

            /** Look up a (provider, wire_id) pair. Returns null if the registry has no such route. */
            export function lookup(provider: string, wireId: string): ResolvedModel | null {
              const routes = has(MODELS, provider) ? MODELS[provider] : undefined;
              const upstream = routes !== undefined && has(routes, wireId) ? routes[wireId] : undefined;
              if (upstream === undefined) return null;
              const routeKey = `${provider}/${wireId}`;
              const canonical = has(CANONICAL_BY_ROUTE, routeKey) ? CANONICAL_BY_ROUTE[routeKey] : wireId;
              const resolved: ResolvedModel = {
                canonical_id: canonical,
                generation: has(GENERATION, canonical) ? GENERATION[canonical] : canonical,
                tier: has(TIER, canonical) ? TIER[canonical] : "standard",
                wire_id: upstream.id,
                provider: upstream.provider,
                api: upstream.api,
                baseUrl: upstream.baseUrl,
              };
              if (upstream.capabilities !== undefined) resolved.capabilities = upstream.capabilities;
              if (upstream.cost !== undefined) resolved.cost = upstream.cost;
              if (upstream.contextWindow !== undefined) resolved.contextWindow = upstream.contextWindow;
              if (upstream.maxTokens !== undefined) resolved.maxTokens = upstream.maxTokens;
              if (upstream.reasoning !== undefined) resolved.reasoning = upstream.reasoning;
              if (upstream.input !== undefined) resolved.inputModalities = upstream.input;
              return resolved;
            }

            /** Same, parsed from a fused route key (the provider is what comes before the first "/"). */
            export function lookupRoute(routeKey: RouteKey): ResolvedModel | null {
              const slash = routeKey.indexOf("/");
              return slash > 0 ? lookup(routeKey.slice(0, slash), routeKey.slice(slash + 1)) : null;
            }

            /** All routes (across all providers) that resolve to this canonical id, preferred first. */
            export function routesFor(canonicalId: CanonicalId): ResolvedModel[] {
              const keys = has(ROUTES, canonicalId) ? ROUTES[canonicalId] : [];
              const resolved: ResolvedModel[] = [];
              for (const key of keys) {
                const model = lookupRoute(key);
                if (model !== null) resolved.push(model);
              }
              return resolved;
            }

            /** Map a route key to a canonical id, or null if unmappable. */
            export function canonicalIdFor(routeKey: RouteKey): CanonicalId | null {
              return lookupRoute(routeKey)?.canonical_id ?? null;
            }

            /** Capability tier of a canonical id. */
            export function tierFor(canonicalId: CanonicalId): CapabilityTier | null {
              return has(TIER, canonicalId) ? TIER[canonicalId] : null;
            }

            /** Generation of a canonical id (e.g. "k2.5"). */
            export function generationFor(canonicalId: CanonicalId): string | null {
              return has(GENERATION, canonicalId) ? GENERATION[canonicalId] : null;
            }

            /** Two canonical ids share a generation (failover may cross). */
            export function sameGeneration(a: CanonicalId, b: CanonicalId): boolean {
              const ga = generationFor(a);
              return ga !== null && ga === generationFor(b);
            }

            /** Every canonical id the registry knows, bytewise. */
            export function allCanonicalIds(): CanonicalId[] {
              return Object.keys(TIER);
            }

            /** Build a route key from a resolved model (for metrics aggregation). */
            export function routeKeyOf(m: { provider: string; wire_id: string }): RouteKey {
              return `${m.provider}/${m.wire_id}`;
            }

            """
        return out
    }
}
