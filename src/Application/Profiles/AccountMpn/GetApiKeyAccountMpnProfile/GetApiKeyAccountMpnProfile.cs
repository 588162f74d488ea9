using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Profiles.AccountMpn.GetAccountMpnProfile;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Profiles.AccountMpn.GetApiKeyAccountMpnProfile;

/// <summary>
/// An API key reads its own account's MPN profile (Partner Center's <c>GET /profiles/mpn</c> without <c>mpnId</c>): the key
/// may verify any MPN ID, its own account's included, so this needs no member permission. <see cref="AccountId"/> is the
/// account of the validated key, never a value from the request.
/// </summary>
public sealed record GetApiKeyAccountMpnProfileQuery(Guid AccountId) : IQuery<Result<Versioned<AccountMpnProfileDto>>>;

public sealed class GetApiKeyAccountMpnProfileHandler(IAppDbContext db) : IQueryHandler<GetApiKeyAccountMpnProfileQuery, Result<Versioned<AccountMpnProfileDto>>>
{
    public ValueTask<Result<Versioned<AccountMpnProfileDto>>> Handle(GetApiKeyAccountMpnProfileQuery query, CancellationToken cancellationToken) =>
        GetAccountMpnProfileHandler.ReadAsync(db, query.AccountId, cancellationToken);
}
