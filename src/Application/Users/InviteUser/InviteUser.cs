using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Application.Common.Secrets;
using PartnerAccounts.Application.Programs;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Users.InviteUser;


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
            person = User.Create(Ids.NewVersion7(), command.Email!, now, issuedByAccountId: command.AccountId);
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
