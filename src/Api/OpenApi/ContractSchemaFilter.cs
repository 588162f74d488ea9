using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using PartnerAccounts.Api.Contracts;
using PartnerAccounts.Api.Http;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PartnerAccounts.Api.OpenApi;

/// <summary>
/// Schema rules that follow from how the service serializes, so generated clients get exact types:
/// problem details are described with the members <see cref="Problems"/> always writes, and the properties of a positional
/// record (every response contract) are required because the serializer writes each of them, null included — a nullable one
/// is then <c>required</c> + <c>nullable</c>, which clients read as "always present, may be null". The exception: a secret an
/// idempotent replay may leave out (<see cref="WithheldOnReplayAttribute"/>) is not required.
/// Request contracts are classes with init properties: their <c>[Required]</c> attributes decide.
/// </summary>
public sealed class ContractSchemaFilter : ISchemaFilter
{
    public const string ProblemCodePattern = "^[a-z][a-z0-9_]*$";

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema definition)
        {
            return;
        }

        if (context.MemberInfo is not null || context.ParameterInfo is not null)
        {
            var limits = context.MemberInfo?.GetCustomAttribute<ItemLimitsAttribute>() ?? context.ParameterInfo?.GetCustomAttribute<ItemLimitsAttribute>();
            if (limits is not null && definition.Items is OpenApiSchema items)
            {
                items.MaxLength = limits.MaxLength;
                items.MinLength = limits.MinLength > 0 ? limits.MinLength : null;
                items.Pattern = limits.Pattern;
            }

            return;
        }

        if (context.Type.IsAssignableTo(typeof(ProblemDetails)))
        {
            DescribeProblem(definition);
            return;
        }

        RequirePositionalProperties(definition, context.Type);
    }

    private static void RequirePositionalProperties(OpenApiSchema schema, Type type)
    {
        if (schema.Properties is not { Count: > 0 } properties)
        {
            return;
        }

        var positional = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Select(c => c.GetParameters())
            .Where(parameters => parameters.Length > 0 && parameters.All(p => properties.Keys.Any(k => string.Equals(k, p.Name, StringComparison.OrdinalIgnoreCase))))
            .OrderByDescending(parameters => parameters.Length)
            .FirstOrDefault();
        if (positional is null)
        {
            return;
        }

        schema.Required ??= new SortedSet<string>(StringComparer.Ordinal);
        foreach (var parameter in positional)
        {
            var name = properties.Keys.First(k => string.Equals(k, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (!parameter.IsDefined(typeof(WithheldOnReplayAttribute), inherit: false))
            {
                schema.Required.Add(name);
            }
            else if (properties[name] is OpenApiSchema withheld)
            {
                withheld.Description = string.IsNullOrEmpty(withheld.Description)
                    ? WithheldOnReplayAttribute.Description
                    : withheld.Description.TrimEnd() + " " + WithheldOnReplayAttribute.Description;
            }
        }
    }

    private static void DescribeProblem(OpenApiSchema schema)
    {
        schema.Description =
            "An RFC 9457 problem. `code` is the stable, machine-readable reason (for example `validation_failed`, `etag_mismatch`, " +
            "`account_not_found`); `errors` lists the messages per field of invalid input; quote `requestId` when you report a problem. " +
            "`description` (the same text as `detail`) and `data` (the field messages of invalid input, else empty) are Partner Center's " +
            "fault members, so clients written for Partner Center read them. Problems of some operations carry further members, which " +
            "clients should ignore when they do not know them.";
        schema.Type = JsonSchemaType.Object;
        schema.Required = new SortedSet<string>(["code", "data", "description", "instance", "requestId", "status", "title", "type"], StringComparer.Ordinal);
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = "uri-reference",
                MaxLength = 2048,
                Description = $"Identifies the problem type: `{Problems.TypeBase}<code>` for the service's own problems.",
            },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200, Description = "The status code's reason phrase." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599", Description = "The HTTP status code." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4000, Description = "What went wrong, for people." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2048, Description = "The path of the request." },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MaxLength = 64,
                Pattern = ProblemCodePattern,
                Description = "The stable, machine-readable reason; clients branch on this, not on `title` or `detail`.",
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Invalid input only: the messages per field (JSON path of the field, `body` for the whole body).",
                AdditionalPropertiesAllowed = true,
                AdditionalProperties = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    MaxItems = 100,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4000 },
                },
                MaxProperties = 500,
            },
            ["requestId"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128, Description = "The request's `X-Request-Id`." },
            ["description"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4000, Description = "Partner Center's fault message: the same text as `detail`." },
            ["data"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                MaxItems = 1000,
                Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4000 },
                Description = "Partner Center's fault data: the field messages of invalid input as `field: message`, else empty.",
            },
        };
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = null;
    }
}
