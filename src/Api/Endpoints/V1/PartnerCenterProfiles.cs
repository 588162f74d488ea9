using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Api.MpnVerification;
using PartnerAccounts.Application.Accounts.CallerAccount;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Profiles.AccountMpn;
using PartnerAccounts.Application.Profiles.AccountMpn.GetAccountMpnProfile;
using PartnerAccounts.Application.Profiles.AccountMpn.GetApiKeyAccountMpnProfile;
using PartnerAccounts.Application.Profiles.Billing;
using PartnerAccounts.Application.Profiles.Billing.GetBillingProfile;
using PartnerAccounts.Application.Profiles.LegalBusiness;
using PartnerAccounts.Application.Profiles.LegalBusiness.GetLegalBusinessProfile;
using PartnerAccounts.Application.Profiles.Organization;
using PartnerAccounts.Application.Profiles.Organization.GetOrganizationProfile;
using PartnerAccounts.Application.Profiles.Support;
using PartnerAccounts.Application.Profiles.Support.GetSupportProfile;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Endpoints.V1;

/// <summary>
/// Partner Center's profile routes (<c>/v1/profiles/...</c>, as its SDK and scripts call them) on the caller's account
/// (<see cref="CallerAccountResolver"/>), in Partner Center's shapes. Each one sends the same query or command as the
/// <c>/v1/accounts/{accountId}/profiles/...</c> route, so permissions, validation, audit and masking are those of the use case.
/// An update is conditional on <c>If-Match</c> or, as Partner Center's SDK sends it, on the <c>attributes.etag</c> of its body.
/// </summary>
public sealed class PartnerCenterProfiles : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var profiles = v1.MapGroup("/profiles").WithTags("Partner Center profiles");
        profiles.MapGet("/legalbusiness", GetPartnerCenterLegalBusinessProfile).WithName(nameof(GetPartnerCenterLegalBusinessProfile))
            .WithSummary("Partner Center: read the caller's legal business profile (X-Account-Id when you belong to several accounts)")
            .ProducesProblems(400, 401, 403, 404, 429);
        profiles.MapPut("/legalbusiness", UpdatePartnerCenterLegalBusinessProfile).WithName(nameof(UpdatePartnerCenterLegalBusinessProfile))
            .WithSummary("Partner Center: replace the caller's legal business profile (If-Match or attributes.etag)")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428, 429);
        profiles.MapGet("/organization", GetPartnerCenterOrganizationProfile).WithName(nameof(GetPartnerCenterOrganizationProfile))
            .WithSummary("Partner Center: read the caller's organization profile")
            .ProducesProblems(400, 401, 403, 404, 429);
        profiles.MapGet("/support", GetPartnerCenterSupportProfile).WithName(nameof(GetPartnerCenterSupportProfile))
            .WithSummary("Partner Center: read the caller's support profile")
            .ProducesProblems(400, 401, 403, 404, 429);
        profiles.MapPut("/support", UpdatePartnerCenterSupportProfile).WithName(nameof(UpdatePartnerCenterSupportProfile))
            .WithSummary("Partner Center: replace the caller's support profile (If-Match or attributes.etag)")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428, 429);
        profiles.MapGet("/billing", GetPartnerCenterBillingProfile).WithName(nameof(GetPartnerCenterBillingProfile))
            .WithSummary("Partner Center: read the caller's billing profile (bank numbers masked)")
            .ProducesProblems(400, 401, 403, 404, 429);
        profiles.MapPut("/billing", UpdatePartnerCenterBillingProfile).WithName(nameof(UpdatePartnerCenterBillingProfile))
            .WithSummary("Partner Center: replace the caller's billing profile (If-Match or attributes.etag); without bankInformation it is kept")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428, 429);
    }

    public static async Task<Results<Ok<PartnerCenterLegalBusinessProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetPartnerCenterLegalBusinessProfile(
        HttpContext http, CallerAccountResolver accounts, IMediator mediator, CancellationToken cancellationToken)
    {
        var account = await accounts.ResolveAsync(http);
        return account.IsSuccess
            ? (await mediator.Send(new GetLegalBusinessProfileQuery(account.Value.AccountId), cancellationToken)).Versioned(http, PartnerCenterMapper.ToPartnerCenter)
            : Problems.From(account.Error!, http);
    }

    public static async Task<Results<Ok<PartnerCenterLegalBusinessProfileResponse>, ProblemHttpResult>> UpdatePartnerCenterLegalBusinessProfile(
        PartnerCenterLegalBusinessProfileRequest request, HttpContext http, CallerAccountResolver accounts, IMediator mediator, CancellationToken cancellationToken)
    {
        var account = await accounts.ResolveAsync(http);
        return account.IsSuccess
            ? (await mediator.Send(request.ToCommand(account.Value.AccountId, IfMatchOf(http, request.Attributes)), cancellationToken)).Written(http, PartnerCenterMapper.ToPartnerCenter)
            : Problems.From(account.Error!, http);
    }

    public static async Task<Results<Ok<PartnerCenterOrganizationProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetPartnerCenterOrganizationProfile(
        HttpContext http, CallerAccountResolver accounts, IMediator mediator, CancellationToken cancellationToken)
    {
        var account = await accounts.ResolveAsync(http);
        if (!account.IsSuccess)
        {
            return Problems.From(account.Error!, http);
        }

        var accountId = account.Value.AccountId;
        return (await mediator.Send(new GetOrganizationProfileQuery(accountId), cancellationToken))
            .Versioned(http, (OrganizationProfileDto profile, string etag) => profile.ToPartnerCenter(accountId, etag));
    }

    public static async Task<Results<Ok<PartnerCenterSupportProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetPartnerCenterSupportProfile(
        HttpContext http, CallerAccountResolver accounts, IMediator mediator, CancellationToken cancellationToken)
    {
        var account = await accounts.ResolveAsync(http);
        return account.IsSuccess
            ? (await mediator.Send(new GetSupportProfileQuery(account.Value.AccountId), cancellationToken)).Versioned(http, PartnerCenterMapper.ToPartnerCenter)
            : Problems.From(account.Error!, http);
    }

    public static async Task<Results<Ok<PartnerCenterSupportProfileResponse>, ProblemHttpResult>> UpdatePartnerCenterSupportProfile(
        PartnerCenterSupportProfileRequest request, HttpContext http, CallerAccountResolver accounts, IMediator mediator, CancellationToken cancellationToken)
    {
        var account = await accounts.ResolveAsync(http);
        return account.IsSuccess
            ? (await mediator.Send(request.ToCommand(account.Value.AccountId, IfMatchOf(http, request.Attributes)), cancellationToken)).Written(http, PartnerCenterMapper.ToPartnerCenter)
            : Problems.From(account.Error!, http);
    }

    public static async Task<Results<Ok<PartnerCenterBillingProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetPartnerCenterBillingProfile(
        HttpContext http, CallerAccountResolver accounts, IMediator mediator, CancellationToken cancellationToken)
    {
        var account = await accounts.ResolveAsync(http);
        return account.IsSuccess
            ? (await mediator.Send(new GetBillingProfileQuery(account.Value.AccountId), cancellationToken)).Versioned(http, PartnerCenterMapper.ToPartnerCenter)
            : Problems.From(account.Error!, http);
    }

    public static async Task<Results<Ok<PartnerCenterBillingProfileResponse>, ProblemHttpResult>> UpdatePartnerCenterBillingProfile(
        PartnerCenterBillingProfileRequest request, HttpContext http, CallerAccountResolver accounts, IMediator mediator, CancellationToken cancellationToken)
    {
        var account = await accounts.ResolveAsync(http);
        return account.IsSuccess
            ? (await mediator.Send(request.ToCommand(account.Value.AccountId, IfMatchOf(http, request.Attributes)), cancellationToken)).Written(http, PartnerCenterMapper.ToPartnerCenter)
            : Problems.From(account.Error!, http);
    }

    /// <summary>
    /// Partner Center's <c>GET /profiles/mpn</c> without <c>mpnId</c>: the caller's own MPN profile, in the shape of a verification
    /// answer. An API key reads its own account's; a person needs the profile read permission in the account, as on the account route.
    /// </summary>
    public static async Task<Results<MpnProfileResult, ProblemHttpResult>> GetCallerMpnProfile(HttpContext http, CancellationToken cancellationToken)
    {
        var account = await http.RequestServices.GetRequiredService<CallerAccountResolver>().ResolveAsync(http);
        if (!account.IsSuccess)
        {
            return Problems.From(account.Error!, http);
        }

        var mediator = http.RequestServices.GetRequiredService<IMediator>();
        var profile = account.Value.Source == CallerAccountSource.ApiKey
            ? await mediator.Send(new GetApiKeyAccountMpnProfileQuery(account.Value.AccountId), cancellationToken)
            : await mediator.Send(new GetAccountMpnProfileQuery(account.Value.AccountId), cancellationToken);
        if (!profile.IsSuccess)
        {
            return Problems.From(profile.Error!, http);
        }

        http.Response.Headers.ETag = ETags.Format(profile.Value.Version);
        var (mpnId, partnerName) = profile.Value.Value;
        return new MpnProfileResult(new MpnProfileResponse(
            partnerName,
            mpnId,
            MpnProfileResponse.MpnProfileType,
            new MpnProfileLinks(new MpnProfileLink(MpnVerificationSlice.Path, "GET", MpnProfileLink.NoHeaders)),
            MpnProfileAttributes.Instance));
    }

    /// <summary>
    /// The precondition of a Partner Center update: <c>If-Match</c> when sent, else the <c>attributes.etag</c> of the body (the
    /// SDK sends no <c>If-Match</c>; it sends back the resource it read). The tag is read by the one ETag helper, as a header.
    /// </summary>
    private static IfMatch IfMatchOf(HttpContext http, PartnerCenterAttributes? attributes)
    {
        if (http.Request.Headers.IfMatch.Count == 0 && attributes?.Etag is { Length: > 0 } etag)
        {
            http.Request.Headers.IfMatch = etag.StartsWith('"') || etag.StartsWith("W/", StringComparison.Ordinal) ? etag : "\"" + etag + "\"";
        }

        return ETags.IfMatchOf(http.Request);
    }
}

/// <summary>Partner Center resources carry their ETag in <c>attributes.etag</c> too: the mapping gets it with the read model.</summary>
internal static class PartnerCenterResponses
{
    public static Results<Ok<TOut>, NotModifiedResult, ProblemHttpResult> Versioned<TIn, TOut>(this Result<Versioned<TIn>> result, HttpContext http, Func<TIn, string, TOut> map) =>
        WithETag(result, map).Versioned(http, profile => profile);

    public static Results<Ok<TOut>, ProblemHttpResult> Written<TIn, TOut>(this Result<Versioned<TIn>> result, HttpContext http, Func<TIn, string, TOut> map) =>
        WithETag(result, map).Written(http, profile => profile);

    private static Result<Versioned<TOut>> WithETag<TIn, TOut>(Result<Versioned<TIn>> result, Func<TIn, string, TOut> map) =>
        result.IsSuccess
            ? new Versioned<TOut>(map(result.Value.Value, ETags.Format(result.Value.Version)), result.Value.Version)
            : result.Error!;
}
