using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Common.Secrets;
using PartnerAccounts.Application.LearnProfiles;
using PartnerAccounts.Application.Programs;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Users;

public sealed record InvitedUserDto(UserDto User, string? TemporaryPassword, DateTime? TemporaryPasswordExpiresAt);

/// <summary>
/// Invites a person by email with initial roles. The account issues the person a credential of its own (docs/adr/0006-identity-model.md)
/// with a one-time temporary password, returned only in this response, also when the person has a credential of another
/// account: that one stays theirs and opens only its own accounts.
/// </summary>
public sealed record InviteUserCommand(Guid AccountId, string? Email, string? DisplayName, IReadOnlyList<string>? Roles)
    : ICommand<Result<InvitedUserDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersManage;
}

public sealed class InviteUserCommandValidator : AbstractValidator<InviteUserCommand>
{
    public InviteUserCommandValidator()
    {
        RuleFor(c => c.Email).NotEmpty().Must(EmailAddress.IsValid).WithMessage("'Email' must be a valid email address.");
        RuleFor(c => c.DisplayName).MaximumLength(FieldLimits.PersonName);
        RuleFor(c => c.Roles).Must(r => r is null || r.Count <= Domain.Users.Roles.All.Count).WithMessage("Too many roles.");
        RuleForEach(c => c.Roles).Cascade(CascadeMode.Stop).NotEmpty().Must(id => Domain.Users.Roles.Find(id!) is not null).WithMessage("'{PropertyValue}' is not a role; see GET /v1/roles.");
    }
}

public sealed class InviteUserHandler(IAppDbContext db, IClock clock, IPasswordHasher hasher, AccountAccess access, AuditTrail audit, IssuedSecrets secrets)
    : ICommandHandler<InviteUserCommand, Result<InvitedUserDto>>
{
    public async ValueTask<Result<InvitedUserDto>> Handle(InviteUserCommand command, CancellationToken cancellationToken)
    {
        var roleIds = (command.Roles ?? []).Distinct(StringComparer.Ordinal).ToList();
        foreach (var roleId in roleIds)
        {
            var needed = Roles.PermissionToAssign(Roles.Find(roleId)!);
            if (!access.Has(needed))
            {
                return Error.Forbidden("permission_denied", $"Your roles do not allow granting '{roleId}'.");
            }
        }

        return await db.SaveWithRetriesAsync(ct => InviteAsync(command, roleIds, ct), SaveRetries.ConcurrencyConflict, cancellationToken);
    }

    private async Task<Result<InvitedUserDto>> InviteAsync(InviteUserCommand command, List<string> roleIds, CancellationToken cancellationToken)
    {
        // The account (and its guard) is read before its enrollments, so a withdrawal racing this invitation moves the guard
        // and one of the two stages again.
        var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
        var settings = await AccountEnrollments.SettingsAsync(db, command.AccountId, cancellationToken);
        var assignable = settings.CheckAssignable(roleIds.Select(id => Roles.Find(id)!), "roles");
        if (!assignable.IsSuccess)
        {
            return assignable.Error!;
        }

        var now = clock.UtcNow;
        var normalized = EmailAddress.Normalize(command.Email!);
        var rowsOfEmail = db.Users.Where(u => u.NormalizedEmail == normalized);
        if (await db.AccountMembers.AnyAsync(m => m.AccountId == command.AccountId && rowsOfEmail.Any(u => u.Id == m.UserId), cancellationToken))
        {
            return Error.Conflict("user_already_member", "This person is already a member of the account; assign roles to them instead.");
        }

        // The account's own credential for the person: the one it issued before (they were removed since) or a new one.
        var person = await rowsOfEmail.FirstOrDefaultAsync(u => u.IssuedByAccountId == command.AccountId, cancellationToken);
        if (person is null)
        {
            person = User.Create(Guid.CreateVersion7(), command.Email!, now, issuedByAccountId: command.AccountId);
            db.Users.Add(person);
        }

        var temporaryPassword = TemporaryPasswords.Create();
        person.SetTemporaryPassword(hasher.Hash(temporaryPassword), now);
        secrets.Record(new IssuedSecret(SecretKind.TemporaryPassword, person.Id, person.SecurityStamp));

        var displayName = AddressInput.Blank(command.DisplayName);
        db.AccountMembers.Add(AccountMember.Create(command.AccountId, person.Id, displayName, now));
        foreach (var roleId in roleIds)
        {
            db.RoleAssignments.Add(RoleAssignment.Create(command.AccountId, person.Id, roleId, now));
        }

        account.TouchGuard();
        var user = new UserDto(person.Id, person.Email, displayName, [.. roleIds.Order(StringComparer.Ordinal).Select(UserErrors.RoleRef)], now);
        audit.Record(command.AccountId, "invited", "users", person.Id.ToString(), null, user);
        return new InvitedUserDto(user, temporaryPassword, person.TemporaryPasswordExpiresAt);
    }
}

public sealed record ListUsersQuery(Guid AccountId, PageRequest Page) : IQuery<Result<Page<UserDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersRead;
}

public sealed class ListUsersQueryValidator : AbstractValidator<ListUsersQuery>
{
    public ListUsersQueryValidator() => RuleFor(q => q.Page).SetValidator(new PageRequestValidator());
}

