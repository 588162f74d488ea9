using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Users.UpdateUser;

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
