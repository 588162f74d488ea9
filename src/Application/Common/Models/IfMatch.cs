using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Common.Models;

/// <summary>
/// The <c>If-Match</c> precondition of a write, checked after authorization so that a stranger learns nothing:
/// missing -> 428 <c>if_match_required</c>; another version (or an unreadable tag) -> 412 <c>etag_mismatch</c>; <c>*</c> -> any version.
/// </summary>
public readonly record struct IfMatch(bool Present, int? Version)
{
    public static IfMatch Missing => new(false, null);

    public static IfMatch Any => new(true, null);

    public static IfMatch Unreadable => new(true, int.MinValue);

    public static IfMatch For(int version) => new(true, version);

    public Error? Check(int currentVersion)
    {
        if (!Present)
        {
            return new Error(ErrorKind.PreconditionRequired, "if_match_required", "This request must be conditional: send If-Match with the ETag you last read.");
        }

        return Version is { } expected && expected != currentVersion ? ProfileErrors.EtagMismatch : null;
    }
}
