using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// Tenant isolation, generated: every operation of the OpenAPI document (kept equal to what the service maps by
/// <see cref="MappedRoutes_ShouldEachBeAnOperationOfTheCommittedDocument"/>) is called with the ids of a victim account by a member
/// of another account (404 <c>account_not_found</c>), without credentials (401) and by members of the victim whose roles lack the
/// permission (403), and must change nothing the victim's admin can read or the database holds. A new endpoint is a new test case
/// without anyone adding it; one whose parameters the victim cannot fill fails until <see cref="VictimAccount"/> can.
/// </summary>
public sealed class TenantIsolationTests
{
    /// <summary>
    /// Routes that are not under one account, so "404 for strangers" and "403 without the permission" do not apply. They are still
    /// called by the stranger and anonymously: no 5xx, and no id or email of the victim in the answer. A new route outside an
    /// account fails <see cref="RoutesOutsideAnAccount_ShouldEachBeOnTheAllowList"/> until it is added here with its reason.
    /// </summary>
    private static readonly Dictionary<string, string> OutsideAnAccount = new(StringComparer.Ordinal)
    {
        ["POST /v1/accounts"] = "enrolls a new company; the caller becomes Global admin of that new account only",
        ["GET /v1/me/accounts"] = "the caller's own account picker",
        ["POST /v1/me/password"] = "changes the caller's own password",
        ["GET /v1/me/learn-profile"] = "the caller's own Microsoft Learn association, keyed by their own email",
        ["PUT /v1/me/learn-profile"] = "links the caller's own Microsoft Learn transcript, keyed by their own email",
        ["DELETE /v1/me/learn-profile"] = "unlinks the caller's own Microsoft Learn transcript, keyed by their own email",
        ["POST /v1/auth/token"] = "password sign-in",
        ["GET /v1/roles"] = "the fixed role catalogue, the same for everyone",
        ["GET /v1/programs"] = "the fixed program catalogue, the same for everyone",
        ["GET /v1/programs/{programId}"] = "one program of the fixed catalogue, the same for everyone",
        ["GET /v1/profiles/mpn"] = "public MPN ID verification: the partner name and MPN ID of a known MPN ID, by design, and nothing else",
        ["POST /v1/profiles/mpn/verifications"] = "bulk MPN ID verification: per ID the partner name of a known MPN ID, by design, and nothing else",
        ["GET /v1/profiles/legalbusiness"] = "Partner Center route on the caller's own account (its only one, or X-Account-Id among its own)",
        ["PUT /v1/profiles/legalbusiness"] = "Partner Center route on the caller's own account (its only one, or X-Account-Id among its own)",
        ["GET /v1/profiles/organization"] = "Partner Center route on the caller's own account (its only one, or X-Account-Id among its own)",
        ["GET /v1/profiles/support"] = "Partner Center route on the caller's own account (its only one, or X-Account-Id among its own)",
        ["PUT /v1/profiles/support"] = "Partner Center route on the caller's own account (its only one, or X-Account-Id among its own)",
        ["GET /v1/profiles/billing"] = "Partner Center route on the caller's own account (its only one, or X-Account-Id among its own)",
        ["PUT /v1/profiles/billing"] = "Partner Center route on the caller's own account (its only one, or X-Account-Id among its own)",
    };

    /// <summary>Routes callable without a bearer token (their own credentials or none); all others must answer 401.</summary>
    private static readonly Dictionary<string, string> Anonymous = new(StringComparer.Ordinal)
    {
        ["POST /v1/auth/token"] = "sign-in is how a token is obtained",
        ["GET /v1/profiles/mpn"] = "integrations authenticate with X-Api-Key instead of a bearer token",
    };

    private static readonly string[] DenialCodes = ["permission_denied", "operator_required"];

    private WebApplicationFactory<Program> _host = null!;
    private VictimAccount _victim = null!;
    private HttpClient _stranger = null!;
    private HttpClient _anonymous = null!;
    private IReadOnlyList<string> _baseline = [];

