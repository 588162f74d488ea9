// The account lifecycle through the typed client: an operator suspends an account, which stops its writes, its MPN
// verification and its API keys; reactivation restores all of it; a Global admin closes it by typing its legal name.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { partnerAccountsClient, type components, type PartnerAccountsClient } from "../src/client.js";
import { newEmail, type RunningApi } from "./harness.js";
import { newAdminWithAccount } from "./flows.js";

type AccountStatus = components["schemas"]["AccountStatus"];

async function pickerStatus(client: PartnerAccountsClient, accountId: string): Promise<AccountStatus | undefined> {
  const picker = await client.GET("/v1/me/accounts", { params: { query: { limit: 200 } } });
  assert.equal(picker.response.status, 200, JSON.stringify(picker.error));
  return picker.data?.items.find((a) => a.accountId === accountId)?.status;
}

async function summaryStatus(client: PartnerAccountsClient, accountId: string): Promise<AccountStatus | undefined> {
  const summary = await client.GET("/v1/accounts/{accountId}", { params: { path: { accountId } } });
  assert.equal(summary.response.status, 200, JSON.stringify(summary.error));
  return summary.data?.status;
}

async function apiKeyClient(api: RunningApi, admin: PartnerAccountsClient, accountId: string): Promise<PartnerAccountsClient> {
  const created = await admin.POST("/v1/accounts/{accountId}/api-keys", { params: { path: { accountId } }, body: { name: "integration" } });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  assert.ok(created.data?.secret);
  return partnerAccountsClient(api.baseUrl, { apiKey: created.data.secret });
}

export function lifecycleFlowTests(api: () => RunningApi): void {
  describe("account lifecycle flow", () => {
    test("suspend: writes 409 account_not_active, MPN ID 404, keys 401, picker suspended; reactivate restores; close confirms the legal name", async () => {
      const { client, account } = await newAdminWithAccount(api());
      const path = { accountId: account.id };
      const ownKey = await apiKeyClient(api(), client, account.id);
      // A third-party integration verifying this partner's MPN ID with its own (another account's) key.
      const other = await newAdminWithAccount(api());
      const thirdParty = await apiKeyClient(api(), other.client, other.account.id);
      const operator = partnerAccountsClient(api().baseUrl, { bearer: await api().token(newEmail("operator"), { operator: true }) });
      const location = { name: "Berlin office", address: { addressLine1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "DE" } };
      const verify = (caller: PartnerAccountsClient) => caller.GET("/v1/profiles/mpn", { params: { query: { mpnId: account.mpnId } } });

      assert.equal((await verify(thirdParty)).response.status, 200, "an active account's MPN ID verifies");

      const suspended = await operator.POST("/v1/accounts/{accountId}/status-changes", { params: { path }, body: { status: "suspended", reason: "Unpaid invoices" } });
      assert.equal(suspended.response.status, 200, JSON.stringify(suspended.error));
      assert.equal(suspended.data?.status, "suspended");
      assert.equal(suspended.data?.reason, "Unpaid invoices");

      const refused = await client.POST("/v1/accounts/{accountId}/locations", { params: { path }, body: location });
      assert.equal(refused.response.status, 409);
      assert.equal(refused.error?.code, "account_not_active");
      const hidden = await verify(thirdParty);
      assert.equal(hidden.response.status, 404);
      assert.equal(hidden.error?.code, "mpn_id_not_found");
      const keyRefused = await verify(ownKey);
      assert.equal(keyRefused.response.status, 401);
      assert.equal(keyRefused.error?.code, "invalid_api_key");
      assert.equal(await pickerStatus(client, account.id), "suspended");
      assert.equal(await summaryStatus(client, account.id), "suspended");

      const ownerMayNotReactivate = await client.POST("/v1/accounts/{accountId}/status-changes", { params: { path }, body: { status: "active" } });
      assert.equal(ownerMayNotReactivate.response.status, 403);
      assert.equal(ownerMayNotReactivate.error?.code, "operator_required");

      const reactivated = await operator.POST("/v1/accounts/{accountId}/status-changes", { params: { path }, body: { status: "active", reason: "Paid" } });
      assert.equal(reactivated.response.status, 200, JSON.stringify(reactivated.error));
      assert.equal(reactivated.data?.status, "active");

      const written = await client.POST("/v1/accounts/{accountId}/locations", { params: { path }, body: location });
      assert.equal(written.response.status, 201, JSON.stringify(written.error));
      const verified = await verify(thirdParty);
      assert.equal(verified.response.status, 200, JSON.stringify(verified.error));
      assert.equal(verified.data?.mpnId, account.mpnId);
      assert.equal((await verify(ownKey)).response.status, 200, "the account's own key works again");
      assert.equal(await pickerStatus(client, account.id), "active");

      const wrongName = await client.POST("/v1/accounts/{accountId}/status-changes", {
        params: { path },
        body: { status: "closed", confirmLegalName: `${account.legalName} Ltd` },
      });
      assert.equal(wrongName.response.status, 422);
      assert.equal(wrongName.error?.code, "legal_name_confirmation_mismatch");
      assert.equal(await summaryStatus(client, account.id), "active", "a refused closure changes nothing");

      const closed = await client.POST("/v1/accounts/{accountId}/status-changes", { params: { path }, body: { status: "closed", confirmLegalName: account.legalName } });
      assert.equal(closed.response.status, 200, JSON.stringify(closed.error));
      assert.equal(closed.data?.status, "closed");
      assert.equal(await pickerStatus(client, account.id), "closed");
      assert.equal((await verify(thirdParty)).error?.code, "mpn_id_not_found");
    });
  });
}
