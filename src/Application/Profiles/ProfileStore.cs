using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Profiles;

/// <summary>How every one-per-account profile is read and loaded for a write: 404 when missing, If-Match checked before any change.</summary>
internal static class ProfileStore
{
    public static async Task<Result<Versioned<TDto>>> ReadAsync<TProfile, TDto>(
        this IAppDbContext db, Guid accountId, Func<TProfile, TDto> map, CancellationToken cancellationToken)
        where TProfile : AccountProfile
    {
        var profile = await Compiled<TProfile>.Untracked(db.Context(), accountId, cancellationToken);
        return profile is null ? ProfileErrors.NotFound : new Versioned<TDto>(map(profile), profile.Version);
    }

    /// <summary>The tracked profile, ready to change, once the caller's If-Match names its current version.</summary>
    public static async Task<Result<TProfile>> ForWriteAsync<TProfile>(
        this IAppDbContext db, Guid accountId, IfMatch ifMatch, CancellationToken cancellationToken)
        where TProfile : AccountProfile
    {
        var profile = await Compiled<TProfile>.Tracked(db.Context(), accountId, cancellationToken);
        if (profile is null)
        {
            return ProfileErrors.NotFound;
        }

        return ifMatch.Check(profile.Version) is { } precondition ? precondition : profile;
    }

    /// <summary>A profile by its account, compiled once per profile type: every profile read and write starts here.</summary>
    private static class Compiled<TProfile>
        where TProfile : AccountProfile
    {
        public static readonly Func<DbContext, Guid, CancellationToken, Task<TProfile?>> Untracked = EF.CompileAsyncQuery(
            (DbContext db, Guid accountId, CancellationToken _) => db.Set<TProfile>().AsNoTracking().FirstOrDefault(p => p.AccountId == accountId));

        public static readonly Func<DbContext, Guid, CancellationToken, Task<TProfile?>> Tracked = EF.CompileAsyncQuery(
            (DbContext db, Guid accountId, CancellationToken _) => db.Set<TProfile>().FirstOrDefault(p => p.AccountId == accountId));
    }
}
