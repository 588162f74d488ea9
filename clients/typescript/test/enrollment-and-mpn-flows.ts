// The flows of program enrollment and of MPN ID verification with an API key, through the typed client.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { partnerAccountsClient } from "../src/client.js";
import { newEmail, type RunningApi } from "./harness.js";
import { newAdminWithAccount } from "./flows.js";

export function enrollmentAndMpnFlowTests(api: () => RunningApi): void {
  describe("enrollment and MPN ID verification flows", () => {
    test("enroll in a program: pending, decided by an operator, visible in the settings, withdrawn", async () => {
      const { client, account } = await newAdminWithAccount(api());
      const path = { accountId: account.id };

      const programs = await client.GET("/v1/programs");
      assert.equal(programs.response.status, 200, JSON.stringify(programs.error));
      assert.ok(programs.data?.some((p) => p.id === "mpn" && p.settingsArea === "partner"));

      const enrolled = await client.POST("/v1/accounts/{accountId}/enrollments", { params: { path }, body: { programId: "mpn" } });
      assert.equal(enrolled.response.status, 201, JSON.stringify(enrolled.error));
      assert.equal(enrolled.response.headers.get("Location"), `/v1/accounts/${account.id}/enrollments/mpn`);
      assert.equal(enrolled.data?.status, "pending");

      const csp = await client.POST("/v1/accounts/{accountId}/enrollments", { params: { path }, body: { programId: "csp" } });
      assert.equal(csp.response.status, 422);
      assert.equal(csp.error?.code, "program_prerequisite_missing");

      const reviewer = partnerAccountsClient(api().baseUrl, { bearer: await api().token(newEmail("reviewer"), { operator: true }) });
      const decided = await reviewer.POST("/v1/accounts/{accountId}/enrollments/{programId}/decisions", {
        params: { path: { ...path, programId: "mpn" } },
        body: { status: "active" },
      });
      assert.equal(decided.response.status, 200, JSON.stringify(decided.error));
      assert.equal(decided.data?.status, "active");

      const settings = await client.GET("/v1/accounts/{accountId}/settings", { params: { path } });
      assert.deepEqual(settings.data?.settingsAreas, ["partner"]);
      assert.equal(settings.data?.mpnIdShownIn, "partnerProfile");

      const current = await client.GET("/v1/accounts/{accountId}/enrollments/{programId}", { params: { path: { ...path, programId: "mpn" } } });
      const etag = current.response.headers.get("ETag");
      assert.ok(etag);
      const withdrawn = await client.DELETE("/v1/accounts/{accountId}/enrollments/{programId}", {
        params: { path: { ...path, programId: "mpn" }, header: { "If-Match": etag } },
      });
      assert.equal(withdrawn.response.status, 200, JSON.stringify(withdrawn.error));
      assert.equal(withdrawn.data?.status, "withdrawn");
    });

    test("verify an MPN ID with an API key, and lose access when the key is revoked", async () => {
      const security = api().document.paths["/v1/profiles/mpn"]?.["get"]?.security ?? [];
      assert.deepEqual(security.map((s) => Object.keys(s)).flat().sort(), ["apiKey", "bearer"],
        "GET /v1/profiles/mpn accepts an API key or a bearer token");

      const { client, account } = await newAdminWithAccount(api());
      const path = { accountId: account.id };
      const created = await client.POST("/v1/accounts/{accountId}/api-keys", { params: { path }, body: { name: "integration" } });
      assert.equal(created.response.status, 201, JSON.stringify(created.error));
      assert.ok(created.data?.secret);

      const integration = partnerAccountsClient(api().baseUrl, { apiKey: created.data.secret });
      const verified = await integration.GET("/v1/profiles/mpn", { params: { query: { mpnId: account.mpnId } } });
      assert.equal(verified.response.status, 200, JSON.stringify(verified.error));
      assert.equal(verified.data?.mpnId, account.mpnId);
      assert.equal(verified.data?.partnerName, account.legalName);
      assert.equal(verified.data?.profileType, "MpnProfile");

      const unknown = await integration.GET("/v1/profiles/mpn", { params: { query: { mpnId: "9999999999" } } });
      assert.equal(unknown.response.status, 404);
      assert.equal(unknown.error?.code, "mpn_id_not_found");
      const malformed = await integration.GET("/v1/profiles/mpn", { params: { query: { mpnId: "12ab" } } });
      assert.equal(malformed.response.status, 400);
      assert.equal(malformed.error?.code, "invalid_mpn_id");

      const revoked = await client.DELETE("/v1/accounts/{accountId}/api-keys/{keyId}", { params: { path: { ...path, keyId: created.data.id } } });
      assert.equal(revoked.response.status, 204);
      const afterRevocation = await integration.GET("/v1/profiles/mpn", { params: { query: { mpnId: account.mpnId } } });
      assert.equal(afterRevocation.response.status, 401);
    });
  });
}

