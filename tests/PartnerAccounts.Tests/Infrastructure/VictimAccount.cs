using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Tests.Http;

namespace PartnerAccounts.Tests.Infrastructure;

/// <summary>
/// An account with at least one resource of every kind, whose data the generated tests (tenant isolation, fuzzing) attack and
/// then compare: its ids fill the route parameters of every operation in the OpenAPI document, and <see cref="SnapshotAsync"/>
/// captures everything stored for it. Parameters of endpoints added later are found by listing the collection above them (creating
/// one item from the request schema when the list is empty) or a catalogue of the same name (<c>/v1/programs</c> for
/// <c>{programId}</c>); a name that still has no value gets a placeholder and is reported in <see cref="Unfilled"/>.
/// </summary>
public sealed partial class VictimAccount
{
    /// <summary>Roles of the members who belong to the account but lack permissions: none at all, and two read-only roles.</summary>
    public static readonly IReadOnlyList<string[]> UnderprivilegedRoleSets = [[], ["developer"], ["incentive-user"]];

    private readonly WebApplicationFactory<Program> _host;
    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unfilled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _etags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _canaries = new(StringComparer.OrdinalIgnoreCase);

    private VictimAccount(WebApplicationFactory<Program> host, string adminEmail)
    {
        _host = host;
        AdminEmail = adminEmail;
        Admin = ClientFor(host, adminEmail);
    }

    public string AdminEmail { get; }

    public HttpClient Admin { get; }

    public Guid AccountId { get; private set; }

    /// <summary>The members without permissions: role set (joined, "no roles" when empty) -> client.</summary>
    public IReadOnlyDictionary<string, HttpClient> Underprivileged { get; private set; } = new Dictionary<string, HttpClient>();

    /// <summary>Parameter names no value of the victim could be found for (they were given a placeholder).</summary>
    public IReadOnlySet<string> Unfilled => _unfilled;

    /// <summary>Ids and emails of the victim that must never appear in a response to an outsider.</summary>
    public IReadOnlySet<string> Canaries => _canaries;

