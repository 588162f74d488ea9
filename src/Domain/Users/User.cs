using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Users;

/// <summary>
/// A directory user: one person's sign-in as one account knows it (docs/adr/0006-identity-model.md). A local password credential
/// belongs to the account that issued it (<see cref="IssuedByAccountId"/>), as directory users belong to one tenant, so the same
/// email may have one row per issuing account; a token from local sign-in proves one row and reaches only that row's
/// memberships. People who sign in through the external authority are found by email across every row.
/// </summary>
public sealed class User
{
    private User()
    {
        Email = string.Empty;
        NormalizedEmail = string.Empty;
    }

    public Guid Id { get; private set; }

    public string Email { get; private set; }

    public string NormalizedEmail { get; private set; }

    /// <summary>The account whose admin issued this credential (invited the person); null for a sign-in the person made themself.</summary>
    public Guid? IssuedByAccountId { get; private set; }

    /// <summary>Changes whenever the credential changes hands (password set or reset, temporary password used, removal from an account): tokens carrying an older stamp are refused.</summary>
    public Guid SecurityStamp { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>A salted slow hash (never the password); null for people who sign in only through the external authority.</summary>
    public string? PasswordHash { get; private set; }

    /// <summary>The password is a temporary one: signing in with it only allows changing it.</summary>
    public bool MustChangePassword { get; private set; }

    public DateTime? TemporaryPasswordExpiresAt { get; private set; }

    public int FailedSignIns { get; private set; }

    public DateTime? LockedUntil { get; private set; }

    public static User Create(Guid id, string email, DateTime now, Guid? issuedByAccountId = null) => new()
    {
        Id = id,
        Email = email.Trim(),
        NormalizedEmail = EmailAddress.Normalize(email),
        IssuedByAccountId = issuedByAccountId,
        SecurityStamp = Guid.NewGuid(),
        CreatedAt = now,
    };

    /// <summary>Retires every token issued for this credential so far.</summary>
    public void RenewSecurityStamp() => SecurityStamp = Guid.NewGuid();

    public bool IsLockedOut(DateTime now) => LockedUntil > now;

    public bool TemporaryPasswordExpired(DateTime now) => MustChangePassword && TemporaryPasswordExpiresAt <= now;

    /// <summary>Counts a failed sign-in; the <see cref="SignInPolicy.MaxFailedSignIns"/>th in a row locks the user out for a while.</summary>
    public void RecordFailedSignIn(DateTime now)
    {
        FailedSignIns++;
        if (FailedSignIns >= SignInPolicy.MaxFailedSignIns)
        {
            LockedUntil = now + SignInPolicy.LockoutDuration;
            FailedSignIns = 0;
        }
    }

    /// <summary>A sign-in with a temporary password uses it up for replays (its stamp moves), though it still opens the password change until replaced.</summary>
    public void RecordSuccessfulSignIn()
    {
        FailedSignIns = 0;
        LockedUntil = null;
        if (MustChangePassword)
        {
            RenewSecurityStamp();
        }
    }

    public void SetTemporaryPassword(string passwordHash, DateTime now)
    {
        PasswordHash = passwordHash;
        MustChangePassword = true;
        TemporaryPasswordExpiresAt = now + SignInPolicy.TemporaryPasswordLifetime;
        FailedSignIns = 0;
        LockedUntil = null;
        RenewSecurityStamp();
    }

    public void SetPassword(string passwordHash)
    {
        PasswordHash = passwordHash;
        MustChangePassword = false;
        TemporaryPasswordExpiresAt = null;
        RenewSecurityStamp();
    }
}

public static class SignInPolicy
{
    public const int MaxFailedSignIns = 5;
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 128;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan TemporaryPasswordLifetime = TimeSpan.FromDays(3);
}

/// <summary>A user's membership of one account.</summary>
public sealed class AccountMember
{
    private AccountMember()
    {
    }

    public Guid AccountId { get; private set; }

    public Guid UserId { get; private set; }

    public string? DisplayName { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public int Version { get; private set; }

    public static AccountMember Create(Guid accountId, Guid userId, string? displayName, DateTime now) => new()
    {
        AccountId = accountId,
        UserId = userId,
        DisplayName = displayName,
        CreatedAt = now,
        Version = 1,
    };

    public void Rename(string? displayName)
    {
        DisplayName = displayName;
        Version++;
    }

    /// <summary>A role was granted or revoked: the member's representation (and so its ETag) lists their roles.</summary>
    public void RecordRoleChange() => Version++;
}

/// <summary>One role held by one member of one account.</summary>
public sealed class RoleAssignment
{
    private RoleAssignment()
    {
        RoleId = string.Empty;
    }

    public Guid AccountId { get; private set; }

    public Guid UserId { get; private set; }

    public string RoleId { get; private set; }

    public DateTime AssignedAt { get; private set; }

    public static RoleAssignment Create(Guid accountId, Guid userId, string roleId, DateTime now) => new()
    {
        AccountId = accountId,
        UserId = userId,
        RoleId = roleId,
        AssignedAt = now,
    };
}
