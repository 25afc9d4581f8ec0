// suanli serve: the live page. Plain JS + SVG + canvas, no libraries. It reads /api/layout once,
// follows /api/events (server-sent events, one JSON snapshot per change) and posts controls to
// /api/control. Every number a test reads carries data-run, data-site, data-field and data-value.
"use strict";

const RUN_COLOURS = { A: "#1f5fbf", B: "#d4570b" };
let layout = null;
let snapshot = null;
let pending = 0;
let lastReplyVersion = 0;
let shownConfig = "";

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.setAttribute("class", v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function clock(t) {
  const s = Math.floor(t || 0);
  const pad = (n) => String(n).padStart(2, "0");
  return `${Math.floor(s / 86400)}d ${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

function shortClock(t) {  // 05:33:20, or 1d 05:33 after the first day
  const c = clock(t);
  return c.startsWith("0d ") ? c.slice(3) : c.slice(0, -3);
}

function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  return Number(v).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function syncFlag() {
  const synced = pending === 0 && snapshot && snapshot.version >= lastReplyVersion;
  document.body.dataset.synced = synced ? "1" : "0";
  document.body.dataset.version = snapshot ? snapshot.version : 0;
}

async function control(message) {
  pending++;
  syncFlag();
  try {
    const res = await fetch("/api/control", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(message),
    });
    const reply = await res.json();
    if (!res.ok || !reply.ok) {
      showNote(`<span class="err">${escapeHtml(reply.error || res.statusText)}</span>`);
    } else {
      lastReplyVersion = Math.max(lastReplyVersion, reply.version || 0);
      if (reply.note) showNote(escapeHtml(reply.note));
    }
    return reply;
  } catch (e) {
    showNote(`<span class="err">the server does not answer (${escapeHtml(String(e))})</span>`);
  } finally {
    pending--;
    syncFlag();
  }
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function showNote(html) {
  $("notes").innerHTML = html;
}

// ---------------------------------------------------------------------------------------------- map
function drawMap() {
  const svg = $("map");
  svg.textContent = "";
  const places = new Map();
  for (const c of layout.cities || []) places.set(c.name, c);
  for (const s of layout.sites || []) if (!places.has(s.name)) places.set(s.name, s);
  const pts = [...places.values()].filter((p) => typeof p.lat_deg === "number");
  if (!pts.length) return;
  const lat0 = pts.reduce((a, p) => a + p.lat_deg, 0) / pts.length;
  const kx = Math.cos((lat0 * Math.PI) / 180);
  const xs = pts.map((p) => p.lon_deg * kx), ys = pts.map((p) => -p.lat_deg);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  // The map keeps the region's shape: its height follows the width, between 240 and 380 units.
  const W = 520, pad = 34;
  const aspect = Math.max(maxY - minY, 1e-3) / Math.max(maxX - minX, 1e-3);
  const H = Math.round(Math.min(380, Math.max(240, (W - 2 * pad) * aspect + 2 * pad)));
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const scale = Math.min((W - 2 * pad) / Math.max(maxX - minX, 1e-3), (H - 2 * pad) / Math.max(maxY - minY, 1e-3));
  const ox = (W - (maxX - minX) * scale) / 2, oy = (H - (maxY - minY) * scale) / 2;
  const proj = (p) => [ox + (p.lon_deg * kx - minX) * scale, oy + (-p.lat_deg - minY) * scale];
  const pxPerKm = scale / 111.2;  // one degree of latitude = 111.2 km

  const target = (layout.targets || {}).inter_central_city_s || 0.005;
  const circles = el("svg:g"), links = el("svg:g"), marks = el("svg:g"), labels = el("svg:g");
  svg.append(circles, links, marks, labels);
  const radius = ((layout.circle || {}).radius_km || 0) * pxPerKm;
  const central = new Set((layout.cities || []).filter((c) => c.role === "central").map((c) => c.name));
  for (const c of layout.cities || []) {
    const [x, y] = proj(c);
    if (radius > 0)
      circles.append(el("svg:circle", { cx: x, cy: y, r: radius, fill: "none", stroke: "#7d97c4", "stroke-dasharray": "5 4", "data-circle": c.name }));
  }
  const linkLabels = [];
  for (const l of layout.links || []) {
    const a = places.get(l.from), b = places.get(l.to);
    if (!a || !b) continue;
    const [x1, y1] = proj(a), [x2, y2] = proj(b);
    const ratio = Math.min(1, (l.latency_s || 0) / target);
    const colour = `hsl(${Math.round(120 - 120 * ratio)}, 70%, 40%)`;
    links.append(el("svg:line", { x1, y1, x2, y2, stroke: colour, "stroke-width": l.metro ? 1.5 : 3.5, "data-link": `${l.from}-${l.to}`, "data-latency-s": l.latency_s },
      el("svg:title", { text: `${l.from} – ${l.to}: ${fmt(l.fiber_km, 0)} km, ${fmt(l.latency_s * 1000, 2)} ms one way` })));
    if (!l.metro) linkLabels.push({ x1, y1, x2, y2, label: `${fmt(l.latency_s * 1000, 2)} ms` });
  }
  // The central cities' pairs (hub to hub over the shortest path): purple arcs, with their latency
  // against the inter-central target.
  for (const p of layout.central_pairs || []) {
    const a = places.get(p.from), b = places.get(p.to);
    if (!a || !b) continue;
    const [x1, y1] = proj(a), [x2, y2] = proj(b);
    const len = Math.hypot(x2 - x1, y2 - y1) || 1;
    const bend = 0.18 * len, cx = (x1 + x2) / 2 - ((y2 - y1) / len) * bend, cy = (y1 + y2) / 2 + ((x2 - x1) / len) * bend;
    links.append(el("svg:path", { d: `M${x1},${y1} Q${cx},${cy} ${x2},${y2}`, fill: "none", stroke: "#6a3d9a", "stroke-width": 2.5,
      "stroke-dasharray": "8 5", "data-central-pair": `${p.from}-${p.to}`, "data-latency-s": p.latency_s },
      el("svg:title", { text: `${p.from} – ${p.to} (central cities): ${fmt(p.latency_s * 1000, 2)} ms, target ${fmt(target * 1000, 0)} ms` })));
    // The label sits just outside the arc's middle (a quadratic curve's middle is halfway between the
    // chord's middle and the control point).
    const mx = (x1 + x2) / 2, my = (y1 + y2) / 2, bx = (mx + cx) / 2, by = (my + cy) / 2;
    const out = Math.hypot(cx - mx, cy - my) || 1, lx = bx + ((cx - mx) / out) * 20, ly = by + ((cy - my) / out) * 20;
    linkLabels.push({ x1: lx, y1: ly, x2: lx, y2: ly, label: `${fmt(p.latency_s * 1000, 2)} ms ${p.within ? "✓" : "✗"}`, colour: "#6a3d9a" });
  }
  // Labels never overlap: each takes the first free spot among its candidates (city names first,
  // then the central pairs' latencies, then the links'), or is left out (its line's tooltip stays).
  // (Edge DCs' small marks may be covered: the labels have a white halo.)
  const taken = pts.filter((p) => p.kind !== "edge_dc").map((p) => { const [x, y] = proj(p); return { x: x - 6, y: y - 6, w: 12, h: 12 }; });
  const overlaps = (r) => r.x < 0 || r.y < 0 || r.x + r.w > W || r.y + r.h > H ||
    taken.some((o) => r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h);
  const textWidth = (text, px) => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? px : 0.6 * px), 0);
  const place = (candidates) => {
    for (const r of candidates) if (!overlaps(r)) { taken.push(r); return r; }
    return null;
  };
  const manyCities = (layout.cities || []).length > 6;
  for (const c of layout.cities || []) {
    const [x, y] = proj(c);
    const name = manyCities && c.name_zh ? c.name_zh : `${c.name_zh || ""} ${c.name}`.trim();
    const w = textWidth(name, 15) + 4, h = 18;
    const spot = place([[x + 8, y + 2], [x + 8, y - h - 2], [x - w - 8, y + 2], [x - w - 8, y - h - 2], [x - w / 2, y + 8], [x - w / 2, y - h - 8]]
      .map(([lx, ly]) => ({ x: lx, y: ly, w, h })));
    if (spot) labels.append(el("svg:text", { x: spot.x + 2, y: spot.y + h - 4, class: "city-label", "data-city-label": c.name, text: name }));
  }
  const showLinkLabels = linkLabels.filter((l) => !l.colour).length <= 8;
  linkLabels.sort((a, b) => (b.colour ? 1 : 0) - (a.colour ? 1 : 0));
  for (const { x1, y1, x2, y2, label, colour } of linkLabels) {
    if (!colour && !showLinkLabels) continue;
    const len = Math.hypot(x2 - x1, y2 - y1), nx = len ? -(y2 - y1) / len : 0, ny = len ? (x2 - x1) / len : 1;
    const w = textWidth(label, 13) + 4, h = 16, candidates = [];
    for (const f of [0.5, 0.35, 0.65, 0.25, 0.75]) for (const side of [1, -1]) for (const off of [12, 24]) {
      const cx = x1 + (x2 - x1) * f + side * nx * off, cy = y1 + (y2 - y1) * f + side * ny * off;
      candidates.push({ x: cx - w / 2, y: cy - h / 2, w, h });
    }
    if (!len) for (const dx of [0, -40, 40]) for (const dy of [0, -14, 14]) candidates.push({ x: x1 - w / 2 + dx, y: y1 - h / 2 + dy, w, h });
    const spot = place(candidates);
    if (!spot) continue;
    const text = el("svg:text", { x: spot.x + w / 2, y: spot.y + h - 4, "text-anchor": "middle", text: label });
    if (colour) text.setAttribute("style", `fill:${colour};font-weight:bold`);
    labels.append(text);
  }
  const within = new Set((layout.cities || []).flatMap((c) => c.sites_within_budget || []));
  const maxCores = Math.max(1, ...(layout.sites || []).map((s) => (s.cores || 0) + 40 * (s.gpus || 0)));
  (layout.sites || []).forEach((s, i) => {
    if (typeof s.lat_deg !== "number") return;
    const [x, y] = proj(s);
    const size = 6 + 10 * Math.sqrt(((s.cores || 0) + 40 * (s.gpus || 0)) / maxCores);
    const shape = s.kind === "edge_dc"
      ? el("svg:circle", { cx: x, cy: y, r: size / 2 + 1 })
      : el("svg:rect", { x: x - size / 2, y: y - size / 2, width: size, height: size, rx: 2 });
    shape.setAttribute("id", `site-mark-${i}`);
    const meets = within.has(s.name);
    shape.setAttribute("stroke", meets ? "#1a7f37" : "#b3261e");
    shape.setAttribute("stroke-width", "2.5");
    shape.dataset.withinBudget = meets ? "1" : "0";
    shape.setAttribute("fill", "#ffffff");
    shape.append(el("svg:title", { text: `${s.name} (${s.name_zh || ""}) ${s.kind}: ${s.cores} cores, ${s.gpus} GPUs; ` +
      (meets ? "within" : "outside") + ` its city's ${fmt(((layout.targets || {}).intra_city_s || 0.001) * 1000, 0)} ms budget` }));
    marks.append(shape);
  });
  for (const c of layout.cities || []) {
    const [x, y] = proj(c);
    marks.append(el("svg:circle", { cx: x, cy: y, r: 4, fill: central.has(c.name) ? "#6a3d9a" : "#12355f" },
      el("svg:title", { text: `${c.name_zh || ""} ${c.name} (${c.role})` })));
  }
  const circle = layout.circle || {};
  $("map-legend").textContent =
    `Fiber: one-way latency, green 0 → red ${fmt(target * 1000, 0)} ms. Purple dashed: central cities, ${fmt(target * 1000, 0)} ms target. ` +
    `Grey dashed: ${fmt(((layout.targets || {}).intra_city_s || 0.001) * 1000, 0)} ms circles, ${fmt(circle.radius_km, 0)} km. ` +
    `Site outline green: within its city's ${fmt(((layout.targets || {}).intra_city_s || 0.001) * 1000, 0)} ms budget, red: not. Fill: utilization (A).`;
}

