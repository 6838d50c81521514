#!/usr/bin/env node
// check.js parses and type-checks KQL with Microsoft's Kusto language
// service (@kusto/language-service-next), against a database holding the
// advanced hunting tables of internal/schema/tables.json.
//
// Input, on stdin: one JSON object a line,
//   {"id": "q1", "kql": "DeviceInfo | take 1", "tables": [...]}
// where "tables" is optional: extra tables the query may name, each
// {"name": "T", "columns": [{"name": "C", "type": "long"}, ...]}, added to
// the database (replacing an advanced hunting table of the same name).
//
// Output, on stdout: one JSON object a line, in input order,
//   {"id": "q1", "errors": [{"message": "...", "code": "KS142", "start": 10, "length": 4, "text": "Nope"}]}
// listing the diagnostics of severity Error (warnings and suggestions are
// left out); start and length count UTF-16 code units, and text is the
// part of the query they cover. The exit status is 0 whatever the diagnostics; it is not 0
// only when the checker itself cannot run or the input is malformed.
//
// Usage: node check.js [--schema path/to/tables.json]
'use strict';

const fs = require('fs');
const path = require('path');

const pkg = path.join(__dirname, 'node_modules', '@kusto', 'language-service-next');

function fail(msg) {
    process.stderr.write('kustocheck: ' + msg + '\n');
    process.exit(2);
}

function load() {
    for (const f of ['bridge.js', 'Kusto.Language.Bridge.js']) {
        const file = path.join(pkg, f);
        if (!fs.existsSync(file)) {
            fail(file + ' is missing: run `make kusto-deps` (npm ci --prefix tools/kustocheck)');
        }
        require(file);
    }
    return globalThis.Kusto;
}

function schemaPath(argv) {
    const i = argv.indexOf('--schema');
    if (i >= 0) {
        if (i + 1 >= argv.length) fail('--schema needs a path');
        return argv[i + 1];
    }
    return path.join(__dirname, '..', '..', 'internal', 'schema', 'tables.json');
}

const Kusto = load();
const S = Kusto.Language.Symbols;

function scalar(type, where) {
    const t = S.ScalarTypes.GetSymbol(type);
    if (!t) fail('unknown KQL type ' + JSON.stringify(type) + ' of ' + where);
    return t;
}

function tableSymbol(t) {
    if (!t || typeof t.name !== 'string' || !(t.columns == null || Array.isArray(t.columns))) {
        fail('a table needs a name and a list of columns: ' + JSON.stringify(t));
    }
    const cols = (t.columns || []).map((c) =>
        new S.ColumnSymbol(c.name, scalar(c.type, t.name + '.' + c.name), null, null, null, null));
    return new S.TableSymbol.$ctor4(t.name, cols);
}

const schemaFile = schemaPath(process.argv.slice(2));
let huntingTables;
try {
    huntingTables = JSON.parse(fs.readFileSync(schemaFile, 'utf8')).tables;
} catch (e) {
    fail('reading ' + schemaFile + ': ' + e.message);
}
if (!Array.isArray(huntingTables) || huntingTables.length === 0) {
    fail(schemaFile + ' holds no tables');
}
const hunting = new Map(huntingTables.map((t) => [t.name, tableSymbol(t)]));

// globalsFor returns the default globals (every built-in function and
// operator) with a database of the hunting tables plus extra, memoised on
// the extra tables.
const globalsCache = new Map();
function globalsFor(extra) {
    const key = extra ? JSON.stringify(extra) : '';
    let g = globalsCache.get(key);
    if (g) return g;
    const tables = new Map(hunting);
    for (const t of extra || []) tables.set(t.name, tableSymbol(t));
    const db = new S.DatabaseSymbol.$ctor1('hunting', Array.from(tables.values()), false);
    g = Kusto.Language.GlobalState.Default.WithDatabase(db);
    globalsCache.set(key, g);
    return g;
}

function errorsOf(kql, globals) {
    const diags = Kusto.Language.KustoCode.ParseAndAnalyze(kql, globals).GetDiagnostics();
    const out = [];
    for (let i = 0; i < diags.Count; i++) {
        const d = diags.getItem(i);
        if (d.Severity === 'Error') {
            out.push({
                message: d.Message, code: d.Code, start: d.Start, length: d.Length,
                text: kql.substr(d.Start, d.Length),
            });
        }
    }
    return out;
}

const input = fs.readFileSync(0, 'utf8');
const out = [];
for (const [n, line] of input.split('\n').entries()) {
    if (line.trim() === '') continue;
    let q;
    try {
        q = JSON.parse(line);
    } catch (e) {
        fail('input line ' + (n + 1) + ': ' + e.message);
    }
    if (typeof q.kql !== 'string') fail('input line ' + (n + 1) + ' has no "kql" string');
    out.push(JSON.stringify({ id: q.id, errors: errorsOf(q.kql, globalsFor(q.tables)) }) + '\n');
}
process.stdout.write(out.join(''));
