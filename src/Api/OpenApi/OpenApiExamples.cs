using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using PartnerAccounts.Api.Http;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PartnerAccounts.Api.OpenApi;

/// <summary>
/// Gives every schema of the document an example and every problem response the examples of its status, so each operation
/// shows a request and/or response example in Swagger UI without a hand-written example per endpoint.
/// Object examples are composed from their properties: a value by property name (<see cref="ByProperty"/>, for fields whose
/// format a generic value would break: countries, MPN IDs, bank numbers, ...), else by format (uuid, date-time, email, ...),
/// else a short string within the schema's limits. A schema that needs a whole hand-made example goes in <see cref="BySchema"/>.
/// A new contract field with a <c>pattern</c> needs an entry in <see cref="ByProperty"/>: the Spectral lint
/// (<c>oas3-valid-schema-example</c>) fails on an example that does not match its schema.
/// </summary>
public sealed class OpenApiExamples : IDocumentFilter
{
    public const string SampleId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    public const string SampleTime = "2026-01-15T09:30:00Z";

    private static readonly Dictionary<string, Func<JsonNode>> BySchema = new(StringComparer.Ordinal)
    {
        ["VerificationDecisionRequest"] = () => new JsonObject { ["status"] = "rejected", ["reason"] = "The legal name does not match the registration documents." },
        ["ProblemDetails"] = () => Problem(404, "account_not_found", "The account does not exist or you are not a member of it."),
    };

    /// <summary>Values by property name; <c>Schema.property</c> wins over a plain <c>property</c>.</summary>
    private static readonly Dictionary<string, Func<JsonNode?>> ByProperty = new(StringComparer.OrdinalIgnoreCase)
    {
        ["RoleRef.id"] = () => "global-admin",
        ["RoleRef.name"] = () => "Global admin",
        ["RoleResponse.id"] = () => "global-admin",
        ["RoleResponse.name"] = () => "Global admin",
        ["RoleResponse.description"] = () => "Manages everything in the account, including who else can.",
        ["LocationRequest.name"] = () => "Seattle office",
        ["LocationResponse.name"] = () => "Seattle office",
        ["ProgramResponse.id"] = () => "mpn",
        ["ProgramResponse.name"] = () => "Partner network (MPN)",
        ["ProgramResponse.description"] = () => "The Microsoft AI Cloud Partner Program membership every other partner program builds on.",
        ["EnrolledProgramRef.id"] = () => "mpn",
        ["EnrolledProgramRef.name"] = () => "Partner network (MPN)",
        ["programId"] = () => "mpn",
        ["programName"] = () => "Partner network (MPN)",
        ["legalName"] = () => "Fabrikam Ltd",
        ["companyName"] = () => "Fabrikam Ltd",
        ["partnerName"] = () => "Fabrikam Ltd",
        ["displayName"] = () => "Fabrikam",
        ["accountHolderName"] = () => "Fabrikam Ltd",
        ["firstName"] = () => "Pat",
        ["lastName"] = () => "Lee",
        ["email"] = () => "pat@fabrikam.example",
        ["supportEmail"] = () => "support@fabrikam.example",
        ["actor"] = () => "pat@fabrikam.example",
        ["phoneNumber"] = () => "+1 206 555 0100",
        ["addressLine1"] = () => "1 Main St",
        ["addressLine2"] = () => "Suite 100",
        ["city"] = () => "Seattle",
        ["state"] = () => "WA",
        ["postalCode"] = () => "98101",
        ["country"] = () => "US",
        ["mpnId"] = () => "1234567",
        ["name"] = () => "Fabrikam",
        ["website"] = () => "https://fabrikam.example",
        ["websiteUrl"] = () => "https://fabrikam.example",
        ["iban"] = () => "DE89370400440532013000",
        ["ibanLast4"] = () => "3000",
        ["routingNumber"] = () => "021000021",
        ["accountNumber"] = () => "000123456789",
        ["accountNumberLast4"] = () => "6789",
        ["swiftBic"] = () => "DEUTDEFF",
        ["purchaseOrderNumber"] = () => "PO-2026-0042",
        ["taxId"] = () => "91-1234567",
        ["certificateId"] = () => "EXM-2026-0001",
        ["reason"] = () => "The registration documents are being checked.",
        ["verificationReason"] = () => null,
        ["password"] = () => "correct horse battery staple",
        ["currentPassword"] = () => "Tmp-7Hq2-Xz9w-Lp4c",
        ["newPassword"] = () => "correct horse battery staple",
        ["temporaryPassword"] = () => "Tmp-7Hq2-Xz9w-Lp4c",
        ["accessToken"] = () => "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJlbWFpbCI6InBhdEBmYWJyaWthbS5leGFtcGxlIn0.c2lnbmF0dXJl",
        ["tokenType"] = () => "Bearer",
        ["continuationToken"] = () => null,
        ["roles"] = () => "global-admin",
        ["programs"] = () => "mpn",
        ["settingsAreas"] = () => "partner",
        ["permissions"] = () => "profileRead",
        ["language"] = () => "en-US",
        ["languages"] = () => "en-US",
        ["action"] = () => "updated",
        ["resource"] = () => "profiles/legalbusiness",
        ["resourceId"] = () => null,
        ["correlationId"] = () => "7d1f0c52-9a4e-4f7a-8a43-1b2c3d4e5f60",
        ["description"] = () => "Cloud migration and managed services for mid-size companies.",
        ["before"] = () => new JsonObject { ["legalName"] = "Fabrikam" },
        ["after"] = () => new JsonObject { ["legalName"] = "Fabrikam Ltd" },
    };