function colourSites(run) {
  (layout.sites || []).forEach((s, i) => {
    const mark = $(`site-mark-${i}`);
    if (!mark) return;
    const row = run && run.last_samples ? run.last_samples[i] : null;
    const u = row ? Math.max(row.cpu_utilization || 0, row.gpu_utilization || 0) : 0;
    mark.setAttribute("fill", `hsl(215, 70%, ${Math.round(96 - 60 * Math.min(1, u))}%)`);
  });
}

// ------------------------------------------------------------------------------------------- gauges
function shownSites() {
  const sites = (layout.sites || []).map((s, i) => ({ ...s, index: i }));
  if (sites.length <= 12) return sites;
  return sites.filter((s) => s.kind !== "edge_dc").slice(0, 12);
}

function numberSpan(label, siteName, field, value, text, bar) {
  const span = el("span", { class: `num ${label}`, "data-run": label, "data-site": siteName, "data-field": field,
    "data-value": value === null || value === undefined ? "" : String(value) });
  if (bar !== undefined) {
    const b = el("span", { class: "bar" }, el("i", { style: `width:${Math.round(100 * Math.min(1, bar || 0))}%` }));
    span.append(b);
  }
  span.append(text);
  return span;
}

function renderGauges(runs) {
  const tbody = $("gauges").querySelector("tbody");
  tbody.textContent = "";
  for (const s of shownSites()) {
    const nameCell = el("td", { class: "site", title: `${s.name} ${s.name_zh || ""}`, text: s.name });
    for (const run of runs) {
      const live = run.state && run.state.sites ? run.state.sites[s.index] : null;
      if (live && live.down) nameCell.append(el("span", { class: `down ${run.label}`, "data-down": run.label, text: runs.length > 1 ? `${run.label} down` : "down" }));
    }
    const tr = el("tr", {}, nameCell);
    const cells = [["cpu_utilization", (v) => fmt(100 * v, 0) + "%", true],
      ["gpu_utilization", (v) => (s.gpus > 0 ? fmt(100 * v, 0) + "%" : "–"), true],
      ["queued", (v) => fmt(v, 0), false],
      ["it_power_w", (v) => fmt(v / 1000, v >= 100000 ? 0 : 1), false],
      ["pue", (v) => fmt(v, 3), false]];
    for (const [field, show, isBar] of cells) {
      const td = el("td");
      for (const run of runs) {
        const row = run.last_samples ? run.last_samples[s.index] : null;
        const v = row ? row[field] : null;
        const useBar = isBar && !(field === "gpu_utilization" && !(s.gpus > 0));
        td.append(numberSpan(run.label, s.name, field, v, v === null ? "–" : show(v), useBar ? v || 0 : undefined));
      }
      tr.append(td);
    }
    tbody.append(tr);
  }
  const hidden = (layout.sites || []).length - shownSites().length;
  // The runs' totals: one row each, every number with its data attributes.
  const cell = (run, field, value, text) =>
    `<td><b data-run="${run}" data-total="${field}" data-value="${value ?? ""}">${text}</b></td>`;
  const rows = runs.map((run) => {
    const t = run.state && run.state.totals ? run.state.totals : {};
    const sampleT = (run.last_samples || []).reduce((m, r) => (r && r.time_s > m ? r.time_s : m), -1);
    const label = run.label;
    return `<tr><td class="runtag ${label}">${label}</td>` +
      `<td id="sample-time-${label}" data-value="${sampleT}">${sampleT >= 0 ? shortClock(sampleT) : "–"}</td>` +
      `<td><b id="events-${label}" data-value="${run.state.events || 0}">${fmt(run.state.events || 0, 0)}</b></td>` +
      cell(label, "arrived", t.arrived, fmt(t.arrived, 0)) + cell(label, "completed", t.completed, fmt(t.completed, 0)) +
      cell(label, "rejected", t.rejected, fmt(t.rejected, 0)) + cell(label, "deferred", t.deferred, fmt(t.deferred, 0)) +
      cell(label, "wait_mean_s", t.wait_mean_s, fmt(t.wait_mean_s, 1)) + cell(label, "pue", t.pue, fmt(t.pue, 3)) +
      cell(label, "carbon_kg_per_kwh", t.carbon_kg_per_kwh, fmt(t.carbon_kg_per_kwh, 3)) + "</tr>";
  });
  $("totals").innerHTML = `<table><thead><tr><th></th><th title="the sampling instant the site rows show">sample</th><th>events</th><th>jobs in</th><th>done</th>` +
    `<th title="rejected">rej.</th><th title="deferred">def.</th><th title="mean wait of the jobs started, s">wait s</th><th title="network PUE, last interval">PUE</th><th title="grid carbon now">kg/kWh</th></tr></thead><tbody>${rows.join("")}</tbody></table>` +
    (hidden > 0 ? `${fmt(hidden, 0)} more sites not listed (the network totals count them)` : "");
  $("sample-note").textContent = "at the latest sampling instant (time below)";
}

