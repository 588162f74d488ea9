// The main flows a frontend walks, through the generated client only: every path, body and response below is checked
// by tsc against the types generated from openapi/v1.json, and every value is read back over HTTP.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { partnerAccountsClient, type components, type PartnerAccountsClient } from "../src/client.js";
import { newEmail, type RunningApi } from "./harness.js";

type CreateAccountRequest = components["schemas"]["CreateAccountRequest"];

export function newAccountBody(legalName = `Fabrikam ${crypto.randomUUID().slice(0, 8)}`): CreateAccountRequest {
  return {
    legalName,
    address: { addressLine1: "1 Main St", city: "Seattle", state: "WA", postalCode: "98101", country: "US" },
    primaryContact: { firstName: "Pat", lastName: "Lee", email: "pat@fabrikam.example", phoneNumber: "+1 206 555 0100" },
  };
}

/** A new person who creates a new account through the client: their client and the account. */
export async function newAdminWithAccount(
  api: RunningApi,
): Promise<{ client: PartnerAccountsClient; token: string; account: components["schemas"]["AccountResponse"] }> {
  const token = await api.token(newEmail("admin"));
  const client = partnerAccountsClient(api.baseUrl, { bearer: token });
  const { data, error, response } = await client.POST("/v1/accounts", { body: newAccountBody() });
  assert.equal(response.status, 201, JSON.stringify(error));
  assert.ok(data);
  return { client, token, account: data };
}