    /// <summary>The example problem of each status, the way the service writes it.</summary>
    private static readonly Dictionary<int, (string Code, string Detail)> ProblemSamples = new()
    {
        [400] = ("validation_failed", "One or more fields are invalid."),
        [401] = ("unauthenticated", "Send a valid bearer token (Authorization: Bearer <JWT>)."),
        [403] = ("permission_denied", "Your roles in this account do not allow this."),
        [404] = ("account_not_found", "The account does not exist or you are not a member of it."),
        [409] = ("conflict", "The resource's current state does not allow this; the code names the rule."),
        [412] = ("etag_mismatch", "The resource changed since you read it; read it again and retry with its new ETag."),
        [413] = ("payload_too_large", "The request body is larger than 1 MiB."),
        [415] = ("unsupported_media_type", "Send the body as application/json."),
        [422] = ("business_rule_violated", "A business rule refuses the request; the code names the rule."),
        [428] = ("if_match_required", "Send the resource's ETag in If-Match."),
        [429] = ("rate_limited", "Too many requests; retry after the time in Retry-After."),
        [500] = ("internal_error", "An unexpected error occurred. Quote the request id when you report it."),
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var schemas = swaggerDoc.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var builder = new ExampleBuilder(schemas);
        foreach (var (name, schema) in schemas)
        {
            if (schema is OpenApiSchema definition && definition.Example is null && definition.Enum is not { Count: > 0 })
            {
                definition.Example = builder.ForComponent(name);
            }
        }

        swaggerDoc.Components ??= new OpenApiComponents();
        swaggerDoc.Components.Examples ??= new Dictionary<string, IOpenApiExample>();
        foreach (var (status, (code, detail)) in ProblemSamples)
        {
            swaggerDoc.Components.Examples[ProblemExampleId(status)] = new OpenApiExample { Summary = code, Value = Problem(status, code, detail) };
        }

        foreach (var operation in (swaggerDoc.Paths ?? []).Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            foreach (var (statusKey, response) in operation.Responses ?? new OpenApiResponses())
            {
                if (response.Content is null || !response.Content.TryGetValue("application/problem+json", out var media) ||
                    !int.TryParse(statusKey, out var status) || !ProblemSamples.ContainsKey(status))
                {
                    continue;
                }

                media.Examples ??= new Dictionary<string, IOpenApiExample>();
                media.Examples[ProblemSamples[status].Code] = new OpenApiExampleReference(ProblemExampleId(status), swaggerDoc);
            }

            // Inline (non-component) bodies, such as a list of roles, get their example on the media type.
            foreach (var media in BodiesOf(operation).Where(m => m.Example is null && m.Examples is not { Count: > 0 } && m.Schema is OpenApiSchema))
            {
                media.Example = builder.For(media.Schema!, propertyName: null);
            }
        }
    }

    public static string ProblemExampleId(int status) => "problem-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<OpenApiMediaType> BodiesOf(OpenApiOperation operation) =>
        (operation.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())
            .Concat((operation.Responses ?? new OpenApiResponses()).Values.SelectMany(r => r.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()));

