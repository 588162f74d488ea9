using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Api.Contracts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

public enum SettingsArea
{
    Partner,
    Developer,
}

/// <summary>Invite a person by email with initial roles.</summary>
public sealed record InviteUserRequest
{
    [Required, MaxLength(FieldLimits.Email), EmailAddress]
    public string? Email { get; init; }

    [MaxLength(FieldLimits.PersonName)]
    public string? DisplayName { get; init; }

    /// <summary>Role ids from GET /v1/roles.</summary>
    [MaxLength(32), ItemLimits(64, Pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    public IReadOnlyList<string>? Roles { get; init; }
}

public sealed record UpdateUserRequest
{
    [Required, MaxLength(FieldLimits.PersonName)]
    public string? DisplayName { get; init; }
}

public sealed record UserResponse(Guid Id, string Email, string? DisplayName, IReadOnlyList<RoleRef> Roles, DateTime CreatedAt)
{
    /// <summary>Whether the person has associated a Microsoft Learn account, and since when.</summary>
    public required LearnProfileSummary LearnProfile { get; init; }
}

/// <summary>The invited user; <c>temporaryPassword</c> is set (this one time only) when the person had no sign-in yet.</summary>
public sealed record InvitedUserResponse(UserResponse User, [WithheldOnReplay] string? TemporaryPassword, DateTime? TemporaryPasswordExpiresAt);

/// <summary>A one-time temporary password, shown only in this response; it must be changed at the next sign-in.</summary>
public sealed record TemporaryPasswordResponse([WithheldOnReplay] string TemporaryPassword, DateTime ExpiresAt);

public sealed record RoleResponse(string Id, string Name, string Description, SettingsArea SettingsArea, bool IsDirectoryRole, IReadOnlyList<string> Permissions);

public sealed record RoleMemberResponse(Guid UserId, string Email, string? DisplayName);

public sealed record SignInRequest
{
    [Required, MaxLength(FieldLimits.Email)]
    public string? Email { get; init; }

    [Required, MaxLength(128)]
    public string? Password { get; init; }

    /// <summary>
    /// Optional: the account whose credential to sign in with. A person invited by several accounts has one password per
    /// account; without it, each of their credentials is tried (newest first) and the token proves the first that matches.
    /// </summary>
    public Guid? AccountId { get; init; }
}

/// <summary>A bearer token; with <c>passwordChangeRequired</c> it only allows POST /v1/me/password.</summary>
public sealed record SignInResponse(string AccessToken, string TokenType, int ExpiresIn, DateTime ExpiresAt, bool PasswordChangeRequired);

public sealed record ChangePasswordRequest
{
    [Required, MaxLength(128)]
    public string? CurrentPassword { get; init; }

    /// <summary>12 to 128 characters, not containing your email address.</summary>
    [Required, MinLength(12), MaxLength(128)]
    public string? NewPassword { get; init; }
}
