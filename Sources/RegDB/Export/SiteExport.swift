import Foundation
import GRDB

/// `regdb export site DIR`: a static site people browse to choose a model. `index.html` is a
/// table of every route with filters (provider, category, capability, tier, context, price)
/// and sortable columns; `models/<id>.html` puts a model's routes side by side, draws each
/// price's history from the dated rows, and says where every price comes from and when it was
/// checked. No build step, no framework, no request: the data is in the pages, so the site
/// works from `file://` and from any static host. A filter can be given in the address
/// (`index.html#provider=openai&category=text_to_video`), so a filtered table is a link.
extension Registry {
    public func exportSite(now: Date = Date()) throws -> [ExportedFile] {
        try read { db in
            let today = String(UTCTime.iso(Int64(now.timeIntervalSince1970)).prefix(10))
            let routes = try Row.fetchAll(db, sql: """
                SELECT c.route_key, c.canonical_id, c.name, c.provider, p.name AS provider_name, c.tier, c.status,
                       c.context_window, c.capabilities, c.prices, c.available,
                       (SELECT json_group_array(category_id) FROM (
                            SELECT category_id FROM route_category rc WHERE rc.route_id = r.id ORDER BY category_id)) AS categories
                FROM model_card c JOIN route r ON r.route_key = c.route_key JOIN provider p ON p.id = c.provider
                ORDER BY c.canonical_id, c.route_key
                """)
            let units = Dictionary(try Row.fetchAll(db, sql: "SELECT id, measure FROM unit").map { ($0["id"] as String, $0["measure"] as String) },
                                   uniquingKeysWith: { a, _ in a })
            var slugs: [String: String] = [:]
            var taken: Set<String> = []
            for id in try String.fetchAll(db, sql: "SELECT id FROM model ORDER BY id") {
                var slug = Site.slug(id)
                while taken.contains(slug.lowercased()) { slug += "_" }
                taken.insert(slug.lowercased())
                slugs[id] = slug
            }
            // The table's rows: one per route, its prices in force today per million tokens or per unit.
            let rows: [JSONValue] = routes.map { row in
                let model: String = row["canonical_id"]
                let prices = (row["prices"] as String?).flatMap { try? JSONParser.parse($0) } ?? .object([])
                let capabilities = (row["capabilities"] as String?).flatMap { try? JSONParser.parse($0) } ?? .object([])
                var flags: [JSONValue] = []
                if case .object(let members) = capabilities {
                    flags = members.filter { $0.value == .bool(true) }.map { .string($0.key) }
                }
                var unitPrices: [JSONValue] = []
                if case .object(let members) = prices {
                    for (unit, value) in members where !["input_token", "output_token"].contains(unit) {
                        guard let usd = value.doubleValue else { continue }
                        let perMillion = units[unit]?.hasSuffix("tokens") == true
                        unitPrices.append(.array([.string(unit), .number(usd), .bool(perMillion)]))
                    }
                }
                let routeKey: String = row["route_key"]
                let page = "models/\(slugs[model] ?? Site.slug(model)).html"
                let name: String = row["name"] ?? model
                let provider: String = row["provider"]
                let providerName: String = row["provider_name"]
                let tier: String = row["tier"]
                let status: JSONValue = (row["status"] as String?).map(JSONValue.string) ?? .null
                let context: JSONValue = (row["context_window"] as Int64?).map(JSONValue.integer) ?? .null
                let categories: JSONValue = (row["categories"] as String?).flatMap { try? JSONParser.parse($0) } ?? .array([])
                var fields: [(key: String, value: JSONValue)] = []
                fields.append(("route", .string(routeKey)))
                fields.append(("model", .string(model)))
                fields.append(("page", .string(page)))
                fields.append(("name", .string(name)))
                fields.append(("provider", .string(provider)))
                fields.append(("provider_name", .string(providerName)))
                fields.append(("tier", .string(tier)))
                fields.append(("status", status))
                fields.append(("context", context))
                fields.append(("input", prices["input_token"] ?? .null))
                fields.append(("output", prices["output_token"] ?? .null))
                fields.append(("units", .array(unitPrices)))
                fields.append(("capabilities", .array(flags)))
                fields.append(("categories", categories))
                return .object(fields)
            }
            var files = [ExportedFile(name: "site.css", text: Site.css), ExportedFile(name: "site.js", text: Site.script),
                         ExportedFile(name: "index.html", text: Site.index(rows: rows, routes: routes.count, today: today))]
            // One page per model with routes.
            let byModel = Dictionary(grouping: routes, by: { $0["canonical_id"] as String })
            for (model, modelRoutes) in byModel.sorted(by: { $0.key < $1.key }) {
                let keys = modelRoutes.map { $0["route_key"] as String }
                let info = try Row.fetchOne(db, sql: "SELECT name, description, status, tier, generation, family FROM model WHERE id = ?", arguments: [model])
                let documents = try keys.map { key -> (key: String, document: JSONValue) in
                    let text = try String.fetchOne(db, sql: "SELECT document FROM route_document WHERE route_key = ?", arguments: [key]) ?? "{}"
                    return (key, (try? JSONParser.parse(text)) ?? .object([]))
                }
                let sources = try Row.fetchAll(db, sql: """
                    SELECT c.entity_id AS route_key, s.name, s.kind, max(c.observed_at) AS observed_at
                    FROM claim c JOIN source s ON s.id = c.source_id
                    WHERE c.entity = 'route' AND c.entity_id IN (SELECT value FROM json_each(?))
                    GROUP BY c.entity_id, s.name ORDER BY c.entity_id, s.import_seq
                    """, arguments: [JSONValue.array(keys.map(JSONValue.string)).jsonText])
                files.append(ExportedFile(name: "models/\(slugs[model] ?? Site.slug(model)).html",
                                          text: Site.modelPage(model: model, info: info, routes: documents, units: units,
                                                               sources: sources, today: today)))
            }
            return files
        }
    }
}

