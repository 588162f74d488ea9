using System.Security.Cryptography;
using System.Text;

namespace PartnerAccounts.Domain.ApiKeys;

/// <summary>A freshly generated key: the secret (shown once), its public prefix and the hash that is stored.</summary>
public sealed record GeneratedApiKey(string Secret, string Prefix, byte[] Hash);

/// <summary>
/// API key secrets look like <c>pak_&lt;prefix&gt;_&lt;random&gt;</c>: 8 characters of public prefix (40 random bits) that find the
/// key, then 52 characters carrying 256 random bits. With that much entropy a plain, fast SHA-256 is a safe way to store them
/// (slow salted hashes protect low-entropy passwords, not random keys), and it can be checked on every request.
/// </summary>
public static class ApiKeySecret
{
    public const string Scheme = "pak_";
    public const int PrefixLength = 8;
    public const int RandomBytes = 32;
    public const int HashLength = 32;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int RandomLength = (RandomBytes * 8 + 4) / 5;

    /// <summary>The full length of a secret: scheme, prefix, separator and the random part.</summary>
    public const int Length = 4 + PrefixLength + 1 + RandomLength;

    public static GeneratedApiKey Generate()
    {
        var prefix = Base32(RandomNumberGenerator.GetBytes(5));
        var secret = Scheme + prefix + "_" + Base32(RandomNumberGenerator.GetBytes(RandomBytes));
        return new GeneratedApiKey(secret, prefix, Hash(secret));
    }

    /// <summary>The prefix of a well-formed secret; false for anything that cannot be one of ours.</summary>
    public static bool TryGetPrefix(ReadOnlySpan<char> secret, out ReadOnlySpan<char> prefix)
    {
        prefix = default;
        if (secret.Length != Length || !secret.StartsWith(Scheme, StringComparison.Ordinal) || secret[Scheme.Length + PrefixLength] != '_')
        {
            return false;
        }

        prefix = secret.Slice(Scheme.Length, PrefixLength);
        return true;
    }

    public static byte[] Hash(string secret)
    {
        var hash = new byte[HashLength];
        Hash(secret, hash);
        return hash;
    }

    /// <summary>Hashes without allocating; <paramref name="destination"/> must hold <see cref="HashLength"/> bytes.</summary>
    public static void Hash(ReadOnlySpan<char> secret, Span<byte> destination)
    {
        if (secret.Length > Length)
        {
            throw new ArgumentException("Not an API key secret.", nameof(secret));
        }

        Span<byte> utf8 = stackalloc byte[Length * 3];
        var count = Encoding.UTF8.GetBytes(secret, utf8);
        SHA256.HashData(utf8[..count], destination);
    }

    private static string Base32(byte[] bytes)
    {
        var chars = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return chars.ToString();
    }
}