    private static JsonObject Problem(int status, string code, string detail)
    {
        var problem = new JsonObject
        {
            ["type"] = Problems.TypeBase + code,
            ["title"] = Problems.TitleOf(status),
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = $"/v1/accounts/{SampleId}/profiles/legalbusiness",
            ["code"] = code,
        };
        const string countryMessage = "Use an ISO 3166-1 alpha-2 country code, for example US.";
        if (status == 400)
        {
            problem["errors"] = new JsonObject { ["address.country"] = new JsonArray(countryMessage) };
        }

        problem["description"] = detail;
        problem["data"] = status == 400 ? new JsonArray("address.country: " + countryMessage) : new JsonArray();
        problem["requestId"] = "7f2c1e9a-4b9d-4e0b-9a51-2d5c8f0e6b13";
        return problem;
    }

    /// <summary>Builds examples from schemas, resolving references once (a schema that refers to itself gets null the second time).</summary>
    private sealed class ExampleBuilder(IDictionary<string, IOpenApiSchema> components)
    {
        private readonly Dictionary<string, JsonNode?> _built = new(StringComparer.Ordinal);
        private readonly HashSet<string> _building = new(StringComparer.Ordinal);

        public JsonNode? ForComponent(string name)
        {
            if (_built.TryGetValue(name, out var done))
            {
                return done?.DeepClone();
            }

            if (!_building.Add(name) || !components.TryGetValue(name, out var schema))
            {
                return null;
            }

            var example = BySchema.TryGetValue(name, out var custom) ? custom() : For(schema, propertyName: null, owner: name, resolveOwnExample: false);
            _building.Remove(name);
            _built[name] = example;
            return example?.DeepClone();
        }

        public JsonNode? For(IOpenApiSchema schema, string? propertyName, string? owner = null, bool resolveOwnExample = true)
        {
            if (schema is OpenApiSchemaReference reference)
            {
                return reference.Reference.Id is { } id ? ForComponent(id) : null;
            }

            if (resolveOwnExample && schema.Example is not null)
            {
                return schema.Example.DeepClone();
            }

            if (schema.AllOf is { Count: 1 } allOf)
            {
                return For(allOf[0], propertyName, owner);
            }

            if (schema.Enum is { Count: > 0 } values)
            {
                return values[0]?.DeepClone();
            }

            var type = schema.Type ?? 0;
            if (type.HasFlag(JsonSchemaType.Array))
            {
                return schema.Items is null ? new JsonArray() : new JsonArray(For(schema.Items, propertyName, owner));
            }

            if (schema.Properties is { Count: > 0 } properties)
            {
                var example = new JsonObject();
                foreach (var (name, property) in properties)
                {
                    example[name] = For(property, name, owner);
                }

                return example;
            }

            if (propertyName is not null &&
                (ByProperty.TryGetValue(owner + "." + propertyName, out var byName) || ByProperty.TryGetValue(propertyName, out byName)))
            {
                var value = byName();
                if (value is not null || type.HasFlag(JsonSchemaType.Null) || type == 0)
                {
                    return value;
                }
            }

            if (type.HasFlag(JsonSchemaType.Object) || type == 0)
            {
                return schema.AdditionalProperties is { } values2 ? new JsonObject { ["key"] = For(values2, null) } : new JsonObject();
            }

            if (type.HasFlag(JsonSchemaType.String))
            {
                return schema.Format switch
                {
                    "uuid" => SampleId,
                    "date-time" => SampleTime,
                    "date" => "2027-12-31",
                    "email" => "pat@fabrikam.example",
                    "uri" or "url" => "https://fabrikam.example",
                    _ => Text(schema),
                };
            }

            if (type.HasFlag(JsonSchemaType.Integer))
            {
                return long.TryParse(schema.Minimum, out var min) ? min : 1;
            }

            if (type.HasFlag(JsonSchemaType.Number))
            {
                return 1.5;
            }

            return type.HasFlag(JsonSchemaType.Boolean) ? JsonValue.Create(true) : null;
        }

        private static string Text(IOpenApiSchema schema)
        {
            var text = "example";
            if (schema.MaxLength is { } max && text.Length > max)
            {
                text = text[..max];
            }

            return schema.MinLength is { } min && text.Length < min ? text.PadRight(min, 'x') : text;
        }
    }
}
