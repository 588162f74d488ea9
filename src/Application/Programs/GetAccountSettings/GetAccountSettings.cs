using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Programs.GetAccountSettings;

/// <summary>Which settings areas the account has, whose roles it can assign, and where its MPN ID is shown.</summary>
public sealed record GetAccountSettingsQuery(Guid AccountId) : IQuery<Result<AccountSettingsDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetAccountSettingsHandler(IAppDbContext db) : IQueryHandler<GetAccountSettingsQuery, Result<AccountSettingsDto>>
{
    public async ValueTask<Result<AccountSettingsDto>> Handle(GetAccountSettingsQuery query, CancellationToken cancellationToken)
    {
        var mpnId = await db.Accounts.AsNoTracking().Where(a => a.Id == query.AccountId).Select(a => a.MpnId).FirstOrDefaultAsync(cancellationToken);
        if (mpnId is null)
        {
            return ProfileErrors.NotFound;
        }

        var settings = await AccountEnrollments.SettingsAsync(db, query.AccountId, cancellationToken);
        return new AccountSettingsDto(settings.Areas, settings.RoleAreas, mpnId, settings.MpnIdShownIn);
    }
}
