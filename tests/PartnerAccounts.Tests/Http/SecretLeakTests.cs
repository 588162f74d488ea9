using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// Bank numbers, passwords, temporary passwords, API keys, webhook signing secrets and issued tokens never show up in the logs (every level, every
/// category, scopes and exceptions included), in the audit records, or in any response after the one that created them.
/// The run uses a host of its own that logs everything at Trace into a <see cref="LogCapture"/>.
/// </summary>
public sealed partial class SecretLeakTests : ApiTest
{
    // A valid IBAN, sent spaced and in lower case; only its last four may ever be shown.
    private const string Iban = "DE89370400440532013000";
    private const string IbanAsSent = "de89 3704 0044 0532 0130 00";
    private const string RoutingNumber = "021000021";
    private const string UsAccountNumber = "98765432101234";

    [Test]
    public async Task FullRun_ShouldNeverLogAuditOrReturnASecretAfterItWasCreated()
    {
        var capture = new LogCapture();
        await using var host = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("Logging:LogLevel:Default", "Trace")
            .UseSetting("Logging:LogLevel:Microsoft", "Trace")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace")
            .UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace")
            .UseSetting("Webhooks:AllowPrivateTargets", "true") // the subscription's target below is a loopback address
            // Only the capture: the console would print the whole Trace run into the test output.
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(capture).AddFilter<LogCapture>(null, LogLevel.Trace)));
        var secrets = new Dictionary<string, string>();
        var responses = new List<string>();

        var adminEmail = NewEmail("leak-admin");
        using var admin = Client(host, Authentication.CreateToken(Factory.Configuration, adminEmail, isOperator: false, TimeSpan.FromMinutes(10)));
        var accountId = (await CreateAccountAsync(admin))["id"]!.GetValue<Guid>();
        var billing = $"/v1/accounts/{accountId}/profiles/billing";

        // Bank numbers: an IBAN, then a US account that replaces it.
        secrets["IBAN"] = Iban;
        await ExpectAsync(admin, HttpMethod.Put, billing, BillingBody(new { accountHolderName = "Fabrikam GmbH", iban = IbanAsSent }), HttpStatusCode.OK, "*");
        secrets["US account number"] = UsAccountNumber;
        var usBank = new { accountHolderName = "Fabrikam Inc", routingNumber = RoutingNumber, accountNumber = UsAccountNumber };
        await ExpectAsync(admin, HttpMethod.Put, billing, BillingBody(usBank), HttpStatusCode.OK, "*");

        // A person invited with a temporary password, who signs in, changes it, signs in again and mistypes once.
        var inviteeEmail = NewEmail("leak-invitee");
        var invited = await ExpectAsync(admin, HttpMethod.Post, $"/v1/accounts/{accountId}/users",
            new { email = inviteeEmail, displayName = "Invitee", roles = new[] { "billing-admin" } }, HttpStatusCode.Created);
        var userId = invited["user"]!["id"]!.GetValue<Guid>();
        secrets["invite temporary password"] = invited["temporaryPassword"]!.GetValue<string>();
        var firstPassword = "Correct-Horse-" + Guid.NewGuid().ToString("N")[..12];
        secrets["first password"] = firstPassword;
        await ChangePasswordAsync(host, inviteeEmail, secrets["invite temporary password"], firstPassword, secrets);

        using var anonymous = Client(host, null);
        var wrongPassword = "Wrong-Guess-" + Guid.NewGuid().ToString("N")[..12];
        secrets["mistyped password"] = wrongPassword;
        await ExpectAsync(anonymous, HttpMethod.Post, "/v1/auth/token", new { email = inviteeEmail, password = wrongPassword }, HttpStatusCode.Unauthorized);

        // The admin resets the password; the person leaves the temporary one for a new password.
        var reset = await ExpectAsync(admin, HttpMethod.Post, $"/v1/accounts/{accountId}/users/{userId}/password-resets", null, HttpStatusCode.Created);
        secrets["reset temporary password"] = reset["temporaryPassword"]!.GetValue<string>();
        var secondPassword = "Battery-Staple-" + Guid.NewGuid().ToString("N")[..12];
        secrets["second password"] = secondPassword;
        await ChangePasswordAsync(host, inviteeEmail, secrets["reset temporary password"], secondPassword, secrets);
        var signedIn = await ExpectAsync(anonymous, HttpMethod.Post, "/v1/auth/token", new { email = inviteeEmail, password = secondPassword }, HttpStatusCode.OK);
        secrets["access token"] = signedIn["accessToken"]!.GetValue<string>();
        using var invitee = Client(host, secrets["access token"]);

        var apiKeysUri = $"/v1/accounts/{accountId}/api-keys";
        var hasApiKeys = MapsRoute(host, "/accounts/{accountId}/api-keys", HttpMethods.Post);
        if (hasApiKeys)
        {
            var created = await ExpectAsync(admin, HttpMethod.Post, apiKeysUri, new { name = "leak-test" }, HttpStatusCode.Created);
            secrets["API key"] = ApiKeySecretOf(created);
        }

        // A webhook's signing secret, then the one its rotation issues.
        var webhooksUri = $"/v1/accounts/{accountId}/webhooks";
        var webhook = await ExpectAsync(admin, HttpMethod.Post, webhooksUri, new { url = "http://127.0.0.1:9/leak-test", events = new[] { "*" }, enabled = true }, HttpStatusCode.Created);
        secrets["webhook secret"] = webhook["secret"]!.GetValue<string>();
        var webhookUri = $"{webhooksUri}/{webhook["id"]!.GetValue<Guid>()}";
        var rotated = await ExpectAsync(admin, HttpMethod.Post, $"{webhookUri}/secret-rotations", null, HttpStatusCode.OK);
        secrets["rotated webhook secret"] = rotated["secret"]!.GetValue<string>();
        secrets["webhook key"] = secrets["webhook secret"]["whsec_".Length..]; // the key alone, as a signer would use it
        secrets["rotated webhook key"] = secrets["rotated webhook secret"]["whsec_".Length..];

        // Every later read.
        var reads = new List<(HttpClient Client, string Uri)>
        {
            (admin, $"/v1/accounts/{accountId}"),
            (admin, billing),
            (admin, $"/v1/accounts/{accountId}/users"),
            (admin, $"/v1/accounts/{accountId}/users/{userId}"),
            (admin, $"/v1/accounts/{accountId}/users/{userId}/roles"),
            (admin, "/v1/me/accounts"),
            (invitee, "/v1/me/accounts"),
            (invitee, billing),
            (admin, webhooksUri),
            (admin, webhookUri),
        };
        if (hasApiKeys)
        {
            reads.Add((admin, apiKeysUri));
        }

        foreach (var (client, uri) in reads)
        {
            responses.Add((await ReadAsync(client, uri, HttpStatusCode.OK)).All);
        }

        var auditPages = await ReadAllAuditPagesAsync(admin, accountId);
        responses.AddRange(auditPages);
        var billingRead = JsonNode.Parse((await ReadAsync(admin, billing, HttpStatusCode.OK)).Body)!;
        Assert.That(billingRead["bankInformation"]!["accountNumberLast4"]!.GetValue<string>(), Is.EqualTo(UsAccountNumber[^4..]), "the read shows the last four");

        string[] storedAudit;
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            storedAudit = [.. (await db.AuditRecords.AsNoTracking().Where(r => r.AccountId == accountId).ToListAsync()).Select(r => JsonSerializer.Serialize(r))];
        }

        var logs = capture.Lines;
        Assert.Multiple(() =>
        {
            // The capture really sees everything: EF Core's SQL at its lowest level and the request scopes.
            Assert.That(logs.Any(l => l.Category.StartsWith("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal)), "EF Core commands are captured");
            Assert.That(logs.Any(l => l.Text.Contains("scope RequestId=", StringComparison.Ordinal)), "request scopes are captured");
            Assert.That(storedAudit.Any(r => r.Contains("profiles/billing", StringComparison.Ordinal)), "the billing changes were audited");
            Assert.That(auditPages.Any(p => p.Contains("profiles/billing", StringComparison.Ordinal)), "the billing changes are listed");
            Assert.That(Leaks("x " + IbanAsSent.ToUpperInvariant() + " y", secrets), Is.Not.Empty, "the scan finds a spaced IBAN");
            Assert.That(Leaks("signing with " + secrets["rotated webhook key"], secrets), Does.Contain("rotated webhook key"), "the scan finds a webhook key alone");

            Assert.That(logs.Select(l => (l.ToString(), Leaks(l.ToString(), secrets))).Where(l => l.Item2.Count > 0),
                Is.Empty, "secrets in the logs");
            Assert.That(storedAudit.Select(r => (r, Leaks(r, secrets))).Where(r => r.Item2.Count > 0), Is.Empty, "secrets in the AuditRecords table");
            Assert.That(responses.Select(r => (r, Leaks(r, secrets))).Where(r => r.Item2.Count > 0), Is.Empty, "secrets in later responses");
        });
    }

    [Test]
    public void DbContext_ShouldNotLogSensitiveData()
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var options = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>();
        Assert.That(options?.IsSensitiveDataLoggingEnabled ?? false, Is.False, "EnableSensitiveDataLogging would put parameter values (protected bank numbers, hashes) in the logs");
    }

    [Test]
    public void Leaks_WhenASecretIsSpacedLowerCasedEscapedOrTruncatedToMoreThanItsLastFour_ShouldFindIt()
    {
        var secrets = new Dictionary<string, string> { ["IBAN"] = Iban, ["password"] = "Pass+word=Secret!42" };
        Assert.Multiple(() =>
        {
            Assert.That(Leaks("iban " + IbanAsSent, secrets), Is.EqualTo(new[] { "IBAN" }));
            Assert.That(Leaks("iban DE89-3704-0044-0532-01", secrets), Is.EqualTo(new[] { "IBAN" }), "all but the last four is a leak");
            Assert.That(Leaks("ibanLast4 3000", secrets), Is.Empty, "the last four are allowed");
            Assert.That(Leaks("{\"p\":\"Pass\\u002Bword\\u003DSecret!42\"}", secrets), Is.EqualTo(new[] { "password" }));
            Assert.That(Leaks("p=Pass%2Bword%3DSecret%2142", secrets), Is.EqualTo(new[] { "password" }));
        });
    }

    /// <summary>
    /// The names of the secrets found in <paramref name="text"/> in any form: as sent, spaced, dashed, in another case,
    /// JSON- or URL-escaped. Bank numbers count as leaked when more than their last four characters appear.
    /// </summary>
    private static List<string> Leaks(string text, IReadOnlyDictionary<string, string> secrets)
    {
        var forms = new[] { text, JsonUnescape(text), Uri.UnescapeDataString(text) }.Select(Squash).ToList();
        return [.. secrets.Where(secret =>
        {
            var needle = Squash(secret.Key is "IBAN" or "US account number" ? secret.Value[..^4] : secret.Value);
            return text.Contains(secret.Value, StringComparison.Ordinal) || forms.Any(form => form.Contains(needle, StringComparison.Ordinal));
        }).Select(secret => secret.Key)];
    }

    private static string Squash(string text) => new([.. text.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant)]);

    private static string JsonUnescape(string text) =>
        UnicodeEscape().Replace(text, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    [GeneratedRegex(@"\\u([0-9a-fA-F]{4})")]
    private static partial Regex UnicodeEscape();

    private static object BillingBody(object bankInformation) => new
    {
        address = new { addressLine1 = "1 Unter den Linden", city = "Berlin", postalCode = "10117", country = "DE" },
        purchaseOrderNumber = "PO-1",
        bankInformation,
    };

    private static HttpClient Client(WebApplicationFactory<Program> host, string? token)
    {
        var client = host.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Signs in with a temporary password (a token that only allows the change), changes it, and signs in with the new one.</summary>
    private static async Task ChangePasswordAsync(WebApplicationFactory<Program> host, string email, string temporary, string newPassword, Dictionary<string, string> secrets)
    {
        using var anonymous = Client(host, null);
        var changeOnly = await ExpectAsync(anonymous, HttpMethod.Post, "/v1/auth/token", new { email, password = temporary }, HttpStatusCode.OK);
        Assert.That(changeOnly["passwordChangeRequired"]!.GetValue<bool>(), Is.True);
        secrets["password-change token " + secrets.Count] = changeOnly["accessToken"]!.GetValue<string>();
        using var changer = Client(host, changeOnly["accessToken"]!.GetValue<string>());
        await ExpectAsync(changer, HttpMethod.Post, "/v1/me/password", new { currentPassword = temporary, newPassword }, HttpStatusCode.NoContent);
        var full = await ExpectAsync(anonymous, HttpMethod.Post, "/v1/auth/token", new { email, password = newPassword }, HttpStatusCode.OK);
        secrets["token " + secrets.Count] = full["accessToken"]!.GetValue<string>();
    }

    private static async Task<JsonObject> ExpectAsync(HttpClient client, HttpMethod method, string uri, object? body, HttpStatusCode status, string? ifMatch = null)
    {
        using var request = Json(method, uri, body, ifMatch);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), $"{method} {uri}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The body of a read, and the body with every header.</summary>
    private static async Task<(string Body, string All)> ReadAsync(HttpClient client, string uri, HttpStatusCode status)
    {
        using var response = await client.GetAsync(new Uri(uri, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), $"GET {uri}: {text}");
        var all = new StringBuilder(text);
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            all.Append('\n').Append(header.Key).Append(": ").Append(string.Join(", ", header.Value));
        }

        return (text, all.ToString());
    }

    private static async Task<List<string>> ReadAllAuditPagesAsync(HttpClient client, Guid accountId)
    {
        var pages = new List<string>();
        string? token = null;
        do
        {
            var uri = $"/v1/accounts/{accountId}/auditrecords?limit=200" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            var (body, all) = await ReadAsync(client, uri, HttpStatusCode.OK);
            pages.Add(all);
            token = JsonNode.Parse(body)!["continuationToken"]?.GetValue<string>();
        }
        while (token is not null && pages.Count < 20);

        return pages;
    }

    private static bool MapsRoute(WebApplicationFactory<Program> host, string route, string method) =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Any(e =>
            e.RoutePattern.RawText?.TrimEnd('/').EndsWith(route, StringComparison.OrdinalIgnoreCase) == true &&
            e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(method, StringComparer.OrdinalIgnoreCase) == true);

    /// <summary>The secret of a new API key: the longest string value whose name says key or secret (ids, names and prefixes are shorter or named otherwise).</summary>
    private static string ApiKeySecretOf(JsonObject created)
    {
        var candidates = new List<string>();
        void Walk(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                foreach (var (name, value) in obj)
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text) &&
                        (name.Contains("secret", StringComparison.OrdinalIgnoreCase) || name.Equals("key", StringComparison.OrdinalIgnoreCase) || name.Equals("apiKey", StringComparison.OrdinalIgnoreCase)) &&
                        !Guid.TryParse(text, out _))
                    {
                        candidates.Add(text);
                    }

                    Walk(value);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var item in array)
                {
                    Walk(item);
                }
            }
        }

        Walk(created);
        Assert.That(candidates, Is.Not.Empty, "the API key response carries its secret once: " + created.ToJsonString());
        return candidates.OrderByDescending(c => c.Length).First();
    }
}
