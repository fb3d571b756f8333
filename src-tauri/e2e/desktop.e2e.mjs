// The desktop app end to end, the way a shop uses it: the real app (Tauri, WebKitGTK) under
// Xvfb with its own data folder, driven through WebDriver (tauri-driver + WebKitWebDriver).
// Run by scripts/desktop-e2e.sh, which provides the X display, the session D-Bus with a
// notification service, and the environment (ports, data folder, password).
//
// Checks: the server answers /health; an order made through the API shows in the window;
// a desktop notification "New order #1" went out on D-Bus; a second launch hands over to the
// first and starts no second server; Quit (asked by `melt8-kitchen --quit`) stops the server
// and leaves the database whole.

import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import path from "node:path";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run scripts/desktop-e2e.sh)`);
  return v;
};
const APP = env("MELT8_DESKTOP_BIN");
const DRIVER = env("WEBDRIVER_URL");
const KITCHEN = `http://127.0.0.1:${env("KITCHEN_PORT")}`;
const DATA = env("MELT8_DATA_DIR");
const NOTIFY_LOG = env("NOTIFY_LOG");
const ARTIFACTS = env("E2E_ARTIFACTS");
const BASIC = "Basic " + Buffer.from(`chef:${env("CHEF_PASSWORD")}`).toString("base64");

const results = [];
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name}: ${e.stack || e}`);
    throw e;
  }
}

async function until(what, fn, { within = 20000, every = 200 } = {}) {
  const deadline = Date.now() + within;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${within} ms waiting for ${what}${last ? `: ${last}` : ""}`);
    }
    await sleep(every);
  }
}

async function wd(method, url, body) {
  const res = await fetch(`${DRIVER}${url}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new Error(`WebDriver ${method} ${url}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  }
  return json.value;
}

async function api(method, url, body) {
  const res = await fetch(`${KITCHEN}${url}`, {
    method,
    headers: { authorization: BASIC, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

function appProcesses() {
  try {
    return execFileSync("pgrep", ["-f", `^${APP}( |$)`], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function launch(args) {
  const child = spawn(APP, args, { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const SESSION = await wd("POST", "/session", {
  capabilities: { alwaysMatch: { "tauri:options": { application: APP } } },
});
const sid = SESSION.sessionId;
let failed = false;
try {
  await step("the app's server answers /health", async () => {
    const health = await until("/health", async () => {
      const r = await fetch(`${KITCHEN}/health`);
      return r.ok && (await r.json());
    });
    assert.equal(health.status, "ok");
  });

  await step("the window opens on the dashboard, signed in", async () => {
    const url = await until("the dashboard URL", async () => {
      const u = await wd("GET", `/session/${sid}/url`);
      return u.includes("/chef-dashboard") && u;
    });
    assert.ok(url.startsWith(KITCHEN), url);
    // The shop was set up before (SKIP_SETUP_WIZARD; the wizard has its own browser test).
    const setup = await api("GET", "/api/setup");
    assert.equal(setup.status, 200);
    assert.equal(setup.json.done, true);
    const css = async (selector) =>
      (await wd("POST", `/session/${sid}/elements`, { using: "css selector", value: selector })).length;
    await until("the board's New column", async () => (await css("[data-testid=column-new]")) > 0);
    assert.equal(await css("[data-testid=login]"), 0, "no login form: the one-time link signed in");
  });

  let order;
  await step("an order made through the API appears in the window", async () => {
    const r = await api("POST", "/api/orders", {
      items: [
        { item_id: "chicken-tikka", size_id: "large", quantity: 2 },
        { item_id: "coca-cola", size_id: "1.5l", quantity: 1 },
      ],
      address: "House 12, Street 4, Block C, Gulberg III, Lahore",
      landmark: "near Hafeez Centre",
      customer_name: "Ali Raza",
      customer_phone: "0300-1234567",
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    order = r.json;
    // The ticket, in the board's New column (not just any text on the page).
    const text = await until(
      "the order's ticket in the New column",
      async () => {
        // The column's rendered text as the page lays it out (innerText). WebKit's WebDriver
        // "element text" leaves out text inside the ticket's one-line, overflow-clipped
        // customer row even where the window shows it.
        const t = await wd("POST", `/session/${sid}/execute/sync`, {
          script: "const c = document.querySelector('[data-testid=column-new]'); return c ? c.innerText : '';",
          args: [],
        });
        return typeof t === "string" && t.includes("Ali Raza") && t;
      },
      { within: 10000 },
    );
    assert.match(text, new RegExp(`#${order.number}\\b`), text);
    assert.match(text, /Ali Raza/);
    await sleep(1500); // let the window paint before the picture
    const png = await wd("GET", `/session/${sid}/screenshot`);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, "desktop-board.png"), Buffer.from(png, "base64"));
  });

  await step("a desktop notification went out for it", async () => {
    const log = await until(
      "a Notify call on the session bus",
      () => {
        const text = existsSync(NOTIFY_LOG) ? readFileSync(NOTIFY_LOG, "utf8") : "";
        return text.includes(`New order #${order.number}`) && text;
      },
      { within: 10000 },
    );
    assert.match(log, /string "Melt 8 Kitchen"/, "the app names itself");
    assert.match(log, /Chicken Tikka/, "the summary lists the items");
  });

  await step("a second launch hands over and starts no second server", async () => {
    const before = appProcesses();
    assert.equal(before.length, 1, `one app running: ${before}`);
    const second = launch([]);
    const code = await Promise.race([second.exited, sleep(15000).then(() => "still running")]);
    assert.equal(code, 0, `the second launch exits at once; its output:\n${second.output()}`);
    assert.doesNotMatch(second.output(), /starting the kitchen server/);
    assert.deepEqual(appProcesses(), before, "the first app is still the only one");
    const r = await fetch(`${KITCHEN}/health`);
    assert.equal(r.status, 200);
  });

  await step("Quit stops the server and leaves the database whole", async () => {
    const running = appProcesses();
    const asker = launch(["--quit"]);
    assert.equal(await asker.exited, 0, asker.output());
    await until("the app to exit", () => appProcesses().length === 0, { within: 20000 });
    await until("the port to close", async () => {
      try {
        await fetch(`${KITCHEN}/health`);
        return false;
      } catch {
        return true;
      }
    });
    const db = path.join(DATA, "melt8.db");
    const check = execFileSync(
      "python3",
      [
        "-c",
        `import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("pragma integrity_check").fetchone()[0])
print(c.execute("select count(*) from orders").fetchone()[0])
print(c.execute("select status from orders where id = ?", (int(sys.argv[2]),)).fetchone()[0])`,
        db,
        String(order.id),
      ],
      { encoding: "utf8" },
    ).split("\n");
    assert.deepEqual(check.slice(0, 3), ["ok", "1", "new"], `database check: ${check}`);
    assert.ok(running.length === 1);
  });
} catch {
  failed = true;
} finally {
  await wd("DELETE", `/session/${sid}`).catch(() => {});
}
const passed = results.filter((r) => r.ok).length;
console.log(`desktop e2e: ${passed} passed, ${results.length - passed} failed`);
process.exit(failed ? 1 : 0);