/// The pages, the script and the style of the site.
enum Site {
    /// A file name for a model id: letters, digits, dot, dash and underscore kept, the rest `_`.
    static func slug(_ id: String) -> String {
        let kept = id.unicodeScalars.map { scalar -> String in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || ".-_".unicodeScalars.contains(scalar))) ? String(scalar) : "_"
        }.joined()
        return kept.hasPrefix(".") ? "_" + kept : kept
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Dollars as a person reads them: up to six significant digits, no exponent.
    static func usd(_ value: Double) -> String {
        if value == 0 { return "$0" }
        var text = String(format: "%.6g", value)
        if text.contains("e") { text = String(format: "%.10f", value) }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return "$" + text
    }

    private static func head(_ title: String, root: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title><link rel="stylesheet" href="\(root)site.css"></head>
        """
    }

    static func index(rows: [JSONValue], routes: Int, today: String) -> String {
        // In a <script> element, "</" would end it early.
        let data = JSONValue.array(rows).jsonText.replacingOccurrences(of: "</", with: "<\\/")
        return head("Models and prices", root: "") + """

            <body>
            <header><h1>Models and prices</h1><p>\(routes) routes from the registry, prices in force on \(today). \
            Token prices are per million tokens; others per unit. Generated by <code>regdb export site</code>.</p></header>
            <form id="filters" aria-label="Filters">
            <label>Provider <select name="provider"><option value="">any</option></select></label>
            <label>Category <select name="category"><option value="">any</option></select></label>
            <label>Capability <select name="capability"><option value="">any</option></select></label>
            <label>Tier <select name="tier"><option value="">any</option></select></label>
            <label>Context at least <input name="context" type="number" min="0" step="1000" placeholder="tokens"></label>
            <label>Price at most <input name="price" type="number" min="0" step="any" placeholder="$"></label>
            <button type="reset">Clear</button> <output id="count"></output>
            </form>
            <table id="routes"><thead><tr>
            <th data-key="name">Model</th><th data-key="provider">Provider</th><th data-key="categories">Categories</th>
            <th data-key="tier">Tier</th><th data-key="context" class="n">Context</th><th data-key="input" class="n">Input $/1M</th>
            <th data-key="output" class="n">Output $/1M</th><th data-key="price" class="n">Other prices</th><th data-key="capabilities">Capabilities</th>
            </tr></thead><tbody></tbody></table>
            <script type="application/json" id="data">\(data)</script>
            <script src="site.js"></script>
            </body></html>

            """
    }

    static func modelPage(model: String, info: Row?, routes: [(key: String, document: JSONValue)], units: [String: String],
                          sources: [Row], today: String) -> String {
        let name: String = info?["name"] ?? model
        var html = head("\(name) · routes and prices", root: "../") + "\n<body>\n<p><a href=\"../index.html\">← every model</a></p>\n"
        html += "<header><h1>\(escape(name))</h1><p><code>\(escape(model))</code>"
        for (label, column) in [("status", "status"), ("tier", "tier"), ("generation", "generation"), ("family", "family")] {
            if let value: String = info?[column] { html += " · \(label) \(escape(value))" }
        }
        html += "</p>"
        if let description: String = info?["description"] { html += "<p>\(escape(description))</p>" }
        html += "</header>\n"

        // Routes side by side: one column per route.
        html += "<h2>Routes</h2>\n<table class=\"side\" id=\"side\"><thead><tr><th></th>"
        for route in routes { html += "<th>\(escape(route.key))</th>" }
        html += "</tr></thead><tbody>\n"
        func row(_ label: String, _ cell: (JSONValue) -> String) {
            html += "<tr><th>\(escape(label))</th>" + routes.map { "<td>\(cell($0.document))</td>" }.joined() + "</tr>\n"
        }
        row("Provider") { escape($0["provider_name"]?.stringValue ?? $0["provider"]?.stringValue ?? "") }
        row("API") { escape($0["api"]?.stringValue ?? "") }
        row("Endpoint") { escape($0["endpoint"]?.stringValue ?? "") }
        row("Context window") { $0["context_window"].map { escape($0.jsonText) } ?? "" }
        row("Max output") { $0["max_output_tokens"].map { escape($0.jsonText) } ?? "" }
        row("Capabilities") { doc in
            guard case .object(let members)? = doc["capabilities"] else { return "" }
            return escape(members.filter { $0.value == .bool(true) }.map(\.key).joined(separator: ", "))
        }
        // One row per priced (unit, variant, threshold), with each route's price in force.
        var lines: [String] = []
        for route in routes {
            for price in prices(route.document) where price.inForce(today) {
                if !lines.contains(price.label) { lines.append(price.label) }
            }
        }
        for label in lines {
            let unit = label.split(separator: " ").first.map(String.init) ?? label
            row(label + (units[unit]?.hasSuffix("tokens") == true ? ", per 1M" : ", per unit")) { doc in
                prices(doc).filter { $0.label == label && $0.inForce(today) }.map { price in
                    price.usd.map { usd($0 * (units[price.unit]?.hasSuffix("tokens") == true ? 1_000_000 : 1) / Double(price.per)) } ?? "not published"
                }.joined(separator: " ")
            }
        }
        row("Checked") { doc in
            let checked = prices(doc).compactMap(\.checked)
            guard let latest = checked.max(by: { $0.date < $1.date }) else { return "not checked against a published page" }
            return "<a href=\"\(escape(latest.url))\">\(escape(latest.date))</a>"
        }
        html += "</tbody></table>\n"

        html += "<h2>Price history</h2>\n" + chart(routes: routes, units: units, today: today)

        html += "<h2>Sources</h2>\n<table id=\"sources\"><thead><tr><th>Route</th><th>Source</th><th>Kind</th><th>Observed</th></tr></thead><tbody>\n"
        for source in sources {
            html += "<tr><td>\(escape(source["route_key"]))</td><td>\(escape(source["name"]))</td><td>\(escape(source["kind"]))</td><td>\(escape(source["observed_at"] ?? ""))</td></tr>\n"
        }
        html += "</tbody></table>\n"
        var notes: [String] = []
        for route in routes {
            for price in prices(route.document) {
                if let note = price.note { notes.append("<li><code>\(escape(route.key))</code> \(escape(price.label)): \(escape(note))</li>") }
            }
        }
        if !notes.isEmpty { html += "<h2>Notes</h2>\n<ul>\n" + notes.joined(separator: "\n") + "\n</ul>\n" }
        html += "<footer>Prices in force on \(today). Generated by <code>regdb export site</code>.</footer>\n</body></html>\n"
        return html
    }

    struct Price {
        var unit: String
        var variant: String?
        var above: Double?
        var usd: Double?
        var per: Int64
        var from: String?
        var until: String?
        var note: String?
        var checked: (url: String, date: String)?

        var label: String {
            unit + (variant.map { " (\($0))" } ?? "") + (above.map { " above \(JSONValue.number($0).jsonText)" } ?? "")
        }

        /// In force on `day` (YYYY-MM-DD): the dates compare as text, dates before times.
        func inForce(_ day: String) -> Bool {
            (from.map { String($0.prefix(10)) <= day } ?? true) && (until.map { String($0.prefix(10)) > day } ?? true)
        }
    }

    static func prices(_ document: JSONValue) -> [Price] {
        guard case .array(let rows)? = document["pricing"] else { return [] }
        return rows.compactMap { row in
            guard let unit = row["unit"]?.stringValue else { return nil }
            var per: Int64 = 1
            if case .integer(let value)? = row["per"], value > 0 { per = value }
            let checked = row["checked"].flatMap { c in c["url"]?.stringValue.flatMap { url in c["date"]?.stringValue.map { (url, $0) } } }
            return Price(unit: unit, variant: row["variant"]?.stringValue, above: row["above"]?.doubleValue, usd: row["usd"]?.doubleValue,
                         per: per, from: row["valid_from"]?.stringValue, until: row["valid_until"]?.stringValue,
                         note: row["note"]?.stringValue, checked: checked)
        }
    }

    /// Each base price (no threshold) of each route as a step line over time: a dated row is a
    /// step, an undated one holds from when it was checked (else the first date shown) to today.
    static func chart(routes: [(key: String, document: JSONValue)], units: [String: String], today: String) -> String {
        struct Series { var label: String; var steps: [(from: Int64?, to: Int64, usd: Double)] }
        func day(_ text: String) -> Int64? { UTCTime.epochSeconds(String(text.prefix(10))).map { $0 / 86_400 } }
        guard let end = day(today) else { return "" }
        var series: [Series] = []
        var known: [Int64] = []
        for route in routes {
            let grouped = Dictionary(grouping: prices(route.document).filter { $0.above == nil && $0.usd != nil }, by: \.label)
            for (label, rows) in grouped.sorted(by: { $0.key < $1.key }) {
                var steps: [(Int64?, Int64, Double)] = []
                for price in rows.sorted(by: { ($0.from ?? "") < ($1.from ?? "") }) {
                    guard let usd = price.usd else { continue }
                    let scaled = usd * (units[price.unit]?.hasSuffix("tokens") == true ? 1_000_000 : 1) / Double(price.per)
                    let start = price.from.flatMap(day) ?? price.checked.flatMap { day($0.date) }
                    let stop = min(price.until.flatMap(day) ?? end, end)
                    if let start { guard start <= stop else { continue }; known.append(start) }
                    steps.append((start, stop, scaled))
                }
                if !steps.isEmpty { series.append(Series(label: "\(route.key) · \(label)", steps: steps)) }
            }
        }
        guard !series.isEmpty else { return "<p>No published prices to draw.</p>\n" }
        // A price with no date holds from the first day shown; with no date at all, the last 30 days.
        var first = min(known.min() ?? end, end)
        if first == end { first = end - 30 }
        let drawn = series.map { one in
            (label: one.label, points: one.steps.flatMap { [(day: $0.from ?? first, usd: $0.usd), (day: $0.to, usd: $0.usd)] })
        }
        let top = max(drawn.flatMap { $0.points.map(\.usd) }.max() ?? 1, 1e-12)
        let (width, height, left, bottom) = (760.0, 260.0, 70.0, 30.0)
        func x(_ d: Int64) -> Double { left + (width - left - 10) * Double(d - first) / Double(max(1, end - first)) }
        func y(_ v: Double) -> Double { 10 + (height - bottom - 10) * (1 - v / (top * 1.1)) }
        let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
        var svg = "<svg id=\"history\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Price history\">\n"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" class=\"axis\"/>"
        svg += "<line x1=\"\(left)\" y1=\"10\" x2=\"\(left)\" y2=\"\(height - bottom)\" class=\"axis\"/>\n"
        svg += "<text x=\"\(left - 6)\" y=\"\(y(top) + 4)\" text-anchor=\"end\">\(escape(usd(top)))</text>"
        svg += "<text x=\"\(left - 6)\" y=\"\(height - bottom)\" text-anchor=\"end\">$0</text>\n"
        func date(_ d: Int64) -> String { String(UTCTime.iso(d * 86_400).prefix(10)) }
        svg += "<text x=\"\(left)\" y=\"\(height - 8)\">\(date(first))</text><text x=\"\(width - 10)\" y=\"\(height - 8)\" text-anchor=\"end\">\(date(end))</text>\n"
        var legend = "<ul class=\"legend\">\n"
        for (index, one) in drawn.enumerated() {
            let color = colors[index % colors.count]
            let points = one.points.map { "\(String(format: "%.1f", x($0.day))),\(String(format: "%.1f", y($0.usd)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points)\"><title>\(escape(one.label))</title></polyline>\n"
            let latest = one.points.last.map { usd($0.usd) } ?? ""
            legend += "<li><span class=\"swatch\" style=\"background:\(color)\"></span>\(escape(one.label)): \(escape(latest))</li>\n"
        }
        return svg + "</svg>\n" + legend + "</ul>\n"
    }

    static let css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1400px;padding:0 16px;color:#1b1f24}
        h1{font-size:1.6em;margin:.6em 0 .2em}h2{font-size:1.2em;margin:1.4em 0 .4em}
        header p,footer{color:#57606a}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
        form{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;margin:12px 0;padding:10px;background:#f6f8fa;border-radius:6px}
        label{display:flex;flex-direction:column;font-size:12px;color:#57606a}input,select{font:inherit;padding:3px 4px;min-width:9em}
        table{border-collapse:collapse;width:100%}th,td{padding:5px 8px;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top}
        thead th{position:sticky;top:0;background:#fff;cursor:pointer;white-space:nowrap}thead th.asc:after{content:" ▲"}thead th.desc:after{content:" ▼"}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tbody tr:hover{background:#f6f8fa}
        .tag{display:inline-block;background:#eaeef2;border-radius:10px;padding:0 6px;margin:1px 2px;font-size:12px}
        table.side{width:auto}table.side td{min-width:12em}table.side tbody th{color:#57606a;font-weight:normal;white-space:nowrap}
        svg.chart{width:100%;max-width:780px;height:auto;border:1px solid #d0d7de;border-radius:6px}svg text{font-size:11px;fill:#57606a}
        svg .axis{stroke:#8c959f}ul.legend{list-style:none;padding:0}.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;border-radius:2px}
        output{color:#57606a}

        """

    static let script = """
        // regdb export site: filters and sorting over the rows in #data. No framework, no request.
        (function () {
          "use strict";
          var rows = JSON.parse(document.getElementById("data").textContent);
          var form = document.getElementById("filters");
          var body = document.querySelector("#routes tbody");
          var sortKey = "name", sortDir = 1;
          function money(v) {
            if (v === null || v === undefined) return "";
            if (v === 0) return "$0";
            var t = Number(v.toPrecision(6)).toString();
            if (t.indexOf("e") >= 0) t = v.toFixed(10).replace(/0+$/, "").replace(/\\.$/, "");
            return "$" + t;
          }
          function main(r) {
            if (r.input !== null && r.input !== undefined) return r.input;
            return r.units.length ? r.units[0][1] : null;
          }
          function text(tag, value, cls) {
            var e = document.createElement(tag);
            e.textContent = value;
            if (cls) e.className = cls;
            return e;
          }
          function options(name, values) {
            var select = form.elements[name];
            values.forEach(function (v) { select.appendChild(new Option(v, v)); });
          }
          function unique(list) { return list.filter(function (v, i) { return list.indexOf(v) === i; }).sort(); }
          options("provider", unique(rows.map(function (r) { return r.provider; })));
          options("category", unique([].concat.apply([], rows.map(function (r) { return r.categories; }))));
          options("capability", unique([].concat.apply([], rows.map(function (r) { return r.capabilities; }))));
          options("tier", unique(rows.map(function (r) { return r.tier; })));
          rows.forEach(function (r) {
            var tr = document.createElement("tr");
            var name = document.createElement("td");
            var a = text("a", r.name);
            a.href = r.page;
            name.appendChild(a);
            name.appendChild(document.createElement("br"));
            name.appendChild(text("code", r.route));
            tr.appendChild(name);
            tr.appendChild(text("td", r.provider_name));
            var cats = document.createElement("td");
            r.categories.forEach(function (c) { cats.appendChild(text("span", c, "tag")); });
            tr.appendChild(cats);
            tr.appendChild(text("td", r.tier));
            tr.appendChild(text("td", r.context === null ? "" : r.context.toLocaleString("en-US"), "n"));
            tr.appendChild(text("td", money(r.input), "n"));
            tr.appendChild(text("td", money(r.output), "n"));
            tr.appendChild(text("td", r.units.map(function (u) { return u[0] + " " + money(u[1]) + (u[2] ? "/1M" : ""); }).join(", "), "n"));
            var caps = document.createElement("td");
            r.capabilities.forEach(function (c) { caps.appendChild(text("span", c, "tag")); });
            tr.appendChild(caps);
            tr.dataset.provider = r.provider;
            r.row = tr;
          });
          function value(r, key) {
            if (key === "price") return main(r);
            if (key === "categories" || key === "capabilities") return r[key].join(" ");
            return r[key];
          }
          function render() {
            var f = {};
            ["provider", "category", "capability", "tier", "context", "price"].forEach(function (k) { f[k] = form.elements[k].value; });
            var shown = 0;
            var sorted = rows.slice().sort(function (a, b) {
              var x = value(a, sortKey), y = value(b, sortKey);
              if (x === y) return a.route < b.route ? -1 : 1;
              if (x === null || x === undefined || x === "") return 1;
              if (y === null || y === undefined || y === "") return -1;
              return (x < y ? -1 : 1) * sortDir;
            });
            sorted.forEach(function (r) {
              var price = main(r);
              var keep = (!f.provider || r.provider === f.provider) &&
                (!f.category || r.categories.indexOf(f.category) >= 0) &&
                (!f.capability || r.capabilities.indexOf(f.capability) >= 0) &&
                (!f.tier || r.tier === f.tier) &&
                (!f.context || (r.context !== null && r.context >= Number(f.context))) &&
                (!f.price || (price !== null && price <= Number(f.price)));
              r.row.hidden = !keep;
              if (keep) shown++;
              body.appendChild(r.row);
            });
            document.getElementById("count").textContent = shown + " of " + rows.length + " routes";
            var query = new URLSearchParams();
            Object.keys(f).forEach(function (k) { if (f[k]) query.set(k, f[k]); });
            var hash = query.toString();
            if (location.hash.slice(1) !== hash) history.replaceState(null, "", hash ? "#" + hash : location.pathname);
          }
          new URLSearchParams(location.hash.slice(1)).forEach(function (v, k) { if (form.elements[k]) form.elements[k].value = v; });
          form.addEventListener("input", render);
          form.addEventListener("reset", function () { setTimeout(render, 0); });
          document.querySelectorAll("#routes th").forEach(function (th) {
            th.addEventListener("click", function () {
              var key = th.dataset.key;
              sortDir = key === sortKey ? -sortDir : 1;
              sortKey = key;
              document.querySelectorAll("#routes th").forEach(function (h) { h.className = h.className.replace(/ ?(asc|desc)/, ""); });
              th.className += sortDir > 0 ? " asc" : " desc";
              render();
            });
          });
          render();
        })();

        """
}
