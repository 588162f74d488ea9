using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>The Partner Center-compatible routes over HTTP: the caller's account, preconditions, rules, masking and audit of the account routes.</summary>
public sealed class PartnerCenterProfilesTests : ApiTest
{
    private const string SelectionHeader = "X-Account-Id";

    private static HttpRequestMessage Selecting(HttpMethod method, string uri, Guid? accountId, object? body = null, string? ifMatch = null)
    {
        var request = Json(method, uri, body, ifMatch);
        if (accountId is { } id)
        {
            request.Headers.Add(SelectionHeader, id.ToString());
        }

        return request;
    }

    private static async Task<JsonObject> GetPcAsync(HttpClient client, string uri)
    {
        using var response = await client.GetAsync(uri);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static JsonObject WithoutEtag(JsonObject resource)
    {
        var copy = resource.DeepClone().AsObject();
        copy["attributes"]!.AsObject().Remove("etag");
        return copy;
    }

    [Test]
    public async Task GetPartnerCenterProfile_WhenCallerBelongsToSeveralAccountsWithoutXAccountId_ShouldReturn400AccountSelectionRequired()
    {
        var (admin, _, _) = await NewAdminWithAccountAsync();
        await CreateAccountAsync(admin);

        foreach (var uri in new[] { "/v1/profiles/legalbusiness", "/v1/profiles/organization", "/v1/profiles/support", "/v1/profiles/billing", "/v1/profiles/mpn" })
        {
            using var response = await admin.GetAsync(uri);
            var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "account_selection_required");
            Assert.That(FieldErrors(problem), Is.EqualTo(new[] { SelectionHeader }), uri);
        }
    }

    [Test]
    public async Task GetPartnerCenterProfile_WhenXAccountIdNamesOneOfTheCallersAccounts_ShouldAnswerForThatAccount()
    {
        var (admin, _, _) = await NewAdminWithAccountAsync();
        var second = await CreateAccountAsync(admin, "Second " + Guid.NewGuid().ToString("N")[..8]);

        using var response = await admin.SendAsync(Selecting(HttpMethod.Get, "/v1/profiles/legalbusiness", second["id"]!.GetValue<Guid>()));

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(JsonNode.Parse(text)!["companyName"]!.GetValue<string>(), Is.EqualTo(second["legalName"]!.GetValue<string>()));
    }

    [Test]
    public async Task PartnerCenterProfile_WhenXAccountIdNamesAnAccountOfSomeoneElse_ShouldReturn404AndChangeNothing()
    {
        var (admin, _, _) = await NewAdminWithAccountAsync();
        var (victimAdmin, victimId, _) = await NewAdminWithAccountAsync();
        var (before, etag) = await GetWithETagAsync(victimAdmin, $"/v1/accounts/{victimId}/profiles/support");

        using var get = await admin.SendAsync(Selecting(HttpMethod.Get, "/v1/profiles/support", victimId));
        using var put = await admin.SendAsync(Selecting(HttpMethod.Put, "/v1/profiles/support", victimId, new { email = "evil@example.com" }, etag));
        using var mpn = await admin.SendAsync(Selecting(HttpMethod.Get, "/v1/profiles/mpn", victimId));

        await AssertProblemAsync(get, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(put, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(mpn, HttpStatusCode.NotFound, "account_not_found");
        var (after, _) = await GetWithETagAsync(victimAdmin, $"/v1/accounts/{victimId}/profiles/support");
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [Test]
    public async Task GetPartnerCenterProfile_WhenXAccountIdIsNotAnAccountId_ShouldReturn400()
    {
        var (admin, _, _) = await NewAdminWithAccountAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/profiles/support");
        request.Headers.Add(SelectionHeader, "not-a-guid");

        using var response = await admin.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { SelectionHeader }));
    }

    [Test]
    public async Task GetPartnerCenterProfile_WhenCallerIsNoMemberOfAnyAccount_ShouldReturn404()
    {
        using var stranger = As(NewEmail("stranger"));

        using var response = await stranger.GetAsync("/v1/profiles/billing");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task GetPartnerCenterMpnProfile_WithTheAccountsApiKey_ShouldReturnTheKeysOwnAccountsMpnProfile()
    {
        var (admin, accountId, account) = await NewAdminWithAccountAsync();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId);
        using var integration = ApiKeyRequests.WithKey(Anonymous(), key.Secret);

        var profile = await GetPcAsync(integration, "/v1/profiles/mpn");

        Assert.Multiple(() =>
        {
            Assert.That(profile["mpnId"]!.GetValue<string>(), Is.EqualTo(account["mpnId"]!.GetValue<string>()));
            Assert.That(profile["partnerName"]!.GetValue<string>(), Is.EqualTo(account["legalName"]!.GetValue<string>()));
        });
    }

    [Test]
    public async Task GetPartnerCenterMpnProfile_WithAnApiKeyAndAnotherAccountInXAccountId_ShouldReturn404()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, otherId, _) = await NewAdminWithAccountAsync();
        var key = await ApiKeyRequests.CreateAsync(admin, accountId);
        using var integration = ApiKeyRequests.WithKey(Anonymous(), key.Secret);

