import RegDB

/// Renders query results as an aligned table, JSON or CSV on stdout.
enum Renderer {
    /// Prints any result the one way every command does: JSON as its JSON form, CSV as its
    /// table, a terminal's table with its heading (or its own text, where it has one).
    static func show(_ result: some Renderable, as format: OutputFormat) {
        switch format {
        case .json:
            print(result.json.prettyJSONText)
        case .csv:
            print(render(result.table, as: .csv), terminator: "")
        case .table:
            if let text = result.text {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                return
            }
            if let heading = result.heading { print(heading) }
            print(render(result.table, as: .table), terminator: "")
        }
    }

    static func render(_ table: ResultTable, as format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONValue.array(table.rows.map { row in
                .object(zip(table.columns, row).map { ($0, $1) })
            }).prettyJSONText + "\n"
        case .csv:
            var out = csvLine(table.columns)
            for row in table.rows { out += csvLine(row.map(cellText)) }
            return out
        case .table:
            let formats = table.columns.map { table.formats[$0] }
            let cells = table.rows.map { row in
                row.enumerated().map { index, value in
                    (index < formats.count ? formats[index]?.text(value) : nil) ?? cellText(value)
                }
            }
            guard let width = Terminal.width else { return aligned([table.columns] + cells, header: true) }
            return fitted(columns: table.columns, rows: cells, width: width, answers: Set(table.answers))
        }
    }

    /// Documents (`get`): a field/value table each, a JSON array, or CSV with one column per field.
    static func render(documents: [JSONValue], as format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONValue.array(documents).prettyJSONText + "\n"
        case .csv:
            var columns: [String] = []
            for case .object(let members) in documents {
                for (key, _) in members where !columns.contains(key) { columns.append(key) }
            }
            return render(ResultTable(columns: columns, rows: documents.map { doc in columns.map { doc[$0] ?? .null } }), as: .csv)
        case .table:
            return documents.map { document -> String in
                guard case .object(let members) = document else { return "" }
                return keyValues(members.map { ($0.key, cellText($0.value)) }, width: Terminal.width)
            }.joined(separator: "\n")
        }
    }

    /// One record as "key  value" lines; on a terminal a long value wraps under itself.
    static func keyValues(_ pairs: [(String, String)], width: Int?) -> String {
        let keyWidth = pairs.map { Terminal.displayWidth($0.0) }.max() ?? 0
        var out = ""
        for (key, value) in pairs {
            let pad = String(repeating: " ", count: keyWidth - Terminal.displayWidth(key))
            let room = width.map { max(20, $0 - keyWidth - 2) }
            let lines = room.map { Terminal.wrapped(value, to: $0) } ?? [value]
            for (index, line) in lines.enumerated() {
                out += (index == 0 ? key + pad : String(repeating: " ", count: keyWidth)) + "  " + line + "\n"
            }
        }
        return out
    }

    /// A table made to fit `width` columns: hashes shortened; columns empty in
    /// every row dropped; the widest columns cut with an ellipsis (down to their
    /// heading or 16 columns, the others before the `answers`); then the widest
    /// dropped, the `answers` and the columns that say which row is which last;
    /// with a note on stderr of what is not shown and how to see it. A single
    /// record that does not fit is shown as key/value lines instead.
    static func fitted(columns: [String], rows: [[String]], width: Int, answers: Set<String> = []) -> String {
        let rows = rows.map { $0.map(shortenedHash) }
        func cell(_ row: [String], _ column: Int) -> String { column < row.count ? row[column] : "" }
        let natural = columns.indices.map { column in
            ([columns[column]] + rows.map { cell($0, column) }).map(Terminal.displayWidth).max() ?? 0
        }
        var widths = natural
        func total(_ kept: [Int]) -> Int { kept.reduce(0) { $0 + widths[$1] } + 2 * max(0, kept.count - 1) }
        var kept = Array(columns.indices)
        if total(kept) <= width { return aligned([columns] + rows, header: true) }
        if rows.count == 1 { return keyValues(Array(zip(columns, rows[0])), width: width) }
        var dropped: [String] = []
        // Columns with nothing in them say nothing.
        for column in kept where total(kept) > width && rows.allSatisfy({ cell($0, column).isEmpty }) {
            kept.removeAll { $0 == column }
            dropped.append(columns[column])
        }
        // Cut the widest column toward the next widest (never below its heading or 16), until it fits.
        let floor = columns.indices.map { min(natural[$0], max(16, Terminal.displayWidth(columns[$0]))) }
        // The columns that say which row is which (route_key, key…) and the answers go last.
        let identifying: Set = ["route_key", "key", "name", "canonical_id", "file", "rule", "unit"]
        let rank = columns.map { answers.contains($0) ? 2 : identifying.contains($0) ? 1 : 0 }
        for level in 0...2 {
            while total(kept) > width {
                let cuttable = kept.filter { rank[$0] <= level && widths[$0] > floor[$0] }
                guard let widest = cuttable.max(by: { widths[$0] < widths[$1] }) else { break }
                let next = cuttable.filter { $0 != widest }.map { widths[$0] }.max() ?? 0
                var target = max(widths[widest] - (total(kept) - width), next)
                if target >= widths[widest] { target = widths[widest] - 1 }
                widths[widest] = max(floor[widest], target)
            }
        }
        // Still too wide: drop the widest columns (by their full width), the last first among equals.
        while total(kept) > width && kept.count > 1 {
            let lowest = kept.map { rank[$0] }.min() ?? 0
            let candidates = kept.filter { rank[$0] == lowest }
            guard let widest = candidates.max(by: { natural[$0] != natural[$1] ? natural[$0] < natural[$1] : $0 > $1 }) else { break }
            kept.removeAll { $0 == widest }
            dropped.append(columns[widest])
        }
        let shown = [kept.map { columns[$0] }] + rows.map { row in kept.map { Terminal.truncated(cell(row, $0), to: widths[$0]) } }
        if !dropped.isEmpty {
            let note = "(\(dropped.count) column\(dropped.count == 1 ? "" : "s") not shown to fit \(width) columns: "
                + dropped.joined(separator: ", ") + "; see them with --wide or --format json)"
            printError(Terminal.wrapped(note, to: width).joined(separator: "\n"))
        }
        return aligned(shown, header: true)
    }

    /// A content hash (40 or 64 hex digits) as its first 12 and "…".
    private static func shortenedHash(_ cell: String) -> String {
        guard cell.count == 64 || cell.count == 40, cell.allSatisfy(\.isHexDigit) else { return cell }
        return String(cell.prefix(12)) + "…"
    }

    /// How a cell reads in a table or CSV: text bare, null empty, JSON compact.
    static func cellText(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .string(let s): return s
        default: return value.jsonText
        }
    }

    private static func aligned(_ rows: [[String]], header: Bool) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Terminal.displayWidth(cell)) }
        }
        var out = ""
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - Terminal.displayWidth(cell))
            }
            out += cells.joined(separator: "  ") + "\n"
            if header && index == 0 {
                out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    private static func csvLine(_ cells: [String]) -> String {
        cells.map { cell in
            cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                : cell
        }.joined(separator: ",") + "\n"
    }
}
