import RegDB

/// Renders query results as an aligned table, JSON or CSV on stdout.
enum Renderer {
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
            return aligned([table.columns] + table.rows.map { $0.map(cellText) }, header: true)
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
                return aligned(members.map { [$0.key, cellText($0.value)] }, header: false)
            }.joined(separator: "\n")
        }
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
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
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
