using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Api.Endpoints;
using PartnerAccounts.Api.Endpoints.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.OpenApi;
using PartnerAccounts.Application.Accounts.CallerAccount;
using PartnerAccounts.Application.MpnVerification;

namespace PartnerAccounts.Api.MpnVerification;

/// <summary>
/// MPN ID verification, the hottest path of the service, as one slice (docs/adr: the MPN verification slice): its two
/// endpoints, the API key check, the budgets' headers, its JSON. Program.cs has one call into it for services
/// (<see cref="AddMpnVerification"/>) and one for the pipeline (<see cref="UseMpnVerification"/>), placed ahead of the
/// general authentication.
/// <para>
/// A request with <c>X-Api-Key</c> to one of the slice's endpoints is authenticated here against the in-memory key set and
/// its endpoint runs at once: the general pipeline behind (JWT authentication, the password-change gate, authorization,
/// idempotency) has nothing to add for a key, which opens these two endpoints and nothing else. A request with a bearer
/// token goes on through that pipeline like any other (stock <c>UseAuthentication()</c>, the endpoints'
/// <c>RequireAuthorization()</c>); one with no credentials is answered 401 here.
/// </para>
/// </summary>
public static class MpnVerificationSlice
{
    public const string Path = "/v1/profiles/mpn";
    public const string BulkPath = "/v1/profiles/mpn/verifications";
    public const string ApiKeyHeader = "X-Api-Key";

    public const string LimitHeader = "RateLimit-Limit";
    public const string RemainingHeader = "RateLimit-Remaining";
    public const string ResetHeader = "RateLimit-Reset";

    private const string Challenge = "ApiKey header=\"X-Api-Key\", Bearer";

