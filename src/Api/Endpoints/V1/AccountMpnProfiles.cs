using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Profiles.AccountMpn;
using PartnerAccounts.Application.Profiles.AccountMpn.GetAccountMpnProfile;

namespace PartnerAccounts.Api.Endpoints.V1;

/// <summary>The account's MPN profile. Read-only for partners, so there is no PUT (the framework answers 405).</summary>
public sealed class AccountMpnProfiles : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var profiles = v1.MapGroup("/accounts/{accountId}/profiles").WithTags("Profiles");
        profiles.MapGet("/mpn", GetAccountMpnProfile).WithName(nameof(GetAccountMpnProfile))
            .WithSummary("Read the account's MPN ID (partner global account ID) and partner name; read-only")
            .ProducesProblems(400, 401, 403, 404);
    }

    public static async Task<Results<Ok<AccountMpnProfileResponse>, NotModifiedResult, ProblemHttpResult>> GetAccountMpnProfile(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetAccountMpnProfileQuery(accountId), cancellationToken)).Versioned(http, AccountProfilesMapper.ToResponse);
}
