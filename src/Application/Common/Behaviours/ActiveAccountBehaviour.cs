using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Common.Behaviours;

/// <summary>A change of the account's status itself: allowed whatever the status is (it is how an account is reactivated or closed).</summary>
public interface IAccountStatusRequest : IAccountRequest;

/// <summary>
/// The one place where a suspended or closed account refuses changes: every command on an account, once the caller is known to be
/// allowed (so a stranger still gets 404), is 409 <c>account_not_active</c> unless the account is active. Reads (queries) pass, and
/// so do the status changes themselves. The status comes with the caller's membership (<see cref="AccountAccess.AccountStatus"/>,
/// the same query); an operator who is not a member costs one primary-key read. Queries pay nothing.
/// </summary>
public sealed class ActiveAccountBehaviour<TMessage, TResponse>(IAppDbContext db, AccountAccess access) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage, IBaseCommand, IAccountRequest
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IAccountStatusRequest)
        {
            var status = access.AccountStatus is { } known && known.AccountId == message.AccountId
                ? known.Status
                : await AccountStatusQuery.Of(db, message.AccountId, cancellationToken);
            if (status is { } current && !Account.AcceptsChanges(current))
            {
                return Failure<TResponse>.From(Error.Conflict(
                    "account_not_active",
                    $"The account is {(current == AccountStatus.Suspended ? "suspended" : "closed")}: it can be read, but not changed until it is reactivated."));
            }
        }

        return await next(message, cancellationToken);
    }
}

/// <summary>The account's status, compiled once (it runs before every command on an account).</summary>
internal static class AccountStatusQuery
{
    private static readonly Func<DbContext, Guid, CancellationToken, Task<AccountStatus?>> Compiled = EF.CompileAsyncQuery(
        (DbContext db, Guid accountId, CancellationToken _) => db.Set<Account>().Where(a => a.Id == accountId).Select(a => (AccountStatus?)a.Status).FirstOrDefault());

    public static Task<AccountStatus?> Of(IAppDbContext db, Guid accountId, CancellationToken cancellationToken) =>
        Compiled(db.Context(), accountId, cancellationToken);
}
