using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Profiles.AccountMpn.GetAccountMpnProfile;

/// <summary>
/// Reads the MPN profile. It is read-only for partners: the MPN ID never changes and the partner name follows the legal
/// business profile, so that profile's version is the ETag.
/// </summary>
public sealed record GetAccountMpnProfileQuery(Guid AccountId) : IQuery<Result<Versioned<AccountMpnProfileDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetAccountMpnProfileHandler(IAppDbContext db) : IQueryHandler<GetAccountMpnProfileQuery, Result<Versioned<AccountMpnProfileDto>>>
{
    public ValueTask<Result<Versioned<AccountMpnProfileDto>>> Handle(GetAccountMpnProfileQuery query, CancellationToken cancellationToken) =>
        ReadAsync(db, query.AccountId, cancellationToken);

    internal static async ValueTask<Result<Versioned<AccountMpnProfileDto>>> ReadAsync(IAppDbContext db, Guid accountId, CancellationToken cancellationToken)
    {
        var profile = await (
            from a in db.Accounts.AsNoTracking()
            join l in db.LegalBusinessProfiles.AsNoTracking() on a.Id equals l.AccountId
            where a.Id == accountId
            select new Versioned<AccountMpnProfileDto>(new AccountMpnProfileDto(a.MpnId, l.CompanyName), l.Version))
            .FirstOrDefaultAsync(cancellationToken);
        return profile is null ? ProfileErrors.NotFound : profile;
    }
}
