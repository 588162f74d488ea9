using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.AspNetCore.Mvc.Testing;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// Property-based fuzzing from the OpenAPI document: for every operation, requests built from its schema and then broken (wrong
/// types, missing and extra fields, long and huge strings, hostile unicode, deep nesting, boundary numbers, bad path ids, bad
/// queries and headers), sent as the victim account's Global admin so they reach validation and the handlers. Properties: never a
/// 5xx; every 4xx is an <c>application/problem+json</c> body with a <c>code</c>; nothing stored for the account changes unless the
/// request succeeded. Cases are drawn with CsCheck's generators from <c>FUZZ_SEED</c> (fixed by default), <c>FUZZ_ITERATIONS</c>
/// of them (300 by default) spread evenly over the operations; the seed is printed so a failure can be replayed.
/// </summary>
public sealed partial class FuzzTests
{
    private const ulong DefaultSeed = 20260601;
    private const int DefaultIterations = 300;

    private static readonly string[] HostileStrings =
    [
        "", " ", "\u202Egnp.exe\u202C", "مرحبا بالعالم", "שלום", "👩‍👩‍👧‍👦🏳️‍🌈🤦🏽‍♀️", "\0", "a\0b", "\uFEFFbom", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
        "𝕳𝖊𝖑𝖑𝖔", "ﷺ", "\u200B\u200C\u200D", "'; DROP TABLE \"Accounts\"; --", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
        "../../../../etc/passwd", "%00%2e%2e", "\r\n\tX-Injected: 1", "{{7*7}}", "１２３４５６７", "İıſK", "NaN", "-0", "null", "true",
    ];

    /// <summary>JSON text put verbatim into a body: lone surrogates (escaped), NUL, numbers .NET cannot hold, JSON .NET will not read.</summary>
    private static readonly string[] RawValues =
    [
        "\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud83d\"", "\"\\u0000\"", "\"nul\\u0000inside\"", "\"\\uffff\\ufffe\"",
        "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809", "1e309", "-1e309", "1e-400", "-0", "0.5",
        "1E2", "123456789012345678901234567890", "0", "-1", "4294967296", "00012", "NaN", "Infinity", "+1", ".5", "0x10",
    ];

    /// <summary>Whole bodies that are not the object the operation takes.</summary>
    private static readonly string[] RawBodies =
    [
        "", " ", "null", "true", "42", "\"text\"", "[]", "[{}]", "{", "{\"a\"", "}{", "{'single':'quotes'}", "{\"a\":1,}",
        "\uFEFF{}", "<xml/>", "a=b&c=d", "{\"a\":1,\"a\":2}", "[[[[[[[[[[", "{\"__proto__\":{\"admin\":true}}", "\u0000\u0001\u0002",
    ];

    /// <summary>Path segments put verbatim in place of an id. (No "%00": the in-process test server refuses it before the app, as Kestrel does.)</summary>
    private static readonly string[] BadIds =
    [
        "not-a-guid", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "-1", "0", "1e9", "%01", "%2e%2e",
        "..", "ü", "' OR '1'='1", "{accountId}", "null", "undefined", "global-admin", "GLOBAL-ADMIN", " ", "%20", "a%2Fb",
    ];

    private static readonly string[] BadQueries =
    [
        "limit=-1", "limit=0", "limit=1", "limit=200", "limit=201", "limit=2147483648", "limit=abc", "limit=", "limit=1&limit=2",
        "continuationToken=garbage", "continuationToken=", "continuationToken=%00", "continuationToken=eyJhIjoxfQ",
        "startDate=garbage", "startDate=0001-01-01", "endDate=9999-12-31", "startDate=2024-13-45", "startDate=2030-01-01&endDate=2020-01-01",
        "mpnId=", "mpnId=abc", "mpnId=12345678901", "mpnId=0", "mpnId=-1", "mpnId=%EF%BC%91%EF%BC%92%EF%BC%93", "unknown=1", "%ff=%fe",
    ];

