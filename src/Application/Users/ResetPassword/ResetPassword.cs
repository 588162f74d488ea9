using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Secrets;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Users.ResetPassword;

/// <summary>Issues a one-time temporary password (shown once, stored hashed) that must be changed at the next sign-in.</summary>
public sealed record ResetPasswordCommand(Guid AccountId, Guid UserId) : ICommand<Result<TemporaryPasswordDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersManage;
}

public sealed class ResetPasswordHandler(
    IAppDbContext db, IClock clock, IPasswordHasher hasher, AccountAccess access, ICurrentUser caller, AuditTrail audit, IssuedSecrets secrets)
    : ICommandHandler<ResetPasswordCommand, Result<TemporaryPasswordDto>>
{
    public async ValueTask<Result<TemporaryPasswordDto>> Handle(ResetPasswordCommand command, CancellationToken cancellationToken)
    {
        var isMember = await db.AccountMembers.AnyAsync(m => m.AccountId == command.AccountId && m.UserId == command.UserId, cancellationToken);
        var person = isMember ? await db.Users.FirstOrDefaultAsync(u => u.Id == command.UserId, cancellationToken) : null;
        if (person is null)
        {
            return UserErrors.UserNotFound;
        }

        var isGlobalAdmin = await db.RoleAssignments.AnyAsync(
            r => r.AccountId == command.AccountId && r.UserId == command.UserId && r.RoleId == Roles.GlobalAdminId, cancellationToken);
        if (isGlobalAdmin && !access.Has(Permission.GlobalAdminAssign))
        {
            return Error.Forbidden("permission_denied", "Only Global admins may reset a Global admin's password.");
        }

        if (!await MayResetInEveryOtherAccountAsync(command, cancellationToken))
        {
            return Error.Forbidden("permission_denied", "This person also belongs to accounts where your roles do not allow resetting their password.");
        }

        var now = clock.UtcNow;
        var temporaryPassword = TemporaryPasswords.Create();
        person.SetTemporaryPassword(hasher.Hash(temporaryPassword), now);
        secrets.Record(new IssuedSecret(SecretKind.TemporaryPassword, person.Id, person.SecurityStamp));
        audit.Record(command.AccountId, "passwordReset", "users", command.UserId.ToString(), null, new { userId = command.UserId, mustChangePassword = true });
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new TemporaryPasswordDto(temporaryPassword, person.TemporaryPasswordExpiresAt!.Value) : saved.Error!;
    }

    /// <summary>
    /// A credential opens every account it is a member of (the one that issued it, and accounts its holder created with it),
    /// so the caller must be allowed to reset it in each of their other
    /// accounts too (user management there, Global admin where the person is a Global admin); otherwise an admin of one
    /// account could take over another.
    /// </summary>
    private async Task<bool> MayResetInEveryOtherAccountAsync(ResetPasswordCommand command, CancellationToken cancellationToken)
    {
        var others = await db.AccountMembers.AsNoTracking()
            .Where(m => m.UserId == command.UserId && m.AccountId != command.AccountId)
            .Select(m => m.AccountId)
            .ToListAsync(cancellationToken);
        if (others.Count == 0)
        {
            return true;
        }

        // The caller's rows there: their one credential for a local token, every row of their email for an external one.
        var callerRows = Auth.Callers.RowsOf(db, caller).Select(u => u.Id);
        var roles = await db.RoleAssignments.AsNoTracking()
            .Where(r => others.Contains(r.AccountId) && (callerRows.Contains(r.UserId) || r.UserId == command.UserId))
            .Select(r => new { r.AccountId, r.RoleId, OfPerson = r.UserId == command.UserId, OfCaller = callerRows.Contains(r.UserId) })
            .ToListAsync(cancellationToken);
        var personRoles = roles.Where(r => r.OfPerson).ToLookup(r => r.AccountId, r => r.RoleId);
        var callerRoles = roles.Where(r => r.OfCaller).ToLookup(r => r.AccountId, r => r.RoleId);
        return others.All(accountId =>
        {
            var needed = personRoles[accountId].Contains(Roles.GlobalAdminId) ? Permission.GlobalAdminAssign : Permission.UsersManage;
            return Roles.Grants(callerRoles[accountId], needed);
        });
    }
}
