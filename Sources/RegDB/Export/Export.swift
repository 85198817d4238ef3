import Foundation

/// One export `regdb export` can re-run from a generated file's header.
///
/// Generated files name the exact command that regenerates them, without
/// `--db` or `--out`, so the header stays true wherever the file and the
/// registry live; `regdb check --generated` parses it back with ``parse(_:)``
/// and compares bytes.
public enum ExportRequest: Equatable, Sendable {
    /// One constants module: `regdb export constants --lang L --category C [--category D…]
    /// [--duration-strings]`, or `--package P` in place of the categories.
    case constants(language: ConstantsLanguage, selection: ConstantsSelection, durationStrings: Bool = false)
    /// The Markdown catalog: `regdb export docs`.
    case docs
    /// LiteLLM's JSON: `regdb export litellm` (the JSON itself carries no header).
    case litellm
    /// Design doc 004's identity tables as TypeScript: `regdb export identity`.
    case identity
    /// The same as Elixir's `Regdb.Models` (design doc 003's SDK): `regdb export identity --lang elixir`.
    case identityElixir
    /// Design doc 002's `model_registry.yaml`: `regdb export yaml`.
    case yaml

    /// The arguments after `regdb`, as written in headers and suggestions.
    public var arguments: [String] {
        switch self {
        case .constants(let language, let selection, let durationStrings):
            let chosen: [String]
            switch selection {
            case .categories(let categories): chosen = categories.flatMap { ["--category", $0] }
            case .package(let package): chosen = ["--package", package]
            }
            return ["export", "constants", "--lang", language.rawValue] + chosen + (durationStrings ? ["--duration-strings"] : [])
        case .docs: return ["export", "docs"]
        case .litellm: return ["export", "litellm"]
        case .identity: return ["export", "identity"]
        case .identityElixir: return ["export", "identity", "--lang", "elixir"]
        case .yaml: return ["export", "yaml"]
        }
    }

    /// `regdb export …`: the command line that regenerates the output.
    public var commandLine: String { (["regdb"] + arguments).joined(separator: " ") }

    /// The command that rewrites `file`, with `--db` when the registry is not the default one.
    public func regenerateCommand(file: String, databaseArgument: String?) -> String {
        var words = ["regdb"] + arguments.prefix(2)
        if let databaseArgument { words += ["--db", ExportRequest.shellQuoted(databaseArgument)] }
        words += arguments.dropFirst(2)
        switch self {
        case .constants: return words.joined(separator: " ") + " > " + ExportRequest.shellQuoted(file)
        case .docs, .litellm, .identity, .identityElixir, .yaml: return (words + ["--out", ExportRequest.shellQuoted(file)]).joined(separator: " ")
        }
    }

    /// Renders the output of this export from `registry`.
    public func render(_ registry: Registry) throws -> String {
        switch self {
        case .constants(let language, let selection, let durationStrings):
            return try registry.exportConstants(language: language, selection: selection, durationStrings: durationStrings)
        case .docs:
            return try registry.exportDocs()
        case .litellm:
            return try registry.exportLiteLLM()
        case .identity:
            return try registry.exportIdentity()
        case .identityElixir:
            return try registry.exportIdentityElixir()
        case .yaml:
            return try registry.exportYAML()
        }
    }

    /// Words a header may hold: nothing a shell would expand or split.
    private static let safeWord = #"^[A-Za-z0-9_.:=/+-]+$"#

