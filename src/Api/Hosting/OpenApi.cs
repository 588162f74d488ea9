using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PartnerAccounts.Api.Hosting;

public static class OpenApi
{
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "apiKey";

    public static IServiceCollection AddPartnerOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "PartnerAccounts API",
                Version = "v1",
                Description = "Partner accounts: company profiles, users and roles, program enrollment, verification and MPN ID verification.",
            });
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from the configured issuer; the caller is identified by its email claim.",
            });
            options.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthentication.HeaderName,
                Description = "An account's API key (POST /v1/accounts/{accountId}/api-keys), accepted by MPN ID verification only.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
            options.OperationFilter<ApiKeySecurityFilter>();
            options.SupportNonNullableReferenceTypes();
        });
        return services;
    }
}

/// <summary>Operations that accept <c>X-Api-Key</c> (<see cref="AcceptsApiKeyAttribute"/>) take it or a bearer token.</summary>
internal sealed class ApiKeySecurityFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AcceptsApiKeyAttribute>().Any())
        {
            return;
        }

        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApi.ApiKeyScheme, context.Document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApi.BearerScheme, context.Document)] = [] },
        ];
    }
}
