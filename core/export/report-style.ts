import { createHash } from 'node:crypto'

// The report's only stylesheet, inline so the file is self-contained; the CSP allows exactly this text by hash.
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #16181d; --muted: #5b6270; --line: #d9dde5; --accent: #1f5fbf; --crit: #9b1c1c; --high: #b4461a; --medium: #8a6a00; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 2rem auto; max-width: 62rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 2px solid var(--fg); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
.muted { color: var(--muted); } a { color: var(--accent); } a.ev { font-size: .8em; margin-left: .2em; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.sev { font-weight: 700; text-transform: uppercase; font-size: .75em; letter-spacing: .04em; }
.sev-critical { color: var(--crit); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); }
ul.statements li { margin: .3rem 0; }
.chain { page-break-inside: avoid; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.evidence { border-top: 1px solid var(--line); padding: .5rem 0; page-break-inside: avoid; }
.evidence:target { background: #fff6d6; }
pre { white-space: pre-wrap; word-break: break-all; font-size: .78em; background: #f5f6f8; padding: .5rem; margin: .25rem 0 0; max-height: 24rem; overflow: auto; }
code { font-size: .9em; }
.story { font-size: 1.02rem; border-left: 3px solid var(--accent); padding: .25rem .75rem; margin: .75rem 0; }
table.compact { font-size: .85em; } table.compact td, table.compact th { padding: .2rem .4rem; }
h4 { margin: .75rem 0 .25rem; } .appendix .evidence { font-size: .85em; } .appendix pre { font-size: .85em; max-height: 10rem; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } a.ev::after { content: ""; } pre { max-height: none; overflow: visible; } .chain { border: none; padding: 0; } }
`

export const REPORT_CSS_HASH = `sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}`

/** No script, no remote anything: only the inline stylesheet above (by hash) and data: images. */
export const REPORT_CSP = `default-src 'none'; style-src '${REPORT_CSS_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`
