// What the Chromium tests of the web view share (e2e.mjs, e2e_draw.mjs, e2e_views.mjs):
// headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) in a throw-away profile,
// numbered steps that report "ok"/"not ok", and the summary and exit status at the end.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function openBrowser(name, options = {}) {
  const profile = mkdtempSync(join(tmpdir(), `lineage-${name}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    ...options,
  });
  const page = context.pages()[0] ?? await context.newPage();
  let passed = 0;
  let failed = 0;

  // One named check: its failure is reported with its stack and ends the run.
  async function step(stepName, fn) {
    try {
      await fn();
      passed += 1;
      console.log(`ok - ${stepName}`);
    } catch (err) {
      failed += 1;
      console.log(`not ok - ${stepName}\n  ${String(err && err.stack || err).split("\n").join("\n  ")}`);
      throw err;
    }
  }

  // Runs the steps, then `onFailure` if one failed (what the page showed), closes the
  // browser, prints the summary and exits with the run's status.
  async function run(steps, onFailure = async () => {}) {
    try {
      await steps();
    } catch {
      await onFailure().catch(() => {}); // the failure itself was reported by step()
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }

  return { context, page, step, run };
}