    public static IServiceCollection AddMpnVerification(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, MpnVerificationJsonContext.Default));
        services.AddSingleton<MpnVerifier>();
        return services;
    }

    /// <summary>The key check ahead of the general pipeline, and the two endpoints (on their literal v1 paths, see the ADR).</summary>
    public static WebApplication UseMpnVerification(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<IApiKeyAuthenticator>();
        app.Use(next => context => context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<MpnVerificationEndpoint>() is not null
            ? AuthenticateAsync(context, endpoint, keys, next)
            : next(context));

        app.MapGet(Path, VerifyMpnId).WithName(nameof(VerifyMpnId))
            .WithSummary("Verify a partner MPN ID (global or location), as Partner Center does: the partner's legal name; X-Api-Key or a bearer token, within the account's verification budgets")
            .InSlice(400, 401, 404, 429);
        app.MapPost(BulkPath, VerifyMpnIds).WithName(nameof(VerifyMpnIds))
            .WithSummary("Verify 1 to 1,000 MPN IDs at once, answered in request order; each ID counts against the account's verification budgets")
            .InSlice(400, 401, 413, 415, 429);
        return app;
    }

    private static RouteHandlerBuilder InSlice(this RouteHandlerBuilder builder, params int[] statuses)
    {
        builder.ProducesProblems(statuses).WithTags("MPN ID verification").WithGroupName("v1").RequireAuthorization()
            .WithMetadata(new ApiKeyAuthAttribute(), new MpnVerificationEndpoint());
        foreach (var status in (int[])[200, 400, 404, 429])
        {
            builder.WithResponseHeader(status, LimitHeader).WithResponseHeader(status, RemainingHeader).WithResponseHeader(status, ResetHeader);
        }

        return builder;
    }

    private static async Task AuthenticateAsync(HttpContext context, Endpoint endpoint, IApiKeyAuthenticator keys, RequestDelegate next)
    {
        var headers = context.Request.Headers;
        var presented = headers[ApiKeyHeader];
        if (presented.Count == 0)
        {
            if (headers.ContainsKey(HeaderNames.Authorization))
            {
                await next(context);
                return;
            }

            await RefuseAsync(context, "unauthenticated", "Send an API key in X-Api-Key, or a bearer token (Authorization: Bearer <JWT>).");
            return;
        }

        // A refused key is no exception and no log line.
        var identity = presented.Count == 1 && presented[0] is { } secret ? await keys.AuthenticateAsync(secret, context.RequestAborted) : null;
        if (identity is null)
        {
            await RefuseAsync(context, "invalid_api_key", "The API key in X-Api-Key is not valid: it is malformed, unknown or revoked.");
            return;
        }

        context.Features.Set(identity);
        await endpoint.RequestDelegate!(context);
    }

    private static Task RefuseAsync(HttpContext context, string code, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = Challenge;
        return Problems.WriteAsync(context, Problems.Create(context, StatusCodes.Status401Unauthorized, code, detail));
    }

    /// <summary>
    /// Whose budgets a verification draws on: an API key's account (no lookup: the hot path); for a bearer token, the caller's
    /// account (<see cref="CallerAccountResolver"/>: the one account, or the one <c>X-Account-Id</c> names), else the caller.
    /// </summary>
    private static async ValueTask<string> BudgetKeyOf(HttpContext http)
    {
        if (http.Features.Get<ApiKeyIdentity>() is { } key)
        {
            return key.BudgetKey;
        }

        var account = await http.RequestServices.GetRequiredService<CallerAccountResolver>().ResolveAsync(http);
        return account.IsSuccess
            ? VerificationBudgets.AccountKey(account.Value.AccountId)
            : VerificationBudgets.CallerKey(CurrentUser.IdentityOf(http.User) ?? string.Empty);
    }

    public static async ValueTask<Results<MpnProfileResult, ProblemHttpResult>> VerifyMpnId(
        HttpContext http, MpnVerifier verifier, CancellationToken cancellationToken, [FromQuery] string? mpnId = null)
    {
        if (mpnId is null)
        {
            // Partner Center's "the caller's own MPN profile" (no mpnId at all; an empty one is still an invalid ID).
            return await PartnerCenterProfiles.GetCallerMpnProfile(http, cancellationToken);
        }

        var (result, budget) = await verifier.VerifyAsync(await BudgetKeyOf(http), mpnId, cancellationToken);
        WriteBudget(http, budget);
        return result.IsSuccess
            ? new MpnProfileResult(MpnProfileResponse.For(result.Value.MpnId, result.Value.PartnerName))
            : Problems.From(result.Error!, http);
    }

    public static async ValueTask<Results<Ok<MpnVerificationsResponse>, ProblemHttpResult>> VerifyMpnIds(
        MpnVerificationsRequest request, HttpContext http, MpnVerifier verifier, CancellationToken cancellationToken)
    {
        var (result, budget) = await verifier.VerifyManyAsync(await BudgetKeyOf(http), request.MpnIds, cancellationToken);
        WriteBudget(http, budget);
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        var items = new MpnVerificationItemResponse[result.Value.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var item = result.Value[i];
            items[i] = new MpnVerificationItemResponse(item.MpnId, (MpnVerificationItemStatus)item.Status, item.PartnerName);
        }

        return TypedResults.Ok(new MpnVerificationsResponse(items));
    }

    private static void WriteBudget(HttpContext http, BudgetFigures budget)
    {
        var headers = http.Response.Headers;
        headers[LimitHeader] = budget.Limit.ToString(CultureInfo.InvariantCulture);
        headers[RemainingHeader] = budget.Remaining.ToString(CultureInfo.InvariantCulture);
        headers[ResetHeader] = budget.ResetSeconds.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>Marks the slice's endpoints: the key check ahead of the general pipeline runs for these only.</summary>
public sealed class MpnVerificationEndpoint;

/// <summary>
/// 200 with the verification answer, written with the source-generated serializer of <see cref="MpnVerificationJsonContext"/>
/// (its fast path: straight to the response, no reflection, no per-request options lookup).
/// </summary>
public sealed class MpnProfileResult(MpnProfileResponse value) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<MpnProfileResponse>
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public int? StatusCode => StatusCodes.Status200OK;

    public MpnProfileResponse Value => value;

    object? IValueHttpResult.Value => value;

    /// <summary>
    /// Serialized into one buffer first, so the answer goes out with its <c>Content-Length</c> in one write (a response
    /// streamed by the serializer would be chunked, with an asynchronous write per chunk).
    /// </summary>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, MpnVerificationJsonContext.Default.MpnProfileResponse);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(MpnProfileResponse), ["application/json"]));
}