// ------------------------------------------------------------------------------------------- charts
function drawChart(canvas, series, opts) {
  // Drawn at the size it is shown (so its text is as large as the page's), in device pixels.
  const ratio = window.devicePixelRatio || 1;
  const W = Math.max(120, canvas.clientWidth), H = Math.max(60, canvas.clientHeight);
  if (canvas.width !== Math.round(W * ratio) || canvas.height !== Math.round(H * ratio)) {
    canvas.width = Math.round(W * ratio);
    canvas.height = Math.round(H * ratio);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const L = 46, R = 8, T = 8, B = 18;
  ctx.clearRect(0, 0, W, H);
  ctx.font = "13px DejaVu Sans, sans-serif";
  let tmax = 1, ymax = opts.ymax || 0, ymin = opts.ymin === undefined ? 0 : opts.ymin;
  for (const s of series) for (let i = 0; i < s.t.length; i++) {
    tmax = Math.max(tmax, s.t[i]);
    if (s.y[i] !== null && !opts.ymax) ymax = Math.max(ymax, s.y[i]);
  }
  if (opts.minSpan) ymax = Math.max(ymax, ymin + opts.minSpan);
  if (ymax <= ymin) ymax = ymin + 1;
  const X = (t) => L + (W - L - R) * (t / tmax), Y = (y) => H - B - (H - T - B) * ((y - ymin) / (ymax - ymin));
  ctx.strokeStyle = "#d5dae1";
  ctx.fillStyle = "#5b6470";
  ctx.lineWidth = 1;
  for (let k = 0; k <= 2; k++) {
    const y = ymin + ((ymax - ymin) * k) / 2;
    ctx.beginPath(); ctx.moveTo(L, Y(y)); ctx.lineTo(W - R, Y(y)); ctx.stroke();
    ctx.textAlign = "right"; ctx.fillText(opts.format(y, ymax - ymin), L - 4, Y(y) + 4);
  }
  ctx.textAlign = "left"; ctx.fillText("0 h", L, H - 5);
  ctx.textAlign = "right"; ctx.fillText(`${fmt(tmax / 3600, 1)} h`, W - R, H - 5);
  for (const s of series) {
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = 2.5;
    ctx.setLineDash(s.dash || []);
    ctx.beginPath();
    let started = false;
    for (let i = 0; i < s.t.length; i++) {
      if (s.y[i] === null) continue;
      if (!started) { ctx.moveTo(X(s.t[i]), Y(s.y[i])); started = true; } else ctx.lineTo(X(s.t[i]), Y(s.y[i]));
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

function renderCharts(runs) {
  const util = [], queued = [], pue = [], carbon = [];
  for (const run of runs) {
    const h = run.history, c = RUN_COLOURS[run.label];
    util.push({ t: h.t_s, y: h.cpu_utilization, colour: c });
    util.push({ t: h.t_s, y: h.gpu_utilization, colour: c, dash: [6, 4] });
    queued.push({ t: h.t_s, y: h.queued, colour: c });
    pue.push({ t: h.t_s, y: h.pue, colour: c });
    carbon.push({ t: h.t_s, y: h.carbon_kg_per_h, colour: c });
  }
  drawChart($("chart-util"), util, { ymin: 0, ymax: 1, format: (v) => `${Math.round(v * 100)} %` });
  drawChart($("chart-queued"), queued, { ymin: 0, minSpan: 2, format: (v, span) => fmt(v, span < 10 ? 1 : 0) });
  drawChart($("chart-pue"), pue, { ymin: 1, minSpan: 0.2, format: (v) => fmt(v, 2) });
  drawChart($("chart-carbon"), carbon, { ymin: 0, minSpan: 1, format: (v) => (v >= 10000 ? fmt(v / 1000, 0) + "k" : fmt(v, 0)) });
}

// ---------------------------------------------------------------------------------------- decisions
function renderDecisions(runs) {
  const rows = [];
  for (const run of runs) for (const d of run.decisions || []) rows.push({ run: run.label, ...d });
  rows.sort((a, b) => b.time_s - a.time_s);
  const tbody = $("decisions").querySelector("tbody");
  tbody.textContent = "";
  for (const d of rows.slice(0, 10)) {
    tbody.append(el("tr", {},
      el("td", { class: `runtag ${d.run}`, text: d.run }),
      el("td", { text: shortClock(d.time_s) }),
      el("td", { text: String(d.class ?? ""), title: `job ${d.job ?? ""}` }),
      el("td", { text: String(d.chosen ?? ""), title: `job ${d.job ?? ""}; candidates: ${d.candidates ?? ""}` }),
      el("td", { class: "why", text: `${d.policy ?? ""}: ${d.why ?? ""}`, title: `${d.policy ?? ""}: ${d.why ?? ""}` })));
  }
  const notes = runs.map((r) => `${r.label}: ${fmt(r.decisions_total, 0)} decisions` +
    (r.decisions_dropped ? ` (${fmt(r.decisions_dropped, 0)} not shown)` : "")).join(" · ");
  $("decision-note").textContent = `latest first · ${notes}`;
}

// ------------------------------------------------------------------------------------------ render
function render() {
  if (!snapshot || !layout) return;
  const runs = ["A", "B"].map((k) => snapshot.runs[k]).filter(Boolean);
  const a = snapshot.runs.A;
  if (!a) return;
  $("sim-time").textContent = clock(a.state.t_s);
  $("sim-time").dataset.value = a.state.t_s ?? 0;
  $("play").classList.toggle("on", snapshot.playing);
  $("pause").classList.toggle("on", !snapshot.playing);
  $("speed").value = String(snapshot.speed_sim_s_per_s);
  const errors = runs.filter((r) => r.error).map((r) => `run ${r.label} stopped: ${r.error}`);
  const status = $("status");
  status.classList.toggle("error", errors.length > 0);
  status.dataset.error = errors.length ? "1" : "0";
  status.textContent = errors.length ? errors.join(" · ")
    : runs.every((r) => r.state.finished) ? "finished"
    : snapshot.playing ? `playing at ${$("speed").selectedOptions[0]?.textContent || snapshot.speed_sim_s_per_s + " s/s"}` : "paused";
  $("compare").checked = snapshot.compare;
  const target = $("target-run");
  if (snapshot.compare && target.options.length < 2) target.append(el("option", { value: "B", text: "run B" }));
  if (!snapshot.compare && target.options.length > 1) { target.remove(1); target.value = "A"; }
  const notes = runs.filter((r) => r.note).map((r) => `<span class="runtag ${r.label}">${r.label}</span> ${escapeHtml(r.note)}`);
  if (notes.length && !$("notes").querySelector(".err")) $("notes").innerHTML = notes.join("<br>");
  const run = snapshot.runs[target.value] || a;
  const config = JSON.stringify(run.config) + target.value;
  if (config !== shownConfig) {
    shownConfig = config;
    $("policy").value = run.config.placement || "";
    $("queue").value = run.config.queue || "";
    if (run.config.liquid_share !== null) $("liquid").value = run.config.liquid_share;
    $("load").value = run.config.load;
  }
  colourSites(a);
  renderGauges(runs);
  renderCharts(runs);
  renderDecisions(runs);
  syncFlag();
}

function fillSelect(select, names, first) {
  select.textContent = "";
  select.append(el("option", { value: "", text: first }));
  for (const n of names) select.append(el("option", { value: n, text: n }));
}

async function init() {
  layout = await (await fetch("/api/layout")).json();
  $("scenario-name").textContent = `suanli · ${layout.scenario || ""}`;
  document.title = `suanli serve · ${layout.scenario || ""}`;
  const classes = (layout.classes || []).map((c) => `${c.name}: ${c.placement}`).join(", ");
  fillSelect($("policy"), layout.placement_names || [], "(each class's own)");
  $("policy").title = classes;
  fillSelect($("queue"), layout.queue_names || [], `(scenario's: ${layout.queue || ""})`);
  const sites = $("outage-site");
  for (const s of layout.sites || []) sites.append(el("option", { value: s.name, text: s.name }));
  drawMap();

  $("play").onclick = () => control({ op: "play" });
  $("pause").onclick = () => control({ op: "pause" });
  $("step-event").onclick = () => control({ op: "step", events: 1 });
  $("step-interval").onclick = () => control({ op: "interval" });
  $("speed").onchange = () => control({ op: "speed", sim_s_per_s: Number($("speed").value) });
  const run = () => $("target-run").value;
  $("policy").onchange = () => $("policy").value && control({ op: "set", run: run(), placement: $("policy").value });
  $("queue").onchange = () => $("queue").value && control({ op: "set", run: run(), queue: $("queue").value });
  $("apply-liquid").onclick = () => control({ op: "set", run: run(), liquid_share: Number($("liquid").value) });
  $("apply-load").onclick = () => control({ op: "set", run: run(), load: Number($("load").value) });
  $("apply-outage").onclick = () => {
    const r = snapshot && snapshot.runs[run()] ? snapshot.runs[run()] : null;
    const now = r ? r.state.t_s || 0 : 0;
    control({ op: "set", run: run(), outage: { site: $("outage-site").value, start_s: now, end_s: now + 3600 * Number($("outage-hours").value) } });
  };
  $("compare").onchange = () => control({ op: "compare", on: $("compare").checked });
  $("reset").onclick = () => control({ op: "reset" });
  $("target-run").onchange = () => { shownConfig = ""; render(); };

  window.addEventListener("resize", render);
  // Keys for the teacher at the projector: space plays or pauses, → steps one event, ↓ one interval.
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, textarea") || e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.key === " ") control({ op: snapshot && snapshot.playing ? "pause" : "play" });
    else if (e.key === "ArrowRight") control({ op: "step", events: 1 });
    else if (e.key === "ArrowDown") control({ op: "interval" });
    else return;
    e.preventDefault();
  });
  const events = new EventSource("/api/events");
  events.onmessage = (e) => {
    snapshot = JSON.parse(e.data);
    render();
  };
  events.onerror = () => {
    $("status").textContent = "the server is not reachable (stopped?)";
    $("status").classList.add("error");
  };
}

init();
