namespace PartnerAccounts.Application.Common.Abstractions;

public interface IClock
{
    DateTime UtcNow { get; }
}

/// <summary>The authenticated caller of the current request.</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    /// <summary>The email claim (or the claims <c>Auth:IdentityClaims</c> names instead).</summary>
    string? Email { get; }

    /// <summary>The local credential a token from the service's own sign-in proved; null for a token of the external authority.</summary>
    LocalCredential? Credential { get; }

    bool IsOperator { get; }

    string? CorrelationId { get; }
}

/// <summary>Encrypts secrets (bank account numbers) for storage; the plain value never leaves the write path.</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    string Unprotect(string protectedValue);
}

/// <summary>Opaque, tamper-proof continuation tokens bound to one collection.</summary>
public interface IContinuationTokens
{
    string Create(string scope, string position);

    /// <summary>The position the token was made for, or null when it was forged, damaged or made for another collection.</summary>
    string? Read(string scope, string token);
}

/// <summary>Issues random 7-digit MPN IDs that no account or location holds yet.</summary>
public interface IMpnIdIssuer
{
    Task<string> NextAsync(CancellationToken cancellationToken);
}

/// <summary>Salted, slow password hashing (PBKDF2 through ASP.NET Core Identity's PasswordHasher).</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    bool Verify(string passwordHash, string password);
}

public sealed record IssuedToken(string AccessToken, DateTime ExpiresAt);

/// <summary>One directory user row (<see cref="Domain.Users.User"/>) and the security stamp it had when the token was issued.</summary>
public sealed record LocalCredential(Guid UserId, Guid SecurityStamp);

/// <summary>Issues the service's own short-lived bearer tokens; null when no signing key is configured.</summary>
public interface ITokenIssuer
{
    IssuedToken? Issue(string email, LocalCredential credential, bool passwordChangeOnly);
}
