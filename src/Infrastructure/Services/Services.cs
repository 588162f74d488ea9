using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Infrastructure.Services;

public sealed class SystemClock : IClock
{
    /// <summary>Whole microseconds: PostgreSQL keeps no finer time, so what a write returns equals what a later read returns.</summary>
    public DateTime UtcNow
    {
        get
        {
            var now = DateTime.UtcNow;
            return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        }
    }
}

/// <summary>Bank numbers are encrypted with ASP.NET Core Data Protection; its key ring lives in the database so every API node shares it.</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("PartnerAccounts.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}

/// <summary>Continuation tokens are the collection scope and position, authenticated and encrypted, so they cannot be forged or reused elsewhere.</summary>
public sealed class DataProtectionContinuationTokens(IDataProtectionProvider provider) : IContinuationTokens
{
    private readonly IDataProtector _protector = provider.CreateProtector("PartnerAccounts.Paging.v1");

    public string Create(string scope, string position) => _protector.Protect(scope + "\n" + position);

    public string? Read(string scope, string token)
    {
        string plain;
        try
        {
            plain = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var separator = plain.IndexOf('\n', StringComparison.Ordinal);
        return separator > 0 && plain.AsSpan(0, separator).SequenceEqual(scope) ? plain[(separator + 1)..] : null;
    }
}

/// <summary>Random 7-digit IDs checked against the registry; the registry's primary key settles any race.</summary>
public sealed class RandomMpnIdIssuer(IAppDbContext db) : IMpnIdIssuer
{
    private readonly HashSet<string> _issuedInThisScope = new(StringComparer.Ordinal);

    public async Task<string> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var candidate = RandomNumberGenerator.GetInt32(MpnIdentifier.MinIssued, MpnIdentifier.MaxIssued + 1)
                .ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_issuedInThisScope.Contains(candidate) ||
                await db.MpnRegistrations.AsNoTracking().AnyAsync(m => m.MpnId == candidate, cancellationToken))
            {
                continue;
            }

            _issuedInThisScope.Add(candidate);
            return candidate;
        }
    }
}

/// <summary>ASP.NET Core Identity's PasswordHasher: PBKDF2-HMAC-SHA512 with a per-password salt and 100,000 iterations.</summary>
public sealed class IdentityPasswordHasher : PartnerAccounts.Application.Common.Abstractions.IPasswordHasher
{
    private static readonly object Subject = new();
    private readonly Microsoft.AspNetCore.Identity.PasswordHasher<object> _hasher = new();

    public string Hash(string password) => _hasher.HashPassword(Subject, password);

    public bool Verify(string passwordHash, string password)
    {
        try
        {
            return _hasher.VerifyHashedPassword(Subject, passwordHash, password) != Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