    /// <summary>Every operation of the committed document; read from disk because NUnit builds cases before the test host starts.</summary>
    public static IEnumerable<TestCaseData> Operations() =>
        OpenApiOperations.All.Select(o => new TestCaseData(o.Method, o.Template).SetArgDisplayNames(o.Name));

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        _host = VictimAccount.UnthrottledHost;
        _victim = await VictimAccount.ArrangeAsync(_host);
        var strangerEmail = $"stranger-{Guid.NewGuid():N}@example.com";
        _stranger = VictimAccount.ClientFor(_host, strangerEmail);
        using (var own = await _stranger.PostAsJsonAsync("/v1/accounts", new
        {
            legalName = "Stranger Ltd",
            address = new { addressLine1 = "1 Other St", city = "Austin", state = "TX", postalCode = "73301", country = "US" },
            primaryContact = new { firstName = "Sam", lastName = "Stranger", email = strangerEmail },
        }))
        {
            Assert.That((int)own.StatusCode, Is.EqualTo(201), "the stranger is a member of an account of their own");
        }

        _anonymous = _host.CreateClient();
        _baseline = await _victim.SnapshotAsync();
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _stranger?.Dispose();
        _anonymous?.Dispose();
    }

    [TestCaseSource(nameof(Operations))]
    public async Task Operation_WhenCalledByAStrangerAnonymouslyOrByAMemberWithoutPermission_ShouldDenyAndChangeNothing(string method, string template)
    {
        var operation = OpenApiOperations.All.Single(o => o.Method == method && o.Template == template);
        Assert.That(MappedRoutes(_host.Services).Select(r => r.Name), Does.Contain(operation.Name),
            "openapi/v1.json lists this operation but the service does not map it: run scripts/update-openapi.sh");
        if (!operation.IsAccountScoped)
        {
            Assert.That(OutsideAnAccount.ContainsKey(operation.Name), Is.True,
                $"{operation.Name} is not under /v1/accounts/{{accountId}}: add it to {nameof(OutsideAnAccount)} with the reason it needs no account, or move it under one");
        }

        var path = _victim.PathOf(operation);
        var placeholders = _victim.PlaceholdersOf(operation);
        if (placeholders.Count > 0)
        {
            TestContext.Out.WriteLine($"No value of the victim for {string.Join(", ", placeholders)}; sent placeholders: {path}");
        }

        var failures = new List<string>();
        var allowedAnonymously = Anonymous.ContainsKey(operation.Name);

        // (a) a member of another account: the victim's account does not exist for them.
        failures.AddRange(await CallAsync(_stranger, "a member of another account", operation, path, checkLeaks: true, (status, code) =>
            !operation.IsAccountScoped || (status == 404 && code == "account_not_found") ? null : "expected 404 account_not_found"));

        // (b) no credentials at all.
        failures.AddRange(await CallAsync(_anonymous, "an anonymous caller", operation, path, checkLeaks: true, (status, code) =>
            allowedAnonymously || (status == 401 && code == "unauthenticated") ? null : "expected 401 unauthenticated"));

        // (c) members of the victim whose roles lack the permission: never a write; reads only where their roles grant them.
        if (operation.IsAccountScoped)
        {
            foreach (var (roles, member) in _victim.Underprivileged)
            {
                failures.AddRange(await CallAsync(member, $"a member with {roles}", operation, path, checkLeaks: false, (status, code) =>
                {
                    var denied = status == 403 && DenialCodes.Contains(code);
                    if (roles == "no roles" || operation.IsWrite)
                    {
                        return denied ? null : "expected 403 permission_denied (or operator_required)";
                    }

                    return denied || status == 200 || (status == 404 && code != "account_not_found") ? null : "expected 200 (a read the role grants) or 403";
                }));
            }
        }

        var after = await _victim.SnapshotAsync();
        if (VictimAccount.Difference(_baseline, after) is { } changed)
        {
            failures.Add($"the victim's data changed: {changed}");
            _baseline = after;
        }

        Assert.That(failures, Is.Empty, $"{operation.Name} as {path}:\n" + string.Join("\n", failures));
        if (operation.IsAccountScoped)
        {
            Assert.That(placeholders, Is.Empty,
                $"The victim has no {string.Join(", ", placeholders)} to put in {operation.Name}, so the calls above only probed made-up ids. " +
                "Give the victim such a resource in VictimAccount.ArrangeAsync (or a value in its parameter map).");
        }
    }

    [Test]
    public void MappedRoutes_ShouldEachBeAnOperationOfTheCommittedDocument()
    {
        var mapped = MappedRoutes(_host.Services).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var documented = OpenApiOperations.All.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(mapped.Except(documented), Is.Empty,
                "mapped but missing from openapi/v1.json, so the generated isolation and fuzz tests do not see them (excluded from the document?)");
            Assert.That(documented.Except(mapped), Is.Empty, "in openapi/v1.json but not mapped: run scripts/update-openapi.sh");
        });
    }

    [Test]
    public void RoutesOutsideAnAccount_ShouldEachBeOnTheAllowList()
    {
        var outside = MappedRoutes(_host.Services).Where(r => !r.Template.StartsWith("/v1/accounts/{accountId}", StringComparison.Ordinal)).Select(r => r.Name);

        Assert.That(outside.Where(name => !OutsideAnAccount.ContainsKey(name)), Is.Empty,
            $"routes outside /v1/accounts/{{accountId}} skip the account checks: add each to {nameof(OutsideAnAccount)} with its reason");
    }

    [Test]
    public void RoutesWithoutAuthentication_ShouldEachBeOnTheAllowList()
    {
        var anonymous = MappedRoutes(_host.Services).Where(r => r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(r => r.Name);

        Assert.That(anonymous.Where(name => !Anonymous.ContainsKey(name)), Is.Empty,
            $"these routes allow anonymous callers: add each to {nameof(Anonymous)} with its reason");
    }

    /// <summary>The service's routes under /v1 as "METHOD /v1/template" (constraints dropped), from its <see cref="EndpointDataSource"/>.</summary>
    internal static IReadOnlyList<(string Name, string Template, Endpoint Endpoint)> MappedRoutes(IServiceProvider services) =>
    [
        .. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .SelectMany(e => e.Methods.Select(m => (Method: m, Template: TemplateOf(e.Endpoint.RoutePattern), e.Endpoint)))
            .Where(r => r.Template.StartsWith("/v1/", StringComparison.Ordinal))
            .Select(r => ($"{r.Method} {r.Template}", r.Template, (Endpoint)r.Endpoint))
            .Distinct(),
    ];

    private static string TemplateOf(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart { Name: "version" } => "1",
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => part.ToString(),
        }))));

    private async Task<IEnumerable<string>> CallAsync(
        HttpClient client, string who, ApiOperation operation, string path, bool checkLeaks, Func<int, string?, string?> expectation)
    {
        var body = operation.BodySchema is null ? null : OpenApiOperations.Plausible(operation.BodySchema)!.ToJsonString();
        var ifMatch = operation.Method is "PUT" or "PATCH" or "DELETE" ? _victim.IfMatchFor(path) : null;
        using var request = VictimAccount.Request(new HttpMethod(operation.Method), path, body, ifMatch);
        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var failures = new List<string>();
        string? code = null;

        if (status >= 500)
        {
            failures.Add($"{who}: {status} — never a 5xx");
        }
        else if (status >= 400)
        {
            var problem = ProblemOf(response.Content.Headers.ContentType, text);
            code = problem?["code"]?.GetValue<string>();
            if (code is null)
            {
                failures.Add($"{who}: {status} without an application/problem+json body with a code: {Shorten(text)}");
            }
        }

        if (expectation(status, code) is { } expected)
        {
            failures.Add($"{who}: {status} {code} — {expected}; body: {Shorten(text)}");
        }

        if (checkLeaks)
        {
            // The problem's "instance" echoes the caller's own request path; anything else naming the victim is a leak.
            var answer = ProblemOf(response.Content.Headers.ContentType, text) is { } p ? WithoutInstance(p) : text;
            var headers = string.Join('\n', response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value));
            var leaked = _victim.Canaries.Where(c => answer.Contains(c, StringComparison.OrdinalIgnoreCase) || headers.Contains(c, StringComparison.OrdinalIgnoreCase)).ToList();
            if (leaked.Count > 0)
            {
                failures.Add($"{who}: the answer ({status}) names the victim's {string.Join(", ", leaked)}: {Shorten(text)}");
            }
        }

        return failures;
    }

    private static JsonObject? ProblemOf(MediaTypeHeaderValue? contentType, string text)
    {
        if (contentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string WithoutInstance(JsonObject problem)
    {
        var copy = problem.DeepClone().AsObject();
        copy.Remove("instance");
        return copy.ToJsonString();
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
