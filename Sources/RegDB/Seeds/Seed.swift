/// A native seed file: the providers and models it declares, each route with
/// everything the registry holds about it. The format is documented by
/// `seeds/schema/seed.schema.json`.
public struct SeedFile: Sendable {
    /// The file's name as given to `import` or `check`.
    public var name: String
    /// SHA-256 of the file's bytes: an unchanged file is not imported again.
    public var contentHash: String
    public var description: String?
    /// Where the file's facts come from.
    public var sources: [String]
    public var providers: [SeedProvider]
    public var models: [SeedModel]
    /// Routes of models declared elsewhere (another file or source), top-level in the file.
    public var routes: [SeedRoute] = []
    /// How discovery judges model files (design doc 001).
    public var rules: [SeedRule] = []

    /// Every route of the file, nested under its model or top-level, in file order.
    public var allRoutes: [SeedRoute] { models.flatMap(\.routes) + routes }
}

public struct SeedProvider: Sendable {
    public var path: JSONPath
    /// The object as written, from which the importer cuts claims.
    public var json: JSONValue
    public var id: String
    /// Display name; a catalog may leave it to another source (the id stands in when none gives it).
    public var name: String?
    public var baseURL: String?
    public var auth: String?
    public var envVars: [String]
    public var docsURL: String?
    public var endpointGlob: String?
}

public struct SeedModel: Sendable {
    public var path: JSONPath
    /// The object as written, without its routes.
    public var json: JSONValue
    public var id: String
    /// Required once sources are merged; a partial source may leave it to another.
    public var name: String?
    public var description: String?
    public var family: String?
    public var status: String?
    public var successor: String?
    public var deprecationDate: String?
    public var generation: String?
    /// Order of the generation in its family, higher newer.
    public var generationRank: Int64?
    public var tier: String?
    /// The provider that makes the model and serves it first-party: a bare name prefers its route.
    public var maker: String?
    /// Other names callers write for the model.
    public var aliases: [String] = []
    public var scores: JSONValue
    public var metadata: JSONValue
    public var routes: [SeedRoute]
}

/// A route as a seed declares it. Its thirty-odd fields sit behind one reference,
/// copied only when a shared route is changed: routes pass through claims, merges
/// and row lists by the thousand, and copying one is a retain, not thirty.
@dynamicMemberLookup
public struct SeedRoute: Sendable {
    public struct Fields: Sendable {
        public var path: JSONPath
        /// The object as written.
        public var json: JSONValue
        /// The canonical model: the enclosing model, else "model", else the wire id
        /// (which the importer reduces by `name_rule`: see `modelNamed`).
        public var modelID: String
        /// Whether a source names the model (nesting or "model"); a catalog's route does not.
        public var modelNamed: Bool = true
        public var providerID: String
        public var wireID: String
        public var name: String?
        public var providerLabel: String?
        public var endpoint: String?
        public var api: String?
        public var baseURL: String?
        /// (category, key) in seed order.
        public var categories: [(category: String, key: String)]
        public var contextWindow: Int64?
        public var maxOutputTokens: Int64?
        public var maxDuration: Int64?
        public var durations: [Int64]
        public var aspectRatios: [String]
        public var resolutions: [String]
        public var defaults: [(name: String, value: JSONValue)]
        public var features: [String]
        public var pricing: [SeedPrice]
        public var multipliers: [(variant: String, factor: Double)]
        public var costEstimateUSD: Double?
        public var processingTimeS: Int64?
        public var reasoning: Bool?
        /// The model's maker serves it here under its own name (LiteLLM's bare key, genai-prices'
        /// provider whose names match the model): a bare name prefers this route.
        public var firstParty: Bool?
        public var inputModalities: JSONValue?
        public var capabilities: JSONValue
        public var extendedParams: JSONValue
        public var extendedFeatures: JSONValue
        public var inputRequirements: JSONValue
        public var info: JSONValue
        public var metadata: JSONValue
        /// Failover preference among candidate routes, lower first.
        public var priority: Int64?
        /// Other names callers write for this route (a provider's moving alias, a local tag).
        public var aliases: [String] = []
        /// Whether its server lists it (discovery); nil when no server was asked.
        public var available: Bool?
        /// How the context window was learned (server, docs, probe, manual) and when.
        public var contextWindowSource: String?
        public var contextWindowObservedAt: String?
    }

    private final class Storage: @unchecked Sendable {
        // Changed only through a uniquely referenced instance (see the setter below).
        var fields: Fields
        /// `provider/wire_id`, made once: it keys every map a route goes into.
        var routeKey: String
        init(_ fields: Fields) {
            self.fields = fields
            routeKey = fields.providerID + "/" + fields.wireID
        }
    }

    private var storage: Storage

    init(_ fields: Fields) {
        storage = Storage(fields)
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<Fields, T>) -> T {
        get { storage.fields[keyPath: field] }
        set {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            storage.fields[keyPath: field] = newValue
            if field == \Fields.providerID || field == \Fields.wireID {
                storage.routeKey = storage.fields.providerID + "/" + storage.fields.wireID
            }
        }
    }

    public var routeKey: String { storage.routeKey }
}

public struct SeedPrice: Sendable {
    public var path: JSONPath
    public var unit: String
    public var variant: String?
    public var usd: Double?
    /// A price of 0 that is meant (a free tier): a 0 on a paid provider's route must say so.
    public var free: Bool = false
    public var per: Int64
    /// The row applies when the call's quantity of `aboveUnit` (else `unit`) exceeds this.
    public var above: Double?
    public var aboveUnit: String?
    /// "all" (the whole quantity at this rate) or "excess" (only what is beyond `above`); set when `above` is.
    public var aboveBills: String?
    /// ISO 8601 date or UTC time from which the price applies (inclusive) and until which (exclusive).
    public var validFrom: String?
    public var validUntil: String?
    /// When the variant applies by itself: `[{"hours_utc": ["16:30-00:30"], "weekdays": [1, 2]}]` (UTC).
    public var window: JSONValue?
    /// Alternatives group: of rows sharing one, a call is charged by the first it gives a quantity for.
    public var oneOf: String?
    public var note: String?
    /// Where the price was checked (a provider's price page) and on which date.
    public var checkedURL: String?
    public var checkedOn: String?
}

/// One capability rule: `{"kind": "loader", "match": "CheckpointLoaderSimple", "capabilities": ["text_to_image"]}`.
public struct SeedRule: Sendable {
    public var path: JSONPath
    public var json: JSONValue
    /// `kind:match`, stable across imports.
    public var id: String
    public var kind: String
    public var match: JSONValue?
    public var capabilities: [String]?
    public var value: Double?
}
