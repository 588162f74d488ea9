// Swagger UI in a real browser: Debian's headless Chromium loads /swagger from the running API, the rendered DOM must
// list every operation of the document it serves (path and operationId), and a screenshot goes to the test output folder.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, test } from "node:test";
import { promisify } from "node:util";
import { testOutputDirectory, type RunningApi } from "./harness.js";

const run = promisify(execFile);

/** CHROMIUM if set, else the first of the usual names on PATH; null when there is none (the test then skips). */
export function findChromium(): string | null {
  const configured = process.env["CHROMIUM"];
  if (configured) {
    return configured;
  }
  for (const directory of (process.env["PATH"] ?? "").split(delimiter)) {
    for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
      const candidate = join(directory, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Runs headless Chromium once with a fresh profile; the flags keep it off the (closed) network and quiet. */
async function chromium(binary: string, args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), "partneraccounts-chromium-"));
  try {
    const { stdout } = await run(binary, [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      `--user-data-dir=${profile}`,
      ...args,
    ], { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export function swaggerUiTests(api: () => RunningApi): void {
  describe("Swagger UI in headless Chromium", () => {
    const binary = findChromium();
    const required = process.env["REQUIRE_BROWSER"] === "1";
    const skip = binary === null && !required ? "chromium is not installed (apt-get install chromium; .ci/run installs it)" : false;

    if (required) {
      test("has a browser (REQUIRE_BROWSER=1)", () => {
        assert.ok(binary, "REQUIRE_BROWSER=1 but no chromium on PATH (nor CHROMIUM)");
      });
    }

    test("lists every operation of the document", { skip }, async () => {
      const url = `${api().baseUrl}/swagger/index.html`;
      const dom = await chromium(binary!, ["--virtual-time-budget=20000", "--dump-dom", url]);
      assert.match(dom, /swagger-ui/, "the page is Swagger UI");

      const expected = Object.entries(api().document.paths).flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({ path, method, operationId: operation.operationId ?? "" })));
      assert.ok(expected.length > 30);
      const missing = expected.filter(({ path, operationId }) =>
        !dom.includes(`data-path="${path}"`) || !dom.includes(`>${operationId}<`));
      assert.deepEqual(missing, [], "every operation (its path and operationId) is rendered");
      assert.ok(dom.includes("PartnerAccounts API"), "the title is rendered");
    });

    test("takes a screenshot", { skip }, async (t) => {
      mkdirSync(testOutputDirectory, { recursive: true });
      const file = join(testOutputDirectory, "swagger-ui.png");
      rmSync(file, { force: true });
      await chromium(binary!, ["--virtual-time-budget=20000", "--hide-scrollbars", "--window-size=1280,2400", `--screenshot=${file}`,
        `${api().baseUrl}/swagger/index.html`]);
      assert.ok(existsSync(file), `${file} was written`);
      assert.ok(statSync(file).size > 10_000, "the screenshot is not empty");
      assert.deepEqual([...readFileSync(file).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "it is a PNG");
      t.diagnostic(`Swagger UI screenshot: ${file}`);
    });
  });
}
