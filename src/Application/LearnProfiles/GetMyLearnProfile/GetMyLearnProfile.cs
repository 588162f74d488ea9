using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.LearnProfiles.GetMyLearnProfile;

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
