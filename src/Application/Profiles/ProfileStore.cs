using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Profiles;

/// <summary>How every one-per-account profile is read and loaded for a write: 404 when missing, If-Match checked before any change.</summary>
internal static class ProfileStore
{
    public static async Task<Result<Versioned<TDto>>> ReadAsync<TProfile, TDto>(
        this DbSet<TProfile> profiles, Guid accountId, Func<TProfile, TDto> map, CancellationToken cancellationToken)
        where TProfile : AccountProfile
    {
        var profile = await profiles.AsNoTracking().FirstOrDefaultAsync(p => p.AccountId == accountId, cancellationToken);
        return profile is null ? ProfileErrors.NotFound : new Versioned<TDto>(map(profile), profile.Version);
    }

    /// <summary>The tracked profile, ready to change, once the caller's If-Match names its current version.</summary>
    public static async Task<Result<TProfile>> ForWriteAsync<TProfile>(
        this DbSet<TProfile> profiles, Guid accountId, IfMatch ifMatch, CancellationToken cancellationToken)
        where TProfile : AccountProfile
    {
        var profile = await profiles.FirstOrDefaultAsync(p => p.AccountId == accountId, cancellationToken);
        if (profile is null)
        {
            return ProfileErrors.NotFound;
        }

        return ifMatch.Check(profile.Version) is { } precondition ? precondition : profile;
    }
}
