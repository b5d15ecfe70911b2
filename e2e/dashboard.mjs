// kith's browser suite: Playwright drives Debian's Chromium through the dashboard as a
// community manager would, and writes a screenshot of each page.
//
// Run by crates/kith-server/tests/browser.rs, which starts kith with the demo brand and
// sets KITH_URL, KITH_PASSWORD, KITH_SCREENSHOT_DIR and CHROMIUM. Prints "N passed, N failed"
// and exits non-zero on any failure.

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";

const base = process.env.KITH_URL ?? "http://127.0.0.1:8080";
const password = process.env.KITH_PASSWORD;
const shots = process.env.KITH_SCREENSHOT_DIR ?? "screenshots";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CONTRACT = "rank,person_id,source,name,platform,handle,followers,tier,engagement_rate,er_index,authenticity,authenticity_flags,categories,brand_mentions,brand_sentiment,customer_value,fit_score,explanation";

mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  // Playwright gives each launch a fresh, temporary --user-data-dir of its own.
});

let passed = 0;
let failed = 0;
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    passed += 1;
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}\n  ${String(e.stack ?? e).split("\n").join("\n  ")}`);
  }
}

async function signIn(page, email) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, acceptDownloads: true });
const page = await context.newPage();
const consoleErrors = [];
page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
page.on("pageerror", (e) => consoleErrors.push(String(e)));

await step("sign in shows the overview with its scatter chart", async () => {
  await page.goto(`${base}/discover`);
  assert.match(new URL(page.url()).pathname, /^\/login/, "signed-out visitors are sent to sign in");
  await page.screenshot({ path: join(shots, "login.png") });
  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/discover", { timeout: 10000 });
  await page.goto(`${base}/`);
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  await page.locator("#scatter canvas").first().waitFor({ timeout: 10000 });
  const box = await page.locator("#scatter canvas").first().boundingBox();
  assert.ok(box && box.width > 200 && box.height > 100, `the scatter is drawn: ${JSON.stringify(box)}`);
  await page.screenshot({ path: join(shots, "overview.png"), fullPage: true });
});

await step("discover filters to micro + a category and sorts by fit", async () => {
  await page.goto(`${base}/discover`);
  await page.getByLabel("Tier").selectOption("micro");
  await page.waitForURL(/tier=micro/);
  await page.getByLabel("Category").selectOption("food & drink");
  await page.waitForURL(/category=food/);
  await page.getByLabel("Sort by").selectOption("fit_score");
  await page.getByLabel("Order").selectOption("desc");
  await page.waitForURL(/sort=fit_score/);
  await page.waitForLoadState("networkidle");
  const rows = page.locator("table.candidates tbody tr");
  assert.ok((await rows.count()) > 0, "some micro food & drink candidates");
  const tiers = await page.locator("table.candidates tbody .tier").allTextContents();
  assert.ok(tiers.every((t) => t.trim() === "micro"), `only micro: ${tiers}`);
  const cats = await page.locator("table.candidates tbody tr td.categories").allTextContents();
  assert.ok(cats.every((c) => c.includes("food & drink")), `only food & drink: ${cats}`);
  const fits = (await page.locator("table.candidates tbody tr td.fit").allTextContents()).map(Number);
  assert.deepEqual(fits, [...fits].sort((a, b) => b - a), "best fit first");
  // The Fit header sorts too, and says how the table is sorted.
  await page.getByRole("columnheader", { name: /^Fit/ }).getByRole("link").click();
  await page.waitForURL(/order=asc/);
  await page.waitForLoadState("networkidle");
  const asc = (await page.locator("table.candidates tbody tr td.fit").allTextContents()).map(Number);
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b), "lowest fit first after a click");
  await page.getByLabel("Order").selectOption("desc");
  await page.waitForURL(/order=desc/);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: join(shots, "discover.png"), fullPage: false });
});

await step("export CSV writes the current filter in the contract's columns", async () => {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const file = await download.path();
  const lines = readFileSync(file, "utf8").trim().split("\n");
  assert.equal(lines[0], CONTRACT);
  assert.ok(lines.length > 1, "rows follow the header");
  assert.ok(lines.slice(1).every((l) => l.includes(",micro,")), "only micro rows");
});

await step("a person shows scores, a rendered engagement chart and flags in words", async () => {
  await page.locator("table.candidates tbody a[href^='/people/']").first().click();
  await page.waitForURL(/\/people\//);
  await page.getByRole("heading", { name: "Scores" }).waitFor();
  const canvas = page.locator(".person-chart canvas").first();
  await canvas.waitFor({ timeout: 10000 });
  const box = await canvas.boundingBox();
  assert.ok(box && box.width > 200, `the chart is drawn: ${JSON.stringify(box)}`);
  assert.ok((await page.getByText(/Authenticity \d+ \/ 100/).count()) > 0);
  await page.screenshot({ path: join(shots, "person.png"), fullPage: true });
});

await step("an upload with a bad line names it and imports nothing", async () => {
  await page.goto(`${base}/import`);
  await page.getByLabel("What the file holds").selectOption("customers");
  await page.getByLabel("File", { exact: true }).setInputFiles({
    name: "customers.ndjson",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from('{"id":"new-1","email":"new@example.com"}\n{"id":"new-2","orders_count":"lots"}\n'),
  });
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByText("nothing was imported").first().waitFor({ timeout: 10000 });
  const error = await page.locator(".errors code").first().textContent();
  assert.match(error, /customers\.ndjson:2/, "names file and line");
  await page.screenshot({ path: join(shots, "import.png"), fullPage: true });
});

await step("settings show the brand, users and tokens to an owner", async () => {
  await page.goto(`${base}/settings`);
  await page.getByRole("heading", { name: "Brand" }).waitFor();
  await page.getByRole("heading", { name: "API tokens" }).waitFor();
  await page.screenshot({ path: join(shots, "settings.png"), fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
});

await step("a viewer is refused Settings", async () => {
  await signIn(page, "viewer@example.com");
  assert.equal(await page.getByRole("link", { name: "Settings" }).count(), 0, "no Settings link");
  const response = await page.goto(`${base}/settings`);
  assert.equal(response.status(), 403);
  await page.getByText("Your role does not allow this.").waitFor();
  await page.screenshot({ path: join(shots, "viewer-refused.png") });
});

await step("pages load without script errors", async () => {
  assert.deepEqual(consoleErrors.filter((e) => !e.includes("403")), []);
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