    /// Parses the words after "Regenerate: " in a header. Only the exports
    /// above, with exactly their arguments, are accepted: a header is input, and
    /// `check` never runs anything it did not write itself.
    public static func parse(_ command: String) -> ExportRequest? {
        let words = command.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count >= 3, words[0] == "regdb", words[1] == "export",
              words.allSatisfy({ $0.range(of: safeWord, options: .regularExpression) != nil })
        else { return nil }
        let rest = Array(words[3...])
        switch words[2] {
        case "docs": return rest.isEmpty ? .docs : nil
        case "litellm": return rest.isEmpty ? .litellm : nil
        case "yaml": return rest.isEmpty ? .yaml : nil
        case "identity":
            if rest.isEmpty || rest == ["--lang", "typescript"] { return .identity }
            return rest == ["--lang", "elixir"] ? .identityElixir : nil
        case "constants":
            var language: ConstantsLanguage?
            var categories: [String] = []
            var package: String?
            var durationStrings = false
            var index = 0
            while index < rest.count {
                if rest[index] == "--duration-strings" && !durationStrings {
                    durationStrings = true
                    index += 1
                    continue
                }
                guard index + 1 < rest.count else { return nil }
                let value = rest[index + 1]
                switch rest[index] {
                case "--lang" where language == nil: language = ConstantsLanguage(rawValue: value)
                case "--category" where package == nil: categories.append(value)
                case "--package" where package == nil && categories.isEmpty: package = value
                default: return nil
                }
                index += 2
            }
            guard let language, !categories.isEmpty || package != nil else { return nil }
            return .constants(language: language, selection: package.map(ConstantsSelection.package) ?? .categories(categories),
                              durationStrings: durationStrings)
        default:
            return nil
        }
    }

    /// The header line a generated file starts with, in the comment syntax of its language.
    static func header(_ request: ExportRequest, comment: (String) -> String) -> String {
        comment("\(generatedMarker) Regenerate: \(request.commandLine)")
    }

    /// The words every header starts with; `check --generated` looks for them on line 1.
    static let generatedMarker = "Generated by regdb — do not edit."

    /// Quotes a path for a shell when it holds anything but plain characters.
    static func shellQuoted(_ word: String) -> String {
        if word.range(of: safeWord, options: .regularExpression) != nil { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// A file an export writes: its name inside the output directory and its text.
public struct ExportedFile: Sendable, Equatable {
    public var name: String
    public var text: String
}

extension Registry {
    /// Checks generated files: reads the command each file's first line names,
    /// re-runs that export against this registry and compares bytes. A file whose
    /// bytes differ is stale; one without a header, or whose header names anything
    /// but a re-runnable `regdb export`, is reported as such.
    ///
    /// `databaseArgument` is the `--db` to put in the suggested command (nil for the default registry).
    public func checkGenerated(files: [String], databaseArgument: String? = nil) throws -> [Violation] {
        var violations: [Violation] = []
        for file in files {
            func report(_ rule: String, _ message: String) {
                violations.append(Violation(file: file, path: nil, rule: rule, message: message))
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                report("file", FileManager.default.fileExists(atPath: file) ? "file cannot be read" : "file does not exist")
                continue
            }
            let text = String(decoding: data, as: UTF8.self)
            let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
            guard firstLine.contains(ExportRequest.generatedMarker), let range = firstLine.range(of: "Regenerate: ") else {
                report("generated", "no regdb header on line 1 (\"\(ExportRequest.generatedMarker) Regenerate: regdb export …\"); "
                       + "only files written by regdb export constants or docs can be checked")
                continue
            }
            var command = String(firstLine[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            if command.hasSuffix("-->") { command = String(command.dropLast(3)).trimmingCharacters(in: .whitespaces) }
            guard let request = ExportRequest.parse(command) else {
                report("generated", "the header names \"\(command)\", which check cannot re-run; it re-runs only "
                       + "regdb export constants --lang L --category C, regdb export docs, regdb export identity, regdb export yaml and regdb export litellm")
                continue
            }
            let expected: String
            do {
                expected = try request.render(self)
            } catch let error as RegDBError {
                var message = error.description
                if message.hasPrefix("error: ") { message.removeFirst(7) }
                report("generated", "\(request.commandLine) fails: \(message)")
                continue
            }
            if Array(expected.utf8) != [UInt8](data) {
                report("stale", "generated file is stale; regenerate: "
                       + request.regenerateCommand(file: file, databaseArgument: databaseArgument))
            }
        }
        return violations
    }
}
