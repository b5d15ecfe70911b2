// kith's browser suite: Playwright drives Debian's Chromium through the dashboard as a
// community manager would, writes a screenshot of each page, audits each page for
// accessibility with axe-core (failing on serious or critical violations), and checks
// /api/openapi.json against the OpenAPI 3.1 schema.
//
// Run by crates/kith-server/tests/browser.rs, which starts kith with the demo brand and
// sets KITH_URL, KITH_PASSWORD, KITH_SCREENSHOT_DIR and CHROMIUM. Prints "N passed, N failed"
// and exits non-zero on any failure.

import { chromium } from "playwright-core";
import { Validator } from "@seriousme/openapi-schema-validator";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import assert from "node:assert/strict";

// axe-core is injected into each page as source: the page loads nothing from outside.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

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

// Runs axe-core on the page as it stands and fails on any serious or critical violation,
// naming the rule, what it asks for and the elements at fault.
const audited = [];
async function audit(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  audited.push(name);
  const minor = result.filter((v) => !bad.includes(v));
  if (minor.length > 0) console.log(`# axe on ${name}, not failing: ${minor.map((v) => `${v.impact} ${v.id} (${v.nodes.join(", ")})`).join("; ")}`);
  assert.deepEqual(bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(", ")}`), [], `accessibility of ${name}`);
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
  await audit(page, "sign in");
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
  await audit(page, "overview");
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
  await audit(page, "discover");
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
  await audit(page, "person");
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
  await audit(page, "import, with a refused file");
  await page.screenshot({ path: join(shots, "import.png"), fullPage: true });
});

await step("settings show the brand, users and tokens to an owner", async () => {
  await page.goto(`${base}/settings`);
  await page.getByRole("heading", { name: "Brand" }).waitFor();
  await page.getByRole("heading", { name: "API tokens" }).waitFor();
  await audit(page, "settings");
  await page.screenshot({ path: join(shots, "settings.png"), fullPage: true });
});

let programUrl = "";
await step("a manager creates a program and adds people ticked in Discover", async () => {
  await page.goto(`${base}/programs`);
  await page.getByRole("heading", { name: "Programs", level: 1 }).waitFor();
  await audit(page, "programs, none yet");
  await page.getByLabel("Name").fill("Summer ambassadors");
  await page.getByLabel("Kind").selectOption("ambassador");
  await page.getByLabel(/^Commission/).fill("10%");
  await page.getByRole("button", { name: "Create program" }).click();
  await page.waitForURL(/\/programs\/\d+/);
  programUrl = new URL(page.url()).pathname;
  await page.getByText("Summer ambassadors is ready").waitFor();

  await page.goto(`${base}/discover?tier=micro&limit=50`);
  const boxes = page.locator("table.candidates tbody input[name=person_id]:not([disabled])");
  assert.ok((await boxes.count()) >= 3, "at least three people to tick");
  const picked = [];
  for (let i = 0; i < 3; i += 1) {
    await boxes.nth(i).check();
    picked.push(await boxes.nth(i).getAttribute("value"));
  }
  await page.getByLabel("Add the selected people to").selectOption({ label: "Summer ambassadors" });
  await audit(page, "discover, rows ticked");
  await page.locator("#enrol").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "discover-add-to-program.png"), fullPage: false });
  await page.getByRole("button", { name: "Add to program" }).click();
  await page.waitForURL((u) => u.pathname === programUrl);
  await page.getByText(/Added 3 members to Summer ambassadors/).waitFor();
  const rows = page.locator("table.members tbody tr");
  assert.equal(await rows.count(), 3, "three members");
  const hrefs = await page.locator("table.members tbody a[href^='/people/']").evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute("href").slice(8))));
  assert.deepEqual([...hrefs].sort(), [...new Set(picked)].sort(), "the people ticked");
  const codes = await page.locator("table.members tbody code").allTextContents();
  assert.ok(codes.every((c) => /^[A-Z0-9]+$/.test(c)), `codes: ${codes}`);
});

await step("a program page shows its members' clicks and draws the chart", async () => {
  const code = (await page.locator("table.members tbody code").first().textContent()).trim();
  // A visitor follows the member's link; the redirect leaves kith, so it is not followed.
  // Headless Chrome's own user agent is filtered out as automated, so a person's is sent.
  const person = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
  const click = await page.request.get(`${base}/r/${code}`, { maxRedirects: 0, headers: { "user-agent": person } });
  assert.equal(click.status(), 302, "the link redirects");
  await page.goto(`${base}${programUrl}`);
  const row = page.locator("table.members tbody tr", { hasText: code });
  assert.equal((await row.locator("td.num").first().textContent()).trim(), "1", "one click counted");
  const canvas = page.locator(".program-chart canvas").first();
  await canvas.waitFor({ timeout: 10000 });
  const box = await canvas.boundingBox();
  assert.ok(box && box.width > 200, `the chart is drawn: ${JSON.stringify(box)}`);
  await audit(page, "program");
  await page.screenshot({ path: join(shots, "program.png"), fullPage: true });
  await page.goto(`${base}/programs`);
  const listed = page.locator("table.programs tbody tr", { hasText: "Summer ambassadors" });
  assert.equal((await listed.locator("td.num").first().textContent()).trim(), "3", "three members listed");
  await audit(page, "programs");
  await page.screenshot({ path: join(shots, "programs.png"), fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
});

await step("a manager makes a member's sign-in link and the member sees only their own portal", async () => {
  await signIn(page, "owner@example.com");
  await page.goto(`${base}${programUrl}`);
  const codes = (await page.locator("table.members tbody code").allTextContents()).map((c) => c.trim());
  const first = page.locator("table.members tbody tr").first();
  const mine = (await first.locator("code").textContent()).trim();
  await first.getByRole("button", { name: /^Sign-in link to the portal of/ }).click();
  await page.waitForURL((u) => u.pathname === programUrl);
  const link = (await page.locator("#portal-link").textContent()).trim();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/portal\/link\/[0-9a-f]{64}$/, `the link: ${link}`);
  await page.reload();
  assert.equal(await page.locator("#portal-link").count(), 0, "the link is shown once");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);

  // The member's own browser: no dashboard session.
  const theirs = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const portal = await theirs.newPage();
  await portal.goto(link);
  await portal.waitForURL((u) => u.pathname === "/portal");
  await portal.getByRole("heading", { name: /^Hello/, level: 1 }).waitFor();
  const text = await portal.locator("main").textContent();
  assert.ok(text.includes(mine), `their code ${mine} is shown`);
  for (const other of codes.filter((c) => c !== mine)) assert.ok(!text.includes(other), `another member's code ${other} is not`);
  await audit(portal, "member portal");
  await portal.screenshot({ path: join(shots, "portal.png"), fullPage: true });
  const again = await portal.goto(link);
  assert.equal(again.status(), 404, "the link works once");
  await theirs.close();
});