export function flowTests(api: () => RunningApi): void {
  describe("main flows through the generated TypeScript client", () => {
    test("create an account: 201 with Location, and the account reads back", async () => {
      const client = partnerAccountsClient(api().baseUrl, { bearer: await api().token(newEmail("admin")) });
      const body = newAccountBody();
      const created = await client.POST("/v1/accounts", { body });
      assert.equal(created.response.status, 201, JSON.stringify(created.error));
      assert.ok(created.data);
      assert.equal(created.data.legalName, body.legalName);
      assert.match(created.data.mpnId, /^[0-9]{1,10}$/);
      assert.equal(created.data.verificationStatus, "pending");
      assert.equal(created.response.headers.get("Location"), `/v1/accounts/${created.data.id}`);
      assert.ok(created.response.headers.get("X-Request-Id"));

      const read = await client.GET("/v1/accounts/{accountId}", { params: { path: { accountId: created.data.id } } });
      assert.equal(read.data?.legalName, body.legalName);

      const picker = await client.GET("/v1/me/accounts", { params: { query: { limit: 10 } } });
      assert.deepEqual(picker.data?.items.map((a) => a.accountId), [created.data.id]);
      assert.deepEqual(picker.data?.items[0]?.roles.map((r) => r.id), ["global-admin"]);
      assert.equal(picker.data?.continuationToken, null);
    });

    test("a problem comes back typed: unknown account is 404 account_not_found", async () => {
      const client = partnerAccountsClient(api().baseUrl, { bearer: await api().token(newEmail("stranger")) });
      const { error, response } = await client.GET("/v1/accounts/{accountId}", { params: { path: { accountId: crypto.randomUUID() } } });
      assert.equal(response.status, 404);
      assert.equal(response.headers.get("Content-Type"), "application/problem+json");
      assert.equal(error?.code, "account_not_found");
      assert.equal(error?.status, 404);
      assert.equal(error?.requestId, response.headers.get("X-Request-Id"));
    });

    test("update a profile with If-Match: new ETag, 304 on If-None-Match, 412 etag_mismatch when stale", async () => {
      const { client, account } = await newAdminWithAccount(api());
      const path = { accountId: account.id };
      const first = await client.GET("/v1/accounts/{accountId}/profiles/legalbusiness", { params: { path } });
      assert.equal(first.response.status, 200);
      const etag = first.response.headers.get("ETag");
      assert.ok(etag, "a profile carries an ETag");
      assert.ok(first.data);

      const replaced = await client.PUT("/v1/accounts/{accountId}/profiles/legalbusiness", {
        params: { path, header: { "If-Match": etag } },
        body: { ...first.data, companyName: "Fabrikam Renamed Ltd", companyApprover: first.data.primaryContact },
      });
      assert.equal(replaced.response.status, 200, JSON.stringify(replaced.error));
      assert.equal(replaced.data?.companyName, "Fabrikam Renamed Ltd");
      const newETag = replaced.response.headers.get("ETag");
      assert.ok(newETag);
      assert.notEqual(newETag, etag);

      const unchanged = await client.GET("/v1/accounts/{accountId}/profiles/legalbusiness", { params: { path, header: { "If-None-Match": newETag } } });
      assert.equal(unchanged.response.status, 304);

      const stale = await client.PUT("/v1/accounts/{accountId}/profiles/legalbusiness", {
        params: { path, header: { "If-Match": etag } },
        body: { ...first.data, companyName: "Lost Update Ltd" },
      });
      assert.equal(stale.response.status, 412);
      assert.equal(stale.error?.code, "etag_mismatch");

      const after = await client.GET("/v1/accounts/{accountId}/profiles/legalbusiness", { params: { path } });
      assert.equal(after.data?.companyName, "Fabrikam Renamed Ltd");
      const account2 = await client.GET("/v1/accounts/{accountId}", { params: { path } });
      assert.equal(account2.data?.legalName, "Fabrikam Renamed Ltd");
    });

    test("invite a user, assign a role, and the invitee signs in with the temporary password", async () => {
      const { client, account } = await newAdminWithAccount(api());
      const email = newEmail("invitee");
      const invited = await client.POST("/v1/accounts/{accountId}/users", {
        params: { path: { accountId: account.id } },
        body: { email, displayName: "Ivy Invitee", roles: ["billing-admin"] },
      });
      assert.equal(invited.response.status, 201, JSON.stringify(invited.error));
      assert.ok(invited.data);
      const userId = invited.data.user.id;
      assert.equal(invited.response.headers.get("Location"), `/v1/accounts/${account.id}/users/${userId}`);
      assert.equal(invited.data.user.email, email);
      assert.deepEqual(invited.data.user.roles.map((r) => r.id), ["billing-admin"]);
      assert.ok(invited.data.temporaryPassword, "a person new to the service gets a temporary password");

      const assigned = await client.PUT("/v1/accounts/{accountId}/users/{userId}/roles/{roleId}", {
        params: { path: { accountId: account.id, userId, roleId: "user-management-admin" } },
      });
      assert.equal(assigned.response.status, 200, JSON.stringify(assigned.error));
      assert.deepEqual(assigned.data?.map((r) => r.id).sort(), ["billing-admin", "user-management-admin"]);

      const roles = await client.GET("/v1/accounts/{accountId}/users/{userId}/roles", { params: { path: { accountId: account.id, userId } } });
      assert.deepEqual(roles.data?.map((r) => r.id).sort(), ["billing-admin", "user-management-admin"]);

      const members = await client.GET("/v1/accounts/{accountId}/roles/{roleId}/members", {
        params: { path: { accountId: account.id, roleId: "user-management-admin" } },
      });
      assert.deepEqual(members.data?.items.map((m) => m.email), [email]);

      const anonymous = partnerAccountsClient(api().baseUrl);
      const signedIn = await anonymous.POST("/v1/auth/token", { body: { email, password: invited.data.temporaryPassword } });
      assert.equal(signedIn.response.status, 200, JSON.stringify(signedIn.error));
      assert.equal(signedIn.data?.passwordChangeRequired, true);
      assert.equal(signedIn.data?.tokenType, "Bearer");

      const wrong = await anonymous.POST("/v1/auth/token", { body: { email, password: "not the password at all" } });
      assert.equal(wrong.response.status, 401);
      assert.equal(wrong.error?.code, "invalid_credentials");
    });

    test("locations: create (201, ETag, Location), list, replace with If-Match, delete with If-Match", async () => {
      const { client, account } = await newAdminWithAccount(api());
      const accountId = account.id;
      const created = await client.POST("/v1/accounts/{accountId}/locations", {
        params: { path: { accountId } },
        body: { name: "Berlin office", address: { addressLine1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "DE" } },
      });
      assert.equal(created.response.status, 201, JSON.stringify(created.error));
      assert.ok(created.data);
      const locationId = created.data.id;
      assert.equal(created.response.headers.get("Location"), `/v1/accounts/${accountId}/locations/${locationId}`);
      const etag = created.response.headers.get("ETag");
      assert.ok(etag);

      const list = await client.GET("/v1/accounts/{accountId}/locations", { params: { path: { accountId }, query: { limit: 1 } } });
      assert.equal(list.data?.items.length, 1);
      assert.ok(list.data?.continuationToken, "the account has its head-office location and the new one");
      assert.match(list.response.headers.get("Link") ?? "", /rel="next"/);
      const next = await client.GET("/v1/accounts/{accountId}/locations", {
        params: { path: { accountId }, query: { limit: 1, continuationToken: list.data.continuationToken } },
      });
      assert.deepEqual(next.data?.items.map((l) => l.id), [locationId]);

      const replaced = await client.PUT("/v1/accounts/{accountId}/locations/{locationId}", {
        params: { path: { accountId, locationId }, header: { "If-Match": etag } },
        body: { name: "Berlin HQ", address: created.data.address },
      });
      assert.equal(replaced.response.status, 200, JSON.stringify(replaced.error));
      assert.equal(replaced.data?.name, "Berlin HQ");
      assert.equal(replaced.data?.mpnId, created.data.mpnId);

      const stale = await client.DELETE("/v1/accounts/{accountId}/locations/{locationId}", { params: { path: { accountId, locationId }, header: { "If-Match": etag } } });
      assert.equal(stale.response.status, 412);
      assert.equal(stale.error?.code, "etag_mismatch");

      const deleted = await client.DELETE("/v1/accounts/{accountId}/locations/{locationId}", {
        params: { path: { accountId, locationId }, header: { "If-Match": replaced.response.headers.get("ETag") ?? "" } },
      });
      assert.equal(deleted.response.status, 204, JSON.stringify(deleted.error));
      const gone = await client.GET("/v1/accounts/{accountId}/locations/{locationId}", { params: { path: { accountId, locationId } } });
      assert.equal(gone.response.status, 404);
    });
  });
}
