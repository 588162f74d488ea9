using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PartnerAccounts.Tests.Infrastructure;

/// <summary>A parameter of an operation in the committed OpenAPI document.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, JsonObject Schema);

/// <summary>One operation of the committed OpenAPI document (<c>openapi/v1.json</c>).</summary>
public sealed partial record ApiOperation(string Method, string Template, string OperationId, IReadOnlyList<ApiParameter> Parameters, JsonObject? BodySchema)
{
    /// <summary>Everything under one account: its members only (404 for anyone else), with a permission per use case.</summary>
    public bool IsAccountScoped => Template.StartsWith("/v1/accounts/{accountId}", StringComparison.Ordinal);

    public bool IsWrite => Method is not "GET" and not "HEAD";

    public string Name => $"{Method} {Template}";

    public IReadOnlyList<string> PathParameterNames => [.. PathParameter().Matches(Template).Select(m => m.Groups[1].Value)];

    public IEnumerable<ApiParameter> RequiredQueryParameters => Parameters.Where(p => p is { In: "query", Required: true });

    /// <summary>The template with each <c>{name}</c> replaced by <paramref name="valueOf"/>(name), escaped.</summary>
    public string Fill(Func<string, string> valueOf) =>
        PathParameter().Replace(Template, m => Uri.EscapeDataString(valueOf(m.Groups[1].Value)));

    public override string ToString() => Name;

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParameter();
}

