using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Learn;
using PartnerAccounts.Domain.Users;

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

public sealed record GetMyLearnProfileQuery : IQuery<Result<Versioned<LearnProfileDto>>>;

public sealed class GetMyLearnProfileHandler(IAppDbContext db, ICurrentUser user) : IQueryHandler<GetMyLearnProfileQuery, Result<Versioned<LearnProfileDto>>>
{
    public async ValueTask<Result<Versioned<LearnProfileDto>>> Handle(GetMyLearnProfileQuery query, CancellationToken cancellationToken)
    {
        if (CallerLearnProfile.NormalizedEmailOf(user) is not { } email)
        {
            return CallerLearnProfile.Unauthenticated;
        }

        var profile = await CallerLearnProfile.FindAsync(db, email, tracked: false, cancellationToken);
        return new Versioned<LearnProfileDto>(LearnProfileDto.From(profile), profile?.Version ?? 0);
    }
}

/// <summary>Links the caller's Learn transcript (If-Match: the ETag of their learn profile, "0" or * before the first link).</summary>
public sealed record LinkLearnProfileCommand(IfMatch IfMatch, string? TranscriptUrl) : ICommand<Result<Versioned<LearnProfileDto>>>;

public sealed class LinkLearnProfileCommandValidator : AbstractValidator<LinkLearnProfileCommand>
{
    public LinkLearnProfileCommandValidator() =>
        RuleFor(c => c.TranscriptUrl).NotEmpty()
            .Must(url => LearnTranscriptUrl.TryNormalize(url, out _)).WithMessage(LearnTranscriptUrl.Requirement);
}

public sealed class LinkLearnProfileHandler(IAppDbContext db, ICurrentUser user, IClock clock)
    : ICommandHandler<LinkLearnProfileCommand, Result<Versioned<LearnProfileDto>>>
{
    public async ValueTask<Result<Versioned<LearnProfileDto>>> Handle(LinkLearnProfileCommand command, CancellationToken cancellationToken)
    {
        if (CallerLearnProfile.NormalizedEmailOf(user) is not { } email)
        {
            return CallerLearnProfile.Unauthenticated;
        }

        var profile = await CallerLearnProfile.FindAsync(db, email, tracked: true, cancellationToken);
        if (command.IfMatch.Check(profile?.Version ?? 0) is { } precondition)
        {
            return precondition;
        }

        if (profile is null)
        {
            profile = LearnProfile.Create(email);
            db.LearnProfiles.Add(profile);
        }

        var linked = profile.Link(command.TranscriptUrl!, clock.UtcNow);
        if (!linked.IsSuccess)
        {
            return linked.Error!;
        }

        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<LearnProfileDto>(LearnProfileDto.From(profile), profile.Version) : saved.Error!;
    }
}

/// <summary>Removes the caller's Learn association; nothing to remove is success too (DELETE is idempotent).</summary>
public sealed record UnlinkLearnProfileCommand(IfMatch IfMatch) : ICommand<Result<Success>>;

public sealed class UnlinkLearnProfileHandler(IAppDbContext db, ICurrentUser user) : ICommandHandler<UnlinkLearnProfileCommand, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(UnlinkLearnProfileCommand command, CancellationToken cancellationToken)
    {
        if (CallerLearnProfile.NormalizedEmailOf(user) is not { } email)
        {
            return CallerLearnProfile.Unauthenticated;
        }

        var profile = await CallerLearnProfile.FindAsync(db, email, tracked: true, cancellationToken);
        if (command.IfMatch.Check(profile?.Version ?? 0) is { } precondition)
        {
            return precondition;
        }

        if (profile is not { IsLinked: true })
        {
            return Success.Value;
        }

        profile.Unlink();
        return await db.SaveAsync(cancellationToken);
    }
}
