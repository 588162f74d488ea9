// The TypeScript client exactly as a frontend team makes it: `openapi-typescript` turns openapi/v1.json into
// src/v1.d.ts (`npm run generate`), and `openapi-fetch` is the whole runtime. Nothing here is hand-written per endpoint.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./v1.js";

export type { components, paths };
export type Problem = components["schemas"]["ProblemDetails"];
export type PartnerAccountsClient = Client<paths>;

/** A client for one caller: a bearer token, an API key, or neither (anonymous operations such as signing in). */
export function partnerAccountsClient(baseUrl: string, credential?: { bearer?: string; apiKey?: string }): PartnerAccountsClient {
  const headers: Record<string, string> = {};
  if (credential?.bearer) {
    headers["Authorization"] = `Bearer ${credential.bearer}`;
  }
  if (credential?.apiKey) {
    headers["X-Api-Key"] = credential.apiKey;
  }
  return createClient<paths>({ baseUrl, headers });
}
