using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Auth;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Common.Behaviours;

/// <summary>A use case on one account, and the permission it needs there.</summary>
public interface IAccountRequest
{
    Guid AccountId { get; }

    Permission RequiredPermission { get; }
}

/// <summary>A use case only platform operators may run (they may run it on any account).</summary>
public interface IOperatorRequest : IAccountRequest;

/// <summary>Who the caller is within the account of the current request, filled in by <see cref="AuthorizationBehaviour{TMessage, TResponse}"/>.</summary>
public sealed class AccountAccess
{
    /// <summary>The caller's user id in the account; null for an operator who is not a member.</summary>
    public Guid? UserId { get; internal set; }

    public IReadOnlyList<string> RoleIds { get; internal set; } = [];

    /// <summary>The status of the account of the message being authorized, as the membership query read it (null: not read).</summary>
    public (Guid AccountId, AccountStatus Status)? AccountStatus { get; internal set; }

    /// <summary>The first account check this request passed: an idempotent replay of it is authorized the same way again.</summary>
    public AuthorizedRequest? Authorized { get; internal set; }

    public bool Has(Permission permission) => Roles.Grants(RoleIds, permission);
}

/// <summary>An account, the permission checked there, and whether the use case was one only operators may run.</summary>
public sealed record AuthorizedRequest(Guid AccountId, Permission Permission, bool OperatorOnly);

/// <summary>
/// The one enforcement point for account permissions: a caller who is not a member gets 404 (the account's existence is
/// never revealed), a member without the permission 403 <c>permission_denied</c>. Operators may read every account.
/// </summary>
public sealed class AuthorizationBehaviour<TMessage, TResponse>(IAppDbContext db, ICurrentUser user, AccountAccess access) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage, IAccountRequest
{
    private static readonly HashSet<Permission> OperatorReadable =
    [
        Permission.ProfileRead, Permission.BillingRead, Permission.VerificationRead, Permission.AuditRead, Permission.UsersRead,
    ];

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var denial = await CheckAsync(message, cancellationToken);
        if (denial is null)
        {
            access.Authorized ??= new AuthorizedRequest(message.AccountId, message.RequiredPermission, message is IOperatorRequest);
        }

        return denial is null ? await next(message, cancellationToken) : Failure<TResponse>.From(denial);
    }

    private async Task<Error?> CheckAsync(TMessage message, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated || user.Email is null)
        {
            return new Error(ErrorKind.Unauthorized, "unauthenticated", "Authentication is required.");
        }

        // The caller's directory rows (a local token's one credential with its current stamp, else the email's rows) are part
        // of this one membership query, with the roles: a retired token finds no membership, at no extra round trip.
        access.AccountStatus = null;
        var membership = await MembershipAsync(message.AccountId, cancellationToken);
        var member = membership?.UserId;
        if (membership is not null)
        {
            access.UserId = membership.UserId;
            access.RoleIds = membership.RoleIds;
            access.AccountStatus = (message.AccountId, membership.AccountStatus);
        }

        if (user.IsOperator)
        {
            var exists = member is not null || await db.Accounts.AsNoTracking().AnyAsync(a => a.Id == message.AccountId, cancellationToken);
            if (!exists)
            {
                return AccountNotFound;
            }

            if (message is IOperatorRequest || OperatorReadable.Contains(message.RequiredPermission) || access.Has(message.RequiredPermission))
            {
                return null;
            }

            return PermissionDenied(message.RequiredPermission);
        }

        if (member is null)
        {
            return AccountNotFound;
        }

        if (message is IOperatorRequest)
        {
            return Error.Forbidden("operator_required", "Only platform operators may do this.");
        }

        return access.Has(message.RequiredPermission) ? null : PermissionDenied(message.RequiredPermission);
    }

    /// <summary>
    /// The caller's membership in the account with its roles, in one compiled query (one round trip per request: this runs
    /// before every account-scoped use case). Who counts as the caller is <see cref="Callers.MembershipIn"/>'s to say.
    /// </summary>
    private async Task<Membership?> MembershipAsync(Guid accountId, CancellationToken cancellationToken)
    {
        Guid? userId = null;
        var status = default(AccountStatus);
        List<string> roleIds = [];
        await foreach (var row in Callers.MembershipIn(db, user, accountId).WithCancellation(cancellationToken))
        {
            userId ??= row.UserId;
            status = row.AccountStatus;
            if (row.RoleId is not null)
            {
                roleIds.Add(row.RoleId);
            }
        }

        return userId is { } member ? new Membership(member, roleIds, status) : null;
    }

    private sealed record Membership(Guid UserId, IReadOnlyList<string> RoleIds, AccountStatus AccountStatus);

    private static Error AccountNotFound => Error.NotFound("account_not_found", "The account does not exist or you are not a member of it.");

    private static Error PermissionDenied(Permission permission) =>
        Error.Forbidden("permission_denied", $"Your roles in this account do not grant the '{permission}' permission.");
}
