using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Common.Models;

/// <summary>
/// The <c>If-Match</c> precondition of a write, checked after authorization so that a stranger learns nothing:
/// missing -> 428 <c>if_match_required</c>; no listed version current (weak or unreadable tags never are) -> 412
/// <c>etag_mismatch</c>; <c>*</c> or any listed version current -> the write goes ahead.
/// </summary>
public readonly record struct IfMatch(bool Present, bool AnyVersion, IReadOnlyList<int> Versions)
{
    public static IfMatch Missing => new(false, false, []);

    public static IfMatch Any => new(true, true, []);

    /// <summary>A header that names no version this service issues: it matches nothing.</summary>
    public static IfMatch Unreadable => new(true, false, []);

    public static IfMatch For(params int[] versions) => new(true, false, versions);

    public bool Matches(int currentVersion) => Present && (AnyVersion || Versions.Contains(currentVersion));

    public Error? Check(int currentVersion)
    {
        if (!Present)
        {
            return new Error(ErrorKind.PreconditionRequired, "if_match_required", "This request must be conditional: send If-Match with the ETag you last read.");
        }

        return Matches(currentVersion) ? null : ProfileErrors.EtagMismatch;
    }
}
