using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Http;
using PartnerAccounts.Api.Auth;

namespace PartnerAccounts.Tests.Infrastructure;

/// <summary>Base of the HTTP tests: clients for people, and the few helpers every test needs.</summary>
public abstract class ApiTest
{
    protected static ApiFactory Factory => TestHost.Factory;

    /// <summary>A new, unique email, so tests never see each other's accounts.</summary>
    protected static string NewEmail(string who = "user") => $"{who}-{Guid.NewGuid():N}@example.com";

    protected static HttpClient Anonymous() => Factory.CreateClient();

    protected static HttpClient As(string email, bool isOperator = false)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Authentication.CreateToken(Factory.Configuration, email, isOperator, TimeSpan.FromMinutes(10)));
        return client;
    }

    protected static HttpClient AsOperator() => As(NewEmail("operator"), isOperator: true);

    protected static object NewAccountBody(string? legalName = null, string? contactEmail = null) => new
    {
        legalName = legalName ?? "Fabrikam " + Guid.NewGuid().ToString("N")[..8],
        address = new { addressLine1 = "1 Main St", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
        primaryContact = new { firstName = "Pat", lastName = "Lee", email = contactEmail ?? "pat@fabrikam.example", phoneNumber = "+1 206 555 0100" },
    };

    /// <summary>Creates an account as <paramref name="client"/> (who becomes its Global admin) and returns its JSON.</summary>
    protected static async Task<JsonObject> CreateAccountAsync(HttpClient client, string? legalName = null)
    {
        using var response = await client.PostAsJsonAsync("/v1/accounts", NewAccountBody(legalName));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response)).AsObject();
    }

    /// <summary>A new person with a new account of their own: their client and the account id.</summary>
    protected static async Task<(HttpClient Client, Guid AccountId, JsonObject Account)> NewAdminWithAccountAsync()
    {
        var client = As(NewEmail("admin"));
        var account = await CreateAccountAsync(client);
        return (client, account["id"]!.GetValue<Guid>(), account);
    }

    /// <summary>
    /// Invites <paramref name="email"/> into the account with <paramref name="roles"/>, asserting a 201; returns the new user id
    /// and the temporary password (null when the person already had a sign-in).
    /// </summary>
    protected static async Task<(Guid UserId, string? TemporaryPassword)> InviteAsync(HttpClient client, Guid accountId, string email, params string[] roles)
    {
        using var response = await client.PostAsJsonAsync($"/v1/accounts/{accountId}/users", new { email, roles });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var invited = await ReadJsonAsync(response);
        return (invited["user"]!["id"]!.GetValue<Guid>(), invited["temporaryPassword"]?.GetValue<string>());
    }

    /// <summary>A new member of the account holding exactly <paramref name="roles"/> (invited by <paramref name="admin"/>), with a client of their own.</summary>
    protected static async Task<(HttpClient Client, Guid UserId, string Email)> NewMemberAsync(HttpClient admin, Guid accountId, params string[] roles)
    {
        var email = NewEmail(roles.Length == 0 ? "norole" : roles[0]);
        var (userId, _) = await InviteAsync(admin, accountId, email, roles);
        return (As(email), userId, email);
    }

    /// <summary>Signs in with email and password (POST /v1/auth/token), asserting a 200; returns a client carrying the token, and the token response.</summary>
    protected static async Task<(HttpClient Client, JsonObject Token)> SignInAsync(string email, string password)
    {
        using var anonymous = Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/v1/auth/token", new { email, password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var token = (await ReadJsonAsync(response)).AsObject();
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["accessToken"]!.GetValue<string>());
        return (client, token);
    }

    protected static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new AssertionException("The response body was empty.");
    }

    protected static HttpRequestMessage Json(HttpMethod method, string uri, object? body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = body is string raw
                ? new StringContent(raw, Encoding.UTF8, "application/json")
                : JsonContent.Create(body);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    /// <summary>Reads a resource and returns its body and ETag.</summary>
    protected static async Task<(JsonObject Body, string ETag)> GetWithETagAsync(HttpClient client, string uri)
    {
        using var response = await client.GetAsync(uri);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.ETag, Is.Not.Null, "a changeable resource carries an ETag");
        Assert.That(response.Headers.ETag!.IsWeak, Is.False, "ETags are strong");
        return ((await ReadJsonAsync(response)).AsObject(), response.Headers.ETag.Tag);
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and stable code, and returns it.</summary>
    protected static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(problem["code"]?.GetValue<string>(), Is.EqualTo(code), text);
            Assert.That(problem["status"]?.GetValue<int>(), Is.EqualTo((int)status));
            Assert.That(problem["type"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty);
            Assert.That(problem["title"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty);
            Assert.That(problem["instance"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty);
            AssertPartnerCenterFault(problem, text);
        });
        return problem;
    }

    /// <summary>
    /// Partner Center's fault members, on every problem (its SDK reads them into <c>ApiFault</c>): <c>description</c> is the
    /// <c>detail</c>, <c>data</c> the field messages of <c>errors</c> (as <c>field: message</c>), else empty.
    /// </summary>
    protected static void AssertPartnerCenterFault(JsonObject problem, string text)
    {
        Assert.That(problem["description"]?.GetValue<string>(), Is.EqualTo(problem["detail"]?.GetValue<string>()).And.Not.Empty, text);
        var expected = problem["errors"] is JsonObject errors
            ? errors.SelectMany(field => field.Value!.AsArray().Select(message => field.Key + ": " + message!.GetValue<string>())).ToList()
            : [];
        Assert.That(problem["data"] is JsonArray, Is.True, "data is an array: " + text);
        Assert.That(problem["data"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(expected), text);
    }

    /// <summary>
    /// A 429 on the Partner Center-compatible paths (/v1/profiles/*): <c>Retry-After</c>, and Partner Center's body, with
    /// <c>statusCode</c> and <c>message</c> but without <c>code</c>, <c>description</c> or <c>data</c>, so Partner Center's SDK
    /// sets <c>PartnerException.RetryAfter</c>. Returns the body.
    /// </summary>
    protected static async Task<JsonObject> AssertPartnerCenterRateLimitAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), text);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.That(retryAfter, Is.GreaterThan(TimeSpan.Zero), "Retry-After in seconds");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(body["statusCode"]?.GetValue<int>(), Is.EqualTo(429), text);
            Assert.That(body["message"]?.GetValue<string>(), Is.EqualTo($"Rate limit is exceeded. Try again in {(int)retryAfter!.Value.TotalSeconds} seconds."), text);
            Assert.That(body.Select(p => p.Key), Has.None.EqualTo("code").And.None.EqualTo("description").And.None.EqualTo("data"), text);
        });
        return body;
    }

    /// <summary>The field names a validation problem lists.</summary>
    protected static IReadOnlyCollection<string> FieldErrors(JsonObject problem) =>
        problem["errors"] is JsonObject errors ? errors.Select(e => e.Key).ToList() : [];

    protected static string Serialize(object value) => JsonSerializer.Serialize(value);
}
