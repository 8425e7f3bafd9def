namespace IdentityBroker.Server.Console;

/// <summary>The console's one stylesheet, served at /console/assets/console.css (the CSP allows no inline style).</summary>
internal static class ConsoleStyle
{
    public const string Css = """
        :root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--accent:#2563eb;--bad:#b91c1c;--good:#15803d;--bg:#f3f4f6}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
        header.top{display:flex;flex-wrap:wrap;align-items:center;gap:1.2em;padding:.6em 1.5em;background:#111827;color:#fff}
        header.top a{color:#e5e7eb;text-decoration:none}
        header.top a.brand{font-weight:600;color:#fff}
        header.top nav{display:flex;flex-wrap:wrap;gap:1em;flex:1}
        header.top nav a[aria-current=page]{color:#fff;border-bottom:2px solid #60a5fa}
        header.top form.signout button{background:transparent;color:#e5e7eb;border:1px solid #4b5563}
        main{max-width:72em;margin:0 auto;padding:1em 1.5em 3em}
        h1{font-size:1.5em;margin:.4em 0 .6em}
        h2{font-size:1.15em;margin:0 0 .6em}
        h3{font-size:1em;margin:1em 0 .4em}
        .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1em 1.2em;margin:0 0 1em}
        .narrow{max-width:26em}
        label{display:block;margin:.7em 0 .25em;font-weight:500}
        label.check{font-weight:400}
        input[type=text],input[type=password],input[type=datetime-local],select,textarea{width:100%;padding:.45em .55em;border:1px solid #cbd5e1;border-radius:5px;font:inherit}
        textarea{font-family:ui-monospace,monospace;font-size:.9em}
        button{margin-top:.9em;padding:.5em 1em;border:1px solid #cbd5e1;border-radius:5px;background:#fff;font:inherit;cursor:pointer}
        button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
        button.danger{background:var(--bad);border-color:var(--bad);color:#fff}
        :focus-visible{outline:3px solid #93c5fd;outline-offset:1px}
        table{width:100%;border-collapse:collapse}
        th,td{text-align:left;vertical-align:top;padding:.4em .5em;border-bottom:1px solid var(--line)}
        table.rules td input,table.rules td select{min-width:6em}
        code{font-family:ui-monospace,monospace;font-size:.88em;overflow-wrap:anywhere}
        code.tag,code.pair{display:inline-block;background:#eef2ff;border-radius:4px;padding:0 .35em;margin:.1em .2em .1em 0}
        td.decision{max-width:28em}
        pre{background:#f8fafc;border:1px solid var(--line);border-radius:6px;padding:.6em;overflow:auto;font-size:.85em}
        pre.diff .add{background:#dcfce7;display:block}
        pre.diff .del{background:#fee2e2;display:block}
        pre.diff .same{display:block;color:var(--muted)}
        #replay{overflow-x:auto}
        #replay-changes td{overflow-wrap:anywhere}
        .muted{color:var(--muted)}
        .error{color:var(--bad)}
        .field-error{margin:.2em 0 0;font-size:.9em}
        .ok,.yes{color:var(--good)}
        .no{color:var(--bad)}
        .verdict{font-weight:600}
        .badge{display:inline-block;border:1px solid var(--line);border-radius:9px;padding:0 .5em;font-size:.8em;margin-left:.4em}
        .grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(18em,1fr));gap:0 1.2em}
        fieldset{border:1px solid var(--line);border-radius:6px;margin:1em 0;padding:.5em 1em 1em}
        legend{font-weight:600;padding:0 .3em}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3em 1em;margin:0}
        dl.facts dt{color:var(--muted)}
        dl.facts dd{margin:0}
        dl.json{margin:.2em 0 .2em .2em;padding-left:.8em;border-left:2px solid var(--line)}
        dl.json dt{font-weight:600;font-size:.85em;color:#374151}
        dl.json dd{margin:0 0 .3em .3em}
        ol.json{margin:.2em 0;padding-left:1.4em}
        .filters{display:flex;flex-wrap:wrap;gap:.8em;align-items:end}
        .filters>div{flex:1;min-width:10em}
        .actions{display:flex;gap:.8em}
        figure.chart{margin:0 0 1em}
        figure.chart svg{display:block;background:#f8fafc;border-radius:4px}
        .axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.8em}
        details{margin:.4em 0}
        summary{cursor:pointer}
        """;
}
