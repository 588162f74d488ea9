using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Common.Preconditions;

/// <summary>The resources a conditional write (a PUT with a body) replaces; each is found by its account and, for collections, its id.</summary>
public enum ConditionalResource
{
    LegalBusinessProfile,
    OrganizationProfile,
    SupportProfile,
    BusinessProfile,
    BillingProfile,
    Location,
    User,
}

/// <summary>
/// A write whose body is only looked at once its <c>If-Match</c> holds (RFC 9110 §13.2.1: preconditions before content).
/// The handler checks If-Match again on the entity it changes; <see cref="Preconditions"/> answers the same question without a
/// body, for the requests whose body is refused.
/// </summary>
public interface IConditionalRequest : IAccountRequest
{
    ConditionalResource Resource { get; }

    /// <summary>The id of the resource within the account; <see cref="Guid.Empty"/> for the one-per-account profiles.</summary>
    Guid ResourceId { get; }

    IfMatch IfMatch { get; }
}

/// <summary>
/// The precondition of a conditional write, judged before its body: 404 when the resource is missing, 428 without If-Match, 412
/// when no listed version is current. Runs only when the body is refused (unreadable or invalid), so an accepted write costs no
/// extra query: its handler's own check is the one that counts. The unit of work is resolved only then: every request's
/// validation step holds this class, and requests that need no database (the role and program catalogues) must not open one
/// (on SQLite a context takes its connection when it is made), so they keep answering while the database cannot.
/// </summary>
public sealed class Preconditions(IServiceProvider services)
{
    private IAppDbContext? _db;

    private IAppDbContext Db => _db ??= services.GetRequiredService<IAppDbContext>();

    public async Task<Error?> CheckAsync(IConditionalRequest request, CancellationToken cancellationToken)
    {
        var (version, notFound) = await CurrentVersionAsync(request, cancellationToken);
        return version is { } current ? request.IfMatch.Check(current) : notFound;
    }

    public static Permission WritePermissionOf(ConditionalResource resource) => resource switch
    {
        ConditionalResource.LegalBusinessProfile => Permission.LegalProfileWrite,
        ConditionalResource.OrganizationProfile => Permission.OrganizationProfileWrite,
        ConditionalResource.SupportProfile => Permission.SupportProfileWrite,
        ConditionalResource.BusinessProfile => Permission.BusinessProfileWrite,
        ConditionalResource.BillingProfile => Permission.BillingWrite,
        ConditionalResource.Location => Permission.LocationsManage,
        ConditionalResource.User => Permission.UsersManage,
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, null),
    };

    private async Task<(int? Version, Error NotFound)> CurrentVersionAsync(IConditionalRequest request, CancellationToken cancellationToken)
    {
        var accountId = request.AccountId;
        var id = request.ResourceId;
        return request.Resource switch
        {
            ConditionalResource.LegalBusinessProfile => (await VersionAsync(Db.LegalBusinessProfiles.Where(p => p.AccountId == accountId).Select(p => p.Version), cancellationToken), ProfileErrors.NotFound),
            ConditionalResource.OrganizationProfile => (await VersionAsync(Db.OrganizationProfiles.Where(p => p.AccountId == accountId).Select(p => p.Version), cancellationToken), ProfileErrors.NotFound),
            ConditionalResource.SupportProfile => (await VersionAsync(Db.SupportProfiles.Where(p => p.AccountId == accountId).Select(p => p.Version), cancellationToken), ProfileErrors.NotFound),
            ConditionalResource.BusinessProfile => (await VersionAsync(Db.BusinessProfiles.Where(p => p.AccountId == accountId).Select(p => p.Version), cancellationToken), ProfileErrors.NotFound),
            ConditionalResource.BillingProfile => (await VersionAsync(Db.BillingProfiles.Where(p => p.AccountId == accountId).Select(p => p.Version), cancellationToken), ProfileErrors.NotFound),
            ConditionalResource.Location => (await VersionAsync(Db.Locations.Where(l => l.AccountId == accountId && l.Id == id).Select(l => l.Version), cancellationToken), ProfileErrors.NotFound),
            ConditionalResource.User => (await VersionAsync(Db.AccountMembers.Where(m => m.AccountId == accountId && m.UserId == id).Select(m => m.Version), cancellationToken), UserErrors.UserNotFound),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Resource, null),
        };
    }

    private static async Task<int?> VersionAsync(IQueryable<int> versions, CancellationToken cancellationToken) =>
        await versions.Select(v => (int?)v).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>The precondition of a conditional write whose body could not be read: authorized like the write itself.</summary>
public sealed record CheckPreconditionQuery(Guid AccountId, ConditionalResource Resource, Guid ResourceId, IfMatch IfMatch)
    : IQuery<Result<Success>>, IConditionalRequest
{
    public Permission RequiredPermission => Preconditions.WritePermissionOf(Resource);
}

public sealed class CheckPreconditionHandler(Preconditions preconditions) : IQueryHandler<CheckPreconditionQuery, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(CheckPreconditionQuery query, CancellationToken cancellationToken) =>
        await preconditions.CheckAsync(query, cancellationToken) is { } failure ? failure : Success.Value;
}
