using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.LearnProfiles.UnlinkLearnProfile;

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
