// Starts the built API (`dotnet PartnerAccounts.Api.dll`) on a free 127.0.0.1 port with a throwaway SQLite database,
// mints tokens with its Development-only `token` command, and stops it again.
import { spawn, execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The repository root: the folder above this file that holds PartnerAccounts.sln. */
export const repositoryRoot = (() => {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, "PartnerAccounts.sln"))) {
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error("PartnerAccounts.sln not found above " + fileURLToPath(import.meta.url));
    }
    directory = parent;
  }
  return directory;
})();

/** Where tests leave files for people to look at (screenshots): TEST_OUTPUT_DIR, else clients/test-output. */
export const testOutputDirectory = resolve(process.env["TEST_OUTPUT_DIR"] ?? join(repositoryRoot, "clients", "test-output"));

const signingKey = "node-client-tests-signing-key-0123456789abcdef";

export interface RunningApi {
  baseUrl: string;
  /** A signed bearer token for this email (the API's `token` command). */
  token(email: string, options?: { operator?: boolean }): Promise<string>;
  /** The OpenAPI document the running service serves. */
  document: OpenApiDocument;
  stop(): Promise<void>;
}

export interface OpenApiOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** True when the document has the operation (method + path): hooks for endpoints that are not there yet skip on false. */
export function hasOperation(document: OpenApiDocument, method: string, path: string): boolean {
  return document.paths[path]?.[method.toLowerCase()] !== undefined;
}

export function newEmail(who: string): string {
  return `${who}-${crypto.randomUUID().replaceAll("-", "")}@example.com`;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startApi(): Promise<RunningApi> {
  const dll = resolve(process.env["API_DLL"] ?? join(repositoryRoot, "src", "Api", "bin", "Debug", "net10.0", "PartnerAccounts.Api.dll"));
  if (!existsSync(dll)) {
    throw new Error(`${dll} does not exist: build the solution first (dotnet build), or set API_DLL.`);
  }

  const dataDirectory = mkdtempSync(join(tmpdir(), "partneraccounts-node-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASPNETCORE_ENVIRONMENT: "Development",
    DOTNET_NOLOGO: "1",
    Auth__SigningKey: signingKey,
    Database__Provider: "Sqlite",
    ConnectionStrings__PartnerAccounts: `Data Source=${join(dataDirectory, "api.db")}`,
    Seed__Disabled: "true",
    Logging__LogLevel__Default: "Warning",
    "Logging__LogLevel__Microsoft.AspNetCore": "Warning",
  };
  // The content root (appsettings.json) is the folder of the dll.
  const cwd = dirname(dll);
  const child = spawn("dotnet", [dll, "--urls", baseUrl], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDirectory, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  let document: OpenApiDocument | undefined;
  while (document === undefined) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the API exited with ${child.exitCode} before it answered:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not answer on ${baseUrl} within 90 s:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/swagger/v1/swagger.json`);
      if (response.ok) {
        document = (await response.json()) as OpenApiDocument;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }

  const token = async (email: string, options?: { operator?: boolean }) => {
    const args = [dll, "token", "--email", email, ...(options?.operator ? ["--operator"] : [])];
    const { stdout } = await run("dotnet", args, { cwd, env, timeout: 60_000 });
    const lines = stdout.trim().split("\n");
    return lines[lines.length - 1]!.trim();
  };

  return { baseUrl, token, document, stop };
}