public sealed class ListUsersHandler(IAppDbContext db, IContinuationTokens tokens) : IQueryHandler<ListUsersQuery, Result<Page<UserDto>>>
{
    public async ValueTask<Result<Page<UserDto>>> Handle(ListUsersQuery query, CancellationToken cancellationToken)
    {
        var scope = $"users:{query.AccountId}";
        var page = await (
            from m in db.AccountMembers.AsNoTracking()
            where m.AccountId == query.AccountId
            join u in db.Users on m.UserId equals u.Id
            orderby m.CreatedAt, u.Id
            select new { u.Id, u.Email, m.DisplayName, m.CreatedAt })
            .ToOffsetPageAsync(tokens, scope, query.Page, cancellationToken);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        var ids = page.Value.Items.Select(r => r.Id).ToList();
        var roles = (await db.RoleAssignments.AsNoTracking()
            .Where(r => r.AccountId == query.AccountId && ids.Contains(r.UserId))
            .Select(r => new { r.UserId, r.RoleId })
            .ToListAsync(cancellationToken)).ToLookup(r => r.UserId, r => r.RoleId);
        var learn = await LearnProfileSummaries.OfAsync(db, [.. page.Value.Items.Select(r => EmailAddress.Normalize(r.Email))], cancellationToken);

        return page.Value.Map(r => new UserDto(
            r.Id, r.Email, r.DisplayName, [.. roles[r.Id].Order(StringComparer.Ordinal).Select(UserErrors.RoleRef)], r.CreatedAt)
        {
            LearnProfile = learn.For(r.Email),
        });
    }
}

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

/// <summary>Changes a member's display name in this account.</summary>
public sealed record UpdateUserCommand(Guid AccountId, Guid UserId, IfMatch IfMatch, string? DisplayName)
    : ICommand<Result<Versioned<UserDto>>>, IConditionalRequest
{
    public ConditionalResource Resource => ConditionalResource.User;

    public Guid ResourceId => UserId;

    public Permission RequiredPermission => Permission.UsersManage;
}

public sealed class UpdateUserCommandValidator : AbstractValidator<UpdateUserCommand>
{
    public UpdateUserCommandValidator() => RuleFor(c => c.DisplayName).NotEmpty().MaximumLength(FieldLimits.PersonName);
}

public sealed class UpdateUserHandler(IAppDbContext db, AuditTrail audit) : ICommandHandler<UpdateUserCommand, Result<Versioned<UserDto>>>
{
    public async ValueTask<Result<Versioned<UserDto>>> Handle(UpdateUserCommand command, CancellationToken cancellationToken)
    {
        var member = await db.AccountMembers.FirstOrDefaultAsync(m => m.AccountId == command.AccountId && m.UserId == command.UserId, cancellationToken);
        if (member is null)
        {
            return UserErrors.UserNotFound;
        }

        if (command.IfMatch.Check(member.Version) is { } precondition)
        {
            return precondition;
        }

        var before = member.DisplayName;
        member.Rename(command.DisplayName!.Trim());
        audit.Record(command.AccountId, "updated", "users", command.UserId.ToString(), new { displayName = before }, new { displayName = member.DisplayName });
        var saved = await db.SaveAsync(cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error!;
        }

        return new Versioned<UserDto>((await Members.LoadAsync(db, command.AccountId, command.UserId, cancellationToken))!, member.Version);
    }
}

/// <summary>Removes a member (and their roles) from the account; the account's last Global admin cannot be removed.</summary>
public sealed record RemoveUserCommand(Guid AccountId, Guid UserId, IfMatch IfMatch) : ICommand<Result<Success>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.UsersManage;
}

public sealed class RemoveUserHandler(IAppDbContext db, AccountAccess access, AuditTrail audit) : ICommandHandler<RemoveUserCommand, Result<Success>>
{
    public ValueTask<Result<Success>> Handle(RemoveUserCommand command, CancellationToken cancellationToken) =>
        new(db.SaveWithRetriesAsync(ct => RemoveAsync(command, ct), SaveRetries.ConcurrencyConflict, cancellationToken));

    private async Task<Result<Success>> RemoveAsync(RemoveUserCommand command, CancellationToken cancellationToken)
    {
        // Read the guard version before counting Global admins (see RemoveRoleHandler), so a concurrent removal forces a retry.
        var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
        var member = await db.AccountMembers.FirstOrDefaultAsync(m => m.AccountId == command.AccountId && m.UserId == command.UserId, cancellationToken);
        if (member is null)
        {
            return UserErrors.UserNotFound;
        }

        if (command.IfMatch.Check(member.Version) is { } precondition)
        {
            return precondition;
        }

        var roles = await db.RoleAssignments.Where(r => r.AccountId == command.AccountId && r.UserId == command.UserId).ToListAsync(cancellationToken);
        if (roles.Any(r => r.RoleId == Roles.GlobalAdminId))
        {
            if (!access.Has(Permission.GlobalAdminAssign))
            {
                return Error.Forbidden("permission_denied", "Only Global admins may remove a Global admin.");
            }

            var allowed = Account.CanRemoveGlobalAdmin(await Members.GlobalAdminCountAsync(db, command.AccountId, cancellationToken));
            if (!allowed.IsSuccess)
            {
                return allowed.Error!;
            }
        }

        var before = await Members.LoadAsync(db, command.AccountId, command.UserId, cancellationToken);
        db.RoleAssignments.RemoveRange(roles);
        db.AccountMembers.Remove(member);
        // Tokens of the removed credential were issued before the removal: retire them (a re-invitation issues new ones).
        (await db.Users.FirstAsync(u => u.Id == command.UserId, cancellationToken)).RenewSecurityStamp();
        account.TouchGuard();
        audit.Record(command.AccountId, "removed", "users", command.UserId.ToString(), before, null);
        return Success.Value;
    }
}

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
