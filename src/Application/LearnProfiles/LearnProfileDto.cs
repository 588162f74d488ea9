using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Learn;

namespace PartnerAccounts.Application.LearnProfiles;


/// <summary>The caller's own view of their Learn association, with the link itself.</summary>
public sealed record LearnProfileDto(bool Linked, string? TranscriptUrl, DateTime? LinkedAt)
{
    public static readonly LearnProfileDto NotLinked = new(false, null, null);

    public static LearnProfileDto From(LearnProfile? profile) =>
        profile is { IsLinked: true } ? new(true, profile.TranscriptUrl, profile.LinkedAt) : NotLinked;
}

/// <summary>What other members of an account see of a person's association: whether and since when, never the link.</summary>
public sealed record LearnProfileSummaryDto(bool Linked, DateTime? LinkedAt)
{
    public static readonly LearnProfileSummaryDto NotLinked = new(false, null);
}

public static class LearnProfileSummaries
{
    /// <summary>The association of each of <paramref name="normalizedEmails"/> (absent: not linked), in one query.</summary>
    public static async Task<IReadOnlyDictionary<string, LearnProfileSummaryDto>> OfAsync(
        IAppDbContext db, IReadOnlyCollection<string> normalizedEmails, CancellationToken cancellationToken)
    {
        if (normalizedEmails.Count == 0)
        {
            return new Dictionary<string, LearnProfileSummaryDto>();
        }

        var linked = await db.LearnProfiles.AsNoTracking()
            .Where(p => normalizedEmails.Contains(p.NormalizedEmail) && p.TranscriptUrl != null)
            .Select(p => new { p.NormalizedEmail, p.LinkedAt })
            .ToListAsync(cancellationToken);
        return linked.ToDictionary(p => p.NormalizedEmail, p => new LearnProfileSummaryDto(true, p.LinkedAt), StringComparer.Ordinal);
    }

    public static LearnProfileSummaryDto For(this IReadOnlyDictionary<string, LearnProfileSummaryDto> summaries, string email) =>
        summaries.GetValueOrDefault(EmailAddress.Normalize(email), LearnProfileSummaryDto.NotLinked);
}

internal static class CallerLearnProfile
{
    public static readonly Error Unauthenticated = new(ErrorKind.Unauthorized, "unauthenticated", "Authentication is required.");

    public static string? NormalizedEmailOf(ICurrentUser user) =>
        user.IsAuthenticated && user.Email is { } email ? EmailAddress.Normalize(email) : null;

    public static Task<LearnProfile?> FindAsync(IAppDbContext db, string normalizedEmail, bool tracked, CancellationToken cancellationToken) =>
        (tracked ? db.LearnProfiles : db.LearnProfiles.AsNoTracking()).FirstOrDefaultAsync(p => p.NormalizedEmail == normalizedEmail, cancellationToken);
}