    /// <summary>A token for <paramref name="email"/> minted the way <see cref="ApiTest"/> does, on <paramref name="host"/>.</summary>
    public static HttpClient ClientFor(WebApplicationFactory<Program> host, string email, bool isOperator = false)
    {
        var client = host.CreateClient();
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Authentication.CreateToken(configuration, email, isOperator, TimeSpan.FromMinutes(30)));
        return client;
    }

    /// <summary>
    /// A second host on the same database whose sign-in limit is out of reach, so generated requests to <c>POST /v1/auth/token</c>
    /// do not use up the permits the rest of the run counts on. Disposed with <see cref="TestHost.Factory"/>.
    /// </summary>
    public static WebApplicationFactory<Program> UnthrottledHost => LazyUnthrottled.Value;

    private static readonly Lazy<WebApplicationFactory<Program>> LazyUnthrottled = new(() =>
        TestHost.Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:SignIn:PermitLimit", "1000000")));

    public static async Task<VictimAccount> ArrangeAsync(WebApplicationFactory<Program> host)
    {
        var victim = new VictimAccount(host, $"victim-{Guid.NewGuid():N}@example.com");
        await victim.ArrangeAsync();
        return victim;
    }

    /// <summary>The value of a path or query parameter; placeholders for names without one.</summary>
    public string ValueOf(string name) => _parameters.TryGetValue(name, out var value) ? value : Placeholder(name);

    /// <summary>The operation's path with every path parameter and required query parameter filled.</summary>
    public string PathOf(ApiOperation operation)
    {
        var path = operation.Fill(ValueOf);
        var query = operation.RequiredQueryParameters.Select(p => $"{p.Name}={Uri.EscapeDataString(ValueOf(p.Name))}").ToList();
        return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
    }

    /// <summary>The names of the operation's parameters that only got a placeholder.</summary>
    public IReadOnlyList<string> PlaceholdersOf(ApiOperation operation) =>
        [.. operation.PathParameterNames.Concat(operation.RequiredQueryParameters.Select(p => p.Name)).Where(_unfilled.Contains).Distinct()];

    /// <summary>The current ETag of a resource path (as read by the admin), else <c>"1"</c>.</summary>
    public string IfMatchFor(string path) => _etags.TryGetValue(path, out var etag) ? etag : "\"1\"";

    /// <summary>
    /// Everything the victim's admin can read (every account-scoped GET: status, ETag and body) plus every stored row of the account.
    /// </summary>
    public async Task<IReadOnlyList<string>> SnapshotAsync()
    {
        var lines = new List<string>();
        foreach (var operation in OpenApiOperations.All.Where(o => o is { Method: "GET", IsAccountScoped: true } && PlaceholdersOf(o).Count == 0))
        {
            var path = PathOf(operation);
            using var response = await Admin.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            lines.Add($"GET {path} -> {(int)response.StatusCode} {response.Headers.ETag} {Normalize(body)}");
        }

        lines.AddRange(await StoredData.SnapshotAsync(_host, AccountId));
        return lines;
    }

    /// <summary>Null when equal, else what changed.</summary>
    public static string? Difference(IReadOnlyList<string> before, IReadOnlyList<string> after) => StoredData.Difference(before, after);

    private async Task ArrangeAsync()
    {
        using (var created = await Admin.PostAsJsonAsync("/v1/accounts", new
        {
            legalName = "Victim " + Guid.NewGuid().ToString("N")[..8],
            address = new { addressLine1 = "1 Victim Way", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
            primaryContact = new { firstName = "Vic", lastName = "Tim", email = AdminEmail, phoneNumber = "+1 206 555 0100" },
        }))
        {
            var account = await ExpectAsync(created, HttpStatusCode.Created, "create the victim's account");
            AccountId = account["id"]!.GetValue<Guid>();
            _parameters["accountId"] = AccountId.ToString();
            _parameters["mpnId"] = account["mpnId"]!.GetValue<string>();
        }

        var a = $"/v1/accounts/{AccountId}";
        _canaries.Add(AccountId.ToString());
        _canaries.Add(AdminEmail);

        // A second location, so deleting one would succeed if anyone but a location manager were let through.
        using (var location = await Admin.PostAsJsonAsync($"{a}/locations", new
        {
            name = "Victim branch",
            address = new { addressLine1 = "2 Victim Way", city = "Portland", state = "OR", postalCode = "97201", country = "US" },
        }))
        {
            _parameters["locationId"] = (await ExpectAsync(location, HttpStatusCode.Created, "add a location"))["id"]!.GetValue<string>();
        }

        using (var exemption = await Admin.PostAsJsonAsync($"{a}/tax-exemptions", new
        {
            country = "US",
            certificateId = "VICTIM-CERT-1",
            expiresOn = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }))
        {
            _parameters["exemptionId"] = (await ExpectAsync(exemption, HttpStatusCode.Created, "add a tax exemption"))["id"]!.GetValue<string>();
        }

        // The user other members' requests aim at (remove, reset password, grant Global admin); never one of the callers.
        _parameters["userId"] = (await InviteAsync($"target-{Guid.NewGuid():N}@example.com", ["billing-admin"])).ToString();
        _parameters["roleId"] = "global-admin";

        // A developer program gives the account its developer settings area, so developer roles can be held at all; its
        // enrollment is also a real {programId} for the enrollment routes.
        using (var enrollment = await Admin.PostAsJsonAsync($"{a}/enrollments", new { programId = "commercial-marketplace" }))
        {
            await ExpectAsync(enrollment, HttpStatusCode.Created, "enroll in a developer program");
            _parameters["programId"] = "commercial-marketplace";
        }

        // A webhook (the shared host refuses private receivers, so a public address literal; this host runs no delivery worker)
        // and a ping, for the real {webhookId} and {deliveryId} of the webhook routes.
        using (var webhook = await Admin.PostAsJsonAsync($"{a}/webhooks", new { url = "https://93.184.215.14/victim-hooks", events = new[] { "*" }, enabled = false }))
        {
            _parameters["webhookId"] = (await ExpectAsync(webhook, HttpStatusCode.Created, "subscribe a webhook"))["id"]!.GetValue<string>();
        }

        using (var ping = await Admin.PostAsync(new Uri($"{a}/webhooks/{_parameters["webhookId"]}/pings", UriKind.Relative), null))
        {
            _parameters["deliveryId"] = (await ExpectAsync(ping, HttpStatusCode.Accepted, "ping the webhook"))["id"]!.GetValue<string>();
        }

        var underprivileged = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        foreach (var roles in UnderprivilegedRoleSets)
        {
            var email = $"member-{Guid.NewGuid():N}@example.com";
            await InviteAsync(email, roles);
            underprivileged[roles.Length == 0 ? "no roles" : string.Join('+', roles)] = ClientFor(_host, email);
        }

        Underprivileged = underprivileged;

        await DiscoverParametersAsync();
        await CollectIdsAndETagsAsync();
    }

    private async Task<Guid> InviteAsync(string email, string[] roles)
    {
        using var response = await Admin.PostAsJsonAsync($"/v1/accounts/{AccountId}/users", new { email, roles });
        var id = (await ExpectAsync(response, HttpStatusCode.Created, $"invite {email}"))["user"]!["id"]!.GetValue<Guid>();
        _canaries.Add(email);
        _canaries.Add(id.ToString());
        return id;
    }

    /// <summary>Values for parameter names the arrangement above does not know (endpoints added after it was written).</summary>
    private async Task DiscoverParametersAsync()
    {
        // Collections (of the account) that are still empty get one item made from the request schema, where that is accepted.
        foreach (var post in OpenApiOperations.All.Where(o => o is { Method: "POST", IsAccountScoped: true, BodySchema: not null } && o.PathParameterNames.Count == 1))
        {
            var list = OpenApiOperations.All.FirstOrDefault(o => o.Method == "GET" && o.Template == post.Template);
            if (list is not null && await FirstItemAsync(PathOf(list)) is null)
            {
                var body = OpenApiOperations.Plausible(post.BodySchema!)!.ToJsonString();
                using var response = await Admin.SendAsync(Request(HttpMethod.Post, PathOf(post), body, null));
                TestContext.Progress.WriteLine($"VictimAccount: {post.Name} with a body from its schema -> {(int)response.StatusCode}");
            }
        }

        var names = OpenApiOperations.All
            .SelectMany(o => o.PathParameterNames.Select(n => (Name: n, Operation: o)))
            .Concat(OpenApiOperations.All.SelectMany(o => o.RequiredQueryParameters.Select(p => (p.Name, Operation: o))))
            .Where(p => !_parameters.ContainsKey(p.Name))
            .ToList();
        foreach (var (name, operation) in names)
        {
            if (_parameters.ContainsKey(name) || _unfilled.Contains(name))
            {
                continue;
            }

            var value = await FromCollectionAsync(name, operation) ?? await FromCatalogueAsync(name);
            if (value is null)
            {
                _unfilled.Add(name);
            }
            else
            {
                _parameters[name] = value;
            }
        }
    }

    /// <summary>The first item of the collection right above <c>{name}</c> in the template (".../enrollments" for ".../enrollments/{programId}").</summary>
    private async Task<string?> FromCollectionAsync(string name, ApiOperation operation)
    {
        var at = operation.Template.IndexOf("/{" + name + "}", StringComparison.Ordinal);
        if (at <= 0)
        {
            return null;
        }

        var collection = OpenApiOperations.All.FirstOrDefault(o => o.Method == "GET" && o.Template == operation.Template[..at]);
        if (collection is null || collection.PathParameterNames.Any(n => !_parameters.ContainsKey(n)))
        {
            return null;
        }

        var item = await FirstItemAsync(PathOf(collection));
        return ValueIn(item, name);
    }

    /// <summary>The first entry of a catalogue named after the parameter (<c>/v1/programs</c> for <c>{programId}</c>).</summary>
    private async Task<string?> FromCatalogueAsync(string name)
    {
        if (!name.EndsWith("Id", StringComparison.Ordinal) || name.Length < 3)
        {
            return null;
        }

        var catalogue = OpenApiOperations.All.FirstOrDefault(o => o.Method == "GET" && o.Template == $"/v1/{name[..^2]}s" && o.PathParameterNames.Count == 0);
        return catalogue is null ? null : ValueIn(await FirstItemAsync(catalogue.Template), name);
    }

    private static string? ValueIn(JsonNode? item, string name) => (item?[name] ?? item?["id"]) is JsonValue value ? value.ToString() : null;

    private async Task<JsonNode?> FirstItemAsync(string path)
    {
        using var response = await Admin.GetAsync(new Uri(path, UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var items = body is JsonArray array ? array : body?["items"] as JsonArray;
        return items is { Count: > 0 } ? items[0] : null;
    }

    /// <summary>Every GUID the admin can read becomes a canary; every readable resource's ETag is kept for If-Match.</summary>
    private async Task CollectIdsAndETagsAsync()
    {
        foreach (var value in _parameters.Values.Where(v => Guid.TryParse(v, out _)))
        {
            _canaries.Add(value);
        }

        foreach (var operation in OpenApiOperations.All.Where(o => o is { Method: "GET", IsAccountScoped: true } && PlaceholdersOf(o).Count == 0))
        {
            var path = PathOf(operation);
            using var response = await Admin.GetAsync(new Uri(path, UriKind.Relative));
            if (response.Headers.ETag is { } etag)
            {
                _etags[path] = etag.ToString();
            }

            var text = await response.Content.ReadAsStringAsync();
            foreach (System.Text.RegularExpressions.Match match in GuidPattern().Matches(text))
            {
                _canaries.Add(match.Value);
            }
        }
    }

    private static string Placeholder(string name) =>
        name.EndsWith("Id", StringComparison.Ordinal) && name != "mpnId" ? Guid.NewGuid().ToString() : "placeholder-" + name.ToLowerInvariant();

    private static string Normalize(string body)
    {
        // Continuation tokens are opaque and may be freshly sealed on every read (their presence is what matters); a problem's
        // requestId is new on every request.
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                if (json.ContainsKey("continuationToken"))
                {
                    json["continuationToken"] = json["continuationToken"] is null ? null : "<token>";
                }

                json.Remove("requestId");
                return json.ToJsonString();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return body;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? jsonBody, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    private static async Task<JsonObject> ExpectAsync(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), $"{what}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial System.Text.RegularExpressions.Regex GuidPattern();
}