        using var response = await integration.SendAsync(Selecting(HttpMethod.Get, "/v1/profiles/mpn", otherId));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task GetPartnerCenterMpnProfile_WithAnEmptyMpnId_ShouldStillBe400InvalidMpnId()
    {
        var (admin, _, _) = await NewAdminWithAccountAsync();

        using var response = await admin.GetAsync("/v1/profiles/mpn?mpnId=");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_mpn_id");
    }

    [Test]
    public async Task PutPartnerCenterSupportProfile_WithoutIfMatchOrAttributesEtag_ShouldReturn428AndChangeNothing()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var profile = WithoutEtag(await GetPcAsync(admin, "/v1/profiles/support"));
        profile["email"] = "changed@fabrikam.example";

        using var response = await admin.SendAsync(Json(HttpMethod.Put, "/v1/profiles/support", profile.ToJsonString()));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "if_match_required");
        var after = await GetPcAsync(admin, "/v1/profiles/support");
        Assert.That(after["email"]?.GetValue<string>(), Is.Not.EqualTo("changed@fabrikam.example"));
        Assert.That(await AuditLog.ReadAsync(accountId, "profiles/support"), Is.Empty);
    }

    [Test]
    public async Task PutPartnerCenterSupportProfile_WhenTheBodysEtagIsStale_ShouldReturn412AndChangeNothing()
    {
        var (admin, _, _) = await NewAdminWithAccountAsync();
        var stale = await GetPcAsync(admin, "/v1/profiles/support");
        var current = await GetPcAsync(admin, "/v1/profiles/support");
        current["email"] = "first@fabrikam.example";
        using (var first = await admin.SendAsync(Json(HttpMethod.Put, "/v1/profiles/support", current.ToJsonString())))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        }

        stale["email"] = "second@fabrikam.example";
        using var response = await admin.SendAsync(Json(HttpMethod.Put, "/v1/profiles/support", stale.ToJsonString()));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        Assert.That((await GetPcAsync(admin, "/v1/profiles/support"))["email"]!.GetValue<string>(), Is.EqualTo("first@fabrikam.example"));
    }

    [Test]
    public async Task PutPartnerCenterSupportProfile_WhenIfMatchIsStale_ShouldReturn412EvenWithACurrentBodyEtag()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, staleETag) = await GetWithETagAsync(admin, $"/v1/accounts/{accountId}/profiles/support");
        var current = await GetPcAsync(admin, "/v1/profiles/support");
        current["email"] = "first@fabrikam.example";
        using (var first = await admin.SendAsync(Json(HttpMethod.Put, "/v1/profiles/support", current.ToJsonString(), staleETag)))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        }

        var fresh = await GetPcAsync(admin, "/v1/profiles/support");
        fresh["email"] = "second@fabrikam.example";
        using var response = await admin.SendAsync(Json(HttpMethod.Put, "/v1/profiles/support", fresh.ToJsonString(), staleETag));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "etag_mismatch");
    }

    [Test]
    public async Task PutPartnerCenterLegalBusinessProfile_WhenFieldsAreInvalid_ShouldReturn400WithTheAccountRoutesRulesAndChangeNothing()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var profile = await GetPcAsync(admin, "/v1/profiles/legalbusiness");
        profile["companyName"] = "";
        profile["address"]!["country"] = "usa";
        profile["companyApproverEmail"] = "nope";

        using var response = await admin.SendAsync(Json(HttpMethod.Put, "/v1/profiles/legalbusiness", profile.ToJsonString()));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem["data"]!.AsArray(), Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(await AuditLog.ReadAsync(accountId, "profiles/legalbusiness"), Is.Empty);
    }

    [Test]
    public async Task PutPartnerCenterLegalBusinessProfile_WhenCallerLacksThePermission_ShouldReturn403LikeTheAccountRoute()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (agent, _, _) = await NewMemberAsync(admin, accountId, "sales-agent");
        var profile = await GetPcAsync(agent, "/v1/profiles/legalbusiness");
        profile["companyName"] = "Renamed By Agent";

        using var response = await agent.SendAsync(Json(HttpMethod.Put, "/v1/profiles/legalbusiness", profile.ToJsonString()));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "permission_denied");
    }

    [Test]
    public async Task PutPartnerCenterLegalBusinessProfile_WhenTheLegalNameChanges_ShouldAuditItAndRestartVerificationLikeTheAccountRoute()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var profile = await GetPcAsync(admin, "/v1/profiles/legalbusiness");
        profile["companyName"] = "Renamed Through Partner Center Ltd";

        using var response = await admin.SendAsync(Json(HttpMethod.Put, "/v1/profiles/legalbusiness", profile.ToJsonString()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var records = await AuditLog.ReadAsync(accountId, "profiles/legalbusiness");
        Assert.That(records.Select(r => r.Action), Is.EqualTo(new[] { "updated" }));
        Assert.That(records[0].After, Does.Contain("Renamed Through Partner Center Ltd"));
        var (accountRoute, _) = await GetWithETagAsync(admin, $"/v1/accounts/{accountId}/profiles/legalbusiness");
        Assert.That(accountRoute["companyName"]!.GetValue<string>(), Is.EqualTo("Renamed Through Partner Center Ltd"));
    }

    [Test]
    public async Task PutPartnerCenterBillingProfile_WithBankInformation_ShouldStoreItAndReturnOnlyTheLastFourEverywhere()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var profile = await GetPcAsync(admin, "/v1/profiles/billing");
        profile.Remove("bankInformation");
        profile["bankInformation"] = new JsonObject { ["accountHolderName"] = "Fabrikam Ltd", ["routingNumber"] = "021000021", ["accountNumber"] = "123456789012" };

        using var response = await admin.SendAsync(Json(HttpMethod.Put, "/v1/profiles/billing", profile.ToJsonString()));
        var putText = await response.Content.ReadAsStringAsync();
        var getText = (await GetPcAsync(admin, "/v1/profiles/billing")).ToJsonString();
        var audit = string.Join("\n", (await AuditLog.ReadAsync(accountId, "profiles/billing")).Select(r => r.Before + r.After));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), putText);
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.Parse(getText)!["bankInformation"]!["accountNumberLast4"]!.GetValue<string>(), Is.EqualTo("9012"));
            Assert.That(putText, Does.Not.Contain("123456789012"));
            Assert.That(getText, Does.Not.Contain("123456789012"));
            Assert.That(audit, Does.Not.Contain("123456789012"));
        });
    }

    [Test]
    public async Task GetPartnerCenterLegalBusinessProfile_ShouldHavePartnerCentersShapeAndETag()
    {
        var (admin, _, _) = await NewAdminWithAccountAsync();

        using var response = await admin.GetAsync("/v1/profiles/legalbusiness");
        var profile = (await ReadJsonAsync(response)).AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(profile["profileType"]!.GetValue<string>(), Is.EqualTo("legal_business_profile"));
            Assert.That(profile["links"]!["self"]!["uri"]!.GetValue<string>(), Is.EqualTo("/v1/profiles/legalbusiness"));
            Assert.That(profile["attributes"]!["objectType"]!.GetValue<string>(), Is.EqualTo("LegalBusinessProfile"));
            Assert.That(profile["attributes"]!["etag"]!.GetValue<string>(), Is.EqualTo(response.Headers.ETag!.Tag));
            Assert.That(profile["companyApproverEmail"]!.GetValue<string>(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task GetPartnerCenterProfile_WithXLocale_ShouldBeAccepted()
    {
        var (admin, _, _) = await NewAdminWithAccountAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/profiles/organization");
        request.Headers.Add("X-Locale", "de-DE");

        using var response = await admin.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
