using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>The conventions every endpoint follows (README): strict JSON bodies, preconditions before content, If-Match lists.</summary>
public sealed class StrictHttpTests : ApiTest
{
    private const string StaleETag = "\"987654\"";

    private static string LocationsOf(Guid accountId) => $"/v1/accounts/{accountId}/locations";

    private static string SupportOf(Guid accountId) => $"/v1/accounts/{accountId}/profiles/support";

    private const string ValidSupportBody = """{"email":"help@contoso.example","phoneNumber":"+49 30 1234567","website":"https://help.contoso.example"}""";

    private static async Task<Guid> HeadquartersIdAsync(HttpClient client, Guid accountId)
    {
        var page = (await client.GetFromJsonAsync<JsonObject>(LocationsOf(accountId)))!;
        return page["items"]![0]!["id"]!.GetValue<Guid>();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string uri, string? body, string? ifMatch = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    [Test]
    public async Task InviteUser_WhenRolesAreNamedTwiceInAnotherLetterCase_ShouldReturn400DuplicatePropertyAndInviteNobody()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var email = NewEmail("escalation");

        using var response = await SendAsync(admin, HttpMethod.Post, $"/v1/accounts/{accountId}/users",
            $$"""{"email":"{{email}}","roles":["billing-admin"],"Roles":["global-admin"]}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "duplicate_property");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "Roles" }));
        var users = (await admin.GetFromJsonAsync<JsonObject>($"/v1/accounts/{accountId}/users?limit=200"))!;
        Assert.That(users.ToJsonString(), Does.Not.Contain(email), "a refused request changes nothing");
    }

    [Test]
    public async Task CreateAccount_WhenAPropertyIsNamedTwiceInTheSameCase_ShouldReturn400DuplicateProperty()
    {
        using var client = As(NewEmail());
        var body = Serialize(NewAccountBody())[..^1] + ""","legalName":"Second Name"}""";

        using var response = await SendAsync(client, HttpMethod.Post, "/v1/accounts", body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "duplicate_property");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "legalName" }));
        var mine = (await client.GetFromJsonAsync<JsonObject>("/v1/me/accounts"))!;
        Assert.That(mine["items"]!.AsArray(), Is.Empty, "no account was created");
    }

    [Test]
    public async Task CreateLocation_WhenANestedObjectNamesAPropertyTwice_ShouldReturn400DuplicatePropertyNamingItsPath()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await SendAsync(admin, HttpMethod.Post, LocationsOf(accountId),
            """{"name":"Berlin","address":{"addressLine1":"Unter den Linden 1","city":"Berlin","CITY":"Bonn","postalCode":"10117","country":"DE"}}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "duplicate_property");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "address.CITY" }));
        var page = (await admin.GetFromJsonAsync<JsonObject>(LocationsOf(accountId)))!;
        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(1), "only the headquarters");
    }

    [TestCase("""{"name":"Berlin","isHeadquarters":true,"address":{"addressLine1":"Unter den Linden 1","city":"Berlin","postalCode":"10117","country":"DE"}}""", "isHeadquarters")]
    [TestCase("""{"name":"Berlin","address":{"addressLine1":"Unter den Linden 1","city":"Berlin","postalCode":"10117","country":"DE","mpnId":"1234567"}}""", "address.mpnId")]
    public async Task CreateLocation_WhenAPropertyIsNotInTheSchema_ShouldReturn400UnknownPropertyNamingItsPath(string body, string path)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await SendAsync(admin, HttpMethod.Post, LocationsOf(accountId), body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unknown_property");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { path }));
        var page = (await admin.GetFromJsonAsync<JsonObject>(LocationsOf(accountId)))!;
        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(1), "only the headquarters");
    }

    /// <summary>Bodies refused while reading (or by validation), each sent without If-Match and with a stale one.</summary>
    private static IEnumerable<TestCaseData> RefusedBodies()
    {
        yield return new TestCaseData("""{"email":"not an email"}""", "application/json").SetName("{m}(invalid field)");
        yield return new TestCaseData("""{"email":"a@contoso.example","Email":"b@contoso.example"}""", "application/json").SetName("{m}(duplicate property)");
        yield return new TestCaseData("""{"email":"a@contoso.example","fax":"1"}""", "application/json").SetName("{m}(unknown property)");
        yield return new TestCaseData("""{"email":""", "application/json").SetName("{m}(unreadable JSON)");
        yield return new TestCaseData("", "application/json").SetName("{m}(empty body)");
        yield return new TestCaseData(ValidSupportBody, "text/plain").SetName("{m}(wrong content type)");
    }

    [TestCaseSource(nameof(RefusedBodies))]
    public async Task ReplaceSupportProfile_WhenIfMatchIsMissingWhateverTheBody_ShouldReturn428(string body, string contentType)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(admin, SupportOf(accountId));

        using var response = await SendAsync(admin, HttpMethod.Put, SupportOf(accountId), body, ifMatch: null, contentType);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "if_match_required");
        Assert.That((await GetWithETagAsync(admin, SupportOf(accountId))).ETag, Is.EqualTo(etag), "nothing changed");
    }

    [TestCaseSource(nameof(RefusedBodies))]
    public async Task ReplaceSupportProfile_WhenIfMatchIsStaleWhateverTheBody_ShouldReturn412(string body, string contentType)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(admin, SupportOf(accountId));

        using var response = await SendAsync(admin, HttpMethod.Put, SupportOf(accountId), body, StaleETag, contentType);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        Assert.That((await GetWithETagAsync(admin, SupportOf(accountId))).ETag, Is.EqualTo(etag), "nothing changed");
    }

    [TestCase("""{"email":"a@contoso.example","Email":"b@contoso.example"}""", "duplicate_property")]
    [TestCase("""{"email":"a@contoso.example","fax":"1"}""", "unknown_property")]
    [TestCase("""{"email":"not an email"}""", "validation_failed")]
    [TestCase("""{"email":""", "malformed_request")]
    public async Task ReplaceSupportProfile_WhenIfMatchIsCurrentButTheBodyIsRefused_ShouldReturn400WithTheBodysCode(string body, string code)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(admin, SupportOf(accountId));

        using var response = await SendAsync(admin, HttpMethod.Put, SupportOf(accountId), body, etag);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.That((await GetWithETagAsync(admin, SupportOf(accountId))).ETag, Is.EqualTo(etag), "nothing changed");
    }

    [Test]
    public async Task ReplaceSupportProfile_WhenAStrangerSendsAStaleIfMatchAndAnUnreadableBody_ShouldReturn404AndRevealNothing()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var stranger = As(NewEmail("stranger"));

        using var response = await SendAsync(stranger, HttpMethod.Put, SupportOf(accountId), "{", StaleETag);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task ReplaceSupportProfile_WhenAMemberWithoutThePermissionSendsAStaleIfMatchAndAnUnreadableBody_ShouldReturn403()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (reader, _, _) = await NewMemberAsync(admin, accountId);

        using var response = await SendAsync(reader, HttpMethod.Put, SupportOf(accountId), "{", StaleETag);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "permission_denied");
    }

    [TestCase("""{"name":"Berlin","address":{"addressLine1":"Unter den Linden 1","city":"Berlin","postalCode":"10117","country":"DE"}}""")]
    [TestCase("""{"name":"Berlin","Name":"Bonn"}""")]
    [TestCase("not json")]
    public async Task ReplaceLocation_WhenTheLocationIsMissingWithAStaleIfMatch_ShouldReturn404WhateverTheBody(string body)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await SendAsync(admin, HttpMethod.Put, $"{LocationsOf(accountId)}/{Guid.NewGuid()}", body, StaleETag);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "resource_not_found");
    }

    /// <summary>Every conditional PUT with a body: a duplicate-property body is judged after its precondition.</summary>
    private static readonly string[] ConditionalPuts = ["legalbusiness", "organization", "support", "business", "billing", "location", "user"];

    private static async Task<string> ConditionalUriAsync(HttpClient admin, Guid accountId, string route) => route switch
    {
        "location" => $"{LocationsOf(accountId)}/{await HeadquartersIdAsync(admin, accountId)}",
        "user" => $"/v1/accounts/{accountId}/users/{(await admin.GetFromJsonAsync<JsonObject>($"/v1/accounts/{accountId}/users"))!["items"]![0]!["id"]!.GetValue<Guid>()}",
        _ => $"/v1/accounts/{accountId}/profiles/{route}",
    };

    [TestCaseSource(nameof(ConditionalPuts))]
    public async Task ConditionalPut_WhenTheBodyIsRefused_ShouldAnswer428WithoutIfMatchAnd412WhenStale(string route)
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var uri = await ConditionalUriAsync(admin, accountId, route);
        const string Duplicate = """{"a":1,"A":2}""";

        using var missing = await SendAsync(admin, HttpMethod.Put, uri, Duplicate);
        using var stale = await SendAsync(admin, HttpMethod.Put, uri, Duplicate, StaleETag);
        using var notJson = await SendAsync(admin, HttpMethod.Put, uri, "{", StaleETag);
        using var invalid = await SendAsync(admin, HttpMethod.Put, uri, "{}", StaleETag);

        // The billing profile exists only once it was written: then the missing resource answers first.
        if (route == "billing" && missing.StatusCode == HttpStatusCode.NotFound)
        {
            await AssertProblemAsync(stale, HttpStatusCode.NotFound, "resource_not_found");
            return;
        }

        await AssertProblemAsync(missing, HttpStatusCode.PreconditionRequired, "if_match_required");
        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        await AssertProblemAsync(notJson, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        await AssertProblemAsync(invalid, HttpStatusCode.PreconditionFailed, "etag_mismatch");
    }

    [Test]
    public async Task ReplaceSupportProfile_WhenIfMatchListsAnOldAndTheCurrentTag_ShouldReplace()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(admin, SupportOf(accountId));

        using var response = await SendAsync(admin, HttpMethod.Put, SupportOf(accountId), ValidSupportBody, $"{StaleETag}, W/\"1\", {etag}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag?.Tag, Is.Not.EqualTo(etag));
    }

    [Test]
    public async Task ReplaceSupportProfile_WhenIfMatchIsSentOnSeveralHeaderLines_ShouldMatchAnyOfThem()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(admin, SupportOf(accountId));
        using var request = new HttpRequestMessage(HttpMethod.Put, SupportOf(accountId)) { Content = new StringContent(ValidSupportBody, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-Match", [StaleETag, etag]);

        using var response = await admin.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task ReplaceSupportProfile_WhenIfMatchListsOnlyOldOrWeakTags_ShouldReturn412()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(admin, SupportOf(accountId));

        using var weak = await SendAsync(admin, HttpMethod.Put, SupportOf(accountId), ValidSupportBody, "W/" + etag);
        using var old = await SendAsync(admin, HttpMethod.Put, SupportOf(accountId), ValidSupportBody, $"{StaleETag}, \"987655\"");

        await AssertProblemAsync(weak, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        await AssertProblemAsync(old, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        Assert.That((await GetWithETagAsync(admin, SupportOf(accountId))).ETag, Is.EqualTo(etag), "nothing changed");
    }

    [Test]
    public async Task ReplaceSupportProfile_WhenIfMatchIsAStar_ShouldReplaceTheCurrentRepresentation()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await SendAsync(admin, HttpMethod.Put, SupportOf(accountId), ValidSupportBody, "*");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
