import ArgumentParser
import Foundation
import RegDB

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show discovered hosts: hardware, and per capability the model count and the top three.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Only this host (provider id or URL).") var host: String?

    func run() throws {
        try reportingErrors {
            let statuses = try database.open(.readOnly).hostStatuses(host: host)
            // As `best`: nothing to report is an error on stderr, in every format.
            guard !statuses.isEmpty else { throw RegDBError.nothingDiscovered }
            Renderer.show(HostStatusReport(statuses), as: output.format)
        }
    }
}

struct Best: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best",
        abstract: "The best installed model for a capability that fits in VRAM, with the reason.",
        usage: "regdb best [<options>] <capability>",
        discussion: """
            Candidates are discovered model files with the capability; those needing more than --max-vram GB \
            (default: the free VRAM of their host) are out. quality: highest quality first; speed: least VRAM \
            first; balanced: quality per GB. Nothing fits: exit 1, naming what the smallest candidate needs.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "A capability: text_to_image, text_to_video, upscale, vae, lora…") var capability: String
    @Option(help: "VRAM limit in GB (default: the host's free VRAM).") var maxVram: Double?
    @Option(help: "quality, speed or balanced.") var prefer: PreferenceArgument = .quality
    @Option(help: "Only this host (provider id or URL).") var host: String?

    func validate() throws {
        if let maxVram, !(maxVram > 0 && maxVram.isFinite) { throw ValidationError("--max-vram must be a number of GB > 0.") }
    }

    func run() throws {
        try reportingErrors {
            let choice = try database.open(.readOnly).best(capability, maxVRAM: maxVram, preference: prefer.value, host: host)
            Renderer.show(choice, as: output.format)
        }
    }
}

enum PreferenceArgument: String, ExpressibleByArgument, CaseIterable {
    case quality, speed, balanced
    var value: Preference { Preference(rawValue: rawValue) ?? .quality }
}
