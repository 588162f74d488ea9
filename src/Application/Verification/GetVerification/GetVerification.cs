using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Verification.GetVerification;

public sealed record GetVerificationQuery(Guid AccountId) : IQuery<Result<Versioned<VerificationDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.VerificationRead;
}

public sealed class GetVerificationHandler(IAppDbContext db) : IQueryHandler<GetVerificationQuery, Result<Versioned<VerificationDto>>>
{
    public async ValueTask<Result<Versioned<VerificationDto>>> Handle(GetVerificationQuery query, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == query.AccountId, cancellationToken);
        return account is null ? ProfileErrors.NotFound : new Versioned<VerificationDto>(VerificationDto.From(account), account.Version);
    }
}
