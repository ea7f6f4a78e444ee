/**
 * The page's only stylesheet, published under a content-hashed name. Colours keep at least 4.5:1 contrast
 * against their background; meaning never rests on colour alone (every judgement is also written out).
 */
export const STYLESHEET = `:root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#8a8a8a;--paper:#fff;--band:#f2f4f7;--accent:#0b4f8a;--low:#d7f0dd;--high:#f8d7d5;--unclear:#fdf0c2}
*{box-sizing:border-box}
body{margin:0 auto;max-width:70rem;padding:1rem 1.25rem 3rem;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--paper)}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.3rem;margin:2.2rem 0 .6rem;border-bottom:2px solid var(--band);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
.meta{color:var(--muted);margin:.2rem 0}
nav ul{display:flex;flex-wrap:wrap;gap:.3rem 1rem;padding:0;list-style:none}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem;width:100%}
caption{text-align:left;font-weight:600;padding:.3rem 0;caption-side:top}
th,td{border:1px solid #c8ccd2;padding:.3rem .45rem;text-align:left;vertical-align:top}
thead th{background:var(--band)}
tbody th[scope=rowgroup]{background:#e6eaf0}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
tr.published td{background:#f7f7f7;color:var(--muted)}
tr.current td{border-bottom-style:dashed}
.scroll{overflow-x:auto;position:relative}
figure{margin:1rem 0 1.6rem}
figcaption{font-size:.92rem;color:var(--muted);margin-top:.3rem}
svg{max-width:100%;height:auto;font:12px system-ui,sans-serif}
svg text{fill:var(--ink)}
svg .head{font-weight:600}
svg .num,svg .tick{font-variant-numeric:tabular-nums}
svg .favours{fill:var(--muted)}
svg .ci,svg .axis{stroke:var(--ink);stroke-width:1.2}
svg .pi{stroke:#a4262c;stroke-width:2}
svg .zero{stroke:var(--line);stroke-dasharray:3 3}
svg .box{fill:var(--accent)}
svg .arrow{fill:var(--ink)}
svg .diamond{fill:var(--ink)}
svg .funnel{fill:var(--band);stroke:var(--line)}
svg .pooled{stroke:var(--ink);stroke-dasharray:4 3}
svg .dot{fill:var(--accent)}
svg g.box rect{fill:var(--paper);stroke:var(--ink)}
svg g.previous rect{fill:var(--band)}
svg g.total rect{stroke-width:2}
svg .flow{stroke:var(--ink);fill:var(--ink)}
svg g.side-label rect{fill:#dbe6f3;stroke:var(--accent)}
svg g.side-label text{font-weight:600}
.scroll:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
@media (max-width:48rem){
body{padding:.75rem .75rem 2rem}
.figure-scroll svg{max-width:none}
table{font-size:.85rem}
th,td{padding:.25rem .35rem}
}
@media print{
body{max-width:none;padding:0;font-size:10pt}
nav{display:none}
.scroll{overflow:visible}
.figure-scroll svg{max-width:100%}
table{font-size:8.5pt;width:100%;table-layout:auto}
th,td{padding:.15rem .25rem;word-break:break-word}
tr,figure,svg{break-inside:avoid}
h2{break-after:avoid}
a{color:var(--ink);text-decoration:none}
}
.rob-low{background:var(--low)}
.rob-high{background:var(--high)}
.rob-unclear,.rob-some-concerns{background:var(--unclear)}
.rob-varies-by-result{background:#e8e8e8}
.rob-compact{width:auto}
.rob-compact td[data-field=domains]{white-space:nowrap}
.rob-mark{display:inline-block;min-width:2.4em;padding:0 .2rem;border:1px solid var(--line);border-radius:3px;font-variant-numeric:tabular-nums;text-align:center}
.rob-mark span[aria-hidden]{font-weight:700;margin-left:.1rem}
.rob-short{font-weight:700}
.rob-studies details summary{cursor:pointer}
.rob-basis{margin:.3rem 0 0;font-size:.85rem;color:var(--muted)}
svg .rob-segment{stroke:var(--ink);stroke-width:.6}
svg .share{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;font-weight:600}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.material{font-weight:600}
.note{color:var(--muted);font-size:.92rem;font-weight:400}
code{font-size:.85em;word-break:break-all}
#sources td,#sources th{overflow-wrap:anywhere}
`;
