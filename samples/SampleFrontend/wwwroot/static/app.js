// Calls the backend through the same origin: in the deployment the load balancer sends /api/** to a backend
// instance, and the X-Instance-Id response header says which one answered. Press the button again to watch the
// balancing.
"use strict";

const $ = (id) => document.getElementById(id);

async function showFrontendInstance() {
  try {
    const response = await fetch("/healthz", { cache: "no-store" });
    $("frontend-instance").textContent = response.headers.get("X-Instance-Id") ?? "(no header)";
  } catch (error) {
    $("frontend-instance").textContent = `unreachable: ${error}`;
  }
}

async function callBackend() {
  $("status").textContent = "calling…";
  const started = performance.now();
  try {
    const response = await fetch("/api/hello", { headers: { Accept: "application/json" }, cache: "no-store" });
    const text = await response.text();
    let body;
    try {
      body = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      body = text;
    }
    $("backend-instance").textContent = response.headers.get("X-Instance-Id") ?? "(no header)";
    $("status").textContent = `${response.status} in ${Math.round(performance.now() - started)} ms`;
    $("result").textContent = body;
  } catch (error) {
    $("backend-instance").textContent = "-";
    $("status").textContent = "failed";
    $("result").textContent = String(error);
  }
}

$("call").addEventListener("click", callBackend);
showFrontendInstance();
callBackend();
