using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using PartnerAccounts.Api.Contracts;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.Common.Paging;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PartnerAccounts.Api.OpenApi;

/// <summary>
/// Adds to every operation what the API's conventions (README, "Conventions every endpoint follows") say about it, inferred from what the endpoint already declares, so a
/// new endpoint is documented right without extra attributes:
/// <list type="bullet">
/// <item>security: none for <c>AllowAnonymous</c>, <c>apiKey</c> OR <c>bearer</c> for <see cref="ApiKeyAuthAttribute"/>
/// (also when the endpoint is otherwise anonymous and checks the key itself), else <c>bearer</c>;</item>
/// <item>a 428 problem means the write needs <c>If-Match</c> (a required header; its 200 carries the new <c>ETag</c>);
/// a 304 means the read honours <c>If-None-Match</c> (its 200 and 304 carry <c>ETag</c>);</item>
/// <item>a 201 carries <c>Location</c>, a page (<see cref="PageResponse{T}"/>) <c>Link</c>, a 429 <c>Retry-After</c>, every
/// response <c>X-Request-Id</c>, the 2xx of an idempotent POST <c>Idempotent-Replayed</c> (and <c>Idempotent-Secret-Withheld</c> when its
/// body holds a <see cref="WithheldOnReplayAttribute"/> secret); <see cref="OpenApiMetadataExtensions.WithResponseHeader{TBuilder}"/> and
/// <see cref="OpenApiMetadataExtensions.WithoutResponseHeader{TBuilder}"/> correct the rare exception;</item>
/// <item><c>limit</c> and <c>continuationToken</c> get the paging limits; string path ids without a format are slugs;</item>
/// <item>every operation can answer 500 (a problem quoting the request id) and, unless it answers without the database
/// (<see cref="OpenApiMetadataExtensions.AnswersWithoutDatabase{TBuilder}"/>), 503 <c>service_unavailable</c> with
/// <c>Retry-After</c>; each gets a description of the conventions that apply to it.</item>
/// </list>
/// </summary>
public sealed class OpenApiConventions : IOperationFilter, IDocumentFilter
{
    public const string RequestIdHeader = "X-Request-Id";
    public const string ETagHeader = "ETag";
    public const string LocationHeader = "Location";
    public const string LinkHeader = "Link";
    public const string RetryAfterHeader = "Retry-After";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string IdempotentReplayedHeader = "Idempotent-Replayed";
    public const string IdempotentSecretWithheldHeader = IdempotencyMiddleware.SecretWithheldHeader;
    public const string SlugPattern = "^[a-z0-9]+(-[a-z0-9]+)*$";
    public const int MaxContinuationTokenLength = 1024;

