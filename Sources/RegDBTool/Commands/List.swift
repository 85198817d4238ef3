import ArgumentParser
import RegDB

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List routes by category, in seed order.",
        usage: "regdb list [<options>]",
        discussion: """
            Columns: category, key, route_key, name, provider, status, available (true when its server listed it at \
            the last discovery, false when it no longer did, empty when never asked), context_window; and training_type, \
            architecture and size where a listed route has them (Tinker models, design doc 003).
              regdb list --capability vision --min-context 200000
              regdb list --category image_to_video --max-usd 0.10 --per second
              regdb list --per 1M-input-tokens --max-usd 1
              regdb list --provider tinker
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only this category, such as text_to_video.", completion: Complete.categories) var category: String?
    @Option(help: "Only this provider, such as fal.", completion: Complete.providers) var provider: String?
    @Option(help: "Only this lifecycle status: production, beta, experimental or deprecated.") var status: String?
    @Option(help: "Only routes with this capability flag set, such as vision or function_calling.") var capability: String?
    @Option(help: "Only models of this tier: light, standard (also models without a tier) or heavy.") var tier: String?
    @Flag(help: "Only routes their server listed at its last discovery.") var available = false
    @Option(help: ArgumentHelp("Only routes with a context window of at least N tokens.", valueName: "N")) var minContext: Int64?
    @Option(help: ArgumentHelp("""
        Show each route's price for this quantity (second, image, megapixel, 1M-input-tokens, 1K-characters…: \
        a unit of the schema), in force today, of its default variant; only routes priced in it.
        """, valueName: "quantity"))
    var per: String?
    @Option(name: .customLong("max-usd"), parsing: .unconditional,
            help: ArgumentHelp("With --per: only routes whose price for that quantity is at most this many dollars.", valueName: "usd"))
    var maxUSD: String?

    func validate() throws {
        if let minContext, minContext < 1 { throw ValidationError("--min-context must be a positive number of tokens.") }
        if let maxUSD {
            guard per != nil else { throw ValidationError("--max-usd needs --per: the quantity the price is for (--per second).") }
            guard let value = Double(maxUSD), value.isFinite, value >= 0, maxUSD.allSatisfy({ "0123456789.eE+-".contains($0) }) else {
                throw ValidationError("--max-usd must be a number of dollars >= 0, not \"\(maxUSD)\".")
            }
        }
    }

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readOnly)
            let table = try registry.list(ListFilter(category: category, provider: provider, status: status, capability: capability,
                                                     tier: tier, available: available, minContext: minContext,
                                                     per: per, maxUSD: maxUSD.flatMap(Double.init)))
            Renderer.show(table, as: output.format)
        }
    }
}
