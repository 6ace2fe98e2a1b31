// The scaler's status page: one server-sent-events stream (/status/events) carries the whole state every second and
// at once after a pool event. Whatever cannot be known is said on top in red: Redis or RabbitMQ out of reach (from the
// scaler), or the scaler itself not answering (from here); a stale page is greyed out, never left looking healthy.
"use strict";

const StaleAfterMs = 5000;
let lastUpdate = 0;
let lastProblems = [];
let lostSince = null;

const $ = (id) => document.getElementById(id);

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}

function age(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

function bytes(n) {
  if (n === null || n === undefined) return "";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function cell(label, content, className) {
  return el("td", { "data-label": label, class: className }, content);
}

function renderPool(entry) {
  const pool = entry.status;
  const inFlight = entry.inFlight;
  const bounds = [`${pool.minInstances}–${pool.maxInstances}`];
  if (pool.floor !== null) bounds.push(`floor ${pool.floor}`);
  if (pool.ceiling !== null) bounds.push(`ceiling ${pool.ceiling}`);
  const section = el("article", { class: "pool", "data-pool": pool.pool },
    el("h3", null, pool.pool),
    el("p", { class: "summary" },
      el("strong", null, `${pool.ready} ready`), ` of ${pool.desired} desired · ${bounds.join(", ")} · ${pool.driver} driver`));
  if (pool.crashStreak > 0) {
    section.append(el("p", { class: "warning" },
      `Crash loop: ${pool.crashStreak} crash(es) in a row` + (pool.backoffUntil ? `, next start at ${clock(pool.backoffUntil)}` : "")));
  }
  if (inFlight === null) {
    section.append(el("p", { class: "warning" }, "Requests in flight are unknown: the gateways' reports in Redis cannot be read."));
  }
  if (pool.members.length === 0) {
    section.append(el("p", { class: "empty" }, "No instance."));
    return section;
  }
  const rows = pool.members.map((m) => el("tr", { "data-instance": m.instanceId, "data-state": m.state },
    cell("Instance", m.instanceId),
    cell("Address", m.address, "address"),
    cell("State", el("span", { class: `state state-${m.state}` }, m.state)),
    cell("Age", age(m.ageSeconds), "num"),
    cell("Restarts", m.restarts, "num"),
    cell("In flight", inFlight === null ? "?" : (inFlight[m.instanceId] ?? 0), "num in-flight"),
    cell("Why", m.reason, "reason")));
  section.append(el("table", null,
    el("thead", null, el("tr", null, ...["Instance", "Address", "State", "Age", "Restarts", "In flight", "Why"].map((h) => el("th", null, h)))),
    el("tbody", null, ...rows)));
  return section;
}

function renderActivity(entries) {
  const list = $("activity");
  list.replaceChildren(...(entries.length === 0
    ? [el("li", { class: "empty" }, "Nothing yet since the scaler started.")]
    : entries.slice(0, 40).map((e) => el("li", { "data-kind": e.kind, "data-instance": e.instanceId },
        el("time", { datetime: e.at }, clock(e.at)),
        el("span", { class: `kind kind-${e.kind}` }, e.kind),
        el("span", { class: "text" }, `${e.pool}${e.instanceId ? " / " + e.instanceId : ""}: ${e.text}`)))));
}

function renderBackups(backups) {
  const box = $("backups");
  if (backups.length === 0) {
    box.replaceChildren(el("p", { class: "empty backups" }, "No backup reported since the scaler started."));
    return;
  }
  const rows = backups.map((b) => el("tr", { "data-backup": b.backupId, "data-verified": String(b.verified) },
    cell("When", clock(b.at), "num"),
    cell("Result", b.verified ? "verified ✓" : "failed ✗", b.verified ? "verified" : "failed"),
    cell("Size", bytes(b.sizeBytes), "num"),
    cell("Files", b.fileCount ?? "", "num"),
    cell("Took", b.durationSeconds === null ? "" : `${b.durationSeconds} s`, "num"),
    cell(b.verified ? "SHA-256" : "Reason", b.verified ? (b.sha256 || "").slice(0, 16) + "…" : b.reason, b.verified ? "hash" : "reason"),
    cell("Archive", b.path || "", "address")));
  box.replaceChildren(el("table", { class: "backups" },
    el("thead", null, el("tr", null, ...["When", "Result", "Size", "Files", "Took", "SHA-256 / reason", "Archive"].map((h) => el("th", null, h)))),
    el("tbody", null, ...rows)));
}

function renderProblems() {
  const messages = lastProblems.map((p) => ({ dependency: p.dependency, message: p.message }));
  const silentMs = Date.now() - lastUpdate;
  if (lostSince !== null || (lastUpdate > 0 && silentMs > StaleAfterMs)) {
    const since = lostSince ?? new Date(lastUpdate);
    messages.unshift({ dependency: "scaler",
      message: `The scaler does not answer (since ${clock(since.toISOString())}); what you see below is from `
        + (lastUpdate > 0 ? clock(new Date(lastUpdate).toISOString()) : "never") + ". Retrying…" });
    document.body.classList.add("stale");
  } else {
    document.body.classList.remove("stale");
  }
  const box = $("problems");
  box.replaceChildren(...messages.map((m) => el("p", { "data-dependency": m.dependency }, m.message)));
  box.hidden = messages.length === 0;
}

function render(state) {
  lastUpdate = Date.now();
  lostSince = null;
  lastProblems = state.problems;
  $("connection").dataset.state = "live";
  $("connection").textContent = `live · updated ${clock(state.at)}`;
  $("pools").replaceChildren(...(state.pools.length === 0 ? [el("p", { class: "empty" }, "This scaler owns no pool.")] : state.pools.map(renderPool)));
  renderActivity(state.activity);
  renderBackups(state.backups);
  renderProblems();
}

function connect() {
  const source = new EventSource("/status/events");
  source.addEventListener("status", (e) => render(JSON.parse(e.data)));
  source.addEventListener("error", () => {
    lostSince ??= new Date();
    $("connection").dataset.state = "lost";
    $("connection").textContent = "connection lost, retrying…";
    renderProblems();
    if (source.readyState === EventSource.CLOSED) {
      // Refused outright (e.g. 401 once the scaler's tokens changed, 403, or a restart behind a proxy): the browser
      // will not retry by itself. Without a valid token, sign in again.
      fetch("/status/state", { cache: "no-store" })
        .then((r) => { if (r.status === 401) { location.assign("/status/login"); } })
        .catch(() => {});
      setTimeout(connect, 2000);
    }
  });
}

setInterval(renderProblems, 1000);
connect();