    private static readonly Dictionary<string, Func<OpenApiHeader>> KnownHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        [RequestIdHeader] = () => new OpenApiHeader
        {
            Description = "Identifies this request in the service's logs; quote it when you report a problem.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128 },
            Example = JsonValue.Create("7f2c1e9a-4b9d-4e0b-9a51-2d5c8f0e6b13"),
        },
        [IdempotentReplayedHeader] = () => new OpenApiHeader
        {
            Description = "`true` when this is the stored first response to a request with the same `Idempotency-Key`.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
            Example = JsonValue.Create("true"),
        },
        [IdempotentSecretWithheldHeader] = () => new OpenApiHeader
        {
            Description = "`true` when this replay leaves out the secret the first response carried because it is no longer valid " +
                "(rotated, revoked, used or replaced since, or its resource deleted): a secret is never shown again once it is not current.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
            Example = JsonValue.Create("true"),
        },
        [ETagHeader] = () => new OpenApiHeader
        {
            Description = "The resource's strong entity tag: send it in `If-Match` to change the resource, in `If-None-Match` to get 304 while it is unchanged.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 64 },
            Example = JsonValue.Create("\"3\""),
        },
        [LocationHeader] = () => new OpenApiHeader
        {
            Description = "The URL of the created resource.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = 2048 },
            Example = JsonValue.Create("/v1/accounts/3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        },
        [LinkHeader] = () => new OpenApiHeader
        {
            Description = "`<url>; rel=\"next\"` while there is a next page (the same page as `continuationToken`).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4096 },
            Example = JsonValue.Create("</v1/me/accounts?limit=50&continuationToken=CfDJ8N2x>; rel=\"next\""),
        },
        [RetryAfterHeader] = () => new OpenApiHeader
        {
            Description = "Seconds to wait before sending the request again.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "86400" },
            Example = JsonValue.Create(60),
        },
        ["RateLimit-Limit"] = () => new OpenApiHeader
        {
            Description = "Verifications the reported budget allows per window (the hit budget for a verified ID, the miss budget for an unknown or malformed one; see the README).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
            Example = JsonValue.Create(6000),
        },
        ["RateLimit-Remaining"] = () => new OpenApiHeader
        {
            Description = "Verifications left in the reported budget until the window resets.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" },
            Example = JsonValue.Create(5999),
        },
        ["RateLimit-Reset"] = () => new OpenApiHeader
        {
            Description = "Seconds until the budgets' window resets.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" },
            Example = JsonValue.Create(42),
        },
    };

    /// <summary>What each problem status means across the API (the response descriptions).</summary>
    private static readonly Dictionary<int, string> ProblemDescriptions = new()
    {
        [400] = "Bad Request: unreadable input (`malformed_request`), a property named twice in any letter case (`duplicate_property`) or not in the schema (`unknown_property`), invalid fields (`validation_failed`, with `errors`) or a bad paging token (`invalid_continuation_token`).",
        [401] = "Unauthorized: no or an invalid credential (`unauthenticated`).",
        [403] = "Forbidden: the caller is known but lacks the permission (`permission_denied`, `operator_required`).",
        [404] = "Not Found: the resource does not exist, or belongs to an account the caller is not a member of (`account_not_found`, ...).",
        [409] = "Conflict: the resource's state does not allow this (the `code` says which rule).",
        [412] = "Precondition Failed: `If-Match` names an old version (`etag_mismatch`); read the resource again.",
        [413] = "Content Too Large: the body is over 1 MiB (`payload_too_large`).",
        [415] = "Unsupported Media Type: send `application/json` (`unsupported_media_type`).",
        [422] = "Unprocessable Content: well-formed, but a business rule refuses it (the `code` says which).",
        [428] = "Precondition Required: send the resource's `ETag` in `If-Match` (`if_match_required`).",
        [429] = "Too Many Requests: rate limited (`rate_limited`); wait for `Retry-After` seconds.",
        [500] = "Internal Server Error (`internal_error`): not caused by the request; quote `requestId` when you report it.",
        [503] = "Service Unavailable (`service_unavailable`): the database cannot serve now (down, restarting, out of connections, a full or read-only disk); retry after `Retry-After` seconds. Nothing was changed.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var document = context.Document;
        operation.Responses ??= [];
        operation.Parameters ??= [];

        var unexpected = metadata.OfType<AnswersWithoutDatabaseAttribute>().Any() ? new[] { "500" } : ["500", "503"];
        foreach (var status in unexpected.Where(status => !operation.Responses.ContainsKey(status)))
        {
            var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
            operation.Responses[status] = new OpenApiResponse
            {
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
            };
        }

        var security = Security(metadata);
        operation.Security = [.. security.Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] })];

        var needsIfMatch = operation.Responses.ContainsKey("428");
        var honoursIfNoneMatch = operation.Responses.ContainsKey("304");
        if (needsIfMatch)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = true,
                Description = "The `ETag` of your last read of the resource: without it 428 `if_match_required`, when it is stale 412 `etag_mismatch`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 64 },
                Example = JsonValue.Create("\"3\""),
            });
        }

        if (honoursIfNoneMatch)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match",
                In = ParameterLocation.Header,
                Required = false,
                Description = "The `ETag` of your last read: 304 with no body while the resource is unchanged.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1024 },
                Example = JsonValue.Create("\"3\""),
            });
        }

        // Every authenticated POST honours Idempotency-Key (src/Api/Http/IdempotencyMiddleware.cs), except bulk MPN ID
        // verification (an API key endpoint): it changes nothing, so a retry is simply another verification.
        var idempotent = string.Equals(context.ApiDescription.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase) &&
            security.Contains(PartnerOpenApi.BearerScheme) && !metadata.OfType<ApiKeyAuthAttribute>().Any();
        if (idempotent)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKeyHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes a retry safe: the same key with the same request within 24 hours returns the first successful response " +
                    "(marked `Idempotent-Replayed: true`) without doing it twice; the same key with another request is 422 `idempotency_key_reused`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255, Pattern = "^[!-~]+$" },
                Example = JsonValue.Create("5f0c2a7e-1d3b-4c55-9a0e-7b2d1c9e8f10"),
            });
            foreach (var status in new[] { 409, 422 })
            {
                if (!operation.Responses.ContainsKey(status.ToString(CultureInfo.InvariantCulture)))
                {
                    var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
                    operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
                    {
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                    };
                }
            }
        }

        var paged = ConstrainParameters(operation);
        var isPage = context.ApiDescription.SupportedResponseTypes.Any(r =>
            r.StatusCode == StatusCodes.Status200OK && r.Type is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(PageResponse<>));

        var explicitHeaders = metadata.OfType<OpenApiResponseHeader>().ToList();
        foreach (var (statusKey, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete || !int.TryParse(statusKey, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                continue;
            }

            if (ProblemDescriptions.TryGetValue(status, out var meaning) && concrete.Content?.ContainsKey("application/problem+json") == true)
            {
                concrete.Description = meaning;
            }

            var headers = new List<string> { RequestIdHeader };
            if ((status == 200 && (needsIfMatch || honoursIfNoneMatch)) || status == 304)
            {
                headers.Add(ETagHeader);
            }

            if (status == 201)
            {
                headers.Add(LocationHeader);
            }

            if (status == 200 && isPage)
            {
                headers.Add(LinkHeader);
            }

            if (status is 429 or 503 || (idempotent && status == 409))
            {
                headers.Add(RetryAfterHeader);
            }

            if (idempotent && status is >= 200 and < 300)
            {
                headers.Add(IdempotentReplayedHeader);
                if (context.ApiDescription.SupportedResponseTypes.Any(r => r.StatusCode == status && WithheldOnReplayAttribute.AnyOn(r.Type)))
                {
                    headers.Add(IdempotentSecretWithheldHeader);
                }
            }

            headers.AddRange(explicitHeaders.Where(h => h.Status == status && h.Sent).Select(h => h.Name));
            headers.RemoveAll(name => explicitHeaders.Any(h => h.Status == status && !h.Sent && string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)));

            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            foreach (var name in headers.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                concrete.Headers[name] = KnownHeaders.TryGetValue(name, out _)
                    ? new OpenApiHeaderReference(name, document)
                    : new OpenApiHeader { Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4096 } };
            }
        }

        operation.Description = Describe(operation.Description, security, needsIfMatch, honoursIfNoneMatch, paged || isPage);
    }

    /// <summary>Declares the response headers the operations refer to, and unwraps references that need no wrapper.</summary>
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var components = swaggerDoc.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        foreach (var schema in components.Values.OfType<OpenApiSchema>())
        {
            UnwrapPlainReferences(schema, components);
        }

        foreach (var operation in (swaggerDoc.Paths ?? []).Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            if (operation.RequestBody is OpenApiRequestBody request)
            {
                foreach (var media in (request.Content ?? new Dictionary<string, OpenApiMediaType>()).Values)
                {
                    // The request type's own description is already on its schema: the body need not repeat it.
                    if (media.Schema is OpenApiSchema { AllOf: [OpenApiSchemaReference], Description: not null } described)
                    {
                        described.Description = null;
                    }
                }
            }

            var bodies = (operation.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())
                .Concat((operation.Responses ?? new OpenApiResponses()).Values.SelectMany(r => r.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()));
            foreach (var media in bodies)
            {
                if (media.Schema is not null)
                {
                    media.Schema = Unwrapped(media.Schema);
                }
            }
        }

        swaggerDoc.Components ??= new OpenApiComponents();
        swaggerDoc.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var (name, create) in KnownHeaders)
        {
            swaggerDoc.Components.Headers[name] = create();
        }
    }

    /// <summary>
    /// <c>UseAllOfToExtendReferenceSchemas</c> wraps every reference in <c>allOf</c> so that <c>nullable</c> and descriptions
    /// can stand beside it (OpenAPI 3.0 ignores siblings of <c>$ref</c>); a wrapper with nothing beside it is only noise
    /// for client generators, so it becomes the plain reference again.
    /// </summary>
    private static void UnwrapPlainReferences(OpenApiSchema schema, IDictionary<string, IOpenApiSchema> components)
    {
        if (schema.Properties is { } properties)
        {
            foreach (var name in properties.Keys.ToList())
            {
                properties[name] = Unwrapped(properties[name]);
                if (properties[name] is not OpenApiSchema inline)
                {
                    continue;
                }

                // A nullable reference (allOf + nullable) also names its type: OpenAPI 3.0 tools (and the lint's
                // example validation) reject "nullable" without "type".
                if (inline is { AllOf: [OpenApiSchemaReference target] } && inline.Type == JsonSchemaType.Null &&
                    target.Reference.Id is { } id && components.TryGetValue(id, out var referenced) && referenced.Type is { } type)
                {
                    inline.Type = type | JsonSchemaType.Null;
                }

                UnwrapPlainReferences(inline, components);
            }
        }

        if (schema.Items is not null)
        {
            schema.Items = Unwrapped(schema.Items);
        }
    }

    private static IOpenApiSchema Unwrapped(IOpenApiSchema schema) =>
        schema is OpenApiSchema { AllOf: [OpenApiSchemaReference reference], Type: null, Description: null, Properties: null or { Count: 0 }, Example: null } wrapper &&
        wrapper.Default is null && !wrapper.ReadOnly && !wrapper.WriteOnly && !wrapper.Deprecated && wrapper.Enum is null or { Count: 0 }
            ? reference
            : schema;

    /// <summary>The security schemes an endpoint accepts, as alternatives; none for anonymous endpoints.</summary>
    public static IReadOnlyList<string> Security(IEnumerable<object> metadata)
    {
        var items = metadata.ToList();
        var apiKey = items.OfType<ApiKeyAuthAttribute>().Any() ||
            items.OfType<IAuthorizeData>().Any(a => a.AuthenticationSchemes?.Contains("apikey", StringComparison.OrdinalIgnoreCase) == true);
        if (apiKey)
        {
            return [PartnerOpenApi.ApiKeyScheme, PartnerOpenApi.BearerScheme];
        }

        return items.OfType<IAllowAnonymous>().Any() ? [] : [PartnerOpenApi.BearerScheme];
    }

    /// <summary>Paging and id parameters; true when the operation is paged.</summary>
    private static bool ConstrainParameters(OpenApiOperation operation)
    {
        var paged = false;
        foreach (var parameter in operation.Parameters!.OfType<OpenApiParameter>())
        {
            if (parameter.Schema is not OpenApiSchema schema)
            {
                continue;
            }

            switch (parameter.In, parameter.Name)
            {
                case (ParameterLocation.Query, "limit") when schema.Type?.HasFlag(JsonSchemaType.Integer) == true:
                    paged = true;
                    schema.Minimum = "1";
                    schema.Maximum = PageRequest.MaxLimit.ToString(CultureInfo.InvariantCulture);
                    schema.Default = JsonValue.Create(PageRequest.DefaultLimit);
                    parameter.Description ??= $"Items per page, 1 to {PageRequest.MaxLimit} (default {PageRequest.DefaultLimit}).";
                    break;
                case (ParameterLocation.Query, "continuationToken") when schema.Type?.HasFlag(JsonSchemaType.String) == true:
                    paged = true;
                    schema.MaxLength ??= MaxContinuationTokenLength;
                    parameter.Description ??= "The `continuationToken` of the previous page (opaque; bound to this collection and caller).";
                    break;
                case (ParameterLocation.Path, { } name) when name.EndsWith("Id", StringComparison.Ordinal) &&
                    schema.Type?.HasFlag(JsonSchemaType.String) == true && schema.Format is null && schema.Pattern is null:
                    schema.Pattern = SlugPattern;
                    schema.MaxLength ??= 64;
                    parameter.Description ??= "A stable slug id, for example `global-admin`.";
                    break;
            }
        }

        return paged;
    }

    private static string Describe(string? own, IReadOnlyList<string> security, bool ifMatch, bool ifNoneMatch, bool paged)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(own))
        {
            text.Append(own.TrimEnd()).Append("\n\n");
        }

        text.Append(security.Count switch
        {
            0 => "Anonymous: no credential needed.",
            _ when security.Contains(PartnerOpenApi.ApiKeyScheme) => $"Send an API key in `{PartnerOpenApi.ApiKeyHeader}` or a bearer token.",
            _ => "Send a bearer token.",
        });
        if (ifMatch)
        {
            text.Append(" Send the `ETag` of your last read in `If-Match` (428 without it, 412 when it is stale); the response carries the new `ETag`.");
        }

        if (ifNoneMatch)
        {
            text.Append(" The response carries an `ETag`; send it back in `If-None-Match` to get 304 while nothing changed.");
        }

        if (paged)
        {
            text.Append($" Paged with `limit` (1-{PageRequest.MaxLimit}, default {PageRequest.DefaultLimit}) and `continuationToken`; the next page is also linked in `Link`.");
        }

        return text.ToString();
    }
}
