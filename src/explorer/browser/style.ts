/** The explorer page's stylesheet (the app adds it, so the page writer carries no CSS of its own). */
export const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 12px 0 6px; }
h3 { font-size: 13px; margin: 10px 0 4px; color: #444; }
.caption { color: #555; margin: 0 0 8px; }
.controls { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; margin: 8px 0; }
.controls input[type=number] { width: 80px; }
.main { display: flex; gap: 24px; align-items: flex-start; }
.plot { position: relative; flex: none; }
.plot-area { position: relative; }
svg.axes { position: absolute; left: 0; top: 0; pointer-events: none; overflow: visible; }
svg.axes text { font-size: 12px; fill: #333; }
#legend { margin: 44px 0 0 56px; display: flex; flex-wrap: wrap; gap: 4px 12px; max-width: 640px; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; }
.swatch { width: 10px; height: 10px; border-radius: 50%; display: inline-block; }
#status { margin-left: 56px; color: #555; max-width: 640px; }
#detail { flex: 1; min-width: 360px; max-width: 520px; }
.detail-head { display: flex; gap: 12px; align-items: flex-start; }
.detail-head p { margin: 2px 0; }
.hint { color: #777; }
canvas.sample-image { image-rendering: pixelated; border: 1px solid #ccc; }
table.scores { border-collapse: collapse; margin-top: 8px; }
table.scores td, table.scores th { padding: 1px 8px; border-bottom: 1px solid #eee; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.thumbs { display: flex; flex-wrap: wrap; gap: 4px; }
button.thumb { display: flex; flex-direction: column; align-items: center; padding: 2px; border: 1px solid #ddd;
  background: #fff; cursor: pointer; font-size: 11px; }
button.thumb:hover { border-color: #4e79a7; }
#error { background: #fdd; border: 1px solid #c00; padding: 8px; margin: 8px 0; }
`;