// Creates a program from the Programs page and returns its path.
async function createProgram(name, kind, fields = {}) {
  await page.goto(`${base}/programs`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Kind").selectOption(kind);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
  await page.getByRole("button", { name: "Create program" }).click();
  await page.waitForURL(/\/programs\/\d+/);
  await page.getByText(`${name} is ready`).waitFor();
  return new URL(page.url()).pathname;
}

await step("an advocacy program shares library posts and ranks its advocates", async () => {
  await signIn(page, "owner@example.com");
  const url = await createProgram("Team voices", "advocacy");
  await page.getByLabel("Title").fill("The autumn roast is here");
  await page.getByLabel(/^Page it links to/).fill("https://ridgelinecoffee.example/autumn");
  await page.getByLabel("Suggested text").fill("Our roasters' favourite of the year");
  await page.getByRole("button", { name: "Add the post" }).click();
  await page.waitForURL((u) => u.pathname === url);
  const post = page.locator("section[aria-labelledby=library-h] tbody tr", { hasText: "The autumn roast is here" });
  assert.equal(await post.count(), 1, "the post is in the library");
  await audit(page, "advocacy program");
  await page.screenshot({ path: join(shots, "program-advocacy.png"), fullPage: true });
  await page.goto(`${base}${url}/leaderboard`);
  await page.getByRole("heading", { name: "Leaderboard", level: 1 }).waitFor();
  await page.locator("section[aria-labelledby=posts-h]", { hasText: "The autumn roast is here" }).waitFor();
  await audit(page, "leaderboard");
});

await step("an activation invites its region's best customers and checks them in", async () => {
  const url = await createProgram("Denver brew-along", "activation", {
    Date: "2026-12-12", Place: "Ridgeline roastery", "Region or city": "CO", Capacity: "4", "Event code": "E2EBREW",
  });
  const event = page.locator("section[aria-labelledby=event-h]");
  await event.getByText("E2EBREW").waitFor();
  await page.getByRole("button", { name: "Invite the people of CO" }).click();
  await page.waitForURL((u) => u.pathname === url);
  const rows = page.locator("table.members tbody tr");
  assert.equal(await rows.count(), 4, "the capacity is filled, no more");
  await rows.first().getByRole("button", { name: "Mark attended" }).click();
  await page.waitForURL((u) => u.pathname === url);
  await page.locator("table.members tbody tr", { hasText: "checked in" }).first().waitFor();
  assert.match(await event.textContent(), /1 checked in/);
  await audit(page, "activation program");
  await page.screenshot({ path: join(shots, "program-activation.png"), fullPage: true });
});

await step("an owner sees a program's payouts", async () => {
  await page.goto(`${base}${programUrl}`);
  await page.getByRole("link", { name: "Payouts" }).click();
  await page.getByRole("heading", { name: "Payouts", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Approved and unpaid" }).waitFor();
  await page.getByRole("heading", { name: "Batches" }).waitFor();
  await audit(page, "payouts");
  await page.screenshot({ path: join(shots, "program-payouts.png"), fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
});

await step("a manager sees why an order was flagged and approves it", async () => {
  await signIn(page, "owner@example.com");
  await page.goto(`${base}/programs`);
  await page.getByRole("link", { name: "Spring affiliates" }).click();
  const card = page.locator("section[aria-labelledby=review-h]");
  await card.getByText("self-referral").waitFor();
  assert.match(await card.textContent(), /e2e-self-1/);
  await audit(page, "orders waiting for review");
  await page.screenshot({ path: join(shots, "program-review.png"), fullPage: true });
  await card.getByRole("button", { name: "Approve order e2e-self-1" }).click();
  await page.getByText("Order e2e-self-1 is approved").waitFor();
  assert.equal(await page.getByRole("button", { name: "Approve order e2e-self-1" }).count(), 0, "decided");
  // The program's simulated traffic: figures, the chart and eight members.
  assert.equal(await page.locator("table.members tbody tr").count(), 8);
  await page.locator(".program-chart canvas").first().waitFor({ timeout: 10000 });
  await page.screenshot({ path: join(shots, "program-traffic.png"), fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
});

await step("a viewer is refused Settings", async () => {
  await signIn(page, "viewer@example.com");
  assert.equal(await page.getByRole("link", { name: "Settings" }).count(), 0, "no Settings link");
  const response = await page.goto(`${base}/settings`);
  assert.equal(response.status(), 403);
  await page.getByText("Your role does not allow this.").waitFor();
  await audit(page, "a refusal");
  await page.screenshot({ path: join(shots, "viewer-refused.png") });
  await page.goto(`${base}/discover`);
  assert.equal(await page.locator("input[name=person_id]").count(), 0, "a viewer ticks no one");
});

await step("the OpenAPI document is valid OpenAPI 3.1 and lists the program routes", async () => {
  const response = await page.request.get(`${base}/api/openapi.json`);
  assert.equal(response.status(), 200);
  const spec = await response.json();
  const validator = new Validator();
  const result = await validator.validate(spec);
  assert.ok(result.valid, `invalid OpenAPI: ${JSON.stringify(result.errors, null, 2)}`);
  assert.equal(validator.version, "3.1");
  for (const path of ["/api/v1/candidates", "/api/v1/programs", "/api/v1/programs/{id}", "/api/v1/imports"]) {
    assert.ok(spec.paths[path], `${path} is documented`);
  }
});

await step("every page was audited for accessibility", async () => {
  assert.ok(audited.length >= 10, `audited: ${audited.join(", ")}`);
});

await step("pages load without script errors", async () => {
  assert.deepEqual(consoleErrors.filter((e) => !e.includes("403")), []);
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
