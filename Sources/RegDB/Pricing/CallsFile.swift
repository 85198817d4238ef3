import Foundation

/// A quantity given on the command line or in a call: a finite decimal >= 0, kept exact.
public enum Quantity {
    /// Whether a quantity has no fractional part.
    public static func isWhole(_ value: Decimal) -> Bool {
        var value = value, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return rounded == value
    }

    /// Quantities above 10^15 are refused: no call consumes that much, and it keeps
    /// every product with a price well inside Decimal's range.
    public static func parse(_ text: String) -> Decimal? {
        // Plain decimal notation only: Double reads "0x10" as 16 where Decimal reads 0.
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || "+-.eE".utf8.contains($0) }),
              let double = Double(text), double.isFinite, double >= 0, double <= 1e15,
              let decimal = Decimal(string: text) ?? Decimal(string: String(double))
        else { return nil }
        return decimal
    }
}

extension PricedCall {
    /// The fields a line of a calls file may hold.
    public static let fields = ["name", "usage", "variants", "category", "at"]

    /// One line of a calls file read: its name as given (for the output line) and the call, or
    /// why it is not one. Every field is typed as the options are: a wrong type is an error
    /// naming its line and field, never a field dropped (a numeric "at" priced today,
    /// "variants": "720p" none).
    public static func read(_ line: String, at place: String) -> (name: JSONValue, call: Result<PricedCall, RegDBError>) {
        func refuse(_ field: String, _ rule: String) -> RegDBError { .pricing("\(place): \(field) \(rule)") }
        let call: JSONValue
        do { call = try JSONParser.parse(line) } catch {
            return (.null, .failure(.pricing("\(place): not JSON: \(error.message)")))
        }
        guard case .object(let members) = call else {
            return (.null, .failure(refuse("the line", "must be a JSON object {\"name\": …, \"usage\": {…}}")))
        }
        let name = call["name"] ?? .null
        func read() throws -> PricedCall {
            for field in members.map(\.key) where !PricedCall.fields.contains(field) {
                throw refuse("\"\(field)\"", "is not a field of a call (\(PricedCall.fields.joined(separator: ", ")))")
            }
            guard let routeName = name.stringValue else { throw refuse("\"name\"", "must be a string") }
            var units: [String: Decimal] = [:]
            switch call["usage"] {
            case nil, .null?: break
            case .object(let members)?:
                for (unit, value) in members {
                    guard value.doubleValue != nil, let quantity = Quantity.parse(value.jsonText) else {
                        throw refuse("usage.\(unit)", "must be a number >= 0 and <= 1e15, found \(value.jsonText.prefix(40))")
                    }
                    units[unit] = quantity
                }
            case let other?:
                throw refuse("\"usage\"", "must be an object of quantities by unit, found \(other.typeName)")
            }
            var variants: [String] = []
            switch call["variants"] {
            case nil, .null?: break
            case .array(let items)?:
                for (position, item) in items.enumerated() {
                    guard let variant = item.stringValue else {
                        throw refuse("variants[\(position)]", "must be a string (\"720p\"), found \(item.jsonText.prefix(40))")
                    }
                    variants.append(variant)
                }
            case let other?:
                throw refuse("\"variants\"", "must be a list of strings ([\"720p\"]), found \(other.typeName)")
            }
            for field in ["category", "at"] {
                if let value = call[field], value != .null, value.stringValue == nil {
                    throw refuse("\"\(field)\"", "must be a string\(field == "at" ? " (an ISO 8601 date or UTC time)" : ""), found \(value.jsonText.prefix(40))")
                }
            }
            return PricedCall(name: routeName, category: call["category"]?.stringValue,
                              usage: Usage(units: units, variants: variants, at: call["at"]?.stringValue))
        }
        do { return (name, .success(try read())) } catch let error as RegDBError { return (name, .failure(error)) } catch {
            return (name, .failure(.pricing("\(place): \(error)")))
        }
    }
}

extension Registry {
    /// `regdb cost --calls`: prices a file of calls, one JSON object per line
    /// (`{"name": …, "usage": {unit: quantity}, "variants": […], "category": …, "at": …}`), and
    /// gives `write` one JSON line per call, in order: the route, the total and its lines, or
    /// the error that call met (the others go on). Returns how many calls failed.
    ///
    /// Lines are read, priced and written in chunks, each spread over the cores; every name is
    /// resolved once and every route's prices read once, all in one read transaction.
    public func priceCalls(_ bytes: [UInt8], file: String, write: (String) -> Void) throws -> Int {
        // Lines end at \n, \r\n or \r (a JSON line holds no raw line end); a blank line is skipped.
        var lines: [(number: Int, range: Range<Int>)] = []
        var start = 0, number = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            number += 1
            if !bytes[start..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.append((number, start..<end)) }
            start = end < bytes.count && bytes[end] == 0x0D && end + 1 < bytes.count && bytes[end + 1] == 0x0A ? end + 2 : end + 1
        }
        return try snapshot {
            var book = try PriceBook(self)
            var failed = 0
            for chunkStart in stride(from: 0, to: lines.count, by: 8192) {
                let chunk = lines[chunkStart..<min(lines.count, chunkStart + 8192)].map { line in
                    (place: "\(file):\(line.number)", text: String(decoding: bytes[line.range], as: UTF8.self))
                }
                let calls = concurrentMap(chunk) { PricedCall.read($0.text, at: $0.place) }
                try book.learn(self, names: calls.compactMap { try? $0.call.get() }.map { ($0.name, $0.category) })
                let known = book
                let answers = concurrentMap(calls) { read -> (text: String, failed: Bool) in
                    let result = read.call.flatMap { call in
                        Result { try self.quote(call.name, category: call.category, usage: call.usage, book: known) }
                            .mapError { $0 as? RegDBError ?? .pricing("\($0)") }
                    }
                    switch result {
                    case .success(let quote):
                        var line = [("name", read.name), ("route_key", .string(quote.routeKey)), ("usd", Money.number(quote.usd))]
                        if case .object(let fields) = quote.json { line += fields.filter { $0.key == "lines" || $0.key == "unpriced" } }
                        return (JSONValue.object(line).jsonText + "\n", false)
                    case .failure(let error):
                        return (JSONValue.object([("name", read.name), ("error", .string(error.description))]).jsonText + "\n", true)
                    }
                }
                failed += answers.count { $0.failed }
                write(answers.map(\.text).joined())
            }
            return failed
        }
    }
}
