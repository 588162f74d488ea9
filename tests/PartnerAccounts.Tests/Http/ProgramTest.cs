using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>Steps the program and enrollment tests share: enrolling, operator decisions, verification and invited members.</summary>
public abstract class ProgramTest : ApiTest
{
    protected static string EnrollmentsOf(Guid accountId) => $"/v1/accounts/{accountId}/enrollments";

    protected static string EnrollmentUri(Guid accountId, string programId) => $"{EnrollmentsOf(accountId)}/{programId}";

    protected static async Task<HttpResponseMessage> EnrollAsync(HttpClient client, Guid accountId, string programId) =>
        await client.SendAsync(Json(HttpMethod.Post, EnrollmentsOf(accountId), new { programId }));

    /// <summary>Enrolls and asserts 201; returns the enrollment.</summary>
    protected static async Task<JsonObject> EnrollOkAsync(HttpClient client, Guid accountId, string programId)
    {
        using var response = await EnrollAsync(client, accountId, programId);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response)).AsObject();
    }

    protected static async Task<HttpResponseMessage> DecideAsync(HttpClient client, Guid accountId, string programId, string status, string? reason = null) =>
        await client.SendAsync(Json(HttpMethod.Post, $"{EnrollmentUri(accountId, programId)}/decisions", new { status, reason }));

    /// <summary>An operator takes a decision that must succeed.</summary>
    protected static async Task DecideOkAsync(Guid accountId, string programId, string status, string? reason = null)
    {
        using var op = AsOperator();
        using var response = await DecideAsync(op, accountId, programId, status, reason);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    protected static async Task<HttpResponseMessage> WithdrawAsync(HttpClient client, Guid accountId, string programId, string? ifMatch) =>
        await client.SendAsync(Json(HttpMethod.Delete, EnrollmentUri(accountId, programId), null, ifMatch));

    /// <summary>An operator moves the account's verification.</summary>
    protected static async Task DecideVerificationAsync(Guid accountId, string status, string? reason = null)
    {
        using var op = AsOperator();
        using var response = await op.SendAsync(Json(HttpMethod.Post, $"/v1/accounts/{accountId}/verification/decisions", new { status, reason }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    /// <summary>A new account whose MPN enrollment is active and whose verification is verified: CSP-ready for its Global admin.</summary>
    protected static async Task<(HttpClient Client, Guid AccountId)> NewQualifiedAccountAsync()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await EnrollOkAsync(client, accountId, "mpn");
        await DecideOkAsync(accountId, "mpn", "active");
        await DecideVerificationAsync(accountId, "verified");
        return (client, accountId);
    }

    /// <summary>Posts an invitation and hands back the raw response (for the tests that expect it to be refused).</summary>
    protected static async Task<HttpResponseMessage> PostInviteAsync(HttpClient admin, Guid accountId, string email, params string[] roles) =>
        await admin.PostAsJsonAsync($"/v1/accounts/{accountId}/users", new { email, roles });

    protected static async Task<string> StatusOfAsync(HttpClient client, Guid accountId, string programId)
    {
        var (enrollment, _) = await GetWithETagAsync(client, EnrollmentUri(accountId, programId));
        return enrollment["status"]!.GetValue<string>();
    }

    protected static async Task<JsonObject> GetJsonAsync(HttpClient client, string uri)
    {
        using var response = await client.GetAsync(new Uri(uri, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response)).AsObject();
    }

    protected static IReadOnlyList<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];
}
