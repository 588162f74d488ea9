using System.Text.Json.Nodes;

namespace PartnerAccounts.Tests.Contract;

/// <summary>
/// Finds the changes between two OpenAPI 3.0 documents of one API version that break clients generated from the older
/// one: a removed or renamed operation, a removed success response, a removed response field (or one that is no longer
/// always present, became nullable or changed type), and a new required request field or parameter. Additions that old
/// clients can ignore (new operations, optional request fields, new response fields) are not breaking.
/// </summary>
public static class OpenApiComparer
{
    private const int MaxDepth = 32;

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    public static IReadOnlyList<string> BreakingChanges(JsonNode previous, JsonNode current)
    {
        var changes = new List<string>();
        var previousPaths = previous["paths"]?.AsObject() ?? [];
        foreach (var (path, previousItem) in previousPaths)
        {
            foreach (var method in Methods)
            {
                if (previousItem?[method] is not JsonObject before)
                {
                    continue;
                }

                var name = $"{method.ToUpperInvariant()} {path}";
                if (current["paths"]?[path]?[method] is not JsonObject after)
                {
                    changes.Add($"{name}: operation removed");
                    continue;
                }

                var beforeId = before["operationId"]?.GetValue<string>();
                var afterId = after["operationId"]?.GetValue<string>();
                if (beforeId is not null && beforeId != afterId)
                {
                    changes.Add($"{name}: operationId {beforeId} renamed to {afterId ?? "(none)"}");
                }

                CompareParameters(name, previousItem, before, current["paths"]![path]!, after, changes);
                CompareRequestBodies(name, previous, before, current, after, changes);
                CompareResponses(name, previous, before, current, after, changes);
            }
        }

        return changes;
    }

    private static void CompareParameters(string name, JsonNode beforeItem, JsonNode before, JsonNode afterItem, JsonNode after, List<string> changes)
    {
        var old = ParametersOf(beforeItem, before).ToDictionary(p => p.Key, p => p.Required);
        foreach (var (key, required) in ParametersOf(afterItem, after))
        {
            if (required && !(old.TryGetValue(key, out var wasRequired) && wasRequired))
            {
                changes.Add($"{name}: new required parameter {key}");
            }
        }
    }

    private static IEnumerable<(string Key, bool Required)> ParametersOf(JsonNode pathItem, JsonNode operation) =>
        (pathItem["parameters"]?.AsArray() ?? []).Concat(operation["parameters"]?.AsArray() ?? [])
            .OfType<JsonObject>()
            .Select(p => ($"{p["in"]?.GetValue<string>()}:{p["name"]?.GetValue<string>()?.ToLowerInvariant()}", p["required"]?.GetValue<bool>() == true));

    private static void CompareRequestBodies(string name, JsonNode previous, JsonNode before, JsonNode current, JsonNode after, List<string> changes)
    {
        var afterBody = after["requestBody"];
        if (afterBody is null)
        {
            return;
        }

        var beforeBody = before["requestBody"];
        if (beforeBody is null)
        {
            if (afterBody["required"]?.GetValue<bool>() == true)
            {
                changes.Add($"{name}: new required request body");
            }

            return;
        }

        var afterSchema = JsonSchemaOf(afterBody);
        if (afterSchema is null)
        {
            return;
        }

        CompareRequestSchema($"{name} request", Resolve(previous, JsonSchemaOf(beforeBody)), Resolve(current, afterSchema), previous, current, changes, 0);
    }

    /// <summary>Walks what the new schema requires; anything the old schema did not require is a new demand on old clients.</summary>
    private static void CompareRequestSchema(string at, JsonObject? before, JsonObject? after, JsonNode previous, JsonNode current, List<string> changes, int depth)
    {
        if (after is null || depth > MaxDepth)
        {
            return;
        }

        if (after["items"] is { } afterItems)
        {
            CompareRequestSchema(at + "[]", Resolve(previous, before?["items"]), Resolve(current, afterItems), previous, current, changes, depth + 1);
        }

        var beforeRequired = RequiredOf(before);
        foreach (var field in RequiredOf(after))
        {
            if (!beforeRequired.Contains(field))
            {
                changes.Add($"{at}: new required field {field}");
                continue;
            }

            CompareRequestSchema($"{at}.{field}", Resolve(previous, before?["properties"]?[field]), Resolve(current, after["properties"]?[field]), previous, current, changes, depth + 1);
        }
    }

