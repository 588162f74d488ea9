using System.Text.Json;
using System.Text.Json.Serialization;
using Asp.Versioning;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Api.Cli;
using PartnerAccounts.Api.Endpoints;
using PartnerAccounts.Api.Endpoints.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.MpnVerification;
using PartnerAccounts.Api.OpenApi;
using PartnerAccounts.Api.Operations;
using PartnerAccounts.Application;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Infrastructure;
using PartnerAccounts.Infrastructure.Persistence;

const long MaxBodyBytes = 1024 * 1024;

var contentRoot = ContentRoot.Resolve(args);
if (contentRoot.Error is { } noFolder)
{
    await Console.Error.WriteLineAsync(StartupValidation.CannotStart(noFolder));
    return StartupValidation.ExitCode;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = contentRoot.HostArgs, ContentRootPath = contentRoot.Path });

if (args is ["token", ..])
{
    return TokenCommand.Run(builder, args[1..]);
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
    kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
    kestrel.Limits.MaxRequestLineSize = 8 * 1024;
});

builder.Services.AddMediator(options =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.Assemblies = [typeof(PartnerAccounts.Application.DependencyInjection)];
    options.PipelineBehaviors = [typeof(AuthorizationBehaviour<,>), typeof(ActiveAccountBehaviour<,>), typeof(ValidationBehaviour<,>)];
});
builder.Services.AddApplication();
try
{
    builder.Services.AddInfrastructure(builder.Configuration, builder.Environment.IsProduction());
}
catch (InvalidOperationException unusable)
{
    // A configuration the infrastructure cannot run with (the provider, its connection, the key ring's protection): one line.
    await Console.Error.WriteLineAsync(StartupValidation.CannotStart(unusable.Message));
    return StartupValidation.ExitCode;
}

builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<ICurrentUser, CurrentUser>();
builder.Services.AddSingleton<ITokenIssuer, TokenIssuer>();
builder.Services.AddPartnerRateLimits(builder.Configuration);
builder.Services.AddTransportSecurity(builder.Configuration);
builder.Services.AddPartnerAuthentication(builder.Configuration);
builder.Services.AddMpnVerification();
builder.Services.AddPartnerOpenApi();
builder.Services.AddPartnerCors(builder.Configuration);
builder.Services.AddStartupValidation(builder.Configuration, builder.Environment);
builder.Services.AddPartnerHealthChecks(builder.Configuration);
builder.Services.AddPartnerTelemetry(builder.Configuration);
builder.Services.AddApiVersioning(options =>
{
    options.DefaultApiVersion = new ApiVersion(1);
    options.ReportApiVersions = true;
    options.ApiVersionReader = new UrlSegmentApiVersionReader();
}).AddApiExplorer(options =>
{
    options.GroupNameFormat = "'v'V";
    options.SubstituteApiVersionInUrl = true;
});
builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    options.SerializerOptions.Converters.Add(new NulRejectingStringConverter());
    options.SerializerOptions.MaxDepth = 32;
    StrictJson.Apply(options.SerializerOptions);
});
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>(); // ahead of the framework's writer: it writes every problem
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Customize);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();

var app = builder.Build();
if (StartupValidation.Failure(app.Services) is { } invalid)
{
    await Console.Error.WriteLineAsync(invalid);
    return StartupValidation.ExitCode;
}

if (OperatorCommands.IsCommand(args))
{
    return await OperatorCommands.RunAsync(app, args);
}

app.UseMiddleware<RequestIdMiddleware>();
app.UsePartnerHealthEndpoints();
app.UseTransportSecurity();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCors(); // before anything that can answer, so even problems reach an allowed origin's scripts
app.Use((context, next) =>
{
    if (context.Request.ContentLength > MaxBodyBytes)
    {
        throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
    }

    return next(context);
});
app.UseMiddleware<CharsetMiddleware>();

// Only /swagger requests go through the Swagger middlewares (each matches paths with route templates and regular expressions).
app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger => swagger
    .UseSwagger()
    .UseSwaggerUI(options =>
    {
        options.SwaggerEndpoint("/swagger/v1/swagger.json", "PartnerAccounts API v1");
        options.RoutePrefix = "swagger";
        options.DisplayOperationId();
    }));
app.UseMpnVerification(); // ahead of the general authentication: its own key check, budgets and lookup (docs/adr)
app.UseAuthentication();
app.UseMiddleware<PasswordChangeGateMiddleware>();
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<IdempotencyMiddleware>();
app.UseMiddleware<PreconditionsFirstMiddleware>();

var versions = app.NewApiVersionSet().HasApiVersion(new ApiVersion(1)).ReportApiVersions().Build();
var v1 = app.MapGroup("/v{version:apiVersion}").WithApiVersionSet(versions).MapToApiVersion(new ApiVersion(1)).RequireAuthorization();
v1.MapEndpointGroups();

if (app.Configuration.GetValue("Database:MigrateOnStartup", true) && !await DatabaseInitializer.TryMigrateAsync(app.Services, Console.Error))
{
    return StartupValidation.ExitCode;
}

if (app.Environment.IsDevelopment() && !app.Configuration.GetValue<bool>("Seed:Disabled"))
{
    await DevelopmentSeed.SeedAsync(app.Services);
}

await app.RunAsync();
return 0;

public partial class Program;
