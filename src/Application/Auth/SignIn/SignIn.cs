using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Auth.SignIn;


public sealed record SignInDto(string AccessToken, DateTime ExpiresAt, bool PasswordChangeRequired);

/// <summary>
/// Signs in with email and password and returns a short-lived bearer token for one credential: the one of
/// <see cref="AccountId"/> when given, else the first of the person's credentials (newest first, at most
/// <see cref="SignInHandler.MaxCredentialsTried"/>) that the password opens. The token reaches only the accounts that credential
/// is a member of (docs/adr/0006-identity-model.md). Unknown email, wrong password and expired temporary password answer alike
/// (401 <c>invalid_credentials</c>); repeated failures lock a credential out for a while. A temporary password gives a token
/// that only allows changing the password.
/// </summary>
public sealed record SignInCommand(string? Email, string? Password, Guid? AccountId) : ICommand<Result<SignInDto>>;

public sealed class SignInCommandValidator : AbstractValidator<SignInCommand>
{
    public SignInCommandValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(FieldLimits.Email);
        RuleFor(c => c.Password).NotEmpty().MaximumLength(SignInPolicy.MaxPasswordLength);
    }
}

public sealed class SignInHandler(IAppDbContext db, IClock clock, IPasswordHasher hasher, ITokenIssuer tokens) : ICommandHandler<SignInCommand, Result<SignInDto>>
{
    /// <summary>Each try is a slow hash: a person invited by more accounts than this names the account to sign in to.</summary>
    public const int MaxCredentialsTried = 5;

    public static readonly Error InvalidCredentials = new(ErrorKind.Unauthorized, "invalid_credentials", "The email or password is wrong.");

    public static Error LockedOut(User user, DateTime now) =>
        new(ErrorKind.TooManyRequests, "sign_in_locked", "Too many failed sign-ins; try again after the time in Retry-After.")
        {
            RetryAfter = user.LockedUntil - now,
        };

    // Verifying against a real hash keeps an unknown email as slow as a wrong password.
    private static string? _decoyHash;

    public async ValueTask<Result<SignInDto>> Handle(SignInCommand command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var normalized = EmailAddress.Normalize(command.Email!);
        var credentials = db.Users.Where(u => u.NormalizedEmail == normalized && u.PasswordHash != null);
        if (command.AccountId is { } accountId)
        {
            credentials = credentials.Where(u => db.AccountMembers.Any(m => m.AccountId == accountId && m.UserId == u.Id));
        }

        var candidates = await credentials.OrderByDescending(u => u.CreatedAt).ThenBy(u => u.Id).Take(MaxCredentialsTried).ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            hasher.Verify(_decoyHash ??= hasher.Hash(Guid.NewGuid().ToString()), command.Password!);
            return InvalidCredentials;
        }

        User? locked = null;
        var lockedCount = 0;
        foreach (var candidate in candidates)
        {
            var (user, lockedOut) = await CountAttemptAsync(candidate, now, cancellationToken);
            if (lockedOut)
            {
                locked ??= user;
                lockedCount++;
                continue;
            }

            if (!hasher.Verify(user.PasswordHash!, command.Password!) || user.TemporaryPasswordExpired(now))
            {
                continue;
            }

            user.RecordSuccessfulSignIn();
            var token = tokens.Issue(user.Email, new LocalCredential(user.Id, user.SecurityStamp), passwordChangeOnly: user.MustChangePassword);
            if (token is null)
            {
                return Error.BusinessRule("local_sign_in_unavailable", "This service has no signing key configured; sign in through the identity provider.");
            }

            var saved = await db.SaveAsync(cancellationToken);
            return saved.IsSuccess ? new SignInDto(token.AccessToken, token.ExpiresAt, user.MustChangePassword) : saved.Error!;
        }

        return locked is not null && lockedCount == candidates.Count ? LockedOut(locked, now) : InvalidCredentials;
    }

    /// <summary>
    /// Counts the attempt as failed before the password is checked (a success clears it again), with a compare-and-swap on
    /// the stored counter: parallel guesses cannot all pass the lockout check before any failure is stored, so no more than
    /// <see cref="SignInPolicy.MaxFailedSignIns"/> are ever checked. Returns the user as stored, and whether they are locked out.
    /// </summary>
    private async Task<(User User, bool LockedOut)> CountAttemptAsync(User user, DateTime now, CancellationToken cancellationToken)
    {
        while (!user.IsLockedOut(now))
        {
            var (failures, lockedUntil) = (user.FailedSignIns, user.LockedUntil);
            user.RecordFailedSignIn(now);
            var counted = await db.Users
                .Where(u => u.Id == user.Id && u.FailedSignIns == failures && u.LockedUntil == lockedUntil)
                .ExecuteUpdateAsync(
                    set => set.SetProperty(u => u.FailedSignIns, user.FailedSignIns).SetProperty(u => u.LockedUntil, user.LockedUntil),
                    cancellationToken);
            // Either way, continue from what is stored now (the update bypassed change tracking).
            db.Reset();
            user = await db.Users.FirstAsync(u => u.Id == user.Id, cancellationToken);
            if (counted == 1)
            {
                return (user, false);
            }
        }

        return (user, true);
    }
}
