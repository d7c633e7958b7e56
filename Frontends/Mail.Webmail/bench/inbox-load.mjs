// Measures the webmail in headless Chromium against a running server: time from navigation to a usable inbox (the
// first page of rows drawn, folder counts shown) and the frame time while the message list is scrolled.
// Usage: node bench/inbox-load.mjs URL ADDRESS PASSWORD [RUNS]. Prints figure lines "webmail: ...".
import { chromium } from 'playwright-core';

const [url, address, password, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
await page.goto(url);
await page.fill('#username', address);
await page.fill('#password', password);
await page.click('#login button[type=submit]');
await page.waitForSelector('#message-list li.message .row');

const times = [];
for (let i = 0; i < runs; i++) {
  const start = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('#message-list li.message .row');
  await page.waitForSelector('#folders li[data-folder="INBOX"]');
  times.push(Date.now() - start);
}
times.sort((a, b) => a - b);
const total = await page.locator('.list-title .total').textContent();

const frames = await page.evaluate(async () => {
  const viewport = document.getElementById('message-list');
  const deltas = [];
  let last = performance.now();
  for (let i = 0; i < 240; i++) {
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    deltas.push(now - last);
    last = now;
    viewport.scrollTop += 320;
  }
  return deltas.slice(1).sort((a, b) => a - b);
});
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
console.log(`webmail: navigation to usable inbox of ${total} messages: median ${times[Math.floor(times.length / 2)]} ms, best ${times[0]} ms, worst ${times[times.length - 1]} ms (${runs} loads)`);
console.log(`webmail: list scroll frame time p50 ${pct(frames, 50).toFixed(1)} ms, p95 ${pct(frames, 95).toFixed(1)} ms, max ${frames[frames.length - 1].toFixed(1)} ms (${frames.length} frames, 320 px a frame)`);
await browser.close();
