using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PartnerAccounts.Domain.Common;

/// <summary>
/// New identifiers for what the service stores: version-7 UUIDs (RFC 9562: the Unix time in milliseconds, then 74 random
/// bits), time-ordered so that new rows land at the end of their indexes, like <see cref="Guid.CreateVersion7()"/>. The
/// random bits come from <see cref="RandomNumberGenerator"/> (a user-space cryptographic generator): on Linux
/// <see cref="Guid.NewGuid"/> and <see cref="Guid.CreateVersion7()"/> read <c>/dev/urandom</c> with a system call each time,
/// and a write made several of them.
/// </summary>
public static class Ids
{
    public static Guid NewVersion7() => NewVersion7(DateTimeOffset.UtcNow);

    public static Guid NewVersion7(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[6..]);
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, at.ToUnixTimeMilliseconds());
        time[2..].CopyTo(bytes); // the low 48 bits, most significant first
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70); // version 7
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // the RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
