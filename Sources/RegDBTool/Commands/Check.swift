import ArgumentParser
import RegDB

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Placeholder.")
    func run() throws {}
}