/// <summary>
/// Reads the committed OpenAPI document, which a test keeps equal to the one the service serves, so tests generated from it
/// (tenant isolation, fuzzing) follow every endpoint as it is added. Read from disk, so NUnit can build test cases from it
/// before the test host starts.
/// </summary>
public static class OpenApiOperations
{
    private static readonly Lazy<JsonObject> LazyDocument = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "openapi", "v1.json")))!.AsObject());

    private static readonly Lazy<IReadOnlyList<ApiOperation>> LazyAll = new(() => [.. Read(LazyDocument.Value)]);

    public static JsonObject Document => LazyDocument.Value;

    /// <summary>Every operation, in document order.</summary>
    public static IReadOnlyList<ApiOperation> All => LazyAll.Value;

    /// <summary>The repository root (the folder of PartnerAccounts.sln), found from the test binaries without NUnit's context.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PartnerAccounts.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("PartnerAccounts.sln not found above the test binaries.");
    }

    /// <summary>The schema a <c>$ref</c> points to (or the schema itself).</summary>
    public static JsonObject Resolve(JsonObject schema)
    {
        var seen = 0;
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            if (++seen > 32 || !reference.StartsWith("#/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Cannot resolve {reference}.");
            }

            JsonNode? node = Document;
            foreach (var part in reference[2..].Split('/'))
            {
                node = node?[part];
            }

            schema = node?.AsObject() ?? throw new InvalidOperationException($"{reference} is not in the document.");
        }

        return schema;
    }

    /// <summary>
    /// A plausible, usually valid JSON value for <paramref name="schema"/>: required properties and optional scalars of objects,
    /// values that satisfy format, pattern and length where the property name or format tells what is meant.
    /// </summary>
    public static JsonNode? Plausible(JsonObject schema, string? propertyName = null, int depth = 0)
    {
        schema = Resolve(schema);
        if (schema["enum"] is JsonArray { Count: > 0 } values)
        {
            return values[0]!.DeepClone();
        }

        switch (schema["type"]?.GetValue<string>())
        {
            case "object" or null when schema["properties"] is JsonObject properties && depth < 8:
                var required = RequiredOf(schema);
                var body = new JsonObject();
                foreach (var (name, propertySchema) in properties)
                {
                    var resolved = Resolve(propertySchema!.AsObject());
                    var isObject = resolved["type"]?.GetValue<string>() == "object" || resolved["properties"] is not null;
                    if (required.Contains(name) || !isObject)
                    {
                        body[name] = Plausible(propertySchema.AsObject(), name, depth + 1);
                    }
                }

                return body;
            case "object":
                return new JsonObject();
            case "array":
                return schema["items"] is JsonObject items
                    ? new JsonArray(Plausible(items, Singular(propertyName), depth + 1))
                    : new JsonArray();
            case "integer":
                return JsonValue.Create(Math.Max(1, schema["minimum"]?.GetValue<long>() ?? 1));
            case "number":
                return JsonValue.Create(Math.Max(1.5, schema["minimum"]?.GetValue<double>() ?? 1.5));
            case "boolean":
                return JsonValue.Create(true);
            default:
                return JsonValue.Create(PlausibleString(schema, propertyName));
        }
    }

    public static HashSet<string> RequiredOf(JsonObject schema) =>
        Resolve(schema)["required"] is JsonArray required ? [.. required.Select(r => r!.GetValue<string>())] : [];

    /// <summary>A string for a property: by format and name first, then anything that fits pattern and lengths.</summary>
    public static string PlausibleString(JsonObject schema, string? propertyName)
    {
        var name = (propertyName ?? string.Empty).ToLowerInvariant();
        var format = schema["format"]?.GetValue<string>();
        var candidates = new List<string>();
        if (format == "email" || name.Contains("email", StringComparison.Ordinal))
        {
            candidates.Add($"someone-{Guid.NewGuid():N}@example.com");
        }

        if (format == "uri" || name.Contains("url", StringComparison.Ordinal) || name.Contains("website", StringComparison.Ordinal))
        {
            candidates.Add("https://www.example.com/");
        }

        if (format == "date")
        {
            candidates.Add(DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (format == "date-time")
        {
            candidates.Add(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        }

        if (format == "uuid" || (name.EndsWith("id", StringComparison.Ordinal) && name.Length > 2 && format is null && schema["pattern"] is null))
        {
            candidates.Add(name == "mpnid" ? "1234567" : Guid.NewGuid().ToString());
        }

        candidates.AddRange(name switch
        {
            "country" => ["US"],
            "phonenumber" => ["+1 206 555 0100"],
            "language" => ["en"],
            "culture" => ["en-US"],
            "iban" => ["DE89370400440532013000"],
            "routingnumber" => ["021000021"],
            "accountnumber" => ["12345678"],
            "swiftbic" => ["DEUTDEFF"],
            "postalcode" => ["98101"],
            "state" => ["WA"],
            "role" or "roleid" => ["developer"],
            _ when name.Contains("password", StringComparison.Ordinal) => ["Correct-Horse-Battery-9"],
            _ => [],
        });
        candidates.AddRange(["Plausible value", "US", "1234567", "123456789", "DEUTDEFF", "x"]);

        var minLength = schema["minLength"]?.GetValue<int>() ?? 0;
        var maxLength = schema["maxLength"]?.GetValue<int>() ?? int.MaxValue;
        var pattern = schema["pattern"]?.GetValue<string>() is { } p ? new Regex(p, RegexOptions.None, TimeSpan.FromSeconds(1)) : null;
        foreach (var candidate in candidates)
        {
            var fitted = candidate.Length < minLength ? candidate.PadRight(minLength, 'x') : candidate;
            if (fitted.Length <= maxLength && (pattern is null || pattern.IsMatch(fitted)))
            {
                return fitted;
            }
        }

        return new string('x', Math.Clamp(minLength, 1, maxLength));
    }

    private static string? Singular(string? name) => name is { Length: > 1 } && name.EndsWith('s') ? name[..^1] : name;

    private static IEnumerable<ApiOperation> Read(JsonObject document)
    {
        foreach (var (template, pathItem) in document["paths"]!.AsObject())
        {
            var shared = pathItem!["parameters"] as JsonArray;
            foreach (var (method, operationNode) in pathItem.AsObject())
            {
                if (method is "parameters" or "summary" or "description" or "servers")
                {
                    continue;
                }

                var operation = operationNode!.AsObject();
                var parameters = (shared ?? []).Concat(operation["parameters"] as JsonArray ?? [])
                    .Select(p => p!.AsObject())
                    .Select(p => new ApiParameter(
                        p["name"]!.GetValue<string>(),
                        p["in"]!.GetValue<string>(),
                        p["required"]?.GetValue<bool>() ?? false,
                        p["schema"] as JsonObject ?? []))
                    .ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"] as JsonObject;
                yield return new ApiOperation(method.ToUpperInvariant(), template, operation["operationId"]?.GetValue<string>() ?? $"{method} {template}", parameters, body);
            }
        }
    }
}