    private static void CompareResponses(string name, JsonNode previous, JsonNode before, JsonNode current, JsonNode after, List<string> changes)
    {
        foreach (var (status, response) in before["responses"]?.AsObject() ?? [])
        {
            if (!status.StartsWith('2'))
            {
                continue;
            }

            var afterResponse = after["responses"]?[status];
            if (afterResponse is null)
            {
                changes.Add($"{name}: response {status} removed");
                continue;
            }

            var beforeSchema = response is null ? null : JsonSchemaOf(response);
            if (beforeSchema is not null)
            {
                CompareResponseSchema($"{name} response {status}", Resolve(previous, beforeSchema), Resolve(current, JsonSchemaOf(afterResponse)), previous, current, changes, 0);
            }
        }
    }

    /// <summary>Walks everything the old response promised; each field must still be there, as present and as typed as before.</summary>
    private static void CompareResponseSchema(string at, JsonObject? before, JsonObject? after, JsonNode previous, JsonNode current, List<string> changes, int depth)
    {
        if (before is null || depth > MaxDepth)
        {
            return;
        }

        if (after is null)
        {
            changes.Add($"{at}: body removed");
            return;
        }

        var beforeType = TypeOf(before);
        var afterType = TypeOf(after);
        if (beforeType is not null && afterType is not null && beforeType != afterType)
        {
            changes.Add($"{at}: type changed from {beforeType} to {afterType}");
            return;
        }

        if (before["items"] is { } beforeItems)
        {
            CompareResponseSchema(at + "[]", Resolve(previous, beforeItems), Resolve(current, after["items"]), previous, current, changes, depth + 1);
        }

        var beforeRequired = RequiredOf(before);
        var afterRequired = RequiredOf(after);
        foreach (var (field, beforeField) in before["properties"]?.AsObject() ?? [])
        {
            var afterField = after["properties"]?[field];
            if (afterField is null)
            {
                changes.Add($"{at}: field {field} removed");
                continue;
            }

            if (beforeRequired.Contains(field) && !afterRequired.Contains(field))
            {
                changes.Add($"{at}: field {field} is no longer always present");
            }

            var beforeResolved = Resolve(previous, beforeField);
            var afterResolved = Resolve(current, afterField);
            if (!IsNullable(beforeField, beforeResolved) && IsNullable(afterField, afterResolved))
            {
                changes.Add($"{at}: field {field} became nullable");
            }

            CompareResponseSchema($"{at}.{field}", beforeResolved, afterResolved, previous, current, changes, depth + 1);
        }
    }

    private static JsonNode? JsonSchemaOf(JsonNode bodyOrResponse) =>
        bodyOrResponse["content"]?.AsObject().FirstOrDefault(c => c.Key.Contains("json", StringComparison.OrdinalIgnoreCase)).Value?["schema"];

    /// <summary>The schema itself, with a <c>$ref</c> (also one wrapped in a single <c>allOf</c>) followed to its component.</summary>
    private static JsonObject? Resolve(JsonNode document, JsonNode? schema)
    {
        for (var hops = 0; schema is JsonObject node && hops < MaxDepth; hops++)
        {
            if (node["$ref"]?.GetValue<string>() is { } reference)
            {
                schema = document["components"]?["schemas"]?[reference.Split('/')[^1]];
                continue;
            }

            if (node["allOf"] is JsonArray { Count: 1 } allOf && node["properties"] is null)
            {
                schema = allOf[0];
                continue;
            }

            return node;
        }

        return null;
    }

    private static bool IsNullable(JsonNode? declared, JsonObject? resolved) =>
        declared?["nullable"]?.GetValue<bool>() == true || resolved?["nullable"]?.GetValue<bool>() == true;

    private static string? TypeOf(JsonObject schema) => schema["type"]?.GetValue<string>();

    private static HashSet<string> RequiredOf(JsonObject? schema) =>
        [.. (schema?["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>())];
}
