using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PartnerAccounts.Api.OpenApi;

/// <summary>
/// The OpenAPI document (one per API version) that frontend teams generate clients from. Endpoints only declare what is
/// theirs (name, summary, tags, typed results, <c>ProducesProblems</c>); everything that follows from the conventions of
/// the API (README, "Conventions every endpoint follows") is added here, the same way for every operation, present and future:
/// <list type="bullet">
/// <item><see cref="ContractSchemaFilter"/>: problem details with <c>code</c>, <c>errors</c>, <c>requestId</c>; every field of a
/// response record is required (it is always written, null included), so generated clients need no null-checks for absent
/// fields.</item>
/// <item><see cref="OpenApiConventions"/>: security per operation, If-Match / If-None-Match, paging limits, response headers,
/// 500, descriptions.</item>
/// <item><see cref="OpenApiExamples"/>: an example for every request and response body, built from the schemas.</item>
/// </list>
/// </summary>
public static class PartnerOpenApi
{
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "apiKey";
    public const string ApiKeyHeader = "X-Api-Key";

    public static IServiceCollection AddPartnerOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();

        // Swashbuckle describes types with MVC's JSON options, minimal APIs write with the HTTP ones: give MVC's the same
        // enum convention (camelCase strings), or the document would promise integers.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(options =>
            options.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false)));

        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "PartnerAccounts API",
                Version = "v1",
                Description =
                    "Partner accounts: company profiles, users and roles, program enrollment, verification and MPN ID verification.\n\n" +
                    "Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`, `errors` (field -> messages) " +
                    "for invalid input and the `requestId`. Every response carries `X-Request-Id`; send `X-Correlation-Id` (or " +
                    "`MS-CorrelationId`) to have it echoed, logged and kept in the audit records of your changes.",
                Contact = new OpenApiContact { Name = "PartnerAccounts API team", Url = new Uri("https://partneraccounts.dev") },
            });
            options.AddServer(new OpenApiServer
            {
                Url = "/",
                Description = "The host that serves this document: local, staging or production alike",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
            });
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description =
                    "A JWT from the configured issuer; the caller is identified by its email claim. Tokens are validated as RFC8725 " +
                    "recommends: signature required with the configured key or the authority's keys, issuer, audience and expiry checked.",
            });
            options.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyHeader,
                Description = "An account's API key, for integrations; accepted only by the operations that list it.",
            });

            options.SupportNonNullableReferenceTypes();
            options.UseAllOfToExtendReferenceSchemas();
            options.IncludeXmlComments(Assembly.GetExecutingAssembly());
            options.SchemaFilter<ContractSchemaFilter>();
            options.OperationFilter<OpenApiConventions>();
            options.DocumentFilter<OpenApiConventions>();
            options.DocumentFilter<OpenApiExamples>();
        });
        return services;
    }
}
