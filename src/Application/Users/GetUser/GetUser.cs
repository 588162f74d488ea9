using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Users.GetUser;

public sealed record GetUserQuery(Guid AccountId, Guid UserId) : IQuery<Result<Versioned<UserDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersRead;
}

public sealed class GetUserHandler(IAppDbContext db) : IQueryHandler<GetUserQuery, Result<Versioned<UserDto>>>
{
    public async ValueTask<Result<Versioned<UserDto>>> Handle(GetUserQuery query, CancellationToken cancellationToken)
    {
        var version = await db.AccountMembers.AsNoTracking()
            .Where(m => m.AccountId == query.AccountId && m.UserId == query.UserId)
            .Select(m => (int?)m.Version)
            .FirstOrDefaultAsync(cancellationToken);
        var user = version is null ? null : await Members.LoadAsync(db, query.AccountId, query.UserId, cancellationToken);
        return user is null ? UserErrors.UserNotFound : new Versioned<UserDto>(user, version!.Value);
    }
}
