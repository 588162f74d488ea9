using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Learn;

namespace PartnerAccounts.Application.LearnProfiles.LinkLearnProfile;

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