    private static readonly string[] BadETags =
    [
        "garbage", "\"\"", "\"", "*", "W/\"1\"", "\"-1\"", "\"0\"", "\"99999999999999999999\"", "\"1\", \"2\"", "1", "\"1", "\"abc\"", "W/",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/json; charset=utf-16", "application/json; charset=bogus", "application/json; charset=\"utf-8\"", "application/json; charset=latin1", "application/json; charset=", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", "application/merge-patch+json", "*/*", "application/problem+json", "application/json;;;",
    ];

    private static readonly string[] ExtraPropertyNames =
    [
        "id", "accountId", "version", "mpnId", "createdAt", "roles", "isOperator", "$type", "__proto__", "constructor", "", "ü", "a.b", "Email",
    ];

    private WebApplicationFactory<Program> _host = null!;
    private VictimAccount _victim = null!;
    private string _adminToken = string.Empty;

    private static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : DefaultSeed;

    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0
        ? count
        : DefaultIterations;

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        _host = VictimAccount.UnthrottledHost;
        _victim = await VictimAccount.ArrangeAsync(_host);
        _adminToken = _victim.Admin.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    [Test]
    public async Task GeneratedRequests_WhenMalformedOrHostile_ShouldNeverAnswer5xxAnswerEvery4xxWithAProblemAndChangeNothing()
    {
        var seed = Seed;
        var iterations = Iterations;
        var replay = $"replay with FUZZ_SEED={seed} FUZZ_ITERATIONS={iterations} dotnet test --filter FullyQualifiedName~FuzzTests";
        TestContext.Progress.WriteLine($"Fuzzing {iterations} requests over {OpenApiOperations.All.Count} operations ({replay})");

        using var client = _host.CreateClient();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var stored = await StoredData.SnapshotAsync(_host, _victim.AccountId);
        var everything = await _victim.SnapshotAsync();
        var changedSinceEverything = false;

        for (var index = 0; index < iterations && failures.Count < 20; index++)
        {
            var operation = OpenApiOperations.All[index % OpenApiOperations.All.Count];
            var fuzz = Generate(new PCG((uint)index, seed), operation);
            using var request = fuzz.ToRequest();
            string where = $"case #{index} {fuzz}";

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failures.Add($"{where}\n  -> the request failed: {Shorten(exception.ToString(), 1500)}");
                continue;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var text = await response.Content.ReadAsStringAsync();
                if (status >= 500)
                {
                    failures.Add($"{where}\n  -> {status}: {Shorten(text)}");
                }
                else if (status >= 400 && ProblemCode(response, text) is null)
                {
                    failures.Add($"{where}\n  -> {status} without an application/problem+json body with a code: {response.Content.Headers.ContentType} {Shorten(text)}");
                }

                var after = await StoredData.SnapshotAsync(_host, _victim.AccountId);
                var succeededWrite = status is >= 200 and < 300 && operation.IsWrite;
                if (succeededWrite)
                {
                    changedSinceEverything = true;
                }
                else if (StoredData.Difference(stored, after) is { } changed)
                {
                    failures.Add($"{where}\n  -> {status}, yet the account's stored data changed:{changed}");
                }

                stored = after;
            }

            // Every 50 cases, and at the end, also everything the admin can read, unless a write succeeded meanwhile.
            if (index % 50 == 49 || index == iterations - 1)
            {
                var now = await _victim.SnapshotAsync();
                if (!changedSinceEverything && VictimAccount.Difference(everything, now) is { } changed)
                {
                    failures.Add($"cases #{index - index % 50}..#{index}: no write succeeded, yet what the admin reads changed:{changed}");
                }

                everything = now;
                changedSinceEverything = false;
            }
        }

        TestContext.Progress.WriteLine("Fuzz statuses: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.That(failures, Is.Empty, $"{failures.Count} fuzz failure(s); {replay}\n\n" + string.Join("\n\n", failures));
    }

    /// <summary>One request for <paramref name="operation"/>, drawn from <paramref name="pcg"/> with CsCheck's generators.</summary>
    private FuzzRequest Generate(PCG pcg, ApiOperation operation)
    {
        var notes = new List<string>();

        // Path: the victim's real ids, or now and then a bad one.
        var badParameter = operation.PathParameterNames.Count > 0 && Draw(pcg, Gen.Int[0, 3]) == 0
            ? operation.PathParameterNames[Draw(pcg, Gen.Int[0, operation.PathParameterNames.Count - 1])]
            : null;
        var badValue = badParameter is null ? null : Pick(pcg, BadIds);
        if (badParameter is not null)
        {
            notes.Add($"bad {badParameter} '{badValue}'");
        }

        var path = PathParameter().Replace(operation.Template, m =>
            m.Groups[1].Value == badParameter ? badValue! : Uri.EscapeDataString(_victim.ValueOf(m.Groups[1].Value)));
        var query = operation.RequiredQueryParameters.Select(p => $"{p.Name}={Uri.EscapeDataString(_victim.ValueOf(p.Name))}").ToList();
        if (Draw(pcg, Gen.Int[0, 3]) == 0)
        {
            var extra = Pick(pcg, BadQueries);
            query.Add(extra);
            notes.Add($"query {extra}");
        }

        if (query.Count > 0)
        {
            path += "?" + string.Join('&', query);
        }

        // Body: a valid one from the schema, then broken.
        string? body = null;
        var contentType = "application/json";
        if (operation.BodySchema is not null || Draw(pcg, Gen.Int[0, 4]) == 0)
        {
            body = operation.BodySchema is null
                ? Pick(pcg, RawBodies)
                : Mutate(pcg, operation.BodySchema, notes);
            if (operation.BodySchema is null)
            {
                notes.Add("a body the operation does not take");
            }
        }

        var headers = new List<(string Name, string Value)>();
        var authorization = "Bearer " + _adminToken;
        if (operation.Method is "PUT" or "PATCH" or "DELETE")
        {
            headers.Add(("If-Match", Draw(pcg, Gen.Int[0, 2]) == 0 ? "\"1\"" : _victim.IfMatchFor(path)));
        }

        switch (Draw(pcg, Gen.Int[0, 9]))
        {
            case 0:
                var etag = Pick(pcg, BadETags);
                headers.RemoveAll(h => h.Name == "If-Match");
                headers.Add((operation.Method == "GET" ? "If-None-Match" : "If-Match", etag));
                notes.Add($"ETag header {etag}");
                break;
            case 1:
                headers.RemoveAll(h => h.Name == "If-Match");
                headers.Add(("If-Match", "\"" + new string('9', 20_000) + "\""));
                notes.Add("20 kB If-Match");
                break;
            case 2 when body is not null:
                contentType = Pick(pcg, ContentTypes);
                notes.Add($"Content-Type {contentType}");
                break;
            case 3 when body is not null:
                contentType = null;
                notes.Add("no Content-Type");
                break;
            case 4:
                headers.Add((Pick(pcg, ["X-Correlation-Id", "MS-CorrelationId", "X-Fuzz", "Accept", "Accept-Language"]), new string('h', Draw(pcg, Gen.Int[1, 64]) * 1024)));
                notes.Add("a huge header");
                break;
            case 5:
                var value = Pick(pcg, HostileStrings).Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\0", string.Empty, StringComparison.Ordinal);
                headers.Add((Pick(pcg, ["X-Correlation-Id", "MS-CorrelationId", "Accept", "Idempotency-Key"]), value));
                notes.Add($"header value '{value}'");
                break;
            case 6:
                authorization = Pick(pcg, ["Bearer garbage", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer", "bearer " + _adminToken + "x", "Bearer " + new string('A', 10_000)]);
                notes.Add($"Authorization '{Shorten(authorization, 40)}'");
                break;
            case 7:
                // A validly signed token for a strange identity: the service must cope with any email claim.
                var email = Pick(pcg, ["", "no-at-sign", new string('a', 5_000) + "@example.com", "ü@ü.example", "a@b", " victim@example.com ", "\u202E@example.com"]);
                authorization = "Bearer " + Authentication.CreateToken(_host.Services.GetRequiredService<IConfiguration>(), email, Draw(pcg, Gen.Bool), TimeSpan.FromMinutes(5));
                notes.Add($"a token for '{Shorten(email, 40)}'");
                break;
        }

        return new FuzzRequest(operation, path, body, contentType, authorization, headers, notes);
    }

    /// <summary>A body built from the schema, then (usually) broken in one way.</summary>
    private static string Mutate(PCG pcg, JsonObject schema, List<string> notes)
    {
        var slots = new List<Slot>();
        var root = Valid(pcg, schema, null, 0, slots, null, null);
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);

        string Raw(string text)
        {
            var marker = $"RAW-{raw.Count}-{Guid.NewGuid():N}";
            raw[marker] = text;
            return marker;
        }

        var slot = slots.Count > 0 ? slots[Draw(pcg, Gen.Int[0, slots.Count - 1])] : null;
        var mutation = Draw(pcg, Gen.Frequency(
            (6, "valid"), (15, "wrong type"), (10, "missing field"), (10, "extra field"), (12, "long string"), (3, "over 1 MiB"),
            (12, "unicode"), (12, "raw value"), (5, "deep nesting"), (10, "not the object"), (5, "null body")));
        switch (mutation)
        {
            case "wrong type" when slot is not null:
                var wrong = Draw(pcg, Gen.OneOf<JsonNode?>(
                    Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)), Gen.Double.Select(d => (JsonNode?)JsonValue.Create(double.IsFinite(d) ? d : 0)),
                    Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)), Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)),
                    Gen.Const(() => (JsonNode?)new JsonArray(JsonValue.Create(1), JsonValue.Create("x"))), Gen.Const(() => (JsonNode?)new JsonObject { ["a"] = 1 }),
                    Gen.Const<JsonNode?>((JsonNode?)null)));
                slot.Set(wrong);
                notes.Add($"{slot.Path} = {wrong?.ToJsonString() ?? "null"}");
                break;
            case "missing field" when slot is not null:
                slot.Remove();
                notes.Add($"without {slot.Path}");
                break;
            case "extra field":
                var target = slots.Select(s => s.Value).OfType<JsonObject>().Append(root as JsonObject).Where(o => o is not null).ToList();
                if (target.Count > 0)
                {
                    var name = Pick(pcg, ExtraPropertyNames);
                    var extra = Draw(pcg, Gen.OneOf<JsonNode?>(
                        Gen.Const<JsonNode?>(JsonValue.Create(Guid.Empty)), Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
                        Gen.Const<JsonNode?>(JsonValue.Create(true)), Gen.Const(() => (JsonNode?)new JsonArray(JsonValue.Create("global-admin")))));
                    var into = target[Draw(pcg, Gen.Int[0, target.Count - 1])]!;
                    into[name] = extra;
                    notes.Add($"extra '{name}': {extra?.ToJsonString()}");
                }

                break;
            case "long string" when slot is not null:
                var max = slot.Schema is { } s1 ? OpenApiOperations.Resolve(s1)["maxLength"]?.GetValue<int>() ?? 1000 : 1000;
                var length = Pick(pcg, [max, max + 1, max * 2 + 7, 64 * 1024]);
                slot.Set(JsonValue.Create(new string(Pick(pcg, ['a', 'é', '€', '9']), length)));
                notes.Add($"{slot.Path} = {length} chars");
                break;
            case "over 1 MiB":
                notes.Add("a body over 1 MiB");
                return JsonBody(root, raw).Insert(1, $"\"padding\":\"{new string('p', (1024 * 1024) + 100)}\",").Replace(",}", "}", StringComparison.Ordinal);
            case "unicode" when slot is not null:
                var text = Pick(pcg, HostileStrings);
                slot.Set(JsonValue.Create(text));
                notes.Add($"{slot.Path} = '{text}'");
                break;
            case "raw value" when slot is not null:
                var value = Pick(pcg, RawValues);
                slot.Set(JsonValue.Create(Raw(value)));
                notes.Add($"{slot.Path} = {value}");
                break;
            case "deep nesting":
                var depth = Pick(pcg, [33, 64, 1000, 5000]);
                var nested = Draw(pcg, Gen.Bool) ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                if (slot is not null)
                {
                    slot.Set(JsonValue.Create(Raw(nested)));
                    notes.Add($"{slot.Path} nested {depth} deep");
                }
                else
                {
                    notes.Add($"body nested {depth} deep");
                    return nested;
                }

                break;
            case "not the object":
                var whole = Pick(pcg, RawBodies);
                notes.Add($"body '{Shorten(whole, 40)}'");
                return whole;
            case "null body":
                notes.Add("body null");
                return "null";
            default:
                notes.Add(slots.Count == 0 && mutation != "valid" ? $"{mutation} (nothing to break): valid" : "valid body");
                break;
        }

        return JsonBody(root, raw);
    }

    private static string JsonBody(JsonNode? root, Dictionary<string, string> raw)
    {
        var json = root?.ToJsonString() ?? "null";
        foreach (var (marker, text) in raw)
        {
            json = json.Replace($"\"{marker}\"", text, StringComparison.Ordinal);
        }

        return json;
    }

    /// <summary>A value valid for the schema (optional properties at random), recording every property and element as a slot to break.</summary>
    private static JsonNode? Valid(PCG pcg, JsonObject schema, string? name, int depth, List<Slot> slots, JsonNode? parent, string? path)
    {
        schema = OpenApiOperations.Resolve(schema);
        if (schema["enum"] is JsonArray { Count: > 0 } values)
        {
            return values[Draw(pcg, Gen.Int[0, values.Count - 1])]!.DeepClone();
        }

        switch (schema["type"]?.GetValue<string>())
        {
            case "object" or null when schema["properties"] is JsonObject properties && depth < 6:
                var required = OpenApiOperations.RequiredOf(schema);
                var body = new JsonObject();
                foreach (var (property, propertySchema) in properties)
                {
                    if (required.Contains(property) || Draw(pcg, Gen.Int[0, 2]) > 0)
                    {
                        var nullable = propertySchema!["nullable"]?.GetValue<bool>() == true;
                        body[property] = nullable && Draw(pcg, Gen.Int[0, 9]) == 0
                            ? null
                            : Valid(pcg, propertySchema!.AsObject(), property, depth + 1, slots, body, path is null ? property : $"{path}.{property}");
                        slots.Add(new Slot(body, property, -1, propertySchema!.AsObject(), path is null ? property : $"{path}.{property}"));
                    }
                }

                return body;
            case "array":
                var array = new JsonArray();
                var count = Draw(pcg, Gen.Int[0, 3]);
                for (var i = 0; i < count && schema["items"] is JsonObject items; i++)
                {
                    array.Add(Valid(pcg, items, name is { Length: > 1 } && name.EndsWith('s') ? name[..^1] : name, depth + 1, slots, array, $"{path}[{i}]"));
                    slots.Add(new Slot(array, null, i, items, $"{path}[{i}]"));
                }

                return array;
            case "integer":
                return JsonValue.Create(Draw(pcg, Gen.Int[schema["minimum"]?.GetValue<int>() ?? 0, schema["maximum"]?.GetValue<int>() ?? 100]));
            case "number":
                return JsonValue.Create(Draw(pcg, Gen.Double[0, 1000]));
            case "boolean":
                return JsonValue.Create(Draw(pcg, Gen.Bool));
            case "object":
                return new JsonObject();
            default:
                var minLength = schema["minLength"]?.GetValue<int>() ?? 0;
                var maxLength = Math.Min(schema["maxLength"]?.GetValue<int>() ?? 40, 40);
                return Draw(pcg, Gen.Int[0, 3]) > 0 || schema["pattern"] is not null || schema["format"] is not null || minLength > maxLength
                    ? JsonValue.Create(OpenApiOperations.PlausibleString(schema, name))
                    : JsonValue.Create(Draw(pcg, Gen.String[Gen.Char.AlphaNumeric, minLength, Math.Max(minLength, maxLength)]));
        }
    }

    private static T Draw<T>(PCG pcg, Gen<T> gen) => gen.Generate(pcg, null, out _);

    private static T Pick<T>(PCG pcg, T[] values) => values[Draw(pcg, Gen.Int[0, values.Length - 1])];

    private static string? ProblemCode(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text)?["code"] is JsonValue code && code.TryGetValue<string>(out var value) && value.Length > 0 ? value : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text, int length = 500) => text.Length <= length ? text : text[..length] + $"…({text.Length} chars)";

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParameter();

    /// <summary>A place in a generated body: a property of an object or an element of an array.</summary>
    private sealed record Slot(JsonNode Parent, string? Key, int Index, JsonObject? Schema, string Path)
    {
        public JsonNode? Value => Key is not null ? Parent[Key] : Index < Parent.AsArray().Count ? Parent[Index] : null;

        public void Set(JsonNode? value)
        {
            if (Key is not null)
            {
                Parent[Key] = value;
            }
            else if (Index < Parent.AsArray().Count)
            {
                Parent[Index] = value;
            }
        }

        public void Remove()
        {
            if (Key is not null)
            {
                Parent.AsObject().Remove(Key);
            }
            else if (Index < Parent.AsArray().Count)
            {
                Parent.AsArray().RemoveAt(Index);
            }
        }
    }

    private sealed record FuzzRequest(
        ApiOperation Operation, string Path, string? Body, string? ContentType, string Authorization, List<(string Name, string Value)> Headers, List<string> Notes)
    {
        public HttpRequestMessage ToRequest()
        {
            var request = new HttpRequestMessage(new HttpMethod(Operation.Method), new Uri(Path, UriKind.Relative));
            if (Body is not null)
            {
                var bytes = ContentType?.Contains("utf-16", StringComparison.Ordinal) == true ? Encoding.Unicode.GetBytes(Body) : Encoding.UTF8.GetBytes(Body);
                request.Content = new ByteArrayContent(bytes);
                if (ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }
            }

            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
            foreach (var (name, value) in Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content?.Headers.TryAddWithoutValidation(name, value);
                }
            }

            return request;
        }

        public override string ToString() =>
            $"{Operation.Method} {Shorten(Path, 300)} [{string.Join("; ", Notes)}]" +
            (Headers.Count > 0 ? $" headers: {string.Join(", ", Headers.Select(h => $"{h.Name}: {Shorten(h.Value, 60)}"))}" : string.Empty) +
            (Body is null ? string.Empty : $" body: {Shorten(Body, 300)}");
    }
}
