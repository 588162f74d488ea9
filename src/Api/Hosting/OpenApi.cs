using System.Text.Json;
using System.Text.Json.Serialization;
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
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
            options.SupportNonNullableReferenceTypes();
        });

        // Swashbuckle describes schemas with MVC's JSON options; give them the enum converter the endpoints serialize with, so the
        // document shows enums as the camelCase strings the service sends and accepts (not integers).
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(options =>
            options.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false)));
        return services;
    }
}
