using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Auth.SignIn;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Auth.ChangePassword;

/// <summary>Changes the caller's password (also the way out of a temporary password).</summary>
public sealed record ChangePasswordCommand(string? CurrentPassword, string? NewPassword) : ICommand<Result<Success>>;

public sealed class ChangePasswordCommandValidator : AbstractValidator<ChangePasswordCommand>
{
    public ChangePasswordCommandValidator()
    {
        RuleFor(c => c.CurrentPassword).NotEmpty().MaximumLength(SignInPolicy.MaxPasswordLength);
        RuleFor(c => c.NewPassword).NotEmpty().Length(SignInPolicy.MinPasswordLength, SignInPolicy.MaxPasswordLength)
            .Must((c, p) => p != c.CurrentPassword).WithMessage("The new password must differ from the current one.");
    }
}

public sealed class ChangePasswordHandler(IAppDbContext db, ICurrentUser caller, IClock clock, IPasswordHasher hasher, AuditTrail audit)
    : ICommandHandler<ChangePasswordCommand, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(ChangePasswordCommand command, CancellationToken cancellationToken)
    {
        // The password changed is the one of the credential the token proved; a token of the external authority proves none.
        if (caller.Credential is null)
        {
            return Error.BusinessRule("no_local_password", "You sign in through the identity provider; there is no password to change here.");
        }

        var user = await Callers.RowsOf(db, caller).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return new Error(ErrorKind.Unauthorized, "unauthenticated", "This token was retired (password changed or reset); sign in again.");
        }

        if (user.PasswordHash is null)
        {
            return Error.BusinessRule("no_local_password", "You sign in through the identity provider; there is no password to change here.");
        }

        var now = clock.UtcNow;
        if (user.IsLockedOut(now))
        {
            return SignInHandler.LockedOut(user, now);
        }

        if (!hasher.Verify(user.PasswordHash, command.CurrentPassword!))
        {
            user.RecordFailedSignIn(now);
            await db.SaveAsync(cancellationToken);
            return Error.Validation(
                "invalid_current_password",
                "The current password is wrong.",
                new Dictionary<string, string[]> { ["currentPassword"] = ["The current password is wrong."] });
        }

        if (command.NewPassword!.Contains(user.Email, StringComparison.OrdinalIgnoreCase))
        {
            return Error.Validation(
                "weak_password",
                "The new password must not contain your email address.",
                new Dictionary<string, string[]> { ["newPassword"] = ["The new password must not contain your email address."] });
        }

        user.SetPassword(hasher.Hash(command.NewPassword));
        user.RecordSuccessfulSignIn();
        var memberships = await db.AccountMembers.Where(m => m.UserId == user.Id).Select(m => m.AccountId).ToListAsync(cancellationToken);
        foreach (var accountId in memberships)
        {
            audit.Record(accountId, "passwordChanged", "users", user.Id.ToString(), null, new { userId = user.Id });
        }

        return await db.SaveAsync(cancellationToken);
    }
}
