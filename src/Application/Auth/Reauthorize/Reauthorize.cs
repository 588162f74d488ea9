using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Auth.Reauthorize;

/// <summary>
/// Authorizes an idempotent replay again like a new request: the same account and permission as the first request went through
/// the same <see cref="AuthorizationBehaviour{TMessage, TResponse}"/> (membership, roles, the token's credential stamp).
/// </summary>
public sealed record ReauthorizeAccountRequest(Guid AccountId, Permission RequiredPermission) : IQuery<Result<Success>>, IAccountRequest;

/// <summary>The same for a replay of an operator-only use case.</summary>
public sealed record ReauthorizeOperatorRequest(Guid AccountId, Permission RequiredPermission) : IQuery<Result<Success>>, IOperatorRequest;

/// <summary>The same for a replay of a request on no account (<c>POST /v1/accounts</c>): the caller's credential is still current.</summary>
public sealed record ReauthorizeCaller : IQuery<Result<Success>>;

public sealed class ReauthorizeAccountRequestHandler : IQueryHandler<ReauthorizeAccountRequest, Result<Success>>
{
    public ValueTask<Result<Success>> Handle(ReauthorizeAccountRequest query, CancellationToken cancellationToken) => new(Success.Value);
}

public sealed class ReauthorizeOperatorRequestHandler : IQueryHandler<ReauthorizeOperatorRequest, Result<Success>>
{
    public ValueTask<Result<Success>> Handle(ReauthorizeOperatorRequest query, CancellationToken cancellationToken) => new(Success.Value);
}

public sealed class ReauthorizeCallerHandler(IAppDbContext db, ICurrentUser caller) : IQueryHandler<ReauthorizeCaller, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(ReauthorizeCaller query, CancellationToken cancellationToken)
    {
        if (!caller.IsAuthenticated || caller.Email is null ||
            (caller.Credential is not null && !await Callers.RowsOf(db, caller).AnyAsync(cancellationToken)))
        {
            return new Error(ErrorKind.Unauthorized, "unauthenticated", "Authentication is required.");
        }

        return Success.Value;
    }
}
